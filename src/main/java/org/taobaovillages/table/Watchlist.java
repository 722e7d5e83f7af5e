package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * The watchlist of emerging villages at each month-end: villages that do not qualify under the watchlist's
 * village rule over the trailing 12 months, with, per criterion, the trailing 12-month value, its monthly growth
 * over the last growth-months months and the months until it would be met at that growth; listed when the rule
 * as a whole would be met within the horizon, ranked by the months until then (soonest first; ties by how close
 * sales are to the threshold). Delta table written by {@code detect}, partitioned by rule and year of the
 * month-end.
 */
public final class Watchlist {
  public static final String NAME = "watchlist";

  public static final String WATCHLIST_VERSION = "watchlist_version";
  /** The month-end the list is drawn up at. */
  public static final String AS_OF = "as_of";
  public static final String RANK = "rank";
  /** The score: months until every criterion of the rule would be met (0 = already met but for none). */
  public static final String MONTHS_TO_QUALIFY = "months_to_qualify";
  /** Month-end at which the village would qualify at its trailing growth. */
  public static final String EXPECTED_QUALIFYING = "expected_qualifying";
  public static final String SALES_GROWTH = "sales_monthly_growth";
  public static final String SALES_MONTHS = "sales_months";
  public static final String SHOPS_GROWTH = "shops_monthly_growth";
  public static final String SHOPS_MONTHS = "shops_months";
  public static final String HOUSEHOLDS_GROWTH = "households_monthly_growth";
  public static final String HOUSEHOLDS_MONTHS = "households_months";
  /** Why: each criterion's value, threshold, growth and months, in words. */
  public static final String EXPLANATION = "explanation";

  public static final StructType SCHEMA = new StructType()
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(VillageStatus.RULE_VERSION, StringType, false)
      .add(WATCHLIST_VERSION, StringType, false)
      .add(AS_OF, DateType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(RANK, IntegerType, false)
      .add(MONTHS_TO_QUALIFY, IntegerType, false)
      .add(EXPECTED_QUALIFYING, DateType, false)
      .add(VillagePeriod.SALES_RMB, SellerMonth.MONEY, false)
      .add(SALES_GROWTH, DoubleType, true)
      .add(SALES_MONTHS, IntegerType, true)
      .add(VillagePeriod.ACTIVE_SELLERS, LongType, false)
      .add(SHOPS_GROWTH, DoubleType, true)
      .add(SHOPS_MONTHS, IntegerType, true)
      .add(VillagePeriod.ACTIVE_HOUSEHOLDS, LongType, false)
      .add(VillagePeriod.HOUSEHOLDS, IntegerType, true)
      .add(HOUSEHOLDS_GROWTH, DoubleType, true)
      .add(HOUSEHOLDS_MONTHS, IntegerType, true)
      .add(VillageStatus.PLATFORM_SHARE, DoubleType, true)
      .add(EXPLANATION, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** Figures of the trailing 12 months at {@link #AS_OF}: withheld by {@link SmallCellFlags#METRICS}. */
  public static final java.util.List<String> FIGURES = java.util.List.of(VillagePeriod.SALES_RMB,
      VillagePeriod.ACTIVE_SELLERS, VillagePeriod.ACTIVE_HOUSEHOLDS, VillageStatus.PLATFORM_SHARE, SALES_GROWTH,
      SALES_MONTHS, SHOPS_GROWTH, SHOPS_MONTHS, HOUSEHOLDS_GROWTH, HOUSEHOLDS_MONTHS, EXPLANATION);
  /**
   * Figures that also read the trailing 12 months growth-months earlier: withheld by {@link SmallCellFlags#CHANGE}.
   * {@link #MONTHS_TO_QUALIFY}, {@link #EXPECTED_QUALIFYING} and {@link #RANK} are the list itself and stay.
   */
  public static final java.util.List<String> CHANGE_FIGURES = java.util.List.of(SALES_GROWTH, SALES_MONTHS,
      SHOPS_GROWTH, SHOPS_MONTHS, HOUSEHOLDS_GROWTH, HOUSEHOLDS_MONTHS, EXPLANATION);

  private Watchlist() {}
}
