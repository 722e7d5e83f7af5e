package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Village metrics per period, under each active-seller definition of the rules: calendar years
 * ({@link #YEAR_PERIOD}) and the trailing 12 months at every month-end ({@link #T12M_PERIOD}). Derived from
 * {@link SellerMonth}. Delta table written by {@code aggregate}, partitioned by {@link #PARTITIONED_BY}; a run
 * replaces the periods it recomputes, whole partitions.
 */
public final class VillagePeriod {
  public static final String NAME = "village_period";
  public static final String YEAR_PERIOD = "year";
  public static final String T12M_PERIOD = "t12m";

  public static final String VILLAGE_CODE = "village_code";
  /** {@link #YEAR_PERIOD} or {@link #T12M_PERIOD}. */
  public static final String PERIOD = "period";
  /** Last day of the period: 31 December, or the month's last day. */
  public static final String PERIOD_END = "period_end";
  /** Calendar year of the period end. */
  public static final String YEAR = "year";
  /** Partition columns: period, year and period end, so a month-end is read or replaced without the others. */
  public static final java.util.List<String> PARTITIONED_BY = java.util.List.of(PERIOD, YEAR, PERIOD_END);
  /** Seller accounts active in the period under {@link #ACTIVE_DEFINITION}. */
  public static final String ACTIVE_SELLERS = "active_sellers";
  /** Distinct households with at least one active seller account. */
  public static final String ACTIVE_HOUSEHOLDS = "active_households";
  /** Registered households of the village (registry); null when unknown. */
  public static final String HOUSEHOLDS = "households";
  /** active_households / households; null when households is unknown or zero. */
  public static final String HOUSEHOLD_SHARE = "household_share";
  /** Orders with a sale status. */
  public static final String ORDERS = "orders";
  /** Sales of orders with a sale status, RMB; refunded and cancelled orders count nothing. */
  public static final String SALES_RMB = "sales_rmb";
  public static final String PLATFORM_SALES_RMB = "platform_sales_rmb";
  /** Share of sales on the default Taobao platforms ({@code metrics.taobao-platforms}). */
  public static final String TAOBAO_SHARE = "taobao_share";
  /** The active-seller definition, e.g. "paid orders >= 1 and sales_rmb >= 0". */
  public static final String ACTIVE_DEFINITION = "active_definition";
  /** Whether the whole period lies on or before the run date. */
  public static final String PERIOD_COMPLETE = "period_complete";

  public static final StructType METRICS_SCHEMA = new StructType()
      .add(VILLAGE_CODE, StringType, false)
      .add(PERIOD, StringType, false)
      .add(PERIOD_END, DateType, false)
      .add(YEAR, IntegerType, false)
      .add(ACTIVE_DEFINITION, StringType, false)
      .add(ACTIVE_SELLERS, LongType, false)
      .add(ACTIVE_HOUSEHOLDS, LongType, false)
      .add(HOUSEHOLDS, IntegerType, true)
      .add(HOUSEHOLD_SHARE, DoubleType, true)
      .add(ORDERS, LongType, false)
      .add(SALES_RMB, SellerMonth.MONEY, false)
      .add(PLATFORM_SALES_RMB, SellerMonth.PLATFORM_MONEY, false)
      .add(TAOBAO_SHARE, DoubleType, true)
      .add(PERIOD_COMPLETE, BooleanType, false);

  public static final StructType SCHEMA = METRICS_SCHEMA
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private VillagePeriod() {}
}
