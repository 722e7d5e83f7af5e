package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Taobao Village clusters per cluster rule and calendar year: every connected group of qualifying villages (links
 * between villages at most the rule's distance apart) of at least the rule's minimum size, its size class and
 * where it lies. The id is the group's smallest village code. Delta table written by {@code detect},
 * partitioned by rule and year. Members: {@link UnitMembers#CLUSTERS}.
 */
public final class ClusterStatus {
  public static final String NAME = "cluster_status";

  public static final String CLUSTER_ID = "cluster_id";
  public static final String VILLAGES = "villages";
  /** "cluster" or "large". */
  public static final String SIZE_CLASS = "size_class";
  public static final String COUNTIES = "counties";
  public static final String PROVINCE_CODE = VillageRegistry.PROVINCE_CODE;
  public static final String CENTRE_LONGITUDE = "centre_longitude";
  public static final String CENTRE_LATITUDE = "centre_latitude";
  public static final String SALES_RMB = VillagePeriod.SALES_RMB;

  public static final StructType SCHEMA = new StructType()
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(VillageStatus.RULE_VERSION, StringType, false)
      .add(VillageStatus.RULE_TEXT, StringType, false)
      .add(TownStatus.VILLAGE_RULE_ID, StringType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(CLUSTER_ID, StringType, false)
      .add(VILLAGES, LongType, false)
      .add(SIZE_CLASS, StringType, false)
      .add(COUNTIES, createArrayType(StringType, false), false)
      .add(PROVINCE_CODE, StringType, true)
      .add(CENTRE_LONGITUDE, DoubleType, true)
      .add(CENTRE_LATITUDE, DoubleType, true)
      .add(SALES_RMB, SellerMonth.MONEY, false)
      .add(VillagePeriod.PERIOD_COMPLETE, BooleanType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** Figures withheld by {@link SmallCellFlags#METRICS}. */
  public static final java.util.List<String> FIGURES = java.util.List.of(SALES_RMB);

  private ClusterStatus() {}
}
