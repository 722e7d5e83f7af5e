package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.Transactions;

/**
 * Accepted orders to one row per seller account, China calendar month and village ({@link SellerMonth}). Sales are
 * the amounts of orders with a sale status (paid, shipped, completed): a refunded or cancelled order adds nothing,
 * so a refund nets its order out (README "How sales are counted"). Orders after the run date are left out, so a
 * re-run for an earlier date sees what that date saw. Each order counts to the village (and household) of the
 * account version in force on its China calendar day.
 */
public final class SellerMonths {
  private SellerMonths() {}

  /**
   * @param accounts the seller accounts' {@link DimensionColumns#timeline} as of the run date
   */
  public static Dataset<Row> compute(Dataset<Row> transactions, Dataset<Row> accounts, LocalDate runDate) {
    Column amount = col(Transactions.AMOUNT_RMB);
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(amount).cast(SellerMonth.MONEY).as(SellerMonth.SALES_RMB));
    for (String p : SellerAccounts.PLATFORMS) {
      aggs.add(sum(when(col(Transactions.PLATFORM).equalTo(p), amount)).cast(SellerMonth.MONEY).as(platformColumn(p)));
    }
    // The household of the latest version of the month: versions are told apart by valid_from.
    aggs.add(max_by(col(SellerAccounts.HOUSEHOLD_ID), col(DimensionColumns.VALID_FROM)).as(SellerMonth.HOUSEHOLD_ID));
    return placed(sales(transactions, runDate), accounts,
            List.of(SellerAccounts.VILLAGE_CODE, SellerAccounts.HOUSEHOLD_ID, DimensionColumns.VALID_FROM))
        .groupBy(col(Transactions.SELLER_ID).as(SellerMonth.SELLER_ID),
            trunc(to_date(col(Transactions.ORDER_TS)), "month").as(SellerMonth.MONTH),
            col(SellerAccounts.VILLAGE_CODE).as(SellerMonth.VILLAGE_CODE))
        .agg(count(lit(1)).as(SellerMonth.ORDERS), aggs.toArray(Column[]::new))
        .withColumn(SellerMonth.PLATFORM_SALES_RMB, platformMap())
        .drop(SellerAccounts.PLATFORMS.stream().map(SellerMonths::platformColumn).toArray(String[]::new));
  }

  /** The orders with a sale status placed up to the run date (China time). */
  static Dataset<Row> sales(Dataset<Row> transactions, LocalDate runDate) {
    return transactions
        .where(col(Transactions.ORDER_STATUS).isin(Transactions.SALE_STATUSES.toArray()))
        .where(col(Transactions.ORDER_TS).lt(lit(java.sql.Date.valueOf(runDate.plusDays(1)))));
  }

  /**
   * Orders with the {@code columns} of their seller's account version in force on the order's China calendar day
   * (the session time zone is China's); orders of a seller without an account version are left out.
   */
  public static Dataset<Row> placed(Dataset<Row> orders, Dataset<Row> accounts, List<String> columns) {
    return DimensionColumns.inForceOn(orders, to_date(col(Transactions.ORDER_TS)), accounts, SellerAccounts.SELLER_ID,
        columns, "inner");
  }

  /** A map of the per-platform sum columns named by {@link #platformColumn}, without the platforms with none. */
  static Column platformMap() {
    List<Column> kv = new ArrayList<>();
    for (String p : SellerAccounts.PLATFORMS) {
      kv.add(lit(p));
      kv.add(col(platformColumn(p)));
    }
    return map_filter(map(kv.toArray(Column[]::new)), (k, v) -> v.isNotNull());
  }

  /** Per-platform sums of a platform map column, as columns named by {@link #platformColumn}. */
  static List<Column> platformSums(String mapColumn) {
    List<Column> sums = new ArrayList<>();
    for (String p : SellerAccounts.PLATFORMS) {
      sums.add(sum(try_element_at(col(mapColumn), lit(p))).cast(SellerMonth.MONEY).as(platformColumn(p)));
    }
    return sums;
  }

  static String platformColumn(String platform) {
    return "_platform_" + platform;
  }

  /** Share of {@code sales} made on {@code platforms} (from the platform map), as a double; null without sales. */
  public static Column platformShare(Column platformMap, Column sales, List<String> platforms) {
    Column on = lit(0).cast(SellerMonth.MONEY);
    for (String p : platforms) {
      on = on.plus(coalesce(try_element_at(platformMap, lit(p)), lit(0).cast(SellerMonth.MONEY)));
    }
    // As doubles: Spark's decimal division keeps only 6 decimal places at this precision.
    return when(sales.gt(0), on.cast("double").divide(sales.cast("double")));
  }
}
