package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * One row per {@code typology} run: the complete years it covered, the Delta version of each table it reads, and
 * whether it recomputed the typology's tables or found nothing changed in the complete years since the run
 * before (the daily case: a day's orders and dimension versions change only the running year). Delta table; a
 * re-run of a run date replaces its row.
 */
public final class TypologyRuns {
  public static final String NAME = "typology_runs";

  public static final String FIRST_YEAR = "first_year";
  public static final String LAST_YEAR = "last_year";
  /** The typology's settings (version, thresholds, model settings, rule) the run used; a change recomputes. */
  public static final String SETTINGS = "settings";
  /** Each input table's Delta version as the run read it. */
  public static final String SOURCE_VERSIONS = "source_versions";
  /** {@code computed} or {@code unchanged}. */
  public static final String ACTION = "action";
  public static final String REASON = "reason";
  public static final String RECORDED_AT = "recorded_at";

  public static final String COMPUTED = "computed";
  public static final String UNCHANGED = "unchanged";
  /** Not a value of the table: what a run reports when there is no complete year to model (it records nothing). */
  public static final String NO_YEAR = "no complete year";

  public static final StructType SCHEMA = new StructType()
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false)
      .add(FIRST_YEAR, IntegerType, false)
      .add(LAST_YEAR, IntegerType, false)
      .add(SETTINGS, StringType, false)
      .add(SOURCE_VERSIONS, createMapType(StringType, LongType, false), false)
      .add(ACTION, StringType, false)
      .add(REASON, StringType, false)
      .add(RECORDED_AT, TimestampType, false);

  private TypologyRuns() {}
}
