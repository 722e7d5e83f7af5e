package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.bench.SameTables;
import org.taobaovillages.cli.CliRunner;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.TruthDefects;
import org.taobaovillages.table.VillageRegistry;

/**
 * The world model on a tiny real county, end to end: determinism, exact order sums, the pipeline's own village-
 * year table against the generator's ledger (with dirty rows planted, which ingest must take out), and the
 * planted defects at their configured rate.
 */
class WorldModelTest {
  /** Baigou new town (Baoding, Hebei): 33 village committees, bags and luggage, 5 published Taobao Villages. */
  static final String COUNTY = "130672";
  static final String CONF = TestSpark.resource("small-world.conf").toString();
  @TempDir static Path dir;
  static SparkSession spark;
  static AppConfig app;
  static Path dirty;
  static GenerateConfig dirtyCfg;

  @BeforeAll
  static void generate() throws Exception {
    spark = TestSpark.get();
    app = AppConfig.load(new File(CONF));
    // The tiny world with 2 % dirty and 2 % late rows.
    dirtyCfg = new GenerateConfig(app.generate().seed(), 2018, 2020, 1, List.of(COUNTY), 100, 0.04, 0.02, 0.02);
    dirty = dir.resolve("dirty");
    GenerateJob.run(spark, app, dirtyCfg, dirty.toUri().toString(), dir.resolve("dirty-truth").toUri().toString(), true);
  }

  /** SHA-256 of every data file under a directory, by relative directory and content (Spark's file names
   * carry a random job id, so names are not compared). */
  static List<String> fileDigests(Path root) throws Exception {
    List<String> digests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        digests.add(root.relativize(f.getParent()) + "/" + HexFormat.of().formatHex(hash));
      }
    }
    digests.sort(null);
    return digests;
  }

  @Test
  void theSameSeedGivesByteIdenticalFilesAndAnotherSeedOthers() throws Exception {
    // The dirty world of @BeforeAll once more, and with another seed.
    GenerateJob.run(spark, app, dirtyCfg, dir.resolve("b").toUri().toString(), dir.resolve("b-truth").toUri().toString(),
        true);
    // Another seed: only its ledger (the source of every order), to keep the test short.
    GenerateJob.run(spark, app, dirtyCfg.withSeed(8), dir.resolve("c").toUri().toString(),
        dir.resolve("c-truth").toUri().toString(), false);
    List<String> a = fileDigests(dirty);
    assertTrue(a.size() > 10, "files: " + a);
    assertEquals(a, fileDigests(dir.resolve("b")));
    assertEquals(fileDigests(dir.resolve("dirty-truth")), fileDigests(dir.resolve("b-truth")));
    Dataset<Row> other = spark.read().parquet(dir.resolve("c-truth").resolve(GenerateJob.LEDGER).toString());
    Dataset<Row> first = spark.read().parquet(dir.resolve("dirty-truth").resolve(GenerateJob.LEDGER).toString());
    assertFalse(SameTables.compare(GenerateJob.LEDGER, first, other, Set.of()).same(), "another seed gives another world");
  }

  @Test
  void theRegistryIsTheRealCountyAndEveryCleanOrderHasItsSeller() {
    Dataset<Row> registry = spark.read().parquet(dirty.resolve(VillageRegistry.NAME).toString());
    // Baigou has 33 village committees in the 2021 codes (reference/admin-divisions-2021).
    assertEquals(33, registry.count());
    assertEquals(33, registry.where("village_code rlike '^130672[0-9]{3}2[0-9]{2}$'").count());
    Dataset<Row> orders = spark.read().parquet(dirty.resolve(Transactions.NAME).toString());
    Dataset<Row> sellers = spark.read().parquet(dirty.resolve(SellerAccounts.NAME).toString());
    // Clean orders: all but the defective companions (new ids ending D<kind>, or exact duplicates of an id).
    Dataset<Row> clean = orders.where(not(col(Transactions.TRANSACTION_ID).rlike("D[0-9]$"))).dropDuplicates();
    assertEquals(0, clean.join(sellers, clean.col("seller_id").equalTo(sellers.col("seller_id")), "left_anti").count());
    assertEquals(clean.count(), clean.select(Transactions.TRANSACTION_ID).distinct().count(), "unique order ids");
  }

  @Test
  void everyDefectKindIsPlantedAtTheConfiguredRateAndListedInTheTruth() {
    Dataset<Row> truth = spark.read().parquet(dir.resolve("dirty-truth").resolve(TruthDefects.NAME).toString());
    Dataset<Row> orders = spark.read().parquet(dirty.resolve(Transactions.NAME).toString());
    long planted = truth.where(col(TruthDefects.FILE_SET).equalTo(Transactions.NAME)
        .and(col(TruthDefects.KIND).notEqual(Defects.LATE))).count();
    long clean = orders.count() - planted;
    Map<String, Long> kinds = new TreeMap<>();
    truth.groupBy(TruthDefects.KIND).count().collectAsList().forEach(r -> kinds.put(r.getString(0), r.getLong(1)));
    // Each clean order is defective with probability 2 %, one of 7 kinds at random; late with probability 2 %.
    for (String kind : Defects.ORDER_KINDS) {
      double p = 0.02 / Defects.ORDER_KINDS.size();
      long n = kinds.getOrDefault(kind, 0L);
      assertEquals(p * clean, n, 5 * Math.sqrt(clean * p * (1 - p)) + 1, kind + " of " + clean + ": " + kinds);
    }
    assertEquals(0.02 * clean, kinds.get(Defects.LATE), 5 * Math.sqrt(clean * 0.02 * 0.98) + 1);
    long accounts = spark.read().parquet(dirty.resolve(SellerAccounts.NAME).toString()).count();
    long badAccounts = kinds.getOrDefault("malformed_village_code", 0L) + kinds.getOrDefault("unknown_village_code", 0L);
    assertTrue(badAccounts > 0, "bogus accounts planted: " + kinds);
    assertEquals(0.02 * (accounts - badAccounts), badAccounts, 5 * Math.sqrt(accounts * 0.02) + 1);
    // Each listed row really has its defect in the delivered data (checked on the data, kind by kind).
    Dataset<Row> plantedRows = truth.where(col(TruthDefects.FILE_SET).equalTo(Transactions.NAME));
    Dataset<Row> accountsRead = spark.read().parquet(dirty.resolve(SellerAccounts.NAME).toString());
    Dataset<Row> withCount = orders.withColumn("copies", count(lit(1)).over(
        org.apache.spark.sql.expressions.Window.partitionBy(Transactions.TRANSACTION_ID)));
    Dataset<Row> listed = plantedRows.drop(TruthDefects.SELLER_ID, TruthDefects.DELIVERY_MONTH)
        .join(withCount, TruthDefects.TRANSACTION_ID)
        .join(accountsRead.select(col(SellerAccounts.SELLER_ID), lit(true).as("known")), SellerAccounts.SELLER_ID, "left");
    Map<String, String> holds = Map.of(
        "duplicate_transaction_id", "copies = 2",
        "null_seller_id", "seller_id is null",
        "unknown_seller", "seller_id is not null and known is null",
        "non_positive_amount", "amount_rmb <= 0 and order_status = 'completed'",
        "future_timestamp", "order_ts >= timestamp'2029-12-31 16:00:00'",
        "bad_platform", "platform not in ('taobao','tmall','pinduoduo','jd','douyin','kuaishou','other')",
        "bad_status", "order_status not in ('paid','shipped','completed','refunded','cancelled')",
        Defects.LATE, "copies = 1 and known and amount_rmb > 0");
    for (var e : holds.entrySet()) {
      Dataset<Row> ofKind = listed.where(col(TruthDefects.KIND).equalTo(e.getKey()));
      assertTrue(ofKind.count() > 0, e.getKey());
      assertEquals(0, ofKind.where("not (" + e.getValue() + ")").count(), e.getKey() + ": " + e.getValue());
    }
    // Each bogus account has the defect its label names: 11 digits, or a 12-digit code of no village (xxx999).
    Dataset<Row> bogus = truth.where(col(TruthDefects.FILE_SET).equalTo(SellerAccounts.NAME))
        .join(accountsRead, SellerAccounts.SELLER_ID);
    assertEquals(badAccounts, bogus.count(), "every listed account delivered");
    assertEquals(0, bogus.where("kind = 'malformed_village_code' and not village_code rlike '^[0-9]{11}$'").count());
    assertEquals(0, bogus.where("kind = 'unknown_village_code' and not village_code rlike '^[0-9]{9}999$'").count());
    // Late orders are delivered 1 to 3 months after their order month.
    Dataset<Row> late = orders.join(plantedRows.where(col(TruthDefects.KIND).equalTo(Defects.LATE)),
        orders.col(Transactions.TRANSACTION_ID).equalTo(plantedRows.col(TruthDefects.TRANSACTION_ID)));
    long wrong = late.where(not(months_between(to_date(concat(orders.col(Defects.DELIVERY_MONTH), lit("-01"))),
        to_date(date_format(from_utc_timestamp(col(Transactions.ORDER_TS), "Asia/Shanghai"), "yyyy-MM-01")))
        .between(1, 3))).count();
    assertEquals(0, wrong);
  }

  @Test
  void ordersAddUpToTheLedgerAndThePipelineFindsTheLedgerThroughTheDirt() {
    Path warehouse = dir.resolve("warehouse");
    // Ingest and aggregate are what is compared here (detection is scored by evaluate, not against this ledger).
    var result = CliRunner.run("ingest", "--conf", CONF, "--demo", "--input", dirty.toString(),
        "--warehouse", warehouse.toString(), "--run-date", "2020-12-31");
    assertEquals(0, result.code(), result.err());
    result = CliRunner.run("aggregate", "--conf", CONF, "--warehouse", warehouse.toString(), "--run-date", "2020-12-31");
    assertEquals(0, result.code(), result.err());
    // Exact, but for taobao_share, a double (the ledger divides sums of cents, the pipeline of decimals): within
    // SameTables' tolerance.
    org.apache.spark.sql.Column[] columns = {col("village_code"), col("year"), col("active_sellers"),
        col("active_households"), col("households"), col("orders"), col("sales_rmb"), col("taobao_share")};
    Dataset<Row> ledger = spark.read().parquet(dir.resolve("dirty-truth").resolve(GenerateJob.LEDGER).toString())
        .select(columns);
    Dataset<Row> pipeline = spark.read().format("delta").load(warehouse.resolve("village_period").toString())
        .where("period = 'year' and active_definition = 'paid orders >= 1 and sales_rmb >= 0'").select(columns);
    assertTrue(ledger.count() > 10, "the tiny world has e-commerce: " + ledger.count());
    SameTables.Difference d = SameTables.compare(GenerateJob.LEDGER, ledger, pipeline, Set.of());
    assertTrue(d.same(), () -> d + "; ledger rows the pipeline does not reproduce exactly (up to 20): "
        + ledger.exceptAll(pipeline).limit(20).collectAsList() + "; pipeline rows not in the ledger exactly: "
        + pipeline.exceptAll(ledger).limit(20).collectAsList());

    // Row for row against the planted defects: every one found, no clean row quarantined.
    var score = org.taobaovillages.ingest.IngestScore.ofDemo(spark, warehouse, dir.resolve("dirty-truth"));
    assertTrue(score.planted() > 100, score.toString());
    assertEquals(score.planted(), score.truePositives(), "recall 1: " + score);
    assertEquals(score.quarantined(), score.truePositives(), "precision 1: " + score);
    assertEquals(score.duplicatesPlanted(), score.duplicatesSkipped(), score.toString());
    assertEquals(score.latePlanted(), score.lateAccepted(), score.toString());
  }
}
