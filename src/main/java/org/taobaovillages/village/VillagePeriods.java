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
import org.taobaovillages.config.ActiveSeller;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * Village metrics per period ({@link VillagePeriod}) from the seller-month rollup: the calendar years of the
 * months {@code first..last}, and the trailing 12 months ending at each of those months. A seller's sums over the
 * period in a village decide whether it is active there under each definition (so "active in the year" means over
 * the whole year, not in some month; a seller that moved is judged in each village on the orders it placed
 * there). An active seller's household in a village and period is its household in its latest month there. The
 * households of a period are those of the registry version in force at its end (at the run date while it runs).
 * The rollup must hold the 11 months before {@code first} and the whole first year.
 *
 * <p>Sums (orders, sales, platforms) are added up per village and month first, then over each period. Active
 * sellers over trailing 12 months are counted without repeating each seller-month for the 12 windows it falls in:
 * a seller's trailing sums change only in a month it sells (a month enters the window) or 12 months later (it
 * leaves), so its sums are computed at those months alone (a range window over its months); where its activity
 * under a definition changes there, a +1 or -1 is recorded for its village, and for its household (when its
 * household changes while it stays active, -1 for the old one and +1 for the new one); a household is active while
 * it has an active seller, and a village's active sellers and households at a month-end are the running sums of
 * those changes. The rows handled are about twice the seller-months instead of twelve
 * times. Orders before the first loaded month have left every window of the months computed, so loading from 11
 * months before {@code first} gives exact counts.
 */
public final class VillagePeriods {
  private static final String IDX = "_month_index";
  private static final String END = "_end_index";
  private static final String T_ORDERS = "_t_orders";
  private static final String T_SALES = "_t_sales";
  private static final String OUTPUT = "_output";
  private static final String RUNNING = "_running";
  private static final String PREVIOUS_HOUSEHOLD = "_previous_household";

  private VillagePeriods() {}

  /** The first month the rollup must hold for {@code first}: 11 months earlier, or January of its year. */
  public static YearMonth inputStart(YearMonth first) {
    YearMonth trailing = first.minusMonths(11);
    YearMonth january = YearMonth.of(first.getYear(), 1);
    return trailing.isBefore(january) ? trailing : january;
  }

  /**
   * @param sellerMonths the seller-month rollup, read by four branches of the result (trailing sums, the two sides of
   *     trailing activity, calendar years): the caller caches it for as long as the result is written, or each
   *     branch reads it again ({@link AggregateJob} caches it for the village_month and village_period writes). A
   *     cache taken here would be released before the caller's write ran, and be of no use.
   * @param registry the village registry's {@link DimensionColumns#timeline} as of the run date
   */
  public static Dataset<Row> compute(Dataset<Row> sellerMonths, Dataset<Row> registry,
      List<ActiveSeller> definitions, MetricsConfig cfg, YearMonth first, YearMonth last, LocalDate runDate) {
    int from = Months.index(first);
    int to = Months.index(last);
    Dataset<Row> months = sellerMonths.withColumn(IDX, Months.index(col(SellerMonth.MONTH)))
        .where(col(IDX).leq(to))
        .select(col(SellerMonth.SELLER_ID), col(SellerAccounts.VILLAGE_CODE), col(SellerAccounts.HOUSEHOLD_ID),
            col(IDX), col(SellerMonth.ORDERS), col(SellerMonth.SALES_RMB), col(SellerMonth.PLATFORM_SALES_RMB));
    Dataset<Row> trailing = trailingSums(months, from, to)
        .join(trailingActivity(months, definitions), new String[] {SellerAccounts.VILLAGE_CODE, END}, "left")
        .select(col(SellerAccounts.VILLAGE_CODE), lit(VillagePeriod.T12M_PERIOD).as(VillagePeriod.PERIOD),
            Months.lastDay(col(END)).as(VillagePeriod.PERIOD_END), col(VillagePeriod.ORDERS),
            col(VillagePeriod.SALES_RMB), col(VillagePeriod.PLATFORM_SALES_RMB),
            perDefinition(definitions, k -> coalesce(col(sellersOf(k)), lit(0L)),
                k -> coalesce(col(householdsOf(k)), lit(0L))));
    Dataset<Row> years = years(months, definitions, first, last);
    Dataset<Row> periods = trailing.unionByName(years).withColumn("_definition", explode(col("_definitions")));
    return DimensionColumns.inForceOn(periods, DimensionColumns.periodDay(col(VillagePeriod.PERIOD_END), runDate),
            registry, VillageRegistry.VILLAGE_CODE, List.of(VillageRegistry.HOUSEHOLDS), "left")
        .select(col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.PERIOD), col(VillagePeriod.PERIOD_END),
            year(col(VillagePeriod.PERIOD_END)).as(VillagePeriod.YEAR),
            col("_definition.text").as(VillagePeriod.ACTIVE_DEFINITION),
            col("_definition.sellers").as(VillagePeriod.ACTIVE_SELLERS),
            col("_definition.households").as(VillagePeriod.ACTIVE_HOUSEHOLDS),
            col(VillageRegistry.HOUSEHOLDS).as(VillagePeriod.HOUSEHOLDS),
            VillageMonths.householdShare(col("_definition.households"), col(VillageRegistry.HOUSEHOLDS))
                .as(VillagePeriod.HOUSEHOLD_SHARE),
            col(VillagePeriod.ORDERS), col(VillagePeriod.SALES_RMB), col(VillagePeriod.PLATFORM_SALES_RMB),
            SellerMonths.platformShare(col(VillagePeriod.PLATFORM_SALES_RMB), col(VillagePeriod.SALES_RMB),
                cfg.taobaoPlatforms()).as(VillagePeriod.TAOBAO_SHARE),
            col(VillagePeriod.PERIOD_END).leq(lit(java.sql.Date.valueOf(runDate)))
                .as(VillagePeriod.PERIOD_COMPLETE));
  }

  /**
   * Orders, sales and platform sales per village over the trailing 12 months at every month-end of
   * {@code from..to} where the village sold something in that window: per village and month first (small), then
   * each village-month added to the 12 windows it falls in.
   */
  static Dataset<Row> trailingSums(Dataset<Row> months, int from, int to) {
    return villageMonths(months)
        .withColumn(END, explode(sequence(col(IDX), col(IDX).plus(11))))
        .where(col(END).between(from, to))
        .groupBy(col(SellerAccounts.VILLAGE_CODE), col(END))
        .agg(sum(col(VillagePeriod.ORDERS)).as(VillagePeriod.ORDERS), villageSums())
        .withColumn(VillagePeriod.PLATFORM_SALES_RMB, SellerMonths.platformMap());
  }

  private static Dataset<Row> villageMonths(Dataset<Row> months) {
    return months.groupBy(col(SellerAccounts.VILLAGE_CODE), col(IDX))
        .agg(sum(col(SellerMonth.ORDERS)).as(VillagePeriod.ORDERS), sellerSums())
        .withColumn(SellerMonth.PLATFORM_SALES_RMB, SellerMonths.platformMap());
  }

  /**
   * Per village and month index ({@link #END}), the running count of active sellers and households under each
   * definition, as of every month where one changes (see the class comment). A village's count at a month-end is
   * the value at its latest change at or before it.
   */
  static Dataset<Row> trailingActivity(Dataset<Row> months, List<ActiveSeller> definitions) {
    WindowSpec bySeller = Window.partitionBy(SellerMonth.SELLER_ID, SellerAccounts.VILLAGE_CODE).orderBy(IDX);
    // A row where a month enters a seller's window, and one where it leaves (12 months later, adding nothing; its
    // household is that of the seller's latest month before it, filled in below).
    Dataset<Row> points = months
        .select(col(SellerMonth.SELLER_ID), col(SellerAccounts.VILLAGE_CODE), col(SellerAccounts.HOUSEHOLD_ID),
            col(IDX), col(SellerMonth.ORDERS), col(SellerMonth.SALES_RMB))
        .unionByName(months.select(col(SellerMonth.SELLER_ID), col(SellerAccounts.VILLAGE_CODE),
            lit(null).cast("string").as(SellerAccounts.HOUSEHOLD_ID), col(IDX).plus(12).as(IDX),
            lit(0L).as(SellerMonth.ORDERS), lit(0).cast(SellerMonth.MONEY).as(SellerMonth.SALES_RMB)))
        .groupBy(SellerMonth.SELLER_ID, SellerAccounts.VILLAGE_CODE, IDX)
        .agg(sum(col(SellerMonth.ORDERS)).as(SellerMonth.ORDERS),
            sum(col(SellerMonth.SALES_RMB)).cast(SellerMonth.MONEY).as(SellerMonth.SALES_RMB),
            max(col(SellerAccounts.HOUSEHOLD_ID)).as(SellerAccounts.HOUSEHOLD_ID));
    WindowSpec window = bySeller.rangeBetween(-11, 0);
    Dataset<Row> sums = points
        .withColumn(T_ORDERS, sum(col(SellerMonth.ORDERS)).over(window))
        .withColumn(T_SALES, sum(col(SellerMonth.SALES_RMB)).over(window))
        .withColumn(SellerAccounts.HOUSEHOLD_ID, last(col(SellerAccounts.HOUSEHOLD_ID), true)
            .over(bySeller.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .withColumn(PREVIOUS_HOUSEHOLD, lag(col(SellerAccounts.HOUSEHOLD_ID), 1).over(bySeller));
    // Per point, one event for the seller's household (its activity change there) and, when the household changed,
    // one for the household before (it loses the seller's activity). The seller's own change rides on the first.
    Column moved = col(PREVIOUS_HOUSEHOLD).isNotNull().and(col(PREVIOUS_HOUSEHOLD).notEqual(
        col(SellerAccounts.HOUSEHOLD_ID)));
    List<Column> current = new ArrayList<>(List.of(col(SellerAccounts.HOUSEHOLD_ID).as(SellerAccounts.HOUSEHOLD_ID)));
    List<Column> before = new ArrayList<>(List.of(col(PREVIOUS_HOUSEHOLD).as(SellerAccounts.HOUSEHOLD_ID)));
    for (int k = 0; k < definitions.size(); k++) {
      ActiveSeller d = definitions.get(k);
      Column active = col(T_ORDERS).geq(d.minPaidOrders()).and(col(T_SALES).geq(lit(d.minSalesRmb()))).cast("int");
      sums = sums.withColumn(activeOf(k), active)
          .withColumn(previousOf(k), coalesce(lag(col(activeOf(k)), 1).over(bySeller), lit(0)));
      Column previous = col(previousOf(k));
      current.add(col(activeOf(k)).minus(previous).as(sellersOf(k)));
      current.add(col(activeOf(k)).minus(when(moved, lit(0)).otherwise(previous)).as(membersOf(k)));
      before.add(lit(0).as(sellersOf(k)));
      before.add(lit(0).minus(previous).as(membersOf(k)));
    }
    Column pointEvents = when(moved, array(struct(current.toArray(Column[]::new)), struct(before.toArray(Column[]::new))))
        .otherwise(array(struct(current.toArray(Column[]::new))));
    Dataset<Row> sellerEvents = sums.select(col(SellerAccounts.VILLAGE_CODE), col(IDX), inline(pointEvents));
    // A household is active while at least one of its sellers is: running count of its active sellers. The
    // sellers' changes are added up per household and month first and carried along to the village, so the
    // sellers' events are computed once (read by two branches, Spark would compute them twice).
    WindowSpec byHousehold = Window.partitionBy(SellerAccounts.VILLAGE_CODE, SellerAccounts.HOUSEHOLD_ID).orderBy(IDX);
    List<Column> householdSums = new ArrayList<>();
    for (int k = 0; k < definitions.size(); k++) {
      householdSums.add(sum(col(sellersOf(k))).as(sellersOf(k)));
      householdSums.add(sum(col(membersOf(k))).as(membersOf(k)));
    }
    Dataset<Row> households = sellerEvents.groupBy(SellerAccounts.VILLAGE_CODE, SellerAccounts.HOUSEHOLD_ID, IDX)
        .agg(householdSums.get(0), householdSums.subList(1, householdSums.size()).toArray(Column[]::new));
    List<Column> events = new ArrayList<>(List.of(col(SellerAccounts.VILLAGE_CODE), col(IDX)));
    for (int k = 0; k < definitions.size(); k++) {
      Column active = sum(col(membersOf(k))).over(byHousehold.rowsBetween(Window.unboundedPreceding(),
          Window.currentRow())).gt(0).cast("int");
      households = households.withColumn(activeOf(k), active);
      events.add(col(sellersOf(k)));
      events.add(col(activeOf(k)).minus(coalesce(lag(col(activeOf(k)), 1).over(byHousehold), lit(0)))
          .as(householdsOf(k)));
    }
    List<Column> villageSums = new ArrayList<>();
    for (int k = 0; k < definitions.size(); k++) {
      villageSums.add(sum(col(sellersOf(k))).as(sellersOf(k)));
      villageSums.add(sum(col(householdsOf(k))).as(householdsOf(k)));
    }
    // Seller and household changes per village and month, then running sums: the counts as of each change.
    Dataset<Row> changes = households.select(events.toArray(Column[]::new))
        .groupBy(SellerAccounts.VILLAGE_CODE, IDX)
        .agg(villageSums.get(0), villageSums.subList(1, villageSums.size()).toArray(Column[]::new));
    WindowSpec running = Window.partitionBy(SellerAccounts.VILLAGE_CODE).orderBy(IDX)
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    List<Column> counts = new ArrayList<>(List.of(col(SellerAccounts.VILLAGE_CODE), col(IDX).as(END)));
    for (int k = 0; k < definitions.size(); k++) {
      counts.add(sum(col(sellersOf(k))).over(running).as(sellersOf(k)));
      counts.add(sum(col(householdsOf(k))).over(running).as(householdsOf(k)));
    }
    return asOfEveryMonth(changes.select(counts.toArray(Column[]::new)), definitions.size());
  }

  /**
   * The counts carried forward from each change to the months after it, up to the next change: for the month-ends
   * the village has trailing sums at, the latest change at or before them. Done by a running "last value" over
   * the change rows and the month rows of each village together.
   */
  private static Dataset<Row> asOfEveryMonth(Dataset<Row> atChanges, int n) {
    // Months from each change to the next one (while a seller is active, at most 12 apart: its month leaves).
    WindowSpec byVillage = Window.partitionBy(SellerAccounts.VILLAGE_CODE).orderBy(END);
    Column next = coalesce(lead(col(END), 1).over(byVillage), col(END).plus(1));
    Column anyActive = lit(false);
    for (int k = 0; k < n; k++) {
      anyActive = anyActive.or(col(sellersOf(k)).gt(0));
    }
    // Where no seller is active the count is 0, which the caller supplies for months without a row.
    return atChanges.withColumn("_next", next)
        .where(anyActive)
        .withColumn(END, explode(sequence(col(END), col("_next").minus(1))))
        .drop("_next");
  }

  /** Calendar-year sums and active sellers and households per definition, per village and year. */
  static Dataset<Row> years(Dataset<Row> months, List<ActiveSeller> definitions, YearMonth first, YearMonth last) {
    Column year = floor(col(IDX).divide(12)).cast("int");
    List<Column> sums = new ArrayList<>(List.of(sellerSums()));
    sums.add(max_by(col(SellerAccounts.HOUSEHOLD_ID), col(IDX)).as(SellerAccounts.HOUSEHOLD_ID));
    Dataset<Row> sellerYears = months.where(year.between(first.getYear(), last.getYear()))
        .groupBy(col(SellerMonth.SELLER_ID), col(SellerAccounts.VILLAGE_CODE), year.as(VillagePeriod.YEAR))
        .agg(sum(col(SellerMonth.ORDERS)).as(SellerMonth.ORDERS), sums.toArray(Column[]::new))
        .withColumn(SellerMonth.PLATFORM_SALES_RMB, SellerMonths.platformMap());
    List<Column> aggs = new ArrayList<>(SellerMonths.platformSums(SellerMonth.PLATFORM_SALES_RMB));
    aggs.add(sum(col(SellerMonth.SALES_RMB)).cast(SellerMonth.MONEY).as(VillagePeriod.SALES_RMB));
    for (int k = 0; k < definitions.size(); k++) {
      ActiveSeller d = definitions.get(k);
      Column active = col(SellerMonth.ORDERS).geq(d.minPaidOrders())
          .and(col(SellerMonth.SALES_RMB).geq(lit(d.minSalesRmb())));
      aggs.add(count_if(active).as(sellersOf(k)));
      aggs.add(count_distinct(when(active, col(SellerAccounts.HOUSEHOLD_ID))).as(householdsOf(k)));
    }
    return sellerYears.groupBy(col(SellerAccounts.VILLAGE_CODE), col(VillagePeriod.YEAR))
        .agg(sum(col(SellerMonth.ORDERS)).as(VillagePeriod.ORDERS), aggs.toArray(Column[]::new))
        .withColumn(VillagePeriod.PLATFORM_SALES_RMB, SellerMonths.platformMap())
        .select(col(SellerAccounts.VILLAGE_CODE), lit(VillagePeriod.YEAR_PERIOD).as(VillagePeriod.PERIOD),
            make_date(col(VillagePeriod.YEAR), lit(12), lit(31)).as(VillagePeriod.PERIOD_END),
            col(VillagePeriod.ORDERS), col(VillagePeriod.SALES_RMB), col(VillagePeriod.PLATFORM_SALES_RMB),
            perDefinition(definitions, k -> col(sellersOf(k)), k -> col(householdsOf(k))));
  }

  /** An array of (definition text, active sellers, active households), one per definition, as "_definitions". */
  private static Column perDefinition(List<ActiveSeller> definitions,
      java.util.function.IntFunction<Column> sellers, java.util.function.IntFunction<Column> households) {
    List<Column> entries = new ArrayList<>();
    for (int k = 0; k < definitions.size(); k++) {
      entries.add(struct(lit(definitions.get(k).describe()).as("text"), sellers.apply(k).cast("long").as("sellers"),
          households.apply(k).cast("long").as("households")));
    }
    return array(entries.toArray(Column[]::new)).as("_definitions");
  }

  /** Sales and platform sums of a group of rows with {@link SellerMonth} sales columns. */
  private static Column[] sellerSums() {
    List<Column> sums = new ArrayList<>(SellerMonths.platformSums(SellerMonth.PLATFORM_SALES_RMB));
    sums.add(sum(col(SellerMonth.SALES_RMB)).cast(SellerMonth.MONEY).as(SellerMonth.SALES_RMB));
    return sums.toArray(Column[]::new);
  }

  private static Column[] villageSums() {
    List<Column> sums = new ArrayList<>(SellerMonths.platformSums(SellerMonth.PLATFORM_SALES_RMB));
    sums.add(sum(col(SellerMonth.SALES_RMB)).cast(SellerMonth.MONEY).as(VillagePeriod.SALES_RMB));
    return sums.toArray(Column[]::new);
  }

  private static String activeOf(int k) {
    return "_active_" + k;
  }

  private static String sellersOf(int k) {
    return "_sellers_" + k;
  }

  private static String previousOf(int k) {
    return "_previous_" + k;
  }

  private static String membersOf(int k) {
    return "_members_" + k;
  }

  private static String householdsOf(int k) {
    return "_households_" + k;
  }

  private static Column[] concat(List<Column> a, List<Column> b) {
    List<Column> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(Column[]::new);
  }
}
