package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Status history per village, rule and period (calendar year, and trailing 12 months at every month-end): the
 * metrics the rule looked at, whether each criterion passed, whether the village qualifies, how that changed, and
 * the deciding condition in words. A village has a row for every period from its first period with sales, so a
 * village that stops selling shows as lost. Delta table written by {@code detect}, partitioned by period, year and
 * period end ({@link #PARTITIONED_BY}); a run replaces exactly its rules' rows of its periods, so rule sets never
 * overwrite each other and a run that recomputes a few month-ends rewrites only those.
 */
public final class VillageStatus {
  public static final String NAME = "village_status";
  /**
   * Partition columns: a period end is a partition of its own, so replacing or reading a few month-ends touches
   * only their files (no copying of the rest of the year). The rule is a column, not a partition: the rules of a
   * period share its files (a run of all rules replaces them whole; a run of some rules copies the others' rows
   * of its periods), which keeps the files few on small data.
   */
  public static final java.util.List<String> PARTITIONED_BY = VillagePeriod.PARTITIONED_BY;

  public static final String RULE_ID = "rule_id";
  public static final String RULE_VERSION = "rule_version";
  /** The rule's thresholds, operators, platform condition and active-seller definition as one readable line. */
  public static final String RULE_TEXT = "rule_text";
  /** taobao_village or ecommerce_village. */
  public static final String RULE_KIND = "rule_kind";
  /** Share of sales on the rule's platforms (its platform condition); null for a rule without one. */
  public static final String PLATFORM_SHARE = "platform_share";
  public static final String MEETS_SALES = "meets_sales";
  public static final String MEETS_SHOPS = "meets_shops";
  /** Null for a rule without a household criterion. */
  public static final String MEETS_HOUSEHOLDS = "meets_households";
  /** Null for a rule without a platform condition. */
  public static final String MEETS_PLATFORM = "meets_platform";
  public static final String QUALIFIES = "qualifies";
  /** Against the village's previous period of the same kind: new, retained, lost, regained or none. */
  public static final String TRANSITION = "transition";
  /** End of the first period the village qualified in (up to this one); null if never. */
  public static final String FIRST_QUALIFIED = "first_qualified";
  /** Periods of this kind the village has qualified in, up to and including this one (years held for years). */
  public static final String PERIODS_HELD = "periods_held";
  /** Why: each criterion with its value, operator, threshold and result. */
  public static final String DECIDING = "deciding";

  public static final String NEW = "new";
  public static final String RETAINED = "retained";
  public static final String LOST = "lost";
  public static final String REGAINED = "regained";
  public static final String NONE = "none";

  public static final StructType SCHEMA = new StructType()
      .add(RULE_ID, StringType, false)
      .add(RULE_VERSION, StringType, false)
      .add(RULE_KIND, StringType, false)
      .add(RULE_TEXT, StringType, false)
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(VillagePeriod.PERIOD, StringType, false)
      .add(VillagePeriod.PERIOD_END, DateType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(VillagePeriod.ACTIVE_DEFINITION, StringType, false)
      .add(VillagePeriod.ACTIVE_SELLERS, LongType, false)
      .add(VillagePeriod.ACTIVE_HOUSEHOLDS, LongType, false)
      .add(VillagePeriod.HOUSEHOLDS, IntegerType, true)
      .add(VillagePeriod.HOUSEHOLD_SHARE, DoubleType, true)
      .add(VillagePeriod.ORDERS, LongType, false)
      .add(VillagePeriod.SALES_RMB, SellerMonth.MONEY, false)
      .add(VillagePeriod.TAOBAO_SHARE, DoubleType, true)
      .add(PLATFORM_SHARE, DoubleType, true)
      .add(MEETS_SALES, BooleanType, false)
      .add(MEETS_SHOPS, BooleanType, false)
      .add(MEETS_HOUSEHOLDS, BooleanType, true)
      .add(MEETS_PLATFORM, BooleanType, true)
      .add(QUALIFIES, BooleanType, false)
      .add(TRANSITION, StringType, false)
      .add(FIRST_QUALIFIED, DateType, true)
      .add(PERIODS_HELD, IntegerType, false)
      .add(DECIDING, StringType, false)
      .add(VillagePeriod.PERIOD_COMPLETE, BooleanType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private VillageStatus() {}
}
