package org.taobaovillages.village;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.ActiveSeller;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * Fuzz test of history under moving accounts: random sellers whose accounts are re-delivered several times (other
 * village, other household, or both) and villages whose household counts change, with orders on both sides of
 * every change (the same month among them); aggregated, then {@code seller_month} and every {@code village_period}
 * row compared with a plain-Java computation of the rules in docs/data-model.md ("Which version of a dimension a
 * fact counts under"). The suite runs one case ({@code fuzz.runs}, from {@code fuzz.seed}); a failure names its
 * seed, {@code -Dfuzz.case=<seed>} repeats it.
 */
class VersionedHistoryFuzzTest {
  static final LocalDate RUN_DATE = LocalDate.of(2022, 12, 31);
  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final List<String> VILLAGES = List.of("130672103201", "130672103202", "130672103203");
  static final List<ActiveSeller> DEFINITIONS = AggregateJobTest.DEFINITIONS;

  @TempDir static Path dir;

  @TestFactory
  Stream<DynamicTest> randomMovesAgainstAPlainJavaComputation() {
    if (System.getProperty("fuzz.case") != null) {
      long one = Long.getLong("fuzz.case");
      return Stream.of(DynamicTest.dynamicTest("seed " + one, () -> fuzz(one)));
    }
    Random seeds = new Random(Long.getLong("fuzz.seed", 20261207L));
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < Integer.getInteger("fuzz.runs", 1); i++) {
      long seed = seeds.nextLong();
      tests.add(DynamicTest.dynamicTest("seed " + seed, () -> fuzz(seed)));
    }
    return tests.stream();
  }

  /** A version of an account or a village: in force from {@code from} (the first one: always before too). */
  record Version(LocalDate from, String village, String household, int households) {}

  record Order(String seller, LocalDateTime chinaTime, BigDecimal amount, String status) {}

  static void fuzz(long seed) {
    SparkSession spark = TestSpark.get();
    Random rnd = new Random(seed);
    Map<String, List<Version>> accounts = new TreeMap<>();
    List<Order> orders = new ArrayList<>();
    int sellers = 4 + rnd.nextInt(5);
    for (int s = 0; s < sellers; s++) {
      String seller = "s" + s;
      List<Version> versions = new ArrayList<>();
      LocalDate from = LocalDate.of(2021, 1, 1).plusDays(rnd.nextInt(120));
      int n = 1 + rnd.nextInt(3);
      for (int v = 0; v < n; v++) {
        String village = VILLAGES.get(rnd.nextInt(VILLAGES.size()));
        String household = "h" + rnd.nextInt(4);
        versions.add(new Version(from, village, household, 0));
        // Orders around the change: the days before and after it, in the same month where it allows.
        for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
          int offset = rnd.nextInt(2) == 0 ? -1 - rnd.nextInt(20) : rnd.nextInt(20);
          orders.add(order(rnd, seller, from.plusDays(offset)));
        }
        from = from.plusDays(20 + rnd.nextInt(200));
        if (from.isAfter(RUN_DATE)) {
          break;
        }
      }
      // Orders anywhere from 2020 to the run date.
      for (int k = 0; k < 3 + rnd.nextInt(10); k++) {
        orders.add(order(rnd, seller, LocalDate.of(2020, 1, 1).plusDays(rnd.nextInt(1096))));
      }
      accounts.put(seller, versions);
    }
    Map<String, List<Version>> registry = new TreeMap<>();
    for (String village : VILLAGES) {
      List<Version> versions = new ArrayList<>(List.of(new Version(LocalDate.of(2021, 1, 1), village, null,
          5 + rnd.nextInt(30))));
      if (rnd.nextBoolean()) {
        versions.add(new Version(LocalDate.of(2021, 2, 1).plusDays(rnd.nextInt(600)), village, null,
            5 + rnd.nextInt(30)));
      }
      registry.put(village, versions);
    }

    Warehouse wh = new Warehouse(spark, dir.resolve("case-" + Long.toHexString(seed)).toString());
    store(spark, wh, accounts, registry, orders);
    AggregateJobTest.aggregate(wh, RUN_DATE.toString(), true);
    String context = "seed " + seed + ", accounts " + accounts + ", registry " + registry;

    assertEquals(expectedSellerMonths(accounts, orders), storedSellerMonths(wh), "seller_month; " + context);
    assertEquals(expectedPeriods(accounts, registry, orders), storedPeriods(wh), "village_period; " + context);
  }

  static Order order(Random rnd, String seller, LocalDate day) {
    LocalDate d = day.isAfter(RUN_DATE) ? RUN_DATE : day.isBefore(LocalDate.of(2020, 1, 1))
        ? LocalDate.of(2020, 1, 1) : day;
    // Near midnight China time now and then: the day is China's.
    LocalDateTime t = d.atTime(rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(24), rnd.nextInt(60));
    return new Order(seller, t, new BigDecimal(10 + rnd.nextInt(90) + "." + (10 + rnd.nextInt(90))),
        rnd.nextInt(8) == 0 ? "refunded" : "paid");
  }

  static void store(SparkSession spark, Warehouse wh, Map<String, List<Version>> accounts,
      Map<String, List<Version>> registry, List<Order> orders) {
    List<Row> accountRows = new ArrayList<>();
    accounts.forEach((seller, versions) -> {
      for (int i = 0; i < versions.size(); i++) {
        Version v = versions.get(i);
        accountRows.add(RowFactory.create(seller, v.village(), v.household(), Date.valueOf("2020-01-01"), "taobao",
            "individual", "native", Map.of(), Date.valueOf(v.from()),
            i + 1 < versions.size() ? Date.valueOf(versions.get(i + 1).from()) : null, "r"));
      }
    });
    wh.overwrite(spark.createDataFrame(accountRows, DimensionColumns.tableSchema(SellerAccounts.SCHEMA)),
        SellerAccounts.NAME, DimensionColumns.tableSchema(SellerAccounts.SCHEMA));
    List<Row> villageRows = new ArrayList<>();
    registry.forEach((code, versions) -> {
      for (int i = 0; i < versions.size(); i++) {
        Version v = versions.get(i);
        villageRows.add(RowFactory.create(code, "v", code.substring(0, 9), "t", code.substring(0, 6), "c",
            code.substring(0, 4), "ci", code.substring(0, 2), "p", 115.9, 39.0, v.households(), 3 * v.households(),
            Map.of(), Date.valueOf(v.from()),
            i + 1 < versions.size() ? Date.valueOf(versions.get(i + 1).from()) : null, "r"));
      }
    });
    wh.overwrite(spark.createDataFrame(villageRows, DimensionColumns.tableSchema(VillageRegistry.SCHEMA)),
        VillageRegistry.NAME, DimensionColumns.tableSchema(VillageRegistry.SCHEMA));
    List<Row> orderRows = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      Order o = orders.get(i);
      orderRows.add(AggregateJobTest.order("o" + i, o.seller(), "taobao",
          o.chinaTime().atZone(CHINA).toInstant().toString(), o.amount().toPlainString(), "bags", o.status(),
          RUN_DATE.toString()));
    }
    AggregateJobTest.storeOrders(wh, orderRows);
  }

  /** The version in force on {@code day}: the latest from on or before it, else the first. */
  static Version inForce(List<Version> versions, LocalDate day) {
    Version found = versions.get(0);
    for (Version v : versions) {
      if (!v.from().isAfter(day)) {
        found = v;
      }
    }
    return found;
  }

  /** A sale order with the version of its seller placing it. */
  record Placed(Order order, Version version) {
    YearMonth month() {
      return YearMonth.from(order.chinaTime());
    }
  }

  static List<Placed> placed(Map<String, List<Version>> accounts, List<Order> orders) {
    List<Placed> placed = new ArrayList<>();
    for (Order o : orders) {
      if (o.status().equals("paid")) {
        placed.add(new Placed(o, inForce(accounts.get(o.seller()), o.chinaTime().toLocalDate())));
      }
    }
    return placed;
  }

  /** One seller's month in one village: orders, sales, the household of the latest version among them. */
  static final class Month {
    long orders;
    BigDecimal sales = BigDecimal.ZERO;
    Version latest;

    void add(Placed p) {
      orders++;
      sales = sales.add(p.order().amount());
      if (latest == null || p.version().from().isAfter(latest.from())) {
        latest = p.version();
      }
    }
  }

  /** seller -> village -> month -> its month. */
  static Map<String, Map<String, TreeMap<YearMonth, Month>>> months(Map<String, List<Version>> accounts,
      List<Order> orders) {
    Map<String, Map<String, TreeMap<YearMonth, Month>>> m = new TreeMap<>();
    for (Placed p : placed(accounts, orders)) {
      m.computeIfAbsent(p.order().seller(), k -> new TreeMap<>())
          .computeIfAbsent(p.version().village(), k -> new TreeMap<>())
          .computeIfAbsent(p.month(), k -> new Month()).add(p);
    }
    return m;
  }

  static Map<String, String> expectedSellerMonths(Map<String, List<Version>> accounts, List<Order> orders) {
    Map<String, String> out = new TreeMap<>();
    months(accounts, orders).forEach((seller, byVillage) -> byVillage.forEach((village, byMonth) ->
        byMonth.forEach((month, m) -> out.put(seller + " " + month + " " + village,
            m.latest.household() + " " + m.orders + " " + m.sales.toPlainString()))));
    return out;
  }

  static Map<String, String> storedSellerMonths(Warehouse wh) {
    Map<String, String> out = new TreeMap<>();
    wh.read(SellerMonth.NAME, "t").collectAsList().forEach(r -> out.put(r.getAs(SellerMonth.SELLER_ID) + " "
        + r.getAs(SellerMonth.MONTH).toString().substring(0, 7) + " " + r.getAs(SellerMonth.VILLAGE_CODE),
        r.getAs(SellerMonth.HOUSEHOLD_ID) + " " + r.getAs(SellerMonth.ORDERS) + " "
            + r.<BigDecimal>getAs(SellerMonth.SALES_RMB).toPlainString()));
    return out;
  }

  /**
   * Every village period with a sale: calendar years and the trailing 12 months at each month-end from the first
   * order month to the run date's month, under each definition: "active households households orders sales".
   */
  static Map<String, String> expectedPeriods(Map<String, List<Version>> accounts, Map<String, List<Version>> registry,
      List<Order> orders) {
    var months = months(accounts, orders);
    YearMonth first = orders.stream().map(o -> YearMonth.from(o.chinaTime())).min(YearMonth::compareTo).orElseThrow();
    List<Object[]> periods = new ArrayList<>();
    for (YearMonth end = first; !end.isAfter(YearMonth.from(RUN_DATE)); end = end.plusMonths(1)) {
      periods.add(new Object[] {VillagePeriod.T12M_PERIOD, end.minusMonths(11), end});
    }
    for (int y = first.getYear(); y <= RUN_DATE.getYear(); y++) {
      periods.add(new Object[] {VillagePeriod.YEAR_PERIOD, YearMonth.of(y, 1), YearMonth.of(y, 12)});
    }
    Map<String, String> out = new TreeMap<>();
    for (String village : VILLAGES) {
      for (Object[] p : periods) {
        YearMonth from = (YearMonth) p[1];
        YearMonth to = (YearMonth) p[2];
        long orderCount = 0;
        BigDecimal sales = BigDecimal.ZERO;
        Map<String, long[]> sellerOrders = new HashMap<>();
        Map<String, BigDecimal> sellerSales = new HashMap<>();
        Map<String, String> household = new HashMap<>();
        for (var seller : months.entrySet()) {
          TreeMap<YearMonth, Month> own = seller.getValue().getOrDefault(village, new TreeMap<>());
          for (var e : own.subMap(from, true, to, true).entrySet()) {
            orderCount += e.getValue().orders;
            sales = sales.add(e.getValue().sales);
            sellerOrders.computeIfAbsent(seller.getKey(), k -> new long[1])[0] += e.getValue().orders;
            sellerSales.merge(seller.getKey(), e.getValue().sales, BigDecimal::add);
            household.put(seller.getKey(), e.getValue().latest.household()); // months ascending: the latest wins
          }
        }
        if (orderCount == 0) {
          continue;
        }
        LocalDate end = to.atEndOfMonth().isAfter(RUN_DATE) ? RUN_DATE : to.atEndOfMonth();
        int households = inForce(registry.get(village), end).households();
        for (ActiveSeller d : DEFINITIONS) {
          Set<String> active = new HashSet<>();
          Set<String> activeHouseholds = new HashSet<>();
          for (String s : sellerOrders.keySet()) {
            if (sellerOrders.get(s)[0] >= d.minPaidOrders() && sellerSales.get(s).compareTo(d.minSalesRmb()) >= 0) {
              active.add(s);
              activeHouseholds.add(household.get(s));
            }
          }
          out.put(String.join(" ", village, (String) p[0], to.atEndOfMonth().toString(), d.describe()),
              String.join(" ", String.valueOf(active.size()), String.valueOf(activeHouseholds.size()),
                  String.valueOf(households), String.valueOf(orderCount), sales.toPlainString()));
        }
      }
    }
    return out;
  }

  static Map<String, String> storedPeriods(Warehouse wh) {
    Map<String, String> out = new TreeMap<>();
    wh.read(VillagePeriod.NAME, "t").where(col(VillagePeriod.PERIOD_END).leq(Date.valueOf(
            YearMonth.from(RUN_DATE).atEndOfMonth())))
        .collectAsList().forEach(r -> out.put(String.join(" ", r.<String>getAs(VillagePeriod.VILLAGE_CODE),
            r.<String>getAs(VillagePeriod.PERIOD), r.getAs(VillagePeriod.PERIOD_END).toString(),
            r.<String>getAs(VillagePeriod.ACTIVE_DEFINITION)), String.join(" ",
            String.valueOf(r.<Long>getAs(VillagePeriod.ACTIVE_SELLERS)),
            String.valueOf(r.<Long>getAs(VillagePeriod.ACTIVE_HOUSEHOLDS)),
            String.valueOf(r.<Integer>getAs(VillagePeriod.HOUSEHOLDS)),
            String.valueOf(r.<Long>getAs(VillagePeriod.ORDERS)),
            r.<BigDecimal>getAs(VillagePeriod.SALES_RMB).toPlainString())));
    return out;
  }
}
