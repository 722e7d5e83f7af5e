package org.taobaovillages.cli;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.bench.SameTables;
import org.taobaovillages.table.AggregateRuns;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;

/**
 * A re-delivery that moves sellers, on a generated world (the small world of {@code small-world.conf}, ingested,
 * aggregated and detected for 2020-12-31). Then the delivery of 2021-01-31: every seventh account re-delivered in
 * another village of the registry, with an order of 2021-01-10 (before the new version: in the old village) and
 * two of 2021-01-31, the run date (in force from that day: in the new village); one village with 50 more
 * households and one moved to a new township. Every period ending by 2020-12-31 must keep its figures and statuses (compared
 * with the tables before, by Delta time travel), the daily run must not fall back to a full recomputation, and
 * the January orders must count to the villages the sellers moved to.
 */
class MovedSellersEndToEndTest {
  static final String CONF = TestSpark.resource("small-world.conf").toString();
  static final Date LAST_BEFORE = Date.valueOf("2020-12-31");
  static final BigDecimal JANUARY_ORDER = new BigDecimal("1000.00");

  @TempDir static Path dir;
  static SparkSession spark;
  static Path warehouse;
  /** The Delta version of each compared table after the first day. */
  static final Map<String, Long> before = new TreeMap<>();
  /** New village of each moved seller (raw id), and its old one. */
  static final Map<String, String> moved = new TreeMap<>();
  static final Map<String, String> movedFrom = new TreeMap<>();
  static String householdsChanged;
  static String townChanged;
  /** Township of each village from January 2021. */
  static final Map<String, String> townIn2021 = new TreeMap<>();

  @BeforeAll
  static void twoDays() {
    spark = TestSpark.get();
    Path input = dir.resolve("input");
    warehouse = dir.resolve("warehouse");
    assertEquals(0, CliErrorsTest.run("generate", "--conf", CONF, "--output", input.toString()).code());
    day(input, "2020-12-31");
    for (String table : List.of(VillagePeriod.NAME, VillageStatus.NAME, TownStatus.NAME)) {
      before.put(table, io.delta.tables.DeltaTable.forPath(spark, warehouse.resolve(table).toString()).history(1)
          .first().getLong(0));
    }
    day(redelivery(input, dir.resolve("redelivery")), "2021-01-31");
  }

  static void day(Path input, String runDate) {
    for (String stage : List.of("ingest", "aggregate", "detect")) {
      List<String> args = new ArrayList<>(List.of(stage, "--conf", CONF, "--warehouse", warehouse.toString(),
          "--run-date", runDate));
      if (stage.equals("ingest")) {
        args.addAll(List.of("--demo", "--input", input.toString()));
      }
      CliErrorsTest.Result r = CliErrorsTest.run(args.toArray(String[]::new));
      assertEquals(0, r.code(), stage + " " + runDate + ": " + r.err());
    }
  }

  /** The delivery of 2021-01-31, built from the generated world's accounts and registry. */
  static Path redelivery(Path world, Path out) {
    List<Row> villages = spark.read().parquet(world.resolve(VillageRegistry.NAME).toString())
        .orderBy(VillageRegistry.VILLAGE_CODE).collectAsList();
    List<String> codes = villages.stream().map(r -> r.<String>getAs(VillageRegistry.VILLAGE_CODE)).toList();
    List<Row> accounts = spark.read().parquet(world.resolve(SellerAccounts.NAME).toString())
        .where(col(SellerAccounts.VILLAGE_CODE).isin(codes.toArray()))
        .orderBy(SellerAccounts.SELLER_ID).collectAsList();
    villages.forEach(v -> townIn2021.put(v.getAs(VillageRegistry.VILLAGE_CODE), v.getAs(VillageRegistry.TOWN_CODE)));
    householdsChanged = codes.get(0);
    townChanged = codes.get(1);
    // The generated county has one township: the village moves to a new one.
    String newTown = townChanged.substring(0, 6) + "199";
    townIn2021.put(townChanged, newTown);
    List<Row> movedAccounts = new ArrayList<>();
    List<Row> orders = new ArrayList<>();
    for (int i = 0; i < accounts.size(); i += 7) {
      Row a = accounts.get(i);
      String from = a.getAs(SellerAccounts.VILLAGE_CODE);
      // The first one to the village that changes township, the others to a village up to 5 further on.
      String to = i == 0 && !from.equals(townChanged) ? townChanged
          : codes.get((codes.indexOf(from) + 1 + i % 5) % codes.size());
      Object[] values = new Object[a.size()];
      for (int c = 0; c < a.size(); c++) {
        values[c] = a.schema().fieldNames()[c].equals(SellerAccounts.VILLAGE_CODE) ? to : a.get(c);
      }
      movedAccounts.add(RowFactory.create(values));
      String seller = a.getAs(SellerAccounts.SELLER_ID);
      moved.put(seller, to);
      movedFrom.put(seller, from);
      for (LocalDateTime t : List.of(LocalDateTime.of(2021, 1, 10, 10, 0), LocalDateTime.of(2021, 1, 31, 0, 5),
          LocalDateTime.of(2021, 1, 31, 23, 55))) {
        orders.add(RowFactory.create("moved-" + i + "-" + t.getDayOfMonth() + "-" + t.getHour(), seller, "taobao",
            Timestamp.from(t.atZone(ZoneId.of("Asia/Shanghai")).toInstant()), JANUARY_ORDER, 1, "bags", "paid"));
      }
    }
    assertTrue(moved.size() >= 10, "moved " + moved.size());
    // One village with 50 more households, one moved to another township.
    List<Row> registry = new ArrayList<>();
    for (Row v : villages.subList(0, 2)) {
      Object[] values = new Object[v.size()];
      for (int c = 0; c < v.size(); c++) {
        String name = v.schema().fieldNames()[c];
        values[c] = v.get(c);
        if (v == villages.get(0) && name.equals(VillageRegistry.HOUSEHOLDS)) {
          values[c] = v.<Integer>getAs(name) + 50;
        } else if (v == villages.get(1) && name.equals(VillageRegistry.TOWN_CODE)) {
          values[c] = newTown;
        } else if (v == villages.get(1) && name.equals(VillageRegistry.TOWN_NAME)) {
          values[c] = "新镇";
        }
      }
      registry.add(RowFactory.create(values));
    }
    write(spark.createDataFrame(movedAccounts, accounts.get(0).schema()), out.resolve(SellerAccounts.NAME));
    write(spark.createDataFrame(registry, villages.get(0).schema()), out.resolve(VillageRegistry.NAME));
    write(spark.createDataFrame(orders, Transactions.INPUT_SCHEMA), out.resolve(Transactions.NAME));
    return out;
  }

  static void write(Dataset<Row> rows, Path path) {
    rows.coalesce(1).write().parquet(path.toString());
  }

  static Dataset<Row> table(String name) {
    return spark.read().format("delta").load(warehouse.resolve(name).toString());
  }

  static Dataset<Row> tableBefore(String name) {
    return spark.read().format("delta").option("versionAsOf", before.get(name))
        .load(warehouse.resolve(name).toString());
  }

  /**
   * The previous run (2020-12-31) saw December whole and the redelivery holds orders of January only, so the run
   * recomputes January alone: neither the account versions nor the registry versions it brings reach back.
   */
  @Test
  void theDailyRunRecomputesOnlyTheMonthsAfterThePreviousRun() {
    Row run = table(AggregateRuns.NAME).where(col(RunColumns.RUN_DATE).equalTo(Date.valueOf("2021-01-31"))).first();
    assertFalse(run.<Boolean>getAs(AggregateRuns.FULL), run.<String>getAs(AggregateRuns.REASON));
    assertEquals(Date.valueOf("2021-01-01"), run.getAs(AggregateRuns.FIRST_MONTH));
  }

  @Test
  void everyPeriodEndingBeforeTheRedeliveryKeepsItsFiguresAndStatus() {
    for (String t : List.of(VillagePeriod.NAME, VillageStatus.NAME)) {
      SameTables.Difference d = SameTables.compare(t, tableBefore(t), table(t).where(
          col(VillagePeriod.PERIOD_END).leq(LAST_BEFORE)), Set.of());
      assertTrue(d.rows() > 0 && d.same(), d.toString());
    }
    SameTables.Difference towns = SameTables.compare(TownStatus.NAME, tableBefore(TownStatus.NAME),
        table(TownStatus.NAME).where(col(VillagePeriod.YEAR).leq(2020)), Set.of());
    assertTrue(towns.rows() > 0 && towns.same(), towns.toString());
    // The village given more households keeps its old count for 2020 and has the new one from January.
    Map<String, Integer> households = new TreeMap<>();
    table(VillagePeriod.NAME).where(col(VillagePeriod.VILLAGE_CODE).equalTo(householdsChanged)
            .and(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD)))
        .collectAsList().forEach(r -> households.put(r.getAs(VillagePeriod.PERIOD_END).toString(),
            r.getAs(VillagePeriod.HOUSEHOLDS)));
    assertEquals(households.get("2020-12-31") + 50, households.get("2021-01-31"), households.toString());
  }

  /** Each moved seller's order of 2021-01-10 in the village it left, its two of 2021-01-31 in the new one. */
  @Test
  void januaryOrdersCountToTheVillageOfTheAccountVersionOfTheirDay() {
    Map<String, BigDecimal> expected = new TreeMap<>();
    movedFrom.values().forEach(v -> expected.merge(v, JANUARY_ORDER, BigDecimal::add));
    moved.values().forEach(v -> expected.merge(v, JANUARY_ORDER.multiply(BigDecimal.valueOf(2)), BigDecimal::add));
    Map<String, BigDecimal> stored = new TreeMap<>();
    table(VillageMonth.NAME).where(col(VillageMonth.MONTH).equalTo(Date.valueOf("2021-01-01"))).collectAsList()
        .forEach(r -> stored.put(r.getAs(VillageMonth.VILLAGE_CODE),
            r.<BigDecimal>getAs(VillageMonth.SALES_RMB).stripTrailingZeros()));
    expected.replaceAll((k, v) -> v.stripTrailingZeros());
    assertEquals(expected, stored);
  }

  /**
   * In 2021 only the moved sellers sell (the world ends in 2020), so the villages with sales in 2021 are those
   * they left and those they moved to, counted (rule T1) in the townships the registry places them in from January
   * 2021: the village moved to another township counts in its new one.
   */
  @Test
  void in2021TheVillagesCountToTheTownshipsOfThatYearsRegistryVersion() {
    Map<String, Long> expected = new TreeMap<>();
    Set<String> selling = new java.util.TreeSet<>(moved.values());
    selling.addAll(movedFrom.values());
    selling.forEach(v -> expected.merge(townIn2021.get(v), 1L, Long::sum));
    assertTrue(expected.containsKey(townIn2021.get(townChanged)), expected.toString());
    Map<String, Long> stored = new TreeMap<>();
    table(TownStatus.NAME).where(col(VillageStatus.RULE_ID).equalTo("T1").and(col(VillagePeriod.YEAR).equalTo(2021))
            .and(col(TownStatus.VILLAGES_WITH_SALES).gt(0)))
        .collectAsList().forEach(r -> stored.put(r.getAs(TownStatus.TOWN_CODE), r.getAs(TownStatus.VILLAGES_WITH_SALES)));
    assertEquals(expected, stored);
  }
}
