package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Taobao Towns per town rule and calendar year: every township with at least one village with sales, its
 * qualifying villages (under the rule's village rule), sales and active shops, and whether it qualifies. Delta
 * table written by {@code detect}, partitioned by rule and year. Members: {@link TownVillages}.
 */
public final class TownStatus {
  public static final String NAME = "town_status";

  public static final String RULE_ID = VillageStatus.RULE_ID;
  public static final String RULE_VERSION = VillageStatus.RULE_VERSION;
  public static final String RULE_TEXT = VillageStatus.RULE_TEXT;
  public static final String VILLAGE_RULE_ID = "village_rule_id";
  public static final String TOWN_CODE = VillageRegistry.TOWN_CODE;
  public static final String TOWN_NAME = VillageRegistry.TOWN_NAME;
  public static final String COUNTY_CODE = VillageRegistry.COUNTY_CODE;
  public static final String YEAR = VillagePeriod.YEAR;
  public static final String QUALIFYING_VILLAGES = "qualifying_villages";
  public static final String VILLAGES_WITH_SALES = "villages_with_sales";
  public static final String ACTIVE_SELLERS = VillagePeriod.ACTIVE_SELLERS;
  public static final String SALES_RMB = VillagePeriod.SALES_RMB;
  public static final String QUALIFIES = VillageStatus.QUALIFIES;
  /** "villages": by the count of qualifying villages; "sales": by the widened definition only; null if not. */
  public static final String QUALIFIES_BY = "qualifies_by";
  public static final String DECIDING = VillageStatus.DECIDING;

  public static final StructType SCHEMA = new StructType()
      .add(RULE_ID, StringType, false)
      .add(RULE_VERSION, StringType, false)
      .add(RULE_TEXT, StringType, false)
      .add(VILLAGE_RULE_ID, StringType, false)
      .add(TOWN_CODE, StringType, false)
      .add(TOWN_NAME, StringType, true)
      .add(COUNTY_CODE, StringType, true)
      .add(YEAR, IntegerType, false)
      .add(QUALIFYING_VILLAGES, LongType, false)
      .add(VILLAGES_WITH_SALES, LongType, false)
      .add(ACTIVE_SELLERS, LongType, false)
      .add(SALES_RMB, SellerMonth.MONEY, false)
      .add(QUALIFIES, BooleanType, false)
      .add(QUALIFIES_BY, StringType, true)
      .add(DECIDING, StringType, false)
      .add(VillagePeriod.PERIOD_COMPLETE, BooleanType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** Figures withheld by {@link SmallCellFlags#METRICS}; the counts of villages and the outcome stay. */
  public static final java.util.List<String> FIGURES = java.util.List.of(ACTIVE_SELLERS, SALES_RMB, DECIDING);

  private TownStatus() {}
}
