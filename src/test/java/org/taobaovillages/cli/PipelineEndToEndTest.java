package org.taobaovillages.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.bench.SameTables;
import org.taobaovillages.bench.DuckDbVillageYears;
import org.taobaovillages.export.PrivacyCheck;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * The whole pipeline through the CLI on a small generated world, checked against village-year results computed
 * here in plain Java from the same input rows, with the thresholds of src/test/resources/small-world.conf:
 * sales > RMB 2,000,000 AND Taobao share >= 0.5 AND (active shops >= 60 OR households >= 10 %).
 */
class PipelineEndToEndTest {
  static final BigDecimal SALES_THRESHOLD = new BigDecimal("2000000");
  static final long SHOPS_THRESHOLD = 60;
  static final BigDecimal HOUSEHOLD_SHARE_THRESHOLD = new BigDecimal("0.10");
  static final long MIN_CELL = 3;
  static final Set<String> SALE_STATUSES = Set.of("paid", "shipped", "completed");
  static final Set<String> TAOBAO = Set.of("taobao", "tmall");

  @TempDir static Path dir;
  static SparkSession spark;
  static Path input;
  static Path warehouse;
  static CliErrorsTest.Result first;
  static String log;

  @BeforeAll
  static void runPipeline() {
    spark = TestSpark.get();
    input = dir.resolve("input");
    warehouse = dir.resolve("warehouse");
    String conf = TestSpark.resource("small-world.conf").toString();
    assertEquals(0, CliErrorsTest.run("generate", "--conf", conf, "--output", input.toString()).code());
    // The log is kept for the privacy check (no raw id in it).
    var run = PrivacyCheck.runCapturingLog("pipeline", "--conf", conf, "--demo", "--input", input.toString(),
        "--warehouse", warehouse.toString(), "--run-date", "2020-12-31",
        "--metrics-file", dir.resolve("metrics/pipeline.json").toUri().toString());
    first = new CliErrorsTest.Result(run.code(), run.out(), run.err());
    log = run.log();
    assertEquals(0, first.code(), first.err());
  }

  /** Expected metrics of one village-year, computed from the input rows alone. */
  static final class Expected {
    final Set<String> activeSellers = new HashSet<>();
    final Set<String> activeHouseholds = new HashSet<>();
    long orders;
    BigDecimal sales = BigDecimal.ZERO;
    BigDecimal taobaoSales = BigDecimal.ZERO;
    int households;

    boolean isTaobaoVillage() {
      boolean salesOk = sales.compareTo(SALES_THRESHOLD) > 0;
      boolean platformOk = taobaoSales.multiply(BigDecimal.valueOf(2)).compareTo(sales) >= 0;
      boolean shopsOk = activeSellers.size() >= SHOPS_THRESHOLD;
      boolean householdsOk = BigDecimal.valueOf(activeHouseholds.size())
          .compareTo(HOUSEHOLD_SHARE_THRESHOLD.multiply(BigDecimal.valueOf(households))) >= 0;
      return salesOk && platformOk && (shopsOk || householdsOk);
    }
  }

  static Map<String, Expected> expectedFromInputs() {
    Map<String, String[]> sellerPlace = new HashMap<>();
    for (Row r : spark.read().parquet(input.resolve(SellerAccounts.NAME).toString()).collectAsList()) {
      sellerPlace.put(r.getAs(SellerAccounts.SELLER_ID),
          new String[] {r.getAs(SellerAccounts.VILLAGE_CODE), r.getAs(SellerAccounts.HOUSEHOLD_ID)});
    }
    Map<String, Integer> households = new HashMap<>();
    for (Row r : spark.read().parquet(input.resolve(VillageRegistry.NAME).toString()).collectAsList()) {
      households.put(r.getAs(VillageRegistry.VILLAGE_CODE), r.getAs(VillageRegistry.HOUSEHOLDS));
    }
    Map<String, Expected> expected = new TreeMap<>();
    for (Row r : spark.read().parquet(input.resolve(Transactions.NAME).toString()).collectAsList()) {
      if (!SALE_STATUSES.contains(r.<String>getAs(Transactions.ORDER_STATUS))) {
        continue;
      }
      String seller = r.getAs(Transactions.SELLER_ID);
      int year = r.<java.sql.Timestamp>getAs(Transactions.ORDER_TS).toInstant().atZone(ZoneId.of("Asia/Shanghai")).getYear();
      String village = sellerPlace.get(seller)[0];
      Expected e = expected.computeIfAbsent(village + "/" + year, k -> new Expected());
      BigDecimal amount = r.getAs(Transactions.AMOUNT_RMB);
      // Activity: at least one paid order in the year (sales >= 0 always holds).
      e.activeSellers.add(seller);
      e.activeHouseholds.add(sellerPlace.get(seller)[1]);
      e.orders++;
      e.sales = e.sales.add(amount);
      if (TAOBAO.contains(r.<String>getAs(Transactions.PLATFORM))) {
        e.taobaoSales = e.taobaoSales.add(amount);
      }
      e.households = households.get(village);
    }
    return expected;
  }

  static Map<String, Row> exported() {
    Map<String, Row> rows = new TreeMap<>();
    for (Row r : spark.read().parquet(warehouse.resolve("export/village_status").toString()).where("rule_id = 'A'")
        .collectAsList()) {
      rows.put(r.getAs(VillageRegistry.VILLAGE_CODE) + "/" + r.getAs("year"), r);
    }
    return rows;
  }

  @Test
  void exportedVillageYearsMatchAnIndependentComputation() {
    Map<String, Expected> expected = expectedFromInputs();
    Map<String, Row> actual = exported();
    // A village keeps a row in the years after its first sales even without sales (so that a loss shows): those
    // rows have no active seller, so their metrics are suppressed, and they do not qualify.
    for (var extra : actual.entrySet()) {
      if (!expected.containsKey(extra.getKey())) {
        assertTrue(extra.getValue().<Boolean>getAs("metrics_suppressed"), extra.getKey());
        assertFalse(extra.getValue().<Boolean>getAs("qualifies"), extra.getKey());
      }
    }
    assertTrue(actual.keySet().containsAll(expected.keySet()));
    int taobaoVillages = 0;
    int notTaobaoVillages = 0;
    for (var entry : expected.entrySet()) {
      Expected e = entry.getValue();
      Row a = actual.get(entry.getKey());
      String where = entry.getKey();
      assertEquals(e.isTaobaoVillage(), a.<Boolean>getAs("qualifies"), where);
      boolean suppressed = e.activeSellers.size() < MIN_CELL;
      assertEquals(suppressed, a.<Boolean>getAs("metrics_suppressed"), where);
      if (suppressed) {
        assertNull(a.getAs("sales_rmb"), where);
        assertNull(a.getAs("active_sellers"), where);
        continue;
      }
      assertEquals(e.activeSellers.size(), a.<Long>getAs("active_sellers"), where);
      assertEquals(e.activeHouseholds.size(), a.<Long>getAs("active_households"), where);
      assertEquals(e.orders, a.<Long>getAs("orders"), where);
      assertEquals(0, e.sales.compareTo(a.getAs("sales_rmb")), where + " sales " + e.sales + " vs " + a.getAs("sales_rmb"));
      assertEquals(e.taobaoSales.doubleValue() / e.sales.doubleValue(), a.<Double>getAs("taobao_share"), 1e-9, where);
      assertEquals((double) e.activeHouseholds.size() / e.households, a.<Double>getAs("household_share"), 1e-12, where);
      if (e.isTaobaoVillage()) {
        taobaoVillages++;
      } else {
        notTaobaoVillages++;
      }
    }
    assertTrue(taobaoVillages > 0 && notTaobaoVillages > 0,
        "the small world must have village-years on both sides of the thresholds");
  }

  /** The benchmark's reference answer, by embedded DuckDB from the raw files, is what the pipeline stored. */
  @Test
  void duckDbFromTheRawFilesGivesTheSameVillageYears() throws java.sql.SQLException, java.io.IOException {
    var duck = DuckDbVillageYears.fromRawParquet(input, java.time.LocalDate.parse("2020-12-31"));
    assertEquals(expectedFromInputs().keySet(), duck.keySet());
    assertEquals(List.of(), DuckDbVillageYears.differences(duck,
        DuckDbVillageYears.fromWarehouse(spark, warehouse.toString()), 10));
  }

  @Test
  void aVillageCrossesTheThresholdsDuringThePeriod() {
    Map<String, Row> actual = exported();
    assertTrue(actual.values().stream().anyMatch(r -> "new".equals(r.getAs("transition"))
        && r.<Integer>getAs("year") > 2018), "some village gains the status after the first year");
    // Every export is there, complete.
    for (String name : List.of("village_status", "village_nowcast", "watchlist", "hot_spots", "town_status",
        "cluster_status", "county_status", "ingest_quality", "county_features", "county_typology", "formation_test",
        "village_business_model", "emergence_scores", "typology_evaluation")) {
      assertTrue(java.nio.file.Files.exists(warehouse.resolve("export/" + name + "/_SUCCESS")), name);
    }
  }

  @Test
  void countyFeaturesAddUpTheIndependentVillageYears() {
    // The one county's yearly row: sales, active sellers, villages with sales and Taobao Villages summed from the
    // village-years computed in plain Java from the input files (run date 2020-12-31: 2018-2020 complete).
    Map<Integer, BigDecimal> sales = new TreeMap<>();
    Map<Integer, long[]> counts = new TreeMap<>();
    expectedFromInputs().forEach((key, e) -> {
      int year = Integer.parseInt(key.substring(key.indexOf('/') + 1));
      sales.merge(year, e.sales, BigDecimal::add);
      long[] c = counts.computeIfAbsent(year, y -> new long[3]);
      c[0] += e.activeSellers.size();
      c[1] += e.sales.signum() > 0 ? 1 : 0;
      c[2] += e.isTaobaoVillage() ? 1 : 0;
    });
    List<Row> rows = spark.read().format("delta").load(warehouse.resolve("county_features").toString())
        .where("level = 'county'").orderBy("year").collectAsList();
    assertEquals(sales.keySet(), new java.util.TreeSet<>(rows.stream().map(r -> r.<Integer>getAs("year")).toList()));
    for (Row r : rows) {
      int year = r.getAs("year");
      assertEquals(0, sales.get(year).compareTo(r.getAs("sales_rmb")), "sales " + year + ": " + sales.get(year)
          + " vs " + r.getAs("sales_rmb"));
      assertEquals(counts.get(year)[0], r.<Long>getAs("active_sellers"), "sellers " + year);
      assertEquals(counts.get(year)[1], r.<Long>getAs("villages_with_sales"), "villages " + year);
      assertEquals(counts.get(year)[2], r.<Long>getAs("taobao_villages"), "Taobao Villages " + year);
      assertEquals(33L, r.<Long>getAs("villages"));
    }
    // The rule-based typology has the county in every year, explained.
    Row typology = spark.read().format("delta").load(warehouse.resolve("county_typology").toString())
        .where("year = 2020").first();
    assertEquals("130672", typology.getAs("county_code"));
    assertTrue(typology.<String>getAs("explanation").contains("factors -> formation"));
  }

  /**
   * Issue 32's privacy test on this world ({@link PrivacyCheck}): no raw id in any file of the warehouse or in what
   * the run printed and logged, no money or count as floating point, every exported figure from at least 3 sellers
   * counted here from the input files, and no published total giving a smaller group back by subtraction.
   */
  @Test
  void noExportedFigureComesFromFewerThanThreeSellersAndNoRawIdIsAnywhere() throws IOException {
    var result = PrivacyCheck.check(spark, new PrivacyCheck.Run(input, dir.resolve("input-truth"), warehouse,
        java.time.LocalDate.parse("2020-12-31"), MIN_CELL, 12, first.out() + "\n" + first.err() + "\n" + log));
    result.summary().forEach((export, line) -> System.out.println("privacy check, small world: " + export + ": "
        + line));
    assertEquals(List.of(), result.violations());
  }

  @Test
  void everyInputRowIsAcceptedOrQuarantined() {
    // The small world is clean (dirty-rate 0): every order is accepted, none quarantined or skipped.
    long read = spark.read().parquet(input.resolve(Transactions.NAME).toString()).count();
    long accepted = spark.read().format("delta").load(warehouse.resolve(Transactions.NAME).toString()).count();
    long quarantined = spark.read().format("delta").load(warehouse.resolve("quarantine").toString()).count();
    assertEquals(read, accepted);
    assertEquals(0, quarantined);
    assertTrue(first.out().matches(String.format("(?s).*transactions\\s+%,d\\s+%,d\\s+0\\s+0\\s+0.*", read, read)),
        first.out());
  }

  /**
   * The scheduler's report: one entry per stage, inner stages first, the whole command last. Every input order
   * is accepted (the check above), so the transactions stage writes exactly the input's orders.
   */
  @Test
  void theMetricsFileReportsEachStageWithItsRows() throws IOException {
    var report = new ObjectMapper().readTree(dir.resolve("metrics/pipeline.json").toFile());
    assertEquals("pipeline", report.get("command").asText());
    assertEquals("2020-12-31", report.get("run_date").asText());
    assertEquals("succeeded", report.get("outcome").asText());
    assertTrue(report.get("error").isNull());
    List<String> names = new ArrayList<>();
    Map<String, JsonNode> stages = new HashMap<>();
    report.get("stages").forEach(s -> {
      names.add(s.get("stage").asText());
      stages.put(s.get("stage").asText(), s);
    });
    assertEquals("pipeline", names.get(names.size() - 1));
    for (String outer : List.of("pipeline/ingest", "pipeline/aggregate", "pipeline/detect", "pipeline/export")) {
      assertTrue(names.contains(outer), names.toString());
    }
    assertTrue(names.indexOf("pipeline/ingest/transactions") < names.indexOf("pipeline/ingest"), names.toString());
    long orders = spark.read().parquet(input.resolve(Transactions.NAME).toString()).count();
    assertEquals(orders, stages.get("pipeline/ingest/transactions").get("rows_out").asLong());
    // Rows in are records read from storage: the whole ingest reads every delivered order at least once (its
    // transactions stage may work from the checked rows an earlier stage cached).
    assertTrue(stages.get("pipeline/ingest").get("rows_in").asLong() >= orders);
    assertTrue(report.get("seconds").asDouble() >= stages.get("pipeline/ingest").get("seconds").asDouble());
  }

  @Test
  void rawSellerIdsNeverReachTheWarehouse() {
    Set<String> raw = new HashSet<>();
    spark.read().parquet(input.resolve(SellerAccounts.NAME).toString()).select(SellerAccounts.SELLER_ID)
        .collectAsList().forEach(r -> raw.add(r.getString(0)));
    Dataset<Row> stored = spark.read().format("delta").load(warehouse.resolve(Transactions.NAME).toString())
        .select(Transactions.SELLER_ID).distinct();
    List<String> ids = stored.collectAsList().stream().map(r -> r.getString(0)).toList();
    assertFalse(ids.isEmpty());
    for (String id : ids) {
      assertFalse(raw.contains(id), id);
      assertTrue(id.matches("[0-9a-f]{64}"), id);
    }
  }

  /** Every table aggregate and detect write. */
  static final List<String> DERIVED = List.of("seller_month", "village_month", "village_period", "village_status",
      "town_status", "town_villages", "county_status", "cluster_status", "cluster_villages", "watchlist",
      "hot_spot_years", "hot_spots", "county_features", "county_typology", "formation_test",
      "village_business_model", "emergence_scores", "typology_evaluation");

  /** A table's Delta version now: what a re-run is compared with, by time travel. */
  static long version(String table) {
    return io.delta.tables.DeltaTable.forPath(spark, warehouse.resolve(table).toString()).history(1).first()
        .getLong(0);
  }

  /**
   * A re-run gives the same tables (SameTables: doubles within its tolerance, which the order partial sums meet in
   * may change in their last bits; the run id aside) and the same export.
   */
  @Test
  void rerunningTheSameRunDateGivesTheSameTables() {
    Map<String, Long> versions = new TreeMap<>();
    DERIVED.forEach(t -> versions.put(t, version(t)));
    Dataset<Row> exportedRows = spark.read().parquet(warehouse.resolve("export/village_status").toString());
    // Kept on the driver (a few hundred rows): the re-run overwrites the export's files.
    Dataset<Row> exportBefore = spark.createDataFrame(exportedRows.collectAsList(), exportedRows.schema());
    assertTrue(spark.read().format("delta").load(warehouse.resolve("village_status").toString()).count() > 0);
    var again = CliErrorsTest.run("pipeline", "--conf", TestSpark.resource("small-world.conf").toString(), "--demo",
        "--input", input.toString(), "--warehouse", warehouse.toString(), "--run-date", "2020-12-31");
    assertEquals(0, again.code(), again.err());
    SameTables.Difference export = SameTables.compare("export/village_status", exportBefore,
        spark.read().parquet(warehouse.resolve("export/village_status").toString()), Set.of());
    assertTrue(export.rows() > 0 && export.same(), export.toString());
    for (String t : DERIVED) {
      String path = warehouse.resolve(t).toString();
      SameTables.Difference d = SameTables.compare(t,
          spark.read().format("delta").option("versionAsOf", versions.get(t)).load(path),
          spark.read().format("delta").load(path), Set.of());
      assertTrue(d.same(), d.toString());
    }
    long accepted = spark.read().format("delta").load(warehouse.resolve(Transactions.NAME).toString()).count();
    long read = spark.read().parquet(input.resolve(Transactions.NAME).toString()).count();
    long quarantined = spark.read().format("delta").load(warehouse.resolve("quarantine").toString()).count();
    assertEquals(read, accepted + quarantined, "a rerun does not double count");
  }

  /** The data files under an export directory, as paths relative to it. */
  static Set<String> dataFiles(Path directory) throws IOException {
    try (var files = java.nio.file.Files.walk(directory)) {
      return new java.util.TreeSet<>(files.filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .map(f -> directory.relativize(f).toString()).toList());
    }
  }

  /**
   * On a copy of the warehouse: a second export with nothing changed rewrites nothing; after one village's status
   * rows of one year are deleted, the next export rewrites that year's partitions only, and every directory then
   * equals what a full export of the same tables writes.
   */
  @Test
  void exportRewritesOnlyTheYearsWhoseTablesChanged() throws IOException {
    Path copy = dir.resolve("incremental/warehouse");
    org.apache.commons.io.FileUtils.copyDirectory(warehouse.toFile(), copy.toFile());
    Path exported = dir.resolve("incremental/export");
    String conf = TestSpark.resource("small-world.conf").toString();
    String[] export = {"export", "--conf", conf, "--warehouse", copy.toString(), "--export-dir", exported.toString(),
        "--run-date", "2020-12-31"};
    var first = CliErrorsTest.run(export);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().matches("(?s).*village_status\\s+whole\\s.*"), first.out());
    Path statusDir = exported.resolve("village_status");
    Set<String> before = dataFiles(statusDir);

    var again = CliErrorsTest.run(export);
    assertEquals(0, again.code(), again.err());
    assertFalse(again.out().matches("(?s).*\\s(whole|partitions)\\s.*"), again.out());
    assertEquals(before, dataFiles(statusDir), "nothing rewritten");

    String statusPath = copy.resolve("village_status").toString();
    Row oldest = spark.read().format("delta").load(statusPath).where("period = 'year'")
        .orderBy("year", "village_code").select("year", "village_code").first();
    int year = oldest.getInt(0);
    io.delta.tables.DeltaTable.forPath(spark, statusPath)
        .delete("year = " + year + " AND village_code = '" + oldest.getString(1) + "'");
    var changed = CliErrorsTest.run(export);
    assertEquals(0, changed.code(), changed.err());
    assertTrue(changed.out().contains("(year IN (" + year + "))"), changed.out());
    Set<String> after = dataFiles(statusDir);
    String ofYear = "year=" + year + "/";
    Set<String> otherYears = new java.util.TreeSet<>(before);
    otherYears.removeIf(f -> f.contains(ofYear));
    Set<String> otherYearsAfter = new java.util.TreeSet<>(after);
    otherYearsAfter.removeIf(f -> f.contains(ofYear));
    assertFalse(otherYears.isEmpty());
    assertEquals(otherYears, otherYearsAfter, "the other years' files are the same files: " + changed.out());
    assertNotEquals(before, after, "the year's files were rewritten");

    Path full = dir.resolve("incremental/full");
    var whole = CliErrorsTest.run("export", "--conf", conf, "--warehouse", copy.toString(), "--export-dir",
        full.toString(), "--run-date", "2020-12-31", "--full");
    assertEquals(0, whole.code(), whole.err());
    int compared = 0;
    try (var dirs = java.nio.file.Files.list(full)) {
      for (Path d : dirs.filter(java.nio.file.Files::isDirectory).toList()) {
        if (dataFiles(d).isEmpty()) {
          assertEquals(Set.of(), dataFiles(exported.resolve(d.getFileName())), d.getFileName() + " holds no row");
          compared++;
          continue;
        }
        Dataset<Row> expected = spark.read().parquet(d.toString());
        SameTables.Difference diff = SameTables.compare(d.getFileName().toString(), expected,
            spark.read().schema(expected.schema()).parquet(exported.resolve(d.getFileName()).toString()), Set.of());
        assertTrue(diff.same(), diff.toString());
        compared++;
      }
    }
    assertTrue(compared >= 15, compared + " directories compared");
  }
}
