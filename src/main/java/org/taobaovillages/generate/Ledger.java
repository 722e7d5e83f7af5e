package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.config.RuleSet;
import org.taobaovillages.detect.TaobaoVillageRule;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.VillageYear;

/**
 * The generator's village-year ledger: the metrics of {@link VillageYear} computed from the seller-year
 * ledger, before any order exists. Since orders add up to their seller-year exactly (see {@link Orders}), the
 * pipeline's own village-year table over the clean orders must equal this ledger.
 */
public final class Ledger {
  private Ledger() {}

  public static Dataset<Row> villageYears(Dataset<Row> sellerYears, MetricsConfig metrics) {
    Column cents = col(Sellers.SALES_CENTS);
    Column orders = Orders.saleOrders();
    Column active = orders.geq(metrics.minPaidOrders())
        .and(cents.geq(lit(metrics.minSalesRmb().movePointRight(2))));
    Column taobao = col(SellerAccounts.PLATFORM).isin(metrics.taobaoPlatforms().toArray());
    return sellerYears
        .withColumn("_active", active)
        .withColumn("_orders", orders)
        .groupBy(col(VillageRegistry.VILLAGE_CODE).as(VillageYear.VILLAGE_CODE), col(WorldModel.YEAR).as(VillageYear.YEAR))
        .agg(count(when(col("_active"), lit(1))).as(VillageYear.ACTIVE_SELLERS),
            count_distinct(when(col("_active"), col(SellerAccounts.HOUSEHOLD_ID))).as(VillageYear.ACTIVE_HOUSEHOLDS),
            first(col(VillageRegistry.HOUSEHOLDS)).as(VillageYear.HOUSEHOLDS),
            sum(col("_orders").cast("long")).as(VillageYear.ORDERS),
            sum(cents).as("_cents"),
            sum(when(taobao, cents).otherwise(lit(0L))).as("_taobao_cents"))
        .withColumn(VillageYear.SALES_RMB, col("_cents").cast("decimal(28,0)").divide(100).cast("decimal(28,2)"))
        .withColumn(VillageYear.HOUSEHOLD_SHARE, when(col(VillageYear.HOUSEHOLDS).gt(0),
            col(VillageYear.ACTIVE_HOUSEHOLDS).divide(col(VillageYear.HOUSEHOLDS))))
        .withColumn(VillageYear.TAOBAO_SHARE, when(col("_cents").gt(0),
            col("_taobao_cents").cast("double").divide(col("_cents").cast("double"))))
        .withColumn(VillageYear.ACTIVE_DEFINITION, lit(metrics.activeDefinition()))
        .withColumn(VillageYear.YEAR_COMPLETE, lit(true))
        .drop("_cents", "_taobao_cents");
  }

  /** The ledger with the rule's verdict per village-year ({@link VillageStatus} columns). */
  public static Dataset<Row> withStatus(Dataset<Row> ledger, RuleSet rule) {
    return TaobaoVillageRule.apply(ledger, rule)
        .select(VillageYear.VILLAGE_CODE, VillageYear.YEAR, VillageYear.ACTIVE_SELLERS, VillageYear.ACTIVE_HOUSEHOLDS,
            VillageYear.HOUSEHOLDS, VillageYear.HOUSEHOLD_SHARE, VillageYear.ORDERS, VillageYear.SALES_RMB,
            VillageYear.TAOBAO_SHARE, VillageYear.ACTIVE_DEFINITION, VillageStatus.RULE_VERSION,
            VillageStatus.IS_TAOBAO_VILLAGE);
  }
}
