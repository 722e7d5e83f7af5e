package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillageRegistry;

/**
 * Village metrics per month ({@link VillageMonth}) for the months {@code first..last}: seller counts from the
 * seller-month rollup (which must hold the 12 months before {@code first} too, for new and closed shops), order
 * counts, sales and platform shares from the rollup, category concentration and the median order from the
 * months' orders. The rollup already places each seller-month in the village of its orders; the households of a
 * month are those of the registry version in force at its end (at the run date while it runs).
 *
 * <p>A shop is open in a village at a month when it was active there in that month or one of the 11 before; it is
 * new in the month it opens there (active, and not active there in the 12 months before) and closed in the month
 * it stops being open there (last active there 12 months earlier). So a shop that pauses for less than a year is
 * neither closed nor new again, and a shop that moves counts as new in the village it moves to and, 12 months
 * after its last sale in the village it left, as closed there.
 */
public final class VillageMonths {
  private static final String IDX = "_month_index";
  private static final String ACTIVE = "_active";
  private static final String NEW = "_new";
  private static final String CLOSES_AT = "_closes_at";
  private static final String OPENS = "_opens";
  private static final String CATEGORY_SALES = "_category_sales";
  private static final String VILLAGE_SALES = "_village_sales";
  private static final String SQUARED_SALES = "_squared_sales";
  private static final String CATEGORY = "_category";
  private static final String CATEGORY_ORDERS = "_category_orders";

  private VillageMonths() {}

  /**
   * @param accounts the seller accounts' {@link DimensionColumns#timeline} as of the run date
   * @param registry the village registry's {@link DimensionColumns#timeline} as of the run date
   */
  public static Dataset<Row> compute(Dataset<Row> sellerMonths, Dataset<Row> orders, Dataset<Row> accounts,
      Dataset<Row> registry, MetricsConfig cfg, YearMonth first, YearMonth last, LocalDate runDate) {
    int from = Months.index(first);
    int to = Months.index(last);
    WindowSpec bySeller = Window.partitionBy(SellerMonth.SELLER_ID, SellerMonth.VILLAGE_CODE).orderBy(IDX);
    Dataset<Row> active = sellerMonths
        .withColumn(IDX, Months.index(col(SellerMonth.MONTH)))
        .where(col(SellerMonth.ORDERS).geq(cfg.minPaidOrders())
            .and(col(SellerMonth.SALES_RMB).geq(lit(cfg.minSalesRmb()))))
        .withColumn(NEW, coalesce(col(IDX).minus(lag(col(IDX), 1).over(bySeller)).gt(12), lit(true)))
        .withColumn(CLOSES_AT, when(coalesce(lead(col(IDX), 1).over(bySeller).minus(col(IDX)).gt(12), lit(true)),
            col(IDX).plus(12)));
    // Each active seller-month opens the shop for that month and, when no active month follows within 12, closes
    // it 12 months later: one event row each, counted per village and month in one pass over the sellers' months.
    Column opens = struct(col(IDX).as(IDX), lit(true).as(OPENS));
    Column events = when(col(CLOSES_AT).isNull(), array(opens))
        .otherwise(array(opens, struct(col(CLOSES_AT).as(IDX), lit(false).as(OPENS))));
    Column open = col(OPENS);
    Dataset<Row> shops = active
        .select(col(SellerAccounts.VILLAGE_CODE), col(SellerAccounts.HOUSEHOLD_ID), col(NEW), inline(events))
        .where(col(IDX).between(from, to))
        .groupBy(col(SellerAccounts.VILLAGE_CODE), col(IDX))
        .agg(count_if(open).as(VillageMonth.ACTIVE_SELLERS), count_if(open.and(col(NEW))).as(VillageMonth.NEW_SHOPS),
            count_distinct(when(open, col(SellerAccounts.HOUSEHOLD_ID))).as(VillageMonth.ACTIVE_HOUSEHOLDS),
            count_if(not(open)).as(VillageMonth.CLOSED_SHOPS));

    List<Column> sums = new ArrayList<>(SellerMonths.platformSums(SellerMonth.PLATFORM_SALES_RMB));
    sums.add(sum(col(SellerMonth.SALES_RMB)).cast(SellerMonth.MONEY).as(VillageMonth.SALES_RMB));
    Dataset<Row> sales = sellerMonths
        .withColumn(IDX, Months.index(col(SellerMonth.MONTH)))
        .where(col(IDX).between(from, to))
        .groupBy(col(SellerAccounts.VILLAGE_CODE), col(IDX))
        .agg(sum(col(SellerMonth.ORDERS)).as(VillageMonth.ORDERS), sums.toArray(Column[]::new))
        .withColumn(VillageMonth.PLATFORM_SALES_RMB, SellerMonths.platformMap());

    Dataset<Row> villageMonths = sales
        .join(orderMetrics(orders, accounts, runDate), new String[] {VillageMonth.VILLAGE_CODE, IDX}, "left")
        .join(shops, new String[] {VillageMonth.VILLAGE_CODE, IDX}, "full");
    return DimensionColumns.inForceOn(villageMonths, DimensionColumns.periodDay(Months.lastDay(col(IDX)), runDate),
            registry, VillageRegistry.VILLAGE_CODE, List.of(VillageRegistry.HOUSEHOLDS), "left")
        .select(col(VillageMonth.VILLAGE_CODE),
            Months.firstDay(col(IDX)).as(VillageMonth.MONTH),
            floor(col(IDX).divide(12)).cast("int").as(VillageMonth.YEAR),
            coalesce(col(VillageMonth.ACTIVE_SELLERS), lit(0L)).as(VillageMonth.ACTIVE_SELLERS),
            coalesce(col(VillageMonth.NEW_SHOPS), lit(0L)).as(VillageMonth.NEW_SHOPS),
            coalesce(col(VillageMonth.CLOSED_SHOPS), lit(0L)).as(VillageMonth.CLOSED_SHOPS),
            coalesce(col(VillageMonth.ORDERS), lit(0L)).as(VillageMonth.ORDERS),
            coalesce(col(VillageMonth.SALES_RMB), lit(0).cast(SellerMonth.MONEY)).as(VillageMonth.SALES_RMB),
            coalesce(col(VillageMonth.PLATFORM_SALES_RMB), map().cast(SellerMonth.PLATFORM_MONEY))
                .as(VillageMonth.PLATFORM_SALES_RMB),
            SellerMonths.platformShare(col(VillageMonth.PLATFORM_SALES_RMB), col(VillageMonth.SALES_RMB),
                cfg.taobaoPlatforms()).as(VillageMonth.TAOBAO_SHARE),
            col(VillageRegistry.HOUSEHOLDS).as(VillageMonth.HOUSEHOLDS),
            coalesce(col(VillageMonth.ACTIVE_HOUSEHOLDS), lit(0L)).as(VillageMonth.ACTIVE_HOUSEHOLDS),
            householdShare(coalesce(col(VillageMonth.ACTIVE_HOUSEHOLDS), lit(0L)), col(VillageRegistry.HOUSEHOLDS))
                .as(VillageMonth.HOUSEHOLD_SHARE),
            col(VillageMonth.CATEGORY_HHI),
            coalesce(col(VillageMonth.CATEGORY_ORDERS), map().cast(VillageMonth.CATEGORY_COUNTS))
                .as(VillageMonth.CATEGORY_ORDERS),
            col(VillageMonth.MEDIAN_ORDER_RMB),
            lit(cfg.activeDefinition()).as(VillageMonth.ACTIVE_DEFINITION),
            Months.lastDay(col(IDX)).leq(lit(java.sql.Date.valueOf(runDate))).as(VillageMonth.MONTH_COMPLETE));
  }

  /** active households / households, null when households is unknown or zero. */
  static Column householdShare(Column activeHouseholds, Column households) {
    return when(households.gt(0), activeHouseholds.divide(households));
  }

  /**
   * Per village and month, from the orders with a sale status up to the run date, each in its village when placed:
   * the Herfindahl-Hirschman index of sales by category (Herfindahl 1950; a missing category counts as one
   * category), the orders per category and the median order amount.
   */
  static Dataset<Row> orderMetrics(Dataset<Row> orders, Dataset<Row> accounts, LocalDate runDate) {
    Dataset<Row> sales = SellerMonths.placed(SellerMonths.sales(orders, runDate), accounts,
            List.of(SellerAccounts.VILLAGE_CODE))
        .withColumn(IDX, Months.index(to_date(col(Transactions.ORDER_TS))));
    Dataset<Row> median = sales.groupBy(col(SellerAccounts.VILLAGE_CODE), col(IDX))
        .agg(median(col(Transactions.AMOUNT_RMB).cast("double")).as(VillageMonth.MEDIAN_ORDER_RMB));
    // HHI = sum_c s_c^2 / (sum_c s_c)^2 over the categories' sales s_c: both sums are DECIMAL, exact whatever the
    // order their rows meet in, so the index does not depend on the partitioning; one division in double.
    Column categorySales = col(CATEGORY_SALES);
    Dataset<Row> hhi = sales
        .groupBy(col(SellerAccounts.VILLAGE_CODE), col(IDX),
            coalesce(col(Transactions.CATEGORY), lit(VillageMonth.NO_CATEGORY)).as(CATEGORY))
        .agg(sum(col(Transactions.AMOUNT_RMB)).as(CATEGORY_SALES), count(lit(1)).as(CATEGORY_ORDERS))
        .groupBy(col(SellerAccounts.VILLAGE_CODE), col(IDX))
        .agg(sum(categorySales.multiply(categorySales)).as(SQUARED_SALES), sum(categorySales).as(VILLAGE_SALES),
            map_from_entries(collect_list(struct(col(CATEGORY), col(CATEGORY_ORDERS))))
                .as(VillageMonth.CATEGORY_ORDERS))
        .select(col(SellerAccounts.VILLAGE_CODE), col(IDX), when(col(VILLAGE_SALES).gt(0),
            col(SQUARED_SALES).cast("double").divide(pow(col(VILLAGE_SALES).cast("double"), 2)))
            .as(VillageMonth.CATEGORY_HHI), col(VillageMonth.CATEGORY_ORDERS));
    return median.join(hhi, new String[] {SellerAccounts.VILLAGE_CODE, IDX}, "left");
  }
}
