package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * One row per {@code aggregate} run: which months it recomputed and why, so that {@code detect} recomputes the
 * same periods and an analyst can see what each run did. Delta table; a re-run of a run date replaces its row.
 */
public final class AggregateRuns {
  public static final String NAME = "aggregate_runs";

  /** First month recomputed (first day); null when nothing needed recomputing. */
  public static final String FIRST_MONTH = "first_month";
  /** Last month recomputed: the run date's month. */
  public static final String LAST_MONTH = "last_month";
  /** Whether every month was recomputed (first run, --full, or a dimension change). */
  public static final String FULL = "full";
  /** Why this range: "first run", "--full", "orders stored by run dates ...", "dimension change ...". */
  public static final String REASON = "reason";
  /** Order months of the orders stored since the previous aggregate run ("yyyy-MM"). */
  public static final String TOUCHED_MONTHS = "touched_months";
  public static final String SELLER_MONTH_ROWS = "seller_month_rows";
  public static final String VILLAGE_MONTH_ROWS = "village_month_rows";
  public static final String VILLAGE_PERIOD_ROWS = "village_period_rows";

  public static final StructType SCHEMA = new StructType()
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false)
      .add(FIRST_MONTH, DateType, true)
      .add(LAST_MONTH, DateType, false)
      .add(FULL, BooleanType, false)
      .add(REASON, StringType, false)
      .add(TOUCHED_MONTHS, createArrayType(StringType, false), false)
      .add(SELLER_MONTH_ROWS, LongType, false)
      .add(VILLAGE_MONTH_ROWS, LongType, false)
      .add(VILLAGE_PERIOD_ROWS, LongType, false);

  private AggregateRuns() {}
}
