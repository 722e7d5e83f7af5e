package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.Transactions;

/**
 * Accepted orders to one row per seller account and China calendar month ({@link SellerMonth}). Sales are the
 * amounts of orders with a sale status (paid, shipped, completed): a refunded or cancelled order adds nothing,
 * so a refund nets its order out (README "How sales are counted"). Orders after the run date are left out, so a
 * re-run for an earlier date sees what that date saw.
 */
public final class SellerMonths {
  private SellerMonths() {}

  public static Dataset<Row> compute(Dataset<Row> transactions, LocalDate runDate) {
    Column amount = col(Transactions.AMOUNT_RMB);
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(amount).cast(SellerMonth.MONEY).as(SellerMonth.SALES_RMB));
    for (String p : SellerAccounts.PLATFORMS) {
      aggs.add(sum(when(col(Transactions.PLATFORM).equalTo(p), amount)).cast(SellerMonth.MONEY).as(platformColumn(p)));
    }
    return transactions
        .where(col(Transactions.ORDER_STATUS).isin(Transactions.SALE_STATUSES.toArray()))
        .where(col(Transactions.ORDER_TS).lt(lit(java.sql.Date.valueOf(runDate.plusDays(1)))))
        .groupBy(col(Transactions.SELLER_ID).as(SellerMonth.SELLER_ID),
            trunc(to_date(col(Transactions.ORDER_TS)), "month").as(SellerMonth.MONTH))
        .agg(count(lit(1)).as(SellerMonth.ORDERS), aggs.toArray(Column[]::new))
        .withColumn(SellerMonth.PLATFORM_SALES_RMB, platformMap())
        .drop(SellerAccounts.PLATFORMS.stream().map(SellerMonths::platformColumn).toArray(String[]::new));
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
