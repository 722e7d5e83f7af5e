package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * The rollup kept beside {@code transactions}: one row per seller account, China calendar month and village with
 * sales (orders with a sale status; refunded and cancelled orders count nothing). Each order counts to the village
 * of the account version in force on its day ({@link DimensionColumns#inForceOn}): a seller that moves in the
 * middle of a month has a row for each village. Every village metric of a month, a year or a trailing 12 months
 * is derived from it (and from the month's orders for the order-level metrics), so a run recomputes only the
 * months its new orders touch, and a later version of an account never moves the months before it. Delta table
 * written by {@code aggregate}, partitioned by {@link #MONTH}.
 */
public final class SellerMonth {
  public static final String NAME = "seller_month";

  /** Pseudonymised seller account id. */
  public static final String SELLER_ID = "seller_id";
  /** First day of the China calendar month. */
  public static final String MONTH = "month";
  /** The account's village when the orders were placed. */
  public static final String VILLAGE_CODE = SellerAccounts.VILLAGE_CODE;
  /**
   * The account's household (pseudonymised) in the latest account version of the month in that village: a change
   * of household counts from the month it happens in.
   */
  public static final String HOUSEHOLD_ID = SellerAccounts.HOUSEHOLD_ID;
  /** Orders with a sale status (paid, shipped, completed). */
  public static final String ORDERS = "orders";
  public static final String SALES_RMB = "sales_rmb";
  /** Sales by platform (only platforms with sales). */
  public static final String PLATFORM_SALES_RMB = "platform_sales_rmb";

  public static final DataType MONEY = createDecimalType(28, 2);
  public static final DataType PLATFORM_MONEY = createMapType(StringType, MONEY, true);

  public static final StructType SCHEMA = new StructType()
      .add(SELLER_ID, StringType, false)
      .add(MONTH, DateType, false)
      .add(VILLAGE_CODE, StringType, false)
      .add(HOUSEHOLD_ID, StringType, false)
      .add(ORDERS, LongType, false)
      .add(SALES_RMB, MONEY, false)
      .add(PLATFORM_SALES_RMB, PLATFORM_MONEY, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private SellerMonth() {}
}
