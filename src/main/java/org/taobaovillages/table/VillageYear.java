package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/** E-commerce metrics per village and China calendar year. Delta table written by {@code aggregate}. */
public final class VillageYear {
  public static final String NAME = "village_year";

  public static final String VILLAGE_CODE = "village_code";
  public static final String YEAR = "year";
  /** Seller accounts that meet the configured activity definition in the year. */
  public static final String ACTIVE_SELLERS = "active_sellers";
  /** Distinct households with at least one active seller account. */
  public static final String ACTIVE_HOUSEHOLDS = "active_households";
  /** Registered households of the village (from the registry); null when unknown. */
  public static final String HOUSEHOLDS = "households";
  /** active_households / households; null when households is unknown or zero. */
  public static final String HOUSEHOLD_SHARE = "household_share";
  /** Orders with a sale status (paid, shipped, completed). */
  public static final String ORDERS = "orders";
  /** Sum of amounts of orders with a sale status, RMB; refunded and cancelled orders count nothing. */
  public static final String SALES_RMB = "sales_rmb";
  /** Share of sales_rmb made on the Taobao platforms (configured list, default taobao and tmall). */
  public static final String TAOBAO_SHARE = "taobao_share";
  /** The activity definition behind active_sellers, as text, e.g. "paid orders >= 1 and sales_rmb >= 0". */
  public static final String ACTIVE_DEFINITION = "active_definition";
  /** Whether the whole calendar year lies on or before the run date. */
  public static final String YEAR_COMPLETE = "year_complete";

  /** The metric columns, shared with {@link VillageStatus}. */
  public static final StructType METRICS_SCHEMA = new StructType()
      .add(VILLAGE_CODE, StringType, false)
      .add(YEAR, IntegerType, false)
      .add(ACTIVE_SELLERS, LongType, false)
      .add(ACTIVE_HOUSEHOLDS, LongType, false)
      .add(HOUSEHOLDS, IntegerType, true)
      .add(HOUSEHOLD_SHARE, DoubleType, true)
      .add(ORDERS, LongType, false)
      .add(SALES_RMB, createDecimalType(28, 2), false)
      .add(TAOBAO_SHARE, DoubleType, true)
      .add(ACTIVE_DEFINITION, StringType, false)
      .add(YEAR_COMPLETE, BooleanType, false);

  public static final StructType SCHEMA = METRICS_SCHEMA
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private VillageYear() {}
}
