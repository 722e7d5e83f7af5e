package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * The BI export of village status: one Parquet row per village and year under one rule, with the village's
 * names and place, partitioned by year. Village-years with few active sellers have their metrics suppressed
 * (null) and {@link #SUPPRESSED} true. No seller or household id is exported.
 */
public final class VillageStatusExport {
  public static final String NAME = "village_status";
  public static final String SUPPRESSED = "metrics_suppressed";

  public static final StructType SCHEMA = new StructType()
      .add(VillageRegistry.VILLAGE_CODE, StringType, false)
      .add(VillageRegistry.VILLAGE_NAME, StringType, true)
      .add(VillageRegistry.TOWN_CODE, StringType, true)
      .add(VillageRegistry.TOWN_NAME, StringType, true)
      .add(VillageRegistry.COUNTY_CODE, StringType, true)
      .add(VillageRegistry.COUNTY_NAME, StringType, true)
      .add(VillageRegistry.CITY_NAME, StringType, true)
      .add(VillageRegistry.PROVINCE_CODE, StringType, true)
      .add(VillageRegistry.PROVINCE_NAME, StringType, true)
      .add(VillageRegistry.LONGITUDE, DoubleType, true)
      .add(VillageRegistry.LATITUDE, DoubleType, true)
      .add(VillageYear.YEAR, IntegerType, false)
      .add(VillageStatus.IS_TAOBAO_VILLAGE, BooleanType, false)
      .add(VillageStatus.STATUS_CHANGE, StringType, false)
      .add(VillageStatus.MEETS_SALES, BooleanType, false)
      .add(VillageStatus.MEETS_SHOPS, BooleanType, false)
      .add(VillageStatus.MEETS_HOUSEHOLDS, BooleanType, false)
      .add(VillageStatus.MEETS_PRIMARY_PLATFORM, BooleanType, false)
      .add(VillageYear.ACTIVE_SELLERS, LongType, true)
      .add(VillageYear.ACTIVE_HOUSEHOLDS, LongType, true)
      .add(VillageYear.HOUSEHOLDS, IntegerType, true)
      .add(VillageYear.HOUSEHOLD_SHARE, DoubleType, true)
      .add(VillageYear.ORDERS, LongType, true)
      .add(VillageYear.SALES_RMB, createDecimalType(28, 2), true)
      .add(VillageYear.TAOBAO_SHARE, DoubleType, true)
      .add(SUPPRESSED, BooleanType, false)
      .add(VillageYear.YEAR_COMPLETE, BooleanType, false)
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(VillageStatus.RULE_VERSION, StringType, false)
      .add(VillageStatus.RULE_TEXT, StringType, false)
      .add(VillageYear.ACTIVE_DEFINITION, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private VillageStatusExport() {}
}
