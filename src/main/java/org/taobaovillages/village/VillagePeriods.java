package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.ActiveSeller;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * Village metrics per period ({@link VillagePeriod}) from the seller-month rollup: the calendar years of the
 * months {@code first..last}, and the trailing 12 months ending at each of those months. A seller's sums over
 * the period decide whether it is active under each definition (so "active in the year" means over the whole
 * year, not in some month). The rollup must hold the 11 months before {@code first} and the whole first year.
 */
public final class VillagePeriods {
  private static final String IDX = "_month_index";
  private static final String END = "_end_index";
  private static final String DEF = "_definition";

  private VillagePeriods() {}

  /** The first month the rollup must hold for {@code first}: 11 months earlier, or January of its year. */
  public static YearMonth inputStart(YearMonth first) {
    YearMonth trailing = first.minusMonths(11);
    YearMonth january = YearMonth.of(first.getYear(), 1);
    return trailing.isBefore(january) ? trailing : january;
  }

  public static Dataset<Row> compute(Dataset<Row> sellerMonths, Dataset<Row> accounts, Dataset<Row> registry,
      List<ActiveSeller> definitions, MetricsConfig cfg, YearMonth first, YearMonth last, LocalDate runDate) {
    int from = Months.index(first);
    int to = Months.index(last);
    Dataset<Row> months = sellerMonths.withColumn(IDX, Months.index(col(SellerMonth.MONTH)))
        .where(col(IDX).leq(to));
    // Each seller-month counts in the trailing 12 months ending at it and at each of the 11 months after it.
    Dataset<Row> trailing = months
        .withColumn(END, explode(sequence(col(IDX), col(IDX).plus(11))))
        .where(col(END).between(from, to))
        .groupBy(col(SellerMonth.SELLER_ID), col(END))
        .agg(sum(col(SellerMonth.ORDERS)).as(SellerMonth.ORDERS), sellerSums())
        .withColumn(SellerMonth.PLATFORM_SALES_RMB, SellerMonths.platformMap())
        .select(col(SellerMonth.SELLER_ID), lit(VillagePeriod.T12M_PERIOD).as(VillagePeriod.PERIOD),
            Months.lastDay(col(END)).as(VillagePeriod.PERIOD_END), col(SellerMonth.ORDERS), col(SellerMonth.SALES_RMB),
            col(SellerMonth.PLATFORM_SALES_RMB));
    Dataset<Row> years = months
        .where(year(col(SellerMonth.MONTH)).between(first.getYear(), last.getYear()))
        .groupBy(col(SellerMonth.SELLER_ID), year(col(SellerMonth.MONTH)).as(VillagePeriod.YEAR))
        .agg(sum(col(SellerMonth.ORDERS)).as(SellerMonth.ORDERS), sellerSums())
        .withColumn(SellerMonth.PLATFORM_SALES_RMB, SellerMonths.platformMap())
        .select(col(SellerMonth.SELLER_ID), lit(VillagePeriod.YEAR_PERIOD).as(VillagePeriod.PERIOD),
            make_date(col(VillagePeriod.YEAR), lit(12), lit(31)).as(VillagePeriod.PERIOD_END), col(SellerMonth.ORDERS),
            col(SellerMonth.SALES_RMB), col(SellerMonth.PLATFORM_SALES_RMB));

    List<Column> sums = new ArrayList<>(SellerMonths.platformSums(SellerMonth.PLATFORM_SALES_RMB));
    sums.add(sum(col(SellerMonth.SALES_RMB)).cast(SellerMonth.MONEY).as(VillagePeriod.SALES_RMB));
    sums.add(count_if(col(DEF + ".active")).as(VillagePeriod.ACTIVE_SELLERS));
    sums.add(count_distinct(when(col(DEF + ".active"), col(SellerAccounts.HOUSEHOLD_ID)))
        .as(VillagePeriod.ACTIVE_HOUSEHOLDS));
    Column orders = col(SellerMonth.ORDERS);
    Column sales = col(SellerMonth.SALES_RMB);
    // One row per seller-period and definition: a literal array exploded, no join.
    Column perDefinition = array(definitions.stream().map(d -> struct(lit(d.describe()).as("text"),
        orders.geq(d.minPaidOrders()).and(sales.geq(lit(d.minSalesRmb()))).as("active"))).toArray(Column[]::new));
    Dataset<Row> households = registry.select(col(VillageRegistry.VILLAGE_CODE), col(VillageRegistry.HOUSEHOLDS));
    return trailing.unionByName(years)
        .join(accounts.select(SellerAccounts.SELLER_ID, SellerAccounts.VILLAGE_CODE, SellerAccounts.HOUSEHOLD_ID),
            SellerAccounts.SELLER_ID)
        .withColumn(DEF, explode(perDefinition))
        .groupBy(col(SellerAccounts.VILLAGE_CODE), col(VillagePeriod.PERIOD), col(VillagePeriod.PERIOD_END),
            col(DEF + ".text").as(VillagePeriod.ACTIVE_DEFINITION))
        .agg(sum(orders).as(VillagePeriod.ORDERS), sums.toArray(Column[]::new))
        .withColumn(VillagePeriod.PLATFORM_SALES_RMB, SellerMonths.platformMap())
        .join(households, VillagePeriod.VILLAGE_CODE, "left")
        .select(col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.PERIOD), col(VillagePeriod.PERIOD_END),
            year(col(VillagePeriod.PERIOD_END)).as(VillagePeriod.YEAR), col(VillagePeriod.ACTIVE_DEFINITION),
            col(VillagePeriod.ACTIVE_SELLERS), col(VillagePeriod.ACTIVE_HOUSEHOLDS),
            col(VillageRegistry.HOUSEHOLDS).as(VillagePeriod.HOUSEHOLDS),
            VillageMonths.householdShare(col(VillagePeriod.ACTIVE_HOUSEHOLDS), col(VillageRegistry.HOUSEHOLDS))
                .as(VillagePeriod.HOUSEHOLD_SHARE),
            col(VillagePeriod.ORDERS), col(VillagePeriod.SALES_RMB), col(VillagePeriod.PLATFORM_SALES_RMB),
            SellerMonths.platformShare(col(VillagePeriod.PLATFORM_SALES_RMB), col(VillagePeriod.SALES_RMB),
                cfg.taobaoPlatforms()).as(VillagePeriod.TAOBAO_SHARE),
            col(VillagePeriod.PERIOD_END).leq(lit(java.sql.Date.valueOf(runDate))).as(VillagePeriod.PERIOD_COMPLETE));
  }

  /** A seller's sales and platform map summed over the period. */
  private static Column[] sellerSums() {
    List<Column> sums = new ArrayList<>(SellerMonths.platformSums(SellerMonth.PLATFORM_SALES_RMB));
    sums.add(sum(col(SellerMonth.SALES_RMB)).cast(SellerMonth.MONEY).as(SellerMonth.SALES_RMB));
    return sums.toArray(Column[]::new);
  }
}
