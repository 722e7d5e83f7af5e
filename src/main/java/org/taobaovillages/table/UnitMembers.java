package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Which qualifying villages make up each qualifying higher-level unit, per rule and year: a Taobao Town
 * ({@code town_villages}, unit = township code), a cluster ({@code cluster_villages}, unit = cluster id) or a
 * super-sized county ({@code county_villages}, unit = county code). Delta tables written by {@code detect},
 * partitioned by rule and year.
 */
public final class UnitMembers {
  public static final String TOWNS = "town_villages";
  public static final String CLUSTERS = "cluster_villages";
  public static final String COUNTIES = "county_villages";

  public static final String RULE_ID = VillageStatus.RULE_ID;
  public static final String RULE_VERSION = VillageStatus.RULE_VERSION;
  public static final String YEAR = VillagePeriod.YEAR;
  /** Township code, cluster id or county code. */
  public static final String UNIT_ID = "unit_id";
  public static final String VILLAGE_CODE = VillagePeriod.VILLAGE_CODE;

  public static final StructType SCHEMA = new StructType()
      .add(RULE_ID, StringType, false)
      .add(RULE_VERSION, StringType, false)
      .add(YEAR, IntegerType, false)
      .add(UNIT_ID, StringType, false)
      .add(VILLAGE_CODE, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private UnitMembers() {}
}
