package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestFiles;
import org.taobaovillages.TestSpark;
import org.taobaovillages.bench.SameTables;
import org.taobaovillages.cli.CliRunner;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.generate.GenerateJob;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.TruthDefects;

/**
 * Ingest on a generated county (Baigou, 2019-2020, 2 % planted defects, 2 % late deliveries), cut into two
 * deliveries by delivery month: A = up to 2020-06 (run date 2020-06-30) and B = from 2020-01 (run date
 * 2021-03-31), overlapping in 2020-01..06, ingested one after the other. Re-runs (B again on the same warehouse:
 * the tables must not change, so the order of the tests does not matter), overlap, concurrent runs,
 * pseudonymisation, and random corruption of the clean rows.
 */
class IngestGeneratedTest {
  static final String CONF = TestSpark.resource("small-world.conf").toString();
  static final List<String> DIMENSIONS = List.of("village_registry", "seller_accounts", "county_attributes");
  static final List<String> TABLES = List.of(Transactions.NAME, SellerAccounts.NAME, "village_registry",
      "county_attributes", Quarantine.NAME);
  static final byte[] KEY = IngestJob.DEMO_KEY.getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static SparkSession spark;
  static Path all;
  static Path truth;
  static Path deliveryA;
  static Path deliveryB;
  /** A then B, one after the other. */
  static Path sequential;

  @BeforeAll
  static void generateCutAndIngest() throws IOException {
    spark = TestSpark.get();
    AppConfig app = AppConfig.load(new File(CONF));
    var cfg = new GenerateConfig(app.generate().seed(), 2019, 2020, 1, List.of("130672"), 100, 0.04, 0.02, 0.02);
    all = dir.resolve("all");
    truth = dir.resolve("truth");
    GenerateJob.run(spark, app, cfg, all.toUri().toString(), truth.toUri().toString(), true);
    deliveryA = cut("A", month -> month.compareTo("2020-06") <= 0);
    deliveryB = cut("B", month -> month.compareTo("2020-01") >= 0);
    sequential = dir.resolve("wh-sequential");
    ingest(deliveryA, sequential, "2020-06-30", "a");
    ingest(deliveryB, sequential, "2021-03-31", "b");
  }

  /** A delivery with all dimension files and the transaction files of the delivery months chosen. */
  static Path cut(String name, java.util.function.Predicate<String> months) throws IOException {
    Path root = dir.resolve(name);
    for (String d : DIMENSIONS) {
      TestFiles.copyTree(all.resolve(d), root.resolve(d));
    }
    try (Stream<Path> monthDirs = Files.list(all.resolve(Transactions.NAME))) {
      for (Path m : monthDirs.filter(Files::isDirectory).toList()) {
        if (months.test(m.getFileName().toString().replace("delivery_month=", ""))) {
          TestFiles.copyTree(m, root.resolve(Transactions.NAME).resolve(m.getFileName()));
        }
      }
    }
    return root;
  }

  static CliRunner.Result ingest(Path input, Path warehouse, String runDate, String runId) {
    var r = CliRunner.run("ingest", "--conf", CONF, "--demo", "--input", input.toString(), "--warehouse",
        warehouse.toString(), "--run-date", runDate, "--run-id", runId);
    assertEquals(0, r.code(), r.err());
    return r;
  }

  static Dataset<Row> table(Path warehouse, String name) {
    return spark.read().format("delta").load(warehouse.resolve(name).toString());
  }

  /** A table's rows as sorted JSON text, without the given columns (lineage that differs between runs). */
  static List<String> rows(Path warehouse, String name, String... without) {
    Dataset<Row> t = table(warehouse, name).drop(without);
    List<String> rows = new ArrayList<>(t.select(to_json(struct(col("*")))).as(Encoders.STRING()).collectAsList());
    rows.sort(null);
    return rows;
  }

  @Test
  void anOverlappingDeliveryStoresEachCleanOrderOnce() {
    // Expected from the input and the truth alone: every order not planted as a defect, once.
    Dataset<Row> planted = spark.read().parquet(truth.resolve(TruthDefects.NAME).toString())
        .where(col(TruthDefects.EXPECTED).equalTo(TruthDefects.QUARANTINE)).select(TruthDefects.TRANSACTION_ID);
    Dataset<Row> input = spark.read().parquet(all.resolve(Transactions.NAME).toString()).drop("delivery_month");
    Map<String, BigDecimal> expected = new HashMap<>();
    for (Row r : input.join(planted, input.col(Transactions.TRANSACTION_ID).equalTo(planted.col(TruthDefects.TRANSACTION_ID)),
        "left_anti").select(Transactions.TRANSACTION_ID, Transactions.AMOUNT_RMB).collectAsList()) {
      BigDecimal before = expected.put(r.getString(0), r.getDecimal(1));
      assertTrue(before == null || before.equals(r.getDecimal(1)), "copies are exact: " + r);
    }
    Dataset<Row> stored = table(sequential, Transactions.NAME);
    Map<String, BigDecimal> actual = new HashMap<>();
    for (Row r : stored.select(Transactions.TRANSACTION_ID, Transactions.AMOUNT_RMB).collectAsList()) {
      assertNull(actual.put(r.getString(0), r.getDecimal(1)), "stored twice: " + r.getString(0));
    }
    assertEquals(expected, actual);

    // B skipped exactly A's accepted rows of the overlap months, plus the exact copies planted in B's months.
    Dataset<Row> audit = table(sequential, IngestAudit.NAME).where(col(IngestAudit.SOURCE_TABLE).equalTo(Transactions.NAME));
    // (Run "b-again" of the re-run test, if it ran first, repeats run "b" exactly.)
    long acceptedByAInOverlap = audit.where(col(RunColumns.RUN_ID).equalTo("a")
            .and(col(IngestAudit.SOURCE_FILE).rlike("delivery_month=2020-0[1-6]/")))
        .agg(sum(IngestAudit.ACCEPTED)).first().getLong(0);
    long copiesPlantedInB = spark.read().parquet(truth.resolve(TruthDefects.NAME).toString())
        .where(col(TruthDefects.EXPECTED).equalTo(TruthDefects.SKIP_DUPLICATE)
            .and(col(TruthDefects.DELIVERY_MONTH).geq("2020-01"))).count();
    long skippedByB = audit.where(col(RunColumns.RUN_ID).equalTo("b")).agg(sum(IngestAudit.DUPLICATES_SKIPPED))
        .first().getLong(0);
    assertTrue(acceptedByAInOverlap > 1_000 && copiesPlantedInB > 0, acceptedByAInOverlap + " " + copiesPlantedInB);
    assertEquals(acceptedByAInOverlap + copiesPlantedInB, skippedByB);
  }

  @Test
  void ingestingTheSameDeliveryTwiceLeavesIdenticalTables() {
    Map<String, Long> before = new TreeMap<>();
    TABLES.forEach(t -> before.put(t, io.delta.tables.DeltaTable.forPath(spark, sequential.resolve(t).toString())
        .history(1).first().getLong(0)));
    ingest(deliveryB, sequential, "2021-03-31", "b-again");
    Map<String, Long> rows = new TreeMap<>();
    for (String t : TABLES) {
      SameTables.Difference d = SameTables.compare(t, spark.read().format("delta").option("versionAsOf",
          before.get(t)).load(sequential.resolve(t).toString()), table(sequential, t), Set.of());
      assertTrue(d.same(), d.toString());
      rows.put(t, d.rows());
    }
    assertTrue(rows.get(Transactions.NAME) > 10_000, "a real delivery");
    assertTrue(rows.get(Quarantine.NAME) > 100, "with bad rows");
    // The audit keeps both runs, with the same counts.
    Dataset<Row> audit = table(sequential, IngestAudit.NAME);
    assertEquals(rowsOfRun(audit, "b"), rowsOfRun(audit, "b-again"));
  }

  private static List<String> rowsOfRun(Dataset<Row> audit, String runId) {
    return audit.where(col(RunColumns.RUN_ID).equalTo(runId)).drop(RunColumns.RUN_ID).collectAsList().stream()
        .map(Row::toString).sorted().toList();
  }

  @Test
  void twoRunsForDifferentDatesAtTheSameTimeStoreEachOrderOnce() throws Exception {
    Path wh = dir.resolve("wh-concurrent");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<CliRunner.Result>> runs = List.of(
          () -> CliRunner.run("ingest", "--conf", CONF, "--demo", "--input", deliveryA.toString(), "--warehouse",
              wh.toString(), "--run-date", "2020-06-30", "--run-id", "a"),
          () -> CliRunner.run("ingest", "--conf", CONF, "--demo", "--input", deliveryB.toString(), "--warehouse",
              wh.toString(), "--run-date", "2021-03-31", "--run-id", "b"));
      for (Future<CliRunner.Result> f : pool.invokeAll(runs)) {
        assertEquals(0, f.get().code(), f.get().err());
      }
    } finally {
      pool.shutdown();
    }
    // The same orders as one after the other (which run date owns an overlap row depends on who won).
    assertEquals(rows(sequential, Transactions.NAME, RunColumns.RUN_DATE), rows(wh, Transactions.NAME, RunColumns.RUN_DATE));
  }

  @Test
  void rawSellerAndHouseholdIdsAppearNowhereInTheWarehouse() throws IOException {
    Set<String> raw = new HashSet<>();
    spark.read().parquet(all.resolve(SellerAccounts.NAME).toString())
        .select(SellerAccounts.SELLER_ID, SellerAccounts.HOUSEHOLD_ID).collectAsList()
        .forEach(r -> {
          raw.add(r.getString(0));
          raw.add(r.getString(1));
        });
    spark.read().parquet(all.resolve(Transactions.NAME).toString()).select(Transactions.SELLER_ID).distinct()
        .collectAsList().forEach(r -> raw.add(r.getString(0)));
    raw.remove(null);
    assertTrue(raw.size() > 300, "raw ids " + raw.size());

    Set<String> tokens = RawIds.tokens(spark, sequential);
    assertEquals(Set.of(), RawIds.leaked(raw, tokens), "raw ids in the warehouse");
    // Not vacuous: the pseudonyms of those ids are there.
    String someSeller = spark.read().parquet(all.resolve(SellerAccounts.NAME).toString()).first().getString(0);
    assertTrue(tokens.contains(Pseudonymizer.pseudonym(KEY, someSeller)), "the pseudonym of " + someSeller);
  }

  /** Corruptions of a clean order and the reason each must give. */
  enum Corruption {
    NULL_ID(Reason.MISSING_KEY), BLANK_SELLER(Reason.MISSING_KEY), STRANGER(Reason.UNKNOWN_SELLER),
    PLATFORM_IN_CAPITALS(Reason.UNKNOWN_PLATFORM), BAD_STATUS(Reason.UNKNOWN_STATUS),
    ZERO_SALE(Reason.NON_POSITIVE_AMOUNT), HUGE_AMOUNT(Reason.AMOUNT_OVERFLOW),
    ZERO_QUANTITY(Reason.NON_POSITIVE_QUANTITY), ANCIENT(Reason.ORDER_BEFORE_WINDOW), FUTURE(Reason.FUTURE_ORDER),
    CONFLICTING_COPY(Reason.DUPLICATE_KEY);

    final Reason reason;

    Corruption(Reason reason) {
      this.reason = reason;
    }
  }

  /**
   * Property: whatever clean rows are corrupted (or copied), read = accepted + quarantined + skipped, the
   * accepted rows are exactly the clean rows (a conflicting copy in a later file leaves its original accepted),
   * each corrupted
   * row has exactly its reason, and each exact copy is skipped. Checked on the row checks themselves, for
   * several random draws.
   */
  @Test
  void randomCorruptionsAreFoundRowForRowAndCleanRowsAllAccepted() throws IOException {
    Dataset<Row> planted = spark.read().parquet(truth.resolve(TruthDefects.NAME).toString())
        .where(col(TruthDefects.EXPECTED).equalTo(TruthDefects.QUARANTINE)).select(TruthDefects.TRANSACTION_ID);
    Dataset<Row> input = spark.read().parquet(all.resolve(Transactions.NAME).toString());
    List<Row> clean = input.join(planted, input.col(Transactions.TRANSACTION_ID)
            .equalTo(planted.col(TruthDefects.TRANSACTION_ID)), "left_anti")
        .select(java.util.Arrays.stream(Transactions.INPUT_SCHEMA.fieldNames()).map(c -> col(c))
            .toArray(org.apache.spark.sql.Column[]::new))
        .dropDuplicates().orderBy(Transactions.TRANSACTION_ID).collectAsList();
    IngestConfig cfg = AppConfig.load(new File(CONF)).ingest().withMaxBadRowShare(1);
    var window = new InputChecks.Window(Instant.parse("2003-05-09T16:00:00Z"), Instant.parse("2021-03-31T16:00:00Z"),
        cfg.maxOrderAmountRmb());
    var pseudo = new Pseudonymizer(KEY);
    Dataset<Row> sellers = spark.read().parquet(all.resolve(SellerAccounts.NAME).toString())
        .select(pseudo.apply(col(SellerAccounts.SELLER_ID)).as(SellerAccounts.SELLER_ID));

    for (long seed : new long[] {1, 2, 3}) {
      Random rnd = new Random(seed);
      List<Row> delivered = new ArrayList<>();
      // Conflicting copies go to a file that sorts after the others, so the original is the row kept.
      List<Row> conflicting = new ArrayList<>();
      Map<String, Reason> expectedReason = new HashMap<>();
      Map<String, BigDecimal> expectedAccepted = new HashMap<>();
      long nullIds = 0;
      long copies = 0;
      for (Row r : clean) {
        String id = r.getString(0);
        double u = rnd.nextDouble();
        if (u < 0.05) {
          Corruption c = Corruption.values()[rnd.nextInt(Corruption.values().length)];
          (c == Corruption.CONFLICTING_COPY ? conflicting : delivered).add(corrupt(r, c));
          if (c == Corruption.NULL_ID) {
            nullIds++;
          } else {
            expectedReason.put(id, c.reason);
          }
          if (c == Corruption.CONFLICTING_COPY) {
            delivered.add(r);
            expectedAccepted.put(id, r.getDecimal(4));
          }
        } else {
          delivered.add(r);
          expectedAccepted.put(id, r.getDecimal(4));
          if (u < 0.07) {
            delivered.add(r);
            copies++;
          }
        }
      }
      Collections.shuffle(delivered, rnd);
      Path root = dir.resolve("corrupt-" + seed);
      // Declared schema, but nullable: the file must be able to hold the null ids it is meant to have.
      var nullable = new org.apache.spark.sql.types.StructType(java.util.Arrays.stream(Transactions.INPUT_SCHEMA.fields())
          .map(f -> f.copy(f.name(), f.dataType(), true, f.metadata()))
          .toArray(org.apache.spark.sql.types.StructField[]::new));
      spark.createDataFrame(delivered, nullable).repartition(3).write()
          .parquet(root.resolve(Transactions.NAME).resolve("a").toString());
      spark.createDataFrame(conflicting, nullable).coalesce(1).write()
          .parquet(root.resolve(Transactions.NAME).resolve("z").toString());
      delivered.addAll(conflicting);

      Dataset<Row> read = InputFiles.read(spark, root.toUri().toString(), IngestJob.ORDERS, cfg).rows();
      // Alternately broadcast and shuffled: the lookup of sellers must give the same rows either way.
      var lookup = new InputChecks.SellerLookup(InputChecks.sellerIds(read, pseudo, sellers), seed % 2 == 0);
      Dataset<Row> checked = InputChecks.transactions(read, lookup, window, null).cache();
      long accepted = Validation.accepted(checked).count();
      long skipped = checked.where(col(Validation.SKIPPED)).count();
      List<Row> rejected = Validation.rejected(checked).select(col(Transactions.TRANSACTION_ID),
          col(Validation.REASONS)).collectAsList();
      assertEquals(delivered.size(), checked.count(), "seed " + seed);
      assertEquals(delivered.size(), accepted + rejected.size() + skipped, "seed " + seed);
      assertEquals(copies, skipped, "seed " + seed);

      Map<String, BigDecimal> acceptedRows = new HashMap<>();
      Validation.accepted(checked).select(Transactions.TRANSACTION_ID, Transactions.AMOUNT_RMB).collectAsList()
          .forEach(r -> acceptedRows.put(r.getString(0), r.getDecimal(1)));
      assertEquals(expectedAccepted, acceptedRows, "seed " + seed);

      long nullIdRows = 0;
      Map<String, Reason> actualReason = new HashMap<>();
      for (Row r : rejected) {
        List<String> reasons = r.getList(1);
        assertEquals(1, reasons.size(), "one reason per corruption: " + r);
        if (r.isNullAt(0)) {
          assertEquals(List.of(Reason.MISSING_KEY.name()), reasons);
          nullIdRows++;
        } else {
          actualReason.put(r.getString(0), Reason.valueOf(reasons.get(0)));
        }
      }
      assertEquals(nullIds, nullIdRows, "seed " + seed);
      assertEquals(expectedReason, actualReason, "seed " + seed);
      assertTrue(expectedReason.size() > 100, "enough corruption drawn: " + expectedReason.size());
      checked.unpersist();
    }
  }

  private static Row corrupt(Row r, Corruption c) {
    Object[] v = new Object[r.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    // transaction_id, seller_id, platform, order_ts, amount_rmb, quantity, category, order_status
    switch (c) {
      case NULL_ID -> v[0] = null;
      case BLANK_SELLER -> v[1] = " ";
      case STRANGER -> v[1] = "shop-nobody-knows";
      case PLATFORM_IN_CAPITALS -> v[2] = ((String) v[2]).toUpperCase(java.util.Locale.ROOT);
      case BAD_STATUS -> v[7] = "lost";
      case ZERO_SALE -> {
        v[4] = new BigDecimal("0.00");
        v[7] = "completed";
      }
      case HUGE_AMOUNT -> v[4] = new BigDecimal("1000000.01");
      case ZERO_QUANTITY -> v[5] = 0;
      case ANCIENT -> v[3] = Timestamp.from(Instant.parse("2003-05-09T15:59:59Z"));
      case FUTURE -> v[3] = Timestamp.from(Instant.parse("2021-03-31T16:00:00Z"));
      case CONFLICTING_COPY -> v[4] = ((BigDecimal) v[4]).add(new BigDecimal("0.01"));
    }
    return RowFactory.create(v);
  }
}
