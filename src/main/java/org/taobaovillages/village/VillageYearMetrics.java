package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.MonthDay;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageYear;

/**
 * Village-by-year e-commerce metrics from accepted orders. Sales are the amounts of orders with a sale status
 * (paid, shipped, completed); refunded and cancelled orders add nothing, so a refund nets its order out.
 * Years are China calendar years. Only years up to the run date are computed; the run date's own year is
 * flagged incomplete unless the run date is 31 December.
 */
public final class VillageYearMetrics {
  private static final String PAID_ORDERS = "_paid_orders";
  private static final String SALES = "_sales";
  private static final String TAOBAO_SALES = "_taobao_sales";
  private static final String ACTIVE = "_active";

  private VillageYearMetrics() {}

  public static Dataset<Row> compute(Dataset<Row> transactions, Dataset<Row> sellerAccounts, Dataset<Row> registry,
      MetricsConfig cfg, LocalDate runDate) {
    Column year = year(col(Transactions.ORDER_TS));
    Column amount = col(Transactions.AMOUNT_RMB);
    Dataset<Row> sellerYears = transactions
        .where(col(Transactions.ORDER_STATUS).isin(Transactions.SALE_STATUSES.toArray()))
        .where(col(Transactions.ORDER_TS).lt(lit(java.sql.Date.valueOf(runDate.plusDays(1)))))
        .groupBy(col(Transactions.SELLER_ID), year.as(VillageYear.YEAR))
        .agg(count(lit(1)).as(PAID_ORDERS),
            sum(amount).as(SALES),
            sum(when(col(Transactions.PLATFORM).isin(cfg.taobaoPlatforms().toArray()), amount).otherwise(lit(0)))
                .as(TAOBAO_SALES))
        .withColumn(ACTIVE, col(PAID_ORDERS).geq(cfg.minPaidOrders()).and(col(SALES).geq(lit(cfg.minSalesRmb()))));

    Dataset<Row> accounts = sellerAccounts.select(SellerAccounts.SELLER_ID, SellerAccounts.VILLAGE_CODE,
        SellerAccounts.HOUSEHOLD_ID);
    Dataset<Row> households = registry.select(col(VillageRegistry.VILLAGE_CODE), col(VillageRegistry.HOUSEHOLDS));
    Column yearComplete = col(VillageYear.YEAR).lt(runDate.getYear())
        .or(lit(MonthDay.from(runDate).equals(MonthDay.of(12, 31))));

    return sellerYears
        .join(accounts, SellerAccounts.SELLER_ID)
        .groupBy(VillageYear.VILLAGE_CODE, VillageYear.YEAR)
        .agg(count(when(col(ACTIVE), lit(1))).as(VillageYear.ACTIVE_SELLERS),
            count_distinct(when(col(ACTIVE), col(SellerAccounts.HOUSEHOLD_ID))).as(VillageYear.ACTIVE_HOUSEHOLDS),
            sum(col(PAID_ORDERS)).as(VillageYear.ORDERS),
            sum(col(SALES)).as(VillageYear.SALES_RMB),
            sum(col(TAOBAO_SALES)).as(TAOBAO_SALES))
        .join(households, VillageYear.VILLAGE_CODE)
        .withColumn(VillageYear.HOUSEHOLD_SHARE, when(col(VillageYear.HOUSEHOLDS).gt(0),
            col(VillageYear.ACTIVE_HOUSEHOLDS).divide(col(VillageYear.HOUSEHOLDS))))
        .withColumn(VillageYear.TAOBAO_SHARE, when(col(VillageYear.SALES_RMB).gt(0),
            // As doubles: Spark's decimal division keeps only 6 decimal places at this precision.
            col(TAOBAO_SALES).cast("double").divide(col(VillageYear.SALES_RMB).cast("double"))))
        .withColumn(VillageYear.ACTIVE_DEFINITION, lit(cfg.activeDefinition()))
        .withColumn(VillageYear.YEAR_COMPLETE, yearComplete);
  }
}
