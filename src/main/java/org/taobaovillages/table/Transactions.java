package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import java.util.List;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * Order records of seller accounts, one row per order. Input file set {@code transactions/} and the Delta
 * table of accepted rows of the same name (with the seller id pseudonymised and {@link #ORDER_MONTH} added).
 *
 * <p>Order timestamps are instants; every job runs with the session time zone Asia/Shanghai, so years and
 * months are China calendar periods (domain.md section 5).
 */
public final class Transactions {
  public static final String NAME = "transactions";

  public static final String TRANSACTION_ID = "transaction_id";
  /** Personal data: pseudonymised at ingest. */
  public static final String SELLER_ID = "seller_id";
  public static final String PLATFORM = "platform";
  public static final String ORDER_TS = "order_ts";
  public static final String AMOUNT_RMB = "amount_rmb";
  public static final String QUANTITY = "quantity";
  public static final String CATEGORY = "category";
  public static final String ORDER_STATUS = "order_status";
  /** Partition column of the Delta table: China-time month of the order, "yyyy-MM" (late orders land in theirs). */
  public static final String ORDER_MONTH = "order_month";

  /** {@link #ORDER_MONTH} of an order time (in the session time zone, China time: see Sessions). */
  public static org.apache.spark.sql.Column orderMonth(org.apache.spark.sql.Column orderTs) {
    return org.apache.spark.sql.functions.date_format(orderTs, "yyyy-MM");
  }

  /** RMB with fen; 16 integer digits hold any single order. */
  public static final DecimalType AMOUNT_TYPE = createDecimalType(18, 2);

  public static final StructType INPUT_SCHEMA = new StructType()
      .add(TRANSACTION_ID, StringType, false)
      .add(SELLER_ID, StringType, false)
      .add(PLATFORM, StringType, false)
      .add(ORDER_TS, TimestampType, false)
      .add(AMOUNT_RMB, AMOUNT_TYPE, false)
      .add(QUANTITY, IntegerType, false)
      .add(CATEGORY, StringType, true)
      .add(ORDER_STATUS, StringType, false);

  /**
   * The Delta table: the input columns, {@link IngestColumns#EXTRA_COLUMNS}, the order month (partition) and the
   * run date of the ingest that loaded the row (a re-run of that date replaces exactly its rows).
   */
  public static final StructType TABLE_SCHEMA = IngestColumns.tableSchema(INPUT_SCHEMA)
      .add(ORDER_MONTH, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /**
   * Keys and values normalised at ingest (trimmed, full-width ASCII folded: {@link org.taobaovillages.ingest.Keys}):
   * the order id, and the values checked against lists ({@link #LISTED}). The seller id is normalised by its
   * pseudonymisation.
   */
  public static final List<String> NORMALISED = List.of(TRANSACTION_ID, PLATFORM, ORDER_STATUS);
  /** Values checked against lists: bytes that are not text make them unknown values. */
  public static final List<String> LISTED = List.of(PLATFORM, ORDER_STATUS);

  /** Order statuses; refunded and cancelled orders carry no sales (see {@code village.VillageYearMetrics}). */
  public static final List<String> STATUSES = List.of("paid", "shipped", "completed", "refunded", "cancelled");
  public static final List<String> SALE_STATUSES = List.of("paid", "shipped", "completed");

  private Transactions() {}
}
