package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Village metrics per China calendar month, under the default active-seller definition ({@code metrics} in
 * the configuration). Delta table written by {@code aggregate}, partitioned by {@link VillagePeriod#YEAR}; a run
 * replaces the months it recomputes.
 */
public final class VillageMonth {
  public static final String NAME = "village_month";

  public static final String VILLAGE_CODE = "village_code";
  /** First day of the month. */
  public static final String MONTH = "month";
  public static final String YEAR = VillagePeriod.YEAR;
  /** Accounts active in the month (the default definition applied to the month's orders and sales). */
  public static final String ACTIVE_SELLERS = VillagePeriod.ACTIVE_SELLERS;
  /** Accounts active this month and in none of the 12 months before (first activity, or back after a year). */
  public static final String NEW_SHOPS = "new_shops";
  /** Accounts last active 12 months before this month: a shop counts as closed after 12 silent months. */
  public static final String CLOSED_SHOPS = "closed_shops";
  public static final String ORDERS = VillagePeriod.ORDERS;
  public static final String SALES_RMB = VillagePeriod.SALES_RMB;
  public static final String PLATFORM_SALES_RMB = VillagePeriod.PLATFORM_SALES_RMB;
  public static final String TAOBAO_SHARE = VillagePeriod.TAOBAO_SHARE;
  public static final String HOUSEHOLDS = VillagePeriod.HOUSEHOLDS;
  public static final String ACTIVE_HOUSEHOLDS = VillagePeriod.ACTIVE_HOUSEHOLDS;
  public static final String HOUSEHOLD_SHARE = VillagePeriod.HOUSEHOLD_SHARE;
  /** Herfindahl-Hirschman index of the month's sales by category, sum of squared shares (0..1; 1 = one category). */
  public static final String CATEGORY_HHI = "category_hhi";
  /**
   * The month's orders with a sale status per product category, {@link #NO_CATEGORY} for orders without one: the
   * category rollup the typology's yearly category mix is summed from, so that it never reads the orders again.
   */
  public static final String CATEGORY_ORDERS = "category_orders";
  /** The key of {@link #CATEGORY_ORDERS} for orders without a category. */
  public static final String NO_CATEGORY = "";
  public static final DataType CATEGORY_COUNTS = createMapType(StringType, LongType, false);
  /** Median amount of the month's orders with a sale status (exact; the mean of the middle two for an even count). */
  public static final String MEDIAN_ORDER_RMB = "median_order_rmb";
  public static final String ACTIVE_DEFINITION = VillagePeriod.ACTIVE_DEFINITION;
  /** Whether the whole month lies on or before the run date. */
  public static final String MONTH_COMPLETE = "month_complete";

  public static final StructType SCHEMA = new StructType()
      .add(VILLAGE_CODE, StringType, false)
      .add(MONTH, DateType, false)
      .add(YEAR, IntegerType, false)
      .add(ACTIVE_SELLERS, LongType, false)
      .add(NEW_SHOPS, LongType, false)
      .add(CLOSED_SHOPS, LongType, false)
      .add(ORDERS, LongType, false)
      .add(SALES_RMB, SellerMonth.MONEY, false)
      .add(PLATFORM_SALES_RMB, SellerMonth.PLATFORM_MONEY, false)
      .add(TAOBAO_SHARE, DoubleType, true)
      .add(HOUSEHOLDS, IntegerType, true)
      .add(ACTIVE_HOUSEHOLDS, LongType, false)
      .add(HOUSEHOLD_SHARE, DoubleType, true)
      .add(CATEGORY_HHI, DoubleType, true)
      .add(CATEGORY_ORDERS, CATEGORY_COUNTS, false)
      .add(MEDIAN_ORDER_RMB, DoubleType, true)
      .add(ACTIVE_DEFINITION, StringType, false)
      .add(MONTH_COMPLETE, BooleanType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private VillageMonth() {}
}
