package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Detection scored against a generated world's planted truth ({@code evaluate}): one row per year and measure
 * (precision and recall of newly qualifying villages, watchlist recall, precision at k and lead time, town and
 * cluster counts against the generator's), and {@link #DISAGREEMENTS}: every village whose detected first
 * qualifying year differs from its designed one, with the deciding condition that explains it. Delta tables
 * written by {@code evaluate}; a re-run replaces its run date's rows.
 */
public final class Evaluation {
  public static final String NAME = "evaluation";
  public static final String DISAGREEMENTS = "evaluation_disagreements";

  public static final String MEASURE = "measure";
  public static final String VALUE = "value";
  public static final String DETAIL = "detail";
  public static final String DESIGNED_FIRST_YEAR = "designed_first_year";
  public static final String DETECTED_FIRST_YEAR = "detected_first_year";
  public static final String REASON = "reason";

  public static final StructType SCHEMA = new StructType()
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(VillagePeriod.YEAR, IntegerType, true)
      .add(MEASURE, StringType, false)
      .add(VALUE, DoubleType, true)
      .add(DETAIL, StringType, true)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  public static final StructType DISAGREEMENTS_SCHEMA = new StructType()
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(DESIGNED_FIRST_YEAR, IntegerType, true)
      .add(DETECTED_FIRST_YEAR, IntegerType, true)
      .add(REASON, StringType, false)
      .add(VillageStatus.DECIDING, StringType, true)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private Evaluation() {}
}
