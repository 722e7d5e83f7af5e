package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.cli.CliRunner;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.Transactions;

/**
 * The bad-input corpus (src/test/resources/ingest-corpus/, one file per defect and drift kind; README there):
 * every file gives exactly the counts and reasons worked out by hand from its rows, with bad files left out
 * (corpus.conf) or, by default, failing the run with the file and column in the message.
 */
class IngestCorpusTest {
  static final String RUN_DATE = "2022-12-31";
  static final Path CORPUS = TestSpark.resource("ingest-corpus/delivery");
  static final String CONF = TestSpark.resource("ingest-corpus/corpus.conf").toString();

  @TempDir static Path dir;
  static SparkSession spark;
  static Path warehouse;
  static CliRunner.Result result;

  /** Expected audit of one file: rows read, accepted, quarantined, skipped, reasons; or a bad-file reason. */
  record Expect(long read, long accepted, long quarantined, long skipped, Map<String, Long> reasons, int drift) {
    static Expect rows(long read, long accepted, long quarantined, long skipped, Map<String, Long> reasons) {
      return new Expect(read, accepted, quarantined, skipped, reasons, 0);
    }

    static Expect bad(String reason) {
      return new Expect(-1, -1, -1, -1, Map.of(reason, 1L), 0);
    }

    Expect drift(int entries) {
      return new Expect(read, accepted, quarantined, skipped, reasons, entries);
    }
  }

  static final Map<String, Expect> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("village_registry/registry.csv", Expect.rows(3, 3, 0, 0, Map.of())),
      Map.entry("county_attributes/counties.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      Map.entry("seller_accounts/accounts.jsonl", Expect.rows(4, 4, 0, 0, Map.of())),
      // 11-digit code, unregistered code, unknown platform, blank id, same id as accounts.jsonl with another
      // opening date, exact copy of an accounts.jsonl row.
      Map.entry("seller_accounts/bad_accounts.csv", Expect.rows(6, 0, 5, 1, Map.of("MALFORMED_VILLAGE_CODE", 1L,
          "UNKNOWN_VILLAGE", 1L, "UNKNOWN_PLATFORM", 1L, "MISSING_KEY", 1L, "DUPLICATE_KEY", 1L))),
      Map.entry("transactions/clean.csv", Expect.rows(6, 6, 0, 0, Map.of())),
      Map.entry("transactions/clean.parquet", Expect.rows(2, 2, 0, 0, Map.of())),
      Map.entry("transactions/missing_key.csv", Expect.rows(2, 0, 2, 0, Map.of("MISSING_KEY", 2L))),
      Map.entry("transactions/missing_value.jsonl", Expect.rows(2, 1, 1, 0, Map.of("MISSING_VALUE", 1L))),
      Map.entry("transactions/malformed_value.csv", Expect.rows(4, 0, 4, 0, Map.of("MALFORMED_VALUE", 4L))),
      Map.entry("transactions/unknown_seller.csv", Expect.rows(1, 0, 1, 0, Map.of("UNKNOWN_SELLER", 1L))),
      Map.entry("transactions/unknown_platform.jsonl", Expect.rows(2, 0, 2, 0, Map.of("UNKNOWN_PLATFORM", 2L))),
      Map.entry("transactions/unknown_status.csv", Expect.rows(1, 0, 1, 0, Map.of("UNKNOWN_STATUS", 1L))),
      // 0 and -5 on sales are refused; -5 on a refund is accepted.
      Map.entry("transactions/non_positive_amount.csv", Expect.rows(3, 1, 2, 0, Map.of("NON_POSITIVE_AMOUNT", 2L))),
      Map.entry("transactions/amount_overflow.csv", Expect.rows(2, 0, 2, 0, Map.of("AMOUNT_OVERFLOW", 2L))),
      Map.entry("transactions/non_positive_quantity.csv", Expect.rows(1, 0, 1, 0, Map.of("NON_POSITIVE_QUANTITY", 1L))),
      Map.entry("transactions/before_window.csv", Expect.rows(1, 0, 1, 0, Map.of("ORDER_BEFORE_WINDOW", 1L))),
      Map.entry("transactions/future_order.csv", Expect.rows(1, 0, 1, 0, Map.of("FUTURE_ORDER", 1L))),
      // T-DUP-1 kept, its exact copy skipped, a different T-DUP-1 refused; T-0001 is an exact copy of clean.csv's.
      Map.entry("transactions/duplicates.csv", Expect.rows(4, 1, 1, 2, Map.of("DUPLICATE_KEY", 1L))),
      // Quoted delimiter, quoted line break and doubled quotes are fine; too many fields, too few fields and an
      // unterminated quote (which runs to the end of the file) are malformed records.
      Map.entry("transactions/quoting_trouble.csv", Expect.rows(6, 3, 3, 0, Map.of("MALFORMED_RECORD", 3L))),
      Map.entry("transactions/malformed_record.jsonl", Expect.rows(2, 1, 1, 0, Map.of("MALFORMED_RECORD", 1L))),
      Map.entry("transactions/drift_extra_column.csv", Expect.rows(2, 2, 0, 0, Map.of()).drift(1)),
      Map.entry("transactions/drift_renamed.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      Map.entry("transactions/drift_optional_absent.jsonl", Expect.rows(1, 1, 0, 0, Map.of()).drift(1)),
      Map.entry("transactions/drift_widened.parquet", Expect.rows(1, 1, 0, 0, Map.of()).drift(2)),
      Map.entry("transactions/drift_missing_column.csv", Expect.bad("MISSING_COLUMN")),
      Map.entry("transactions/drift_wrong_type.parquet", Expect.bad("WRONG_TYPE")),
      Map.entry("transactions/truncated.parquet", Expect.bad("CORRUPT_FILE"))));

  /** The ids of the 20 accepted orders, listed from the files above. */
  static final Set<String> ACCEPTED_ORDERS = Set.of("T-0001", "T-0002", "T-0003", "T-0004", "T-0005", "T-0006",
      "T-PQ-1", "T-PQ-2", "T-MV-2", "T-NP-3", "T-DUP-1", "T-Q-1", "T-Q-2", "T-Q-5", "T-MR-1", "T-DX-1", "T-DX-2",
      "T-RN-1", "T-DO-1", "T-PW-1");

  @BeforeAll
  static void ingestTheCorpus() {
    spark = TestSpark.get();
    warehouse = dir.resolve("warehouse");
    result = CliRunner.run("ingest", "--conf", CONF, "--demo", "--input", CORPUS.toString(), "--warehouse",
        warehouse.toString(), "--run-date", RUN_DATE, "--run-id", "corpus-1");
    assertEquals(0, result.code(), result.err());
  }

  @Test
  void everyFileGivesItsExpectedCountsAndReasons() {
    Map<String, Row> audit = new HashMap<>();
    for (Row r : spark.read().format("delta").load(warehouse.resolve(IngestAudit.NAME).toString()).collectAsList()) {
      String file = r.getAs(IngestAudit.SOURCE_FILE);
      audit.put(file.substring(file.indexOf("/delivery/") + "/delivery/".length()), r);
    }
    assertEquals(EXPECTED.keySet(), new TreeSet<>(audit.keySet()), "one audit row per file");
    EXPECTED.forEach((file, want) -> {
      Row got = audit.get(file);
      Map<String, Long> reasons = new TreeMap<>(got.<String, Long>getJavaMap(got.fieldIndex(IngestAudit.REASONS)));
      assertEquals(new TreeMap<>(want.reasons()), reasons, file);
      assertEquals(want.drift(), got.getList(got.fieldIndex(IngestAudit.DRIFT)).size(), file + " drift");
      if (want.read() < 0) {
        assertEquals(IngestAudit.FILE_QUARANTINED, got.getAs(IngestAudit.FILE_STATUS), file);
        assertNull(got.getAs(IngestAudit.ROWS_READ), file);
        return;
      }
      assertEquals(IngestAudit.READ, got.getAs(IngestAudit.FILE_STATUS), file);
      assertEquals(List.of(want.read(), want.accepted(), want.quarantined(), want.skipped()),
          List.of(got.<Long>getAs(IngestAudit.ROWS_READ), got.<Long>getAs(IngestAudit.ACCEPTED),
              got.<Long>getAs(IngestAudit.QUARANTINED), got.<Long>getAs(IngestAudit.DUPLICATES_SKIPPED)), file);
      assertEquals(IngestAudit.COMMITTED, got.getAs(IngestAudit.RUN_OUTCOME), file);
    });
  }

  @Test
  void acceptedOrdersAreExactlyTheValidOnesInTheirOrderMonth() {
    var stored = spark.read().format("delta").load(warehouse.resolve(Transactions.NAME).toString());
    Set<String> ids = new TreeSet<>();
    stored.select(Transactions.TRANSACTION_ID).collectAsList().forEach(r -> ids.add(r.getString(0)));
    assertEquals(new TreeSet<>(ACCEPTED_ORDERS), ids);
    assertEquals(ACCEPTED_ORDERS.size(), stored.count(), "each id once");
    // Late and old orders land in their own month, in China time: 2021-11-11 00:00:01 and 2012-05-01.
    assertEquals("2021-11", monthOf(stored, "T-0004"));
    assertEquals("2012-05", monthOf(stored, "T-0006"));
    assertEquals("2022-07", monthOf(stored, "T-DO-1"));
    // The quoted field keeps its line break and the doubled quotes are one quote.
    assertEquals("line one\nline two", stored.where(col(Transactions.TRANSACTION_ID).equalTo("T-Q-2"))
        .select(Transactions.CATEGORY).first().getString(0));
    assertEquals("say \"hi\"", stored.where(col(Transactions.TRANSACTION_ID).equalTo("T-Q-5"))
        .select(Transactions.CATEGORY).first().getString(0));
  }

  @Test
  void quarantineKeepsTheOriginalTextAndTheFile() {
    var quarantine = spark.read().format("delta").load(warehouse.resolve(Quarantine.NAME).toString());
    assertEquals(23 + 5 + 3, quarantine.count(), "23 orders, 5 accounts and 3 bad files");
    Row amount = quarantine.where(col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID).equalTo("T-MF-1"))
        .first();
    assertEquals("12,50", amount.<String, String>getJavaMap(amount.fieldIndex(Quarantine.RECORD))
        .get(Transactions.AMOUNT_RMB));
    assertTrue(amount.<String>getAs(Quarantine.SOURCE_FILE).endsWith("malformed_value.csv"));
    assertEquals(List.of("MALFORMED_VALUE"), amount.getList(amount.fieldIndex(Quarantine.REASONS)));
    Row time = quarantine.where(col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID).equalTo("T-MF-2")).first();
    assertEquals("yesterday", time.<String, String>getJavaMap(time.fieldIndex(Quarantine.RECORD))
        .get(Transactions.ORDER_TS));
    // Of a record that could not be split only the id and the pseudonymised seller are kept.
    Row broken = quarantine.where(col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID).equalTo("T-Q-3")).first();
    Map<String, String> record = broken.getJavaMap(broken.fieldIndex(Quarantine.RECORD));
    assertEquals(List.of("MALFORMED_RECORD"), broken.getList(broken.fieldIndex(Quarantine.REASONS)));
    assertTrue(record.get(Transactions.SELLER_ID).matches("[0-9a-f]{64}"), record.toString());
    assertNull(record.get(Transactions.CATEGORY), record.toString());
    assertNull(record.get(Transactions.PLATFORM), record.toString());
  }

  @Test
  void theReportNamesEveryBadFileAndTheDrift() {
    assertTrue(result.out().contains("drift_missing_column.csv LEFT OUT (MISSING_COLUMN): missing required column "
        + "'order_status'"), result.out());
    assertTrue(result.out().contains("extra column 'buyer_note' dropped"), result.out());
    assertTrue(result.out().matches("(?s).*transactions\\s+45\\s+20\\s+23\\s+2\\s+3.*"), result.out());
  }

  @Test
  void byDefaultABadFileFailsTheRunNamingFileAndColumn() throws IOException {
    for (var bad : Map.of("drift_missing_column.csv", "missing required column 'order_status'",
        "drift_wrong_type.parquet", "column 'amount_rmb' has type string, expected decimal(18,2)",
        "truncated.parquet", "is not a Parquet file").entrySet()) {
      Path input = deliveryWith(dir.resolve("bad-" + bad.getKey()), "transactions/" + bad.getKey());
      var run = CliRunner.run("ingest", "--demo", "--input", input.toString(), "--warehouse",
          dir.resolve("wh-bad").toString(), "--run-date", RUN_DATE);
      assertEquals(1, run.code(), run.out());
      assertTrue(run.err().contains(bad.getKey()) && run.err().contains(bad.getValue()), run.err());
      assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run.err());
      assertFalse(Files.exists(dir.resolve("wh-bad").resolve(Transactions.NAME)), "nothing written");
    }
  }

  @Test
  void tooManyBadRowsRejectTheRunAndLeaveTheCleanTablesAsTheyWere() throws IOException {
    Path good = deliveryWith(dir.resolve("good"), "transactions/clean.csv");
    Path wh = dir.resolve("wh-share");
    assertEquals(0, CliRunner.run("ingest", "--demo", "--input", good.toString(), "--warehouse", wh.toString(),
        "--run-date", RUN_DATE).code());
    long version = io.delta.tables.DeltaTable.forPath(spark, wh.resolve(Transactions.NAME).toString()).history(1)
        .first().getLong(0);
    // 6 clean rows and 4 malformed ones: 40 % bad, over the default 5 %.
    Path bad = deliveryWith(dir.resolve("bad-share"), "transactions/clean.csv", "transactions/malformed_value.csv");
    var run = CliRunner.run("ingest", "--demo", "--input", bad.toString(), "--warehouse", wh.toString(),
        "--run-date", RUN_DATE, "--run-id", "too-bad");
    assertEquals(1, run.code());
    assertTrue(run.err().contains("ingest rejected") && run.err().contains("4 of 10 rows quarantined (40.00 %)"),
        run.err());
    assertEquals(version, io.delta.tables.DeltaTable.forPath(spark, wh.resolve(Transactions.NAME).toString())
        .history(1).first().getLong(0), "no commit to the clean table");
    var audit = spark.read().format("delta").load(wh.resolve(IngestAudit.NAME).toString())
        .where(col("run_id").equalTo("too-bad"));
    assertEquals(Set.of(IngestAudit.REJECTED), new TreeSet<>(audit.select(IngestAudit.RUN_OUTCOME).distinct()
        .collectAsList().stream().map(r -> r.getString(0)).toList()));
  }

  @Test
  void extraColumnsCanBeKeptOrRefused() throws IOException {
    Path input = deliveryWith(dir.resolve("extra"), "transactions/drift_extra_column.csv");
    Path keep = Files.writeString(dir.resolve("keep.conf"), "taobao-villages.ingest.extra-columns = keep\n");
    Path wh = dir.resolve("wh-keep");
    assertEquals(0, CliRunner.run("ingest", "--conf", keep.toString(), "--demo", "--input", input.toString(),
        "--warehouse", wh.toString(), "--run-date", RUN_DATE).code());
    Row kept = spark.read().format("delta").load(wh.resolve(Transactions.NAME).toString())
        .where(col(Transactions.TRANSACTION_ID).equalTo("T-DX-1")).first();
    assertEquals(Map.of("buyer_note", "please wrap"), kept.getJavaMap(kept.fieldIndex("extra_columns")));

    Path fail = Files.writeString(dir.resolve("fail.conf"), "taobao-villages.ingest.extra-columns = fail\n");
    var run = CliRunner.run("ingest", "--conf", fail.toString(), "--demo", "--input", input.toString(),
        "--warehouse", dir.resolve("wh-fail").toString(), "--run-date", RUN_DATE);
    assertEquals(1, run.code());
    assertTrue(run.err().contains("drift_extra_column.csv") && run.err().contains("extra column 'buyer_note'"),
        run.err());
  }

  /** A delivery with the corpus's dimension files and the given transaction files. */
  static Path deliveryWith(Path root, String... transactionFiles) throws IOException {
    for (String set : List.of("village_registry", "seller_accounts", "county_attributes")) {
      Files.createDirectories(root.resolve(set));
    }
    Files.copy(CORPUS.resolve("village_registry/registry.csv"), root.resolve("village_registry/registry.csv"));
    Files.copy(CORPUS.resolve("seller_accounts/accounts.jsonl"), root.resolve("seller_accounts/accounts.jsonl"));
    Files.copy(CORPUS.resolve("county_attributes/counties.csv"), root.resolve("county_attributes/counties.csv"));
    Files.createDirectories(root.resolve("transactions"));
    for (String f : transactionFiles) {
      Files.copy(CORPUS.resolve(f), root.resolve(f));
    }
    return root;
  }

  private static String monthOf(org.apache.spark.sql.Dataset<Row> stored, String id) {
    return stored.where(col(Transactions.TRANSACTION_ID).equalTo(id)).select(Transactions.ORDER_MONTH).first()
        .getString(0);
  }
}
