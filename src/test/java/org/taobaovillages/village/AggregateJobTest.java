package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.bench.SameTables;
import org.taobaovillages.config.ActiveSeller;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.detect.DetectJob;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.AggregateRuns;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.Watchlist;

/**
 * Village metrics on a handful of orders whose results are worked out by hand (comments), then the incremental
 * path: a later run date that adds a late order recomputes only the months it touches and gives the same tables as
 * a full recomputation; a village-month that loses its orders leaves no stale row. Four aggregate runs in all.
 *
 * <p>Village V1 (10 households): s1 (household h1) sells 100.00 + 50.00 on Taobao in 2021-01 (bags, toys) and has
 * a refunded order in 2021-03; s2 (h2) sells 200.00 on Pinduoduo in 2021-01 (bags) and 10.00 on Taobao in
 * 2022-02; s3 (h2) sells 40.00 on Tmall at 00:30 on 1 January 2022 China time (still 2021 in UTC). Village V2 (4
 * households): s4 has only a cancelled order in 2021-06, and sells 20.00 on JD on 2022-02-05.
 */
class AggregateJobTest {
  static final String V1 = "130672103201";
  static final String V2 = "130672103202";
  static final MetricsConfig METRICS = new MetricsConfig(1, BigDecimal.ZERO, List.of("taobao", "tmall"));
  static final List<ActiveSeller> DEFINITIONS = List.of(new ActiveSeller(1, BigDecimal.ZERO),
      new ActiveSeller(1, new BigDecimal("60")));

  @TempDir static Path dir;
  static final SparkSession spark = TestSpark.get();
  /** Both deliveries, aggregated in one full run for 2022-02-28: the reference of the tests. */
  static Warehouse full;

  @org.junit.jupiter.api.BeforeAll
  static void aggregateEverythingOnce() {
    full = warehouse("full", concat(firstDelivery(), secondDelivery(true)));
    aggregate(full, "2022-02-28", true);
  }

  static Row order(String id, String seller, String platform, String instant, String amount, String category,
      String status, String runDate) {
    Instant t = Instant.parse(instant);
    String month = t.atZone(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate().toString().substring(0, 7);
    return RowFactory.create(id, seller, platform, Timestamp.from(t), new BigDecimal(amount), 1, category, status,
        Map.of(), month, Date.valueOf(runDate));
  }

  /** The orders of run date 2022-01-31 (first delivery). */
  static List<Row> firstDelivery() {
    return List.of(
        order("o1", "s1", "taobao", "2021-01-15T02:00:00Z", "100.00", "bags", "paid", "2022-01-31"),
        order("o2", "s1", "taobao", "2021-01-20T02:00:00Z", "50.00", "toys", "completed", "2022-01-31"),
        order("o3", "s1", "taobao", "2021-03-01T02:00:00Z", "30.00", "toys", "refunded", "2022-01-31"),
        order("o4", "s2", "pinduoduo", "2021-01-10T02:00:00Z", "200.00", "bags", "shipped", "2022-01-31"),
        order("o5", "s3", "tmall", "2021-12-31T16:30:00Z", "40.00", "bags", "paid", "2022-01-31"),
        order("o6", "s4", "jd", "2021-06-01T02:00:00Z", "999.00", "bags", "cancelled", "2022-01-31"));
  }

  /** The orders of run date 2022-02-28: two of February and one late order of June 2021. */
  static List<Row> secondDelivery(boolean withV2) {
    List<Row> rows = new ArrayList<>(List.of(
        order("o7", "s2", "taobao", "2022-02-10T02:00:00Z", "10.00", "bags", "paid", "2022-02-28"),
        order("o8", "s1", "taobao", "2021-06-15T02:00:00Z", "70.00", "bags", "paid", "2022-02-28")));
    if (withV2) {
      rows.add(order("o9", "s4", "jd", "2022-02-05T02:00:00Z", "20.00", "bags", "paid", "2022-02-28"));
    }
    return rows;
  }

  static Warehouse warehouse(String name, List<Row> orders) {
    Warehouse wh = new Warehouse(spark, dir.resolve(name).toString());
    Date from = Date.valueOf("2022-01-31");
    List<Row> accounts = List.of(account("s1", V1, "h1", from), account("s2", V1, "h2", from),
        account("s3", V1, "h2", from), account("s4", V2, "h4", from));
    wh.overwrite(spark.createDataFrame(accounts, DimensionColumns.tableSchema(SellerAccounts.SCHEMA)),
        SellerAccounts.NAME, DimensionColumns.tableSchema(SellerAccounts.SCHEMA));
    List<Row> villages = List.of(village(V1, 10, from), village(V2, 4, from));
    wh.overwrite(spark.createDataFrame(villages, DimensionColumns.tableSchema(VillageRegistry.SCHEMA)),
        VillageRegistry.NAME, DimensionColumns.tableSchema(VillageRegistry.SCHEMA));
    storeOrders(wh, orders);
    return wh;
  }

  static void storeOrders(Warehouse wh, List<Row> orders) {
    wh.overwrite(spark.createDataFrame(orders, Transactions.TABLE_SCHEMA), Transactions.NAME, Transactions.TABLE_SCHEMA);
  }

  static Row account(String seller, String village, String household, Date from) {
    return RowFactory.create(seller, village, household, Date.valueOf("2020-01-01"), "taobao", "individual", "native",
        Map.of(), from, null, "r");
  }

  static Row village(String code, int households, Date from) {
    return RowFactory.create(code, "v" + code, code.substring(0, 9), "t", code.substring(0, 6), "c", code.substring(0, 4),
        "ci", code.substring(0, 2), "p", 115.9, 39.0, households, households * 3, Map.of(), from, null, "r");
  }

  static AggregateJob.Outcome aggregate(Warehouse wh, String runDate, boolean full) {
    return AggregateJob.run(wh, METRICS, DEFINITIONS, new RunContext("run-" + runDate, LocalDate.parse(runDate)), full);
  }

  static Map<String, Row> months(Warehouse wh) {
    Map<String, Row> m = new TreeMap<>();
    wh.read(VillageMonth.NAME, "t").collectAsList().forEach(r -> m.put(r.getAs(VillageMonth.VILLAGE_CODE) + " "
        + r.getAs(VillageMonth.MONTH).toString().substring(0, 7), r));
    return m;
  }

  static Map<String, Row> periods(Warehouse wh, long minSales) {
    Map<String, Row> m = new TreeMap<>();
    wh.read(VillagePeriod.NAME, "t").where(col(VillagePeriod.ACTIVE_DEFINITION).equalTo(
            DEFINITIONS.get(minSales == 0 ? 0 : 1).describe()))
        .collectAsList().forEach(r -> m.put(r.getAs(VillagePeriod.VILLAGE_CODE) + " " + r.getAs(VillagePeriod.PERIOD)
            + " " + r.getAs(VillagePeriod.PERIOD_END), r));
    return m;
  }

  @Test
  void monthsYearsAndTrailingTwelveMonthsAsWorkedOutByHand() {
    Warehouse wh = full;
    Map<String, Row> m = months(wh);
    // V1 2021-01: s1 and s2 active and new; 3 orders, 350.00; Taobao+Tmall 150 of 350; households h1, h2 of 10;
    // categories bags 300, toys 50: (300/350)^2 + (50/350)^2 = 0.7551; orders 100, 50, 200: median 100.
    Row jan = m.get(V1 + " 2021-01");
    assertEquals(List.of(2L, 2L, 0L, 3L), List.of(jan.getAs(VillageMonth.ACTIVE_SELLERS), jan.getAs(VillageMonth.NEW_SHOPS),
        jan.getAs(VillageMonth.CLOSED_SHOPS), jan.getAs(VillageMonth.ORDERS)));
    assertEquals(0, new BigDecimal("350.00").compareTo(jan.getAs(VillageMonth.SALES_RMB)));
    assertEquals(150.0 / 350.0, jan.<Double>getAs(VillageMonth.TAOBAO_SHARE), 1e-12);
    assertEquals(0.2, jan.<Double>getAs(VillageMonth.HOUSEHOLD_SHARE), 1e-12);
    assertEquals(Math.pow(300.0 / 350, 2) + Math.pow(50.0 / 350, 2), jan.<Double>getAs(VillageMonth.CATEGORY_HHI), 1e-12);
    assertEquals(100.0, jan.<Double>getAs(VillageMonth.MEDIAN_ORDER_RMB), 1e-12);
    assertEquals(Map.of("taobao", new BigDecimal("150.00"), "pinduoduo", new BigDecimal("200.00")),
        jan.getJavaMap(jan.fieldIndex(VillageMonth.PLATFORM_SALES_RMB)));
    // Sale orders per category: bags o1, o4; toys o2.
    assertEquals(Map.of("bags", 2L, "toys", 1L), jan.getJavaMap(jan.fieldIndex(VillageMonth.CATEGORY_ORDERS)));
    // The refunded order of 2021-03 is no sale: no row. s1's late order of 2021-06 (70.00): active, not new (2021-01
    // is within 12 months).
    assertFalse(m.containsKey(V1 + " 2021-03"));
    assertEquals(List.of(1L, 0L), List.of(m.get(V1 + " 2021-06").getAs(VillageMonth.ACTIVE_SELLERS),
        m.get(V1 + " 2021-06").getAs(VillageMonth.NEW_SHOPS)));
    // 2022-01: s3 (its order is 2022 in China time) is new; s2, last active 2021-01, closes (12 silent months).
    Row jan22 = m.get(V1 + " 2022-01");
    assertEquals(List.of(1L, 1L, 1L), List.of(jan22.getAs(VillageMonth.ACTIVE_SELLERS),
        jan22.getAs(VillageMonth.NEW_SHOPS), jan22.getAs(VillageMonth.CLOSED_SHOPS)));
    // 2022-02: s2 back after 13 months: new again; s1 (last active 2021-06) still open.
    assertEquals(List.of(1L, 1L, 0L), List.of(m.get(V1 + " 2022-02").getAs(VillageMonth.ACTIVE_SELLERS),
        m.get(V1 + " 2022-02").getAs(VillageMonth.NEW_SHOPS), m.get(V1 + " 2022-02").getAs(VillageMonth.CLOSED_SHOPS)));
    // V2: the cancelled order is no sale; February 2022 has 20.00, not complete on 2022-02-28? It is (last day).
    assertFalse(m.containsKey(V2 + " 2021-06"));
    assertTrue(m.get(V2 + " 2022-02").<Boolean>getAs(VillageMonth.MONTH_COMPLETE));

    Map<String, Row> p = periods(wh, 0);
    // Year 2021 of V1: s1 (100 + 50 + 70) and s2 (200): 2 active, 4 orders, 420.00; 2022 so far: s3 40, s2 10.
    assertPeriod(p.get(V1 + " year 2021-12-31"), 2, 2, 4, "420.00");
    assertPeriod(p.get(V1 + " year 2022-12-31"), 2, 1, 2, "50.00");
    assertFalse(p.get(V1 + " year 2022-12-31").<Boolean>getAs(VillagePeriod.PERIOD_COMPLETE));
    // Trailing 12 months to 2022-01: 2021-02..2022-01: s1's June order and s3: 2 active (h1, h2), 110.00.
    assertPeriod(p.get(V1 + " t12m 2022-01-31"), 2, 2, 2, "110.00");
    // To 2022-02: 2021-03..2022-02: s1 (70), s3 (40), s2 (10): 3 active, households h1, h2.
    assertPeriod(p.get(V1 + " t12m 2022-02-28"), 3, 2, 3, "120.00");
    // Under "sales >= 60" only s1 (220 in 2021; 70 over the trailing year) and s2 (200 in 2021) count.
    Map<String, Row> strict = periods(wh, 60);
    assertEquals(2L, strict.get(V1 + " year 2021-12-31").<Long>getAs(VillagePeriod.ACTIVE_SELLERS));
    assertEquals(1L, strict.get(V1 + " t12m 2022-02-28").<Long>getAs(VillagePeriod.ACTIVE_SELLERS));
    assertEquals(0L, strict.get(V1 + " year 2022-12-31").<Long>getAs(VillagePeriod.ACTIVE_SELLERS));
  }

  /**
   * The category rollup places each order in the village of its seller's account version of its day: s3 moves
   * from v1 to v2 on 2022-06-15, so its toys of 2022-06-10 count to v1 and those of 2022-06-20 to v2; an order
   * without a category counts under "", one that is no sale not at all.
   */
  @Test
  void categoryOrdersCountEachSaleInTheVillageOfItsDay() {
    StructType orders = new StructType().add(Transactions.SELLER_ID, DataTypes.StringType)
        .add(Transactions.ORDER_TS, DataTypes.TimestampType).add(Transactions.AMOUNT_RMB, DataTypes.createDecimalType(18, 2))
        .add(Transactions.CATEGORY, DataTypes.StringType).add(Transactions.ORDER_STATUS, DataTypes.StringType);
    Timestamp june10 = Timestamp.valueOf("2022-06-10 10:00:00");
    Timestamp june20 = Timestamp.valueOf("2022-06-20 10:00:00");
    BigDecimal ten = new BigDecimal("10.00");
    Dataset<Row> placed = spark.createDataFrame(List.of(
        RowFactory.create("s1", june10, ten, "agri_food", "completed"),
        RowFactory.create("s1", june10, ten, "agri_food", "paid"),
        RowFactory.create("s2", june10, ten, "toys", "shipped"),
        RowFactory.create("s2", june10, ten, null, "completed"),
        RowFactory.create("s2", june10, ten, "agri_food", "refunded"),
        RowFactory.create("s3", june10, ten, "toys", "paid"),
        RowFactory.create("s3", june20, ten, "toys", "paid")), orders);
    Date move = Date.valueOf("2022-06-15");
    Dataset<Row> accounts = spark.createDataFrame(List.of(RowFactory.create("s1", "v1", null, null),
            RowFactory.create("s2", "v1", null, null), RowFactory.create("s3", "v1", null, move),
            RowFactory.create("s3", "v2", move, null)),
        new StructType().add(SellerAccounts.SELLER_ID, DataTypes.StringType)
            .add(SellerAccounts.VILLAGE_CODE, DataTypes.StringType)
            .add(DimensionColumns.IN_FORCE_FROM, DataTypes.DateType)
            .add(DimensionColumns.IN_FORCE_TO, DataTypes.DateType));
    Map<String, Map<String, Long>> byVillage = new TreeMap<>();
    VillageMonths.orderMetrics(placed, accounts, LocalDate.parse("2022-06-30")).collectAsList().forEach(r -> byVillage
        .put(r.getAs(SellerAccounts.VILLAGE_CODE), r.getJavaMap(r.fieldIndex(VillageMonth.CATEGORY_ORDERS))));
    assertEquals(Map.of("v1", Map.of("agri_food", 2L, "toys", 2L, VillageMonth.NO_CATEGORY, 1L),
        "v2", Map.of("toys", 1L)), byVillage);
  }

  /**
   * A warehouse whose village_month an earlier version wrote, without the category rollup: the next daily run
   * recomputes every month (a run that recomputed only its own would leave the earlier months without it), and
   * then village_month equals the full run's.
   */
  @Test
  void aVillageMonthWithoutTheCategoryRollupIsRecomputedWhole() {
    Warehouse old = warehouse("old", concat(firstDelivery(), secondDelivery(true)));
    aggregate(old, "2022-01-31", false);
    // As the earlier version wrote it: the same partitions, one column fewer.
    old.read(VillageMonth.NAME, "t").drop(VillageMonth.CATEGORY_ORDERS).write().format("delta").mode("overwrite")
        .option("overwriteSchema", "true").partitionBy(VillageMonth.YEAR).save(old.path(VillageMonth.NAME));
    assertFalse(List.of(old.read(VillageMonth.NAME, "t").columns()).contains(VillageMonth.CATEGORY_ORDERS));
    AggregateJob.Outcome next = aggregate(old, "2022-02-28", false);
    assertTrue(next.range().full(), next.range().reason());
    assertEquals("village_month written by an earlier version (no category_orders column)", next.range().reason());
    assertEquals("2021-01", next.range().first().toString());
    SameTables.Difference d = SameTables.compare(VillageMonth.NAME, full.read(VillageMonth.NAME, "t"),
        old.read(VillageMonth.NAME, "t"), Set.of());
    assertTrue(d.same() && d.rows() > 0, d.toString());
  }

  private static void assertPeriod(Row r, long active, long households, long orders, String sales) {
    assertNotNull(r);
    assertEquals(List.of(active, households, orders), List.of(r.getAs(VillagePeriod.ACTIVE_SELLERS),
        r.getAs(VillagePeriod.ACTIVE_HOUSEHOLDS), r.getAs(VillagePeriod.ORDERS)), r.toString());
    assertEquals(0, new BigDecimal(sales).compareTo(r.getAs(VillagePeriod.SALES_RMB)), r.toString());
  }

  /**
   * The default rules with rule A's sales threshold lowered to RMB 100, so that the late order of the second
   * delivery decides village V1's year 2021; hot spots (tested on their own) follow a rule not run here.
   */
  static AppConfig lowRuleA() {
    try {
      Path conf = Files.writeString(dir.resolve("low-a.conf"), """
          taobao-villages.rules.villages.A {
            version = "A.low"
            sales { operator = ">", threshold-rmb = 100 }
          }
          taobao-villages.detect.hot-spots.rule = E
          """);
      return AppConfig.load(conf.toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void detect(Warehouse wh, AppConfig cfg, List<String> rules, String runDate) {
    DetectJob.run(wh, cfg.rules().select(rules), cfg.detect(),
        new RunContext("run-" + runDate + "-" + rules, LocalDate.parse(runDate)));
  }

  static Row v1Year2021(Warehouse wh) {
    return wh.read(VillageStatus.NAME, "t").where(col(VillageStatus.RULE_ID).equalTo("A")
        .and(col(VillagePeriod.VILLAGE_CODE).equalTo(V1)).and(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD))
        .and(col(VillagePeriod.YEAR).equalTo(2021))).first();
  }

  static Dataset<Row> ruleRows(Warehouse wh, String rule) {
    return wh.read(VillageStatus.NAME, "t").where(col(VillageStatus.RULE_ID).equalTo(rule));
  }

  /**
   * Day by day: the first delivery, then the second one (a late order of 2021-06 and two of 2022-02); then the
   * second run date again with V2's order gone. Each run aggregates, then detects with rules A and B (two rules
   * that share the active-seller definitions of this test): a later run recomputes only the months its orders
   * touch and ends with the same tables as one full run; a run of rule B alone leaves rule A's rows, which share
   * their partitions, as they were.
   */
  @Test
  void aLaterRunRecomputesOnlyTheMonthsItsOrdersTouchEqualsAFullRecomputationAndLeavesNoStaleRows() {
    AppConfig cfg = lowRuleA();
    List<String> ab = List.of("A", "B");
    Warehouse daily = warehouse("daily", firstDelivery());
    AggregateJob.Outcome first = aggregate(daily, "2022-01-31", false);
    assertTrue(first.range().full());
    detect(daily, cfg, ab, "2022-01-31");
    // Worked out by hand: V1 in 2021 sold 100 + 50 (taobao) + 200 (pinduoduo) = 350 (o5 is 1 January 2022 in
    // China), two of its 10 households active; taobao/tmall share 150 / 350 = 0.43 < 0.5: not a Taobao Village.
    assertFalse(v1Year2021(daily).<Boolean>getAs(VillageStatus.QUALIFIES));
    storeOrders(daily, concat(firstDelivery(), secondDelivery(true)));
    AggregateJob.Outcome second = aggregate(daily, "2022-02-28", false);
    detect(daily, cfg, ab, "2022-02-28");
    // With the late order o8 (taobao, 70, June 2021): 420 sold, share 220 / 420 = 0.52: qualifies, new in 2021.
    Row v1 = v1Year2021(daily);
    assertTrue(v1.<Boolean>getAs(VillageStatus.QUALIFIES));
    assertEquals(VillageStatus.NEW, v1.getAs(VillageStatus.TRANSITION));
    assertEquals(0, new BigDecimal("420.00").compareTo(v1.getAs(VillagePeriod.SALES_RMB)));
    // Touched: 2021-06 (the late order) and 2022-02; so 2021-06 to 2022-02, not from 2021-01.
    assertFalse(second.range().full(), second.range().reason());
    assertEquals(List.of("2021-06", "2022-02"), second.range().touched());
    assertEquals("2021-06", second.range().first().toString());
    Row recorded = daily.read(AggregateRuns.NAME, "t").where(col(RunColumns.RUN_DATE).equalTo(Date.valueOf("2022-02-28")))
        .first();
    assertEquals(Date.valueOf("2021-06-01"), recorded.getAs(AggregateRuns.FIRST_MONTH));
    // Untouched months keep the first run's rows.
    assertEquals("run-2022-01-31", months(daily).get(V1 + " 2021-01").getAs(RunColumns.RUN_ID));
    detect(full, cfg, ab, "2022-02-28");
    assertFalse(rows(full, VillageStatus.NAME).isEmpty());
    for (String table : List.of(SellerMonth.NAME, VillageMonth.NAME, VillagePeriod.NAME, VillageStatus.NAME,
        Watchlist.NAME)) {
      SameTables.Difference d = SameTables.compare(table, full.read(table, "t"), daily.read(table, "t"), Set.of());
      assertTrue(d.same(), d.toString());
    }

    // Rule B alone for the same run date: B's rows of the periods recomputed (from June 2021) are rewritten with
    // its run id, the others kept; A's rows stay as they were, lineage included.
    List<String> aBefore = text(ruleRows(daily, "A"));
    String recomputed = AggregateJob.periodPredicate(java.time.YearMonth.of(2021, 6), java.time.YearMonth.of(2022, 2));
    long bRecomputed = ruleRows(daily, "B").where(expr(recomputed)).count();
    long bAll = ruleRows(daily, "B").count();
    assertTrue(bRecomputed > 0 && bRecomputed < bAll, bRecomputed + " of " + bAll);
    detect(daily, cfg, List.of("B"), "2022-02-28");
    assertEquals(aBefore, text(ruleRows(daily, "A")));
    assertEquals(bAll, ruleRows(daily, "B").count());
    assertEquals(bRecomputed, ruleRows(daily, "B").where(expr(recomputed)
        .and(col(RunColumns.RUN_ID).equalTo("run-2022-02-28-[B]"))).count());

    // The run date's delivery comes again without V2's order: its month, trailing year and year disappear.
    assertTrue(months(daily).containsKey(V2 + " 2022-02"));
    storeOrders(daily, concat(firstDelivery(), secondDelivery(false)));
    aggregate(daily, "2022-02-28", false);
    assertFalse(months(daily).containsKey(V2 + " 2022-02"));
    assertFalse(periods(daily, 0).containsKey(V2 + " t12m 2022-02-28"));
    assertFalse(periods(daily, 0).containsKey(V2 + " year 2022-12-31"));
    assertEquals(0, daily.read(SellerMonth.NAME, "t").where(col(SellerMonth.SELLER_ID).equalTo("s4")).count());
  }

  /** A table's rows as sorted text, without lineage. */
  static List<String> rows(Warehouse wh, String table) {
    return text(wh.read(table, "t").drop(RunColumns.RUN_ID, RunColumns.RUN_DATE));
  }

  /** Rows as sorted JSON text. */
  static List<String> text(Dataset<Row> t) {
    return t.select(to_json(struct(col("*")))).collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  @SafeVarargs
  static List<Row> concat(List<Row>... parts) {
    List<Row> all = new ArrayList<>();
    for (List<Row> p : parts) {
      all.addAll(p);
    }
    return all;
  }
}
