package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Qualifying villages per county, county rule and calendar year, and whether the county is a super-sized
 * cluster (e.g. more than 100 Taobao Villages). Every county with a qualifying village has a row. Delta table
 * written by {@code detect}, partitioned by rule and year. Members: {@link UnitMembers#COUNTIES}.
 */
public final class CountyStatus {
  public static final String NAME = "county_status";

  public static final StructType SCHEMA = new StructType()
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(VillageStatus.RULE_VERSION, StringType, false)
      .add(VillageStatus.RULE_TEXT, StringType, false)
      .add(TownStatus.VILLAGE_RULE_ID, StringType, false)
      .add(VillageRegistry.COUNTY_CODE, StringType, false)
      .add(VillageRegistry.COUNTY_NAME, StringType, true)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(TownStatus.QUALIFYING_VILLAGES, LongType, false)
      .add(VillageStatus.QUALIFIES, BooleanType, false)
      .add(VillageStatus.DECIDING, StringType, false)
      .add(VillagePeriod.PERIOD_COMPLETE, BooleanType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private CountyStatus() {}
}
