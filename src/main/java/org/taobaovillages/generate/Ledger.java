package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * The generator's village-year ledger: the yearly metrics of {@link VillagePeriod} computed from the seller-year
 * ledger, before any order exists, and whether the village is a Taobao Village by design that year
 * ({@link WorldModel#DESIGNED}: the planted truth, set by the world model, never by a detection rule). Since
 * orders add up to their seller-year exactly (see {@link Orders}), the pipeline's yearly village metrics over the
 * clean orders must equal this ledger.
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
        .groupBy(col(VillageRegistry.VILLAGE_CODE).as(VillagePeriod.VILLAGE_CODE), col(WorldModel.YEAR).as(VillagePeriod.YEAR))
        .agg(count(when(col("_active"), lit(1))).as(VillagePeriod.ACTIVE_SELLERS),
            count_distinct(when(col("_active"), col(SellerAccounts.HOUSEHOLD_ID))).as(VillagePeriod.ACTIVE_HOUSEHOLDS),
            first(col(VillageRegistry.HOUSEHOLDS)).as(VillagePeriod.HOUSEHOLDS),
            sum(col("_orders").cast("long")).as(VillagePeriod.ORDERS),
            sum(cents).as("_cents"),
            sum(when(taobao, cents).otherwise(lit(0L))).as("_taobao_cents"),
            max(col(WorldModel.DESIGNED)).as(WorldModel.DESIGNED))
        .withColumn(VillagePeriod.SALES_RMB, col("_cents").cast("decimal(28,0)").divide(100).cast("decimal(28,2)"))
        .withColumn(VillagePeriod.HOUSEHOLD_SHARE, when(col(VillagePeriod.HOUSEHOLDS).gt(0),
            col(VillagePeriod.ACTIVE_HOUSEHOLDS).divide(col(VillagePeriod.HOUSEHOLDS))))
        .withColumn(VillagePeriod.TAOBAO_SHARE, when(col("_cents").gt(0),
            col("_taobao_cents").cast("double").divide(col("_cents").cast("double"))))
        .withColumn(VillagePeriod.ACTIVE_DEFINITION, lit(metrics.activeDefinition()))
        .drop("_cents", "_taobao_cents");
  }
}
