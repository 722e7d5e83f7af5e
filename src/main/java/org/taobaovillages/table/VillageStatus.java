package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Taobao Village status per village and year under one rule version, with the result of every criterion so
 * that each status can be explained. Delta table written by {@code detect}, partitioned by rule and year so
 * that rule sets never overwrite each other: the village_year metric columns plus the columns below.
 */
public final class VillageStatus {
  public static final String NAME = "village_status";

  public static final String RULE_ID = "rule_id";
  public static final String RULE_VERSION = "rule_version";
  /** The rule's thresholds and operators as one readable string, e.g. "sales_rmb > 10000000; ...". */
  public static final String RULE_TEXT = "rule_text";
  public static final String MEETS_SALES = "meets_sales";
  public static final String MEETS_SHOPS = "meets_shops";
  public static final String MEETS_HOUSEHOLDS = "meets_households";
  public static final String MEETS_PRIMARY_PLATFORM = "meets_primary_platform";
  public static final String IS_TAOBAO_VILLAGE = "is_taobao_village";
  /** Compared with the village's previous year under the same rule: gained, kept, lost or none. */
  public static final String STATUS_CHANGE = "status_change";

  public static final StructType SCHEMA = VillageYear.METRICS_SCHEMA
      .add(RULE_ID, StringType, false)
      .add(RULE_VERSION, StringType, false)
      .add(RULE_TEXT, StringType, false)
      .add(MEETS_SALES, BooleanType, false)
      .add(MEETS_SHOPS, BooleanType, false)
      .add(MEETS_HOUSEHOLDS, BooleanType, false)
      .add(MEETS_PRIMARY_PLATFORM, BooleanType, false)
      .add(IS_TAOBAO_VILLAGE, BooleanType, false)
      .add(STATUS_CHANGE, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private VillageStatus() {}
}
