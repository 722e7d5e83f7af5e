package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * History stays where it happened: an order counts to the village (and household) of its account's version in
 * force on the day it was placed, a period to the registry version in force at its end. Worked out by hand
 * (comments), then the same days run one by one: a later delivery that moves an account leaves every earlier
 * month as it was, and equals one full run.
 *
 * <p>Villages V1 (10 households; 20 from 2022-03-15) and V2 (4). Seller s1 runs from V1 (household h1) until its
 * account is re-delivered in V2 (household h9) on 2022-03-15; s2 stays in V1, its household h2 until 2022-02-01,
 * then h3. Orders (10:00 China time): s1 100.00 on 2021-06-10 and 50.00 on 2022-03-10 (in V1), 20.00 on
 * 2022-03-15 (the day of the new version: in V2) and 30.00 on 2022-03-20 (V2); s2 80.00 on 2022-01-10 (h2) and
 * 10.00 on 2022-02-10 (h3). Definitions: paid orders >= 1 and sales >= 0 (D0), and sales >= 60 (D1).
 */
class VersionedHistoryTest {
  static final String V1 = AggregateJobTest.V1;
  static final String V2 = AggregateJobTest.V2;
  static final Date FIRST_DELIVERY = Date.valueOf("2021-12-31");
  static final Date MOVE = Date.valueOf("2022-03-15");
  static final Date NEW_HOUSEHOLD = Date.valueOf("2022-02-01");

  @TempDir static Path dir;
  static final SparkSession spark = TestSpark.get();
  /** Everything delivered by 2022-03-31, aggregated in one full run. */
  static Warehouse full;

  @BeforeAll
  static void aggregateEverythingOnce() {
    full = warehouse("full", true);
    AggregateJobTest.aggregate(full, "2022-03-31", true);
  }

  static List<Row> orders(boolean march) {
    List<Row> rows = new ArrayList<>(List.of(
        AggregateJobTest.order("o1", "s1", "taobao", "2021-06-10T02:00:00Z", "100.00", "bags", "paid", "2022-01-31"),
        AggregateJobTest.order("o4", "s2", "tmall", "2022-01-10T02:00:00Z", "80.00", "toys", "paid", "2022-01-31"),
        AggregateJobTest.order("o5", "s2", "taobao", "2022-02-10T02:00:00Z", "10.00", "toys", "paid", "2022-02-28")));
    if (march) {
      rows.add(AggregateJobTest.order("o2", "s1", "taobao", "2022-03-10T02:00:00Z", "50.00", "bags", "paid",
          "2022-03-31"));
      rows.add(AggregateJobTest.order("o3", "s1", "taobao", "2022-03-15T02:00:00Z", "20.00", "bags", "paid",
          "2022-03-31"));
      rows.add(AggregateJobTest.order("o6", "s1", "taobao", "2022-03-20T02:00:00Z", "30.00", "bags", "paid",
          "2022-03-31"));
    }
    return rows;
  }

  /** The warehouse as ingest leaves it: with or without the deliveries of 2022-03 (s1's move, V1's households). */
  static Warehouse warehouse(String name, boolean march) {
    Warehouse wh = new Warehouse(spark, dir.resolve(name).toString());
    List<Row> accounts = new ArrayList<>(List.of(
        account("s1", V1, "h1", FIRST_DELIVERY, march ? MOVE : null),
        account("s2", V1, "h2", FIRST_DELIVERY, NEW_HOUSEHOLD),
        account("s2", V1, "h3", NEW_HOUSEHOLD, null)));
    if (march) {
      accounts.add(account("s1", V2, "h9", MOVE, null));
    }
    wh.overwrite(spark.createDataFrame(accounts, DimensionColumns.tableSchema(SellerAccounts.SCHEMA)),
        SellerAccounts.NAME, DimensionColumns.tableSchema(SellerAccounts.SCHEMA));
    List<Row> villages = new ArrayList<>(List.of(village(V1, 10, FIRST_DELIVERY, march ? MOVE : null),
        village(V2, 4, FIRST_DELIVERY, null)));
    if (march) {
      villages.add(village(V1, 20, MOVE, null));
    }
    wh.overwrite(spark.createDataFrame(villages, DimensionColumns.tableSchema(VillageRegistry.SCHEMA)),
        VillageRegistry.NAME, DimensionColumns.tableSchema(VillageRegistry.SCHEMA));
    AggregateJobTest.storeOrders(wh, orders(march));
    return wh;
  }

  static Row account(String seller, String village, String household, Date from, Date to) {
    return RowFactory.create(seller, village, household, Date.valueOf("2020-01-01"), "taobao", "individual", "native",
        Map.of(), from, to, "r");
  }

  static Row village(String code, int households, Date from, Date to) {
    return RowFactory.create(code, "v" + code, code.substring(0, 9), "t", code.substring(0, 6), "c",
        code.substring(0, 4), "ci", code.substring(0, 2), "p", 115.9, 39.0, households, households * 3, Map.of(), from,
        to, "r");
  }

  /** seller month village -> "household orders sales". */
  static Map<String, String> sellerMonths(Warehouse wh) {
    Map<String, String> m = new TreeMap<>();
    wh.read(SellerMonth.NAME, "t").collectAsList().forEach(r -> m.put(r.getAs(SellerMonth.SELLER_ID) + " "
        + r.getAs(SellerMonth.MONTH).toString().substring(0, 7) + " " + r.getAs(SellerMonth.VILLAGE_CODE),
        r.getAs(SellerMonth.HOUSEHOLD_ID) + " " + r.getAs(SellerMonth.ORDERS) + " "
            + r.<BigDecimal>getAs(SellerMonth.SALES_RMB).toPlainString()));
    return m;
  }

  /** village month -> "active new closed orders sales households active_households". */
  static Map<String, String> villageMonths(Warehouse wh) {
    Map<String, String> m = new TreeMap<>();
    wh.read(VillageMonth.NAME, "t").collectAsList().forEach(r -> m.put(r.getAs(VillageMonth.VILLAGE_CODE) + " "
        + r.getAs(VillageMonth.MONTH).toString().substring(0, 7), String.join(" ",
        String.valueOf(r.<Long>getAs(VillageMonth.ACTIVE_SELLERS)), String.valueOf(r.<Long>getAs(VillageMonth.NEW_SHOPS)),
        String.valueOf(r.<Long>getAs(VillageMonth.CLOSED_SHOPS)), String.valueOf(r.<Long>getAs(VillageMonth.ORDERS)),
        r.<BigDecimal>getAs(VillageMonth.SALES_RMB).toPlainString(),
        String.valueOf(r.<Integer>getAs(VillageMonth.HOUSEHOLDS)),
        String.valueOf(r.<Long>getAs(VillageMonth.ACTIVE_HOUSEHOLDS)))));
    return m;
  }

  /** village period end -> "active active_households households orders sales" under definition k. */
  static Map<String, String> periods(Warehouse wh, int k) {
    Map<String, String> m = new TreeMap<>();
    wh.read(VillagePeriod.NAME, "t").where(col(VillagePeriod.ACTIVE_DEFINITION)
            .equalTo(AggregateJobTest.DEFINITIONS.get(k).describe()))
        .collectAsList().forEach(r -> m.put(r.getAs(VillagePeriod.VILLAGE_CODE) + " " + r.getAs(VillagePeriod.PERIOD)
            + " " + r.getAs(VillagePeriod.PERIOD_END), String.join(" ",
            String.valueOf(r.<Long>getAs(VillagePeriod.ACTIVE_SELLERS)),
            String.valueOf(r.<Long>getAs(VillagePeriod.ACTIVE_HOUSEHOLDS)),
            String.valueOf(r.<Integer>getAs(VillagePeriod.HOUSEHOLDS)),
            String.valueOf(r.<Long>getAs(VillagePeriod.ORDERS)),
            r.<BigDecimal>getAs(VillagePeriod.SALES_RMB).toPlainString())));
    return m;
  }

  @Test
  void eachOrderCountsWhereItsAccountWasWhenItWasPlaced() {
    // o1 (2021) and o2 (2022-03-10) before the move: V1 with h1; o3 on the day of the move and o6 after: V2 with
    // h9. s2's months keep the household of each month.
    assertEquals(Map.of(
        "s1 2021-06 " + V1, "h1 1 100.00",
        "s1 2022-03 " + V1, "h1 1 50.00",
        "s1 2022-03 " + V2, "h9 2 50.00",
        "s2 2022-01 " + V1, "h2 1 80.00",
        "s2 2022-02 " + V1, "h3 1 10.00"), sellerMonths(full));
  }

  @Test
  void villageMonthsCountTheSellersThatSoldThereAndTheHouseholdsOfTheMonthsRegistryVersion() {
    Map<String, String> m = villageMonths(full);
    // 2021-06: s1 new in V1; the registry's first version (10 households) also stands for the time before it.
    assertEquals("1 1 0 1 100.00 10 1", m.get(V1 + " 2021-06"));
    // 2022-01: s2 new (h2); s1 (last sold in V1 in 2021-06, 7 months before) neither new nor closed.
    assertEquals("1 1 0 1 80.00 10 1", m.get(V1 + " 2022-01"));
    assertEquals("1 0 0 1 10.00 10 1", m.get(V1 + " 2022-02"));
    // 2022-03: s1's 50.00 before the move, not new (9 months since 2021-06); 20 households from 2022-03-15.
    assertEquals("1 0 0 1 50.00 20 1", m.get(V1 + " 2022-03"));
    // V2 2022-03: s1's two orders after the move; new in V2.
    assertEquals("1 1 0 2 50.00 4 1", m.get(V2 + " 2022-03"));
    assertEquals(5, m.size(), m.toString());
  }

  @Test
  void periodsJudgeEachSellerOnWhatItSoldInTheVillage() {
    Map<String, String> d0 = periods(full, 0);
    // V1 2021: s1's 100.00 (the move of 2022 does not take it away).
    assertEquals("1 1 10 1 100.00", d0.get(V1 + " year 2021-12-31"));
    // V1 2022 so far (20 households at the run date): s2 (80 + 10, latest household h3) and s1 (50, h1).
    assertEquals("2 2 20 3 140.00", d0.get(V1 + " year 2022-12-31"));
    assertEquals("1 1 4 2 50.00", d0.get(V2 + " year 2022-12-31"));
    // Trailing 12 months to 2022-01: s1 (h1) and s2 (h2); to 2022-02: s1 (h1) and s2 now of h3, still 2 households.
    assertEquals("2 2 10 2 180.00", d0.get(V1 + " t12m 2022-01-31"));
    assertEquals("2 2 10 3 190.00", d0.get(V1 + " t12m 2022-02-28"));
    // To 2022-03: s1 (100 + 50) and s2 (90) in V1, 20 households; s1's 50.00 after the move in V2.
    assertEquals("2 2 20 4 240.00", d0.get(V1 + " t12m 2022-03-31"));
    assertEquals("1 1 4 2 50.00", d0.get(V2 + " t12m 2022-03-31"));
    // Under sales >= 60: s1 sold 50 in V1 in 2022 and 50 in V2, active in neither; s2's 90 in V1 counts.
    Map<String, String> d1 = periods(full, 1);
    assertEquals("1 1 20 3 140.00", d1.get(V1 + " year 2022-12-31"));
    assertEquals("0 0 4 2 50.00", d1.get(V2 + " year 2022-12-31"));
    assertEquals("2 2 20 4 240.00", d1.get(V1 + " t12m 2022-03-31"));
    // t12m to 2022-02 under D1: s1 100, s2 80 + 10: both active; s2's household is h3 by then.
    assertEquals("2 2 10 3 190.00", d1.get(V1 + " t12m 2022-02-28"));
  }

  /**
   * The days one by one: 2022-02-28 knows neither the move nor March's orders; 2022-03-31 brings both. The second
   * run recomputes March only (the previous run, on February's last day, saw February whole); the months before
   * keep the first run's rows, and every table equals the full run's.
   */
  @Test
  void aDeliveryThatMovesAnAccountLeavesEarlierMonthsAsTheyWereAndEqualsAFullRun() {
    Warehouse daily = warehouse("daily", false);
    AggregateJobTest.aggregate(daily, "2022-02-28", false);
    Map<String, String> before = periods(daily, 0);
    List<String> earlierBefore = AggregateJobTest.text(earlier(daily));

    Warehouse march = warehouse("daily", true);
    AggregateJob.Outcome second = AggregateJobTest.aggregate(march, "2022-03-31", false);
    assertFalse(second.range().full(), second.range().reason());
    assertEquals("2022-03", second.range().first().toString());
    assertEquals(earlierBefore, AggregateJobTest.text(earlier(march)), "periods ending before February");
    assertEquals(before.get(V1 + " year 2021-12-31"), periods(march, 0).get(V1 + " year 2021-12-31"));
    for (String table : List.of(SellerMonth.NAME, VillageMonth.NAME, VillagePeriod.NAME)) {
      assertEquals(AggregateJobTest.rows(full, table), AggregateJobTest.rows(march, table), table);
    }
  }

  /** Periods ending before February 2022, lineage included (they must not be rewritten). */
  static org.apache.spark.sql.Dataset<Row> earlier(Warehouse wh) {
    return wh.read(VillagePeriod.NAME, "t").where(col(VillagePeriod.PERIOD_END).lt(Date.valueOf("2022-02-01")));
  }
}
