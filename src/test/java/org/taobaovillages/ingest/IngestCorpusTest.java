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
      // Households -5; longitude 999.
      Map.entry("village_registry/out_of_range.csv", Expect.rows(2, 0, 2, 0, Map.of("OUT_OF_RANGE", 2L))),
      // GB18030 (the file set's encoding): a Chinese name read right; a 0xFF byte, not valid GB18030.
      Map.entry("village_registry/registry_gbk.csv", Expect.rows(2, 1, 1, 0, Map.of("MALFORMED_ENCODING", 1L))),
      // A UTF-8 byte order mark in a file set declared GB18030: one of the two is wrong, the file is bad.
      Map.entry("village_registry/registry_bom.csv", Expect.bad("WRONG_ENCODING")),
      Map.entry("county_attributes/counties.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      // A share of 1.5; a programme starting in 2030, after the run date.
      Map.entry("county_attributes/out_of_range.csv", Expect.rows(2, 0, 2, 0, Map.of("OUT_OF_RANGE", 2L))),
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
      // Quoted delimiter and doubled quotes are fine; a quoted line break makes two lines, each with an unclosed
      // quote; too many fields, too few fields and an unterminated quote are malformed records: 7 lines.
      Map.entry("transactions/quoting_trouble.csv", Expect.rows(7, 2, 5, 0, Map.of("MALFORMED_RECORD", 5L))),
      Map.entry("transactions/malformed_record.jsonl", Expect.rows(2, 1, 1, 0, Map.of("MALFORMED_RECORD", 1L))),
      Map.entry("transactions/drift_extra_column.csv", Expect.rows(2, 2, 0, 0, Map.of()).drift(1)),
      Map.entry("transactions/drift_renamed.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      Map.entry("transactions/drift_optional_absent.jsonl", Expect.rows(1, 1, 0, 0, Map.of()).drift(1)),
      Map.entry("transactions/drift_widened.parquet", Expect.rows(1, 1, 0, 0, Map.of()).drift(2)),
      Map.entry("transactions/drift_missing_column.csv", Expect.bad("MISSING_COLUMN")),
      Map.entry("transactions/drift_wrong_type.parquet", Expect.bad("WRONG_TYPE")),
      Map.entry("transactions/truncated.parquet", Expect.bad("CORRUPT_FILE")),
      // Hostile deliveries (README there). An unterminated quote and a stray one: those lines alone.
      Map.entry("transactions/unterminated_quote.csv", Expect.rows(4, 2, 2, 0, Map.of("MALFORMED_RECORD", 2L))),
      // Names that are glob patterns are read as names: each file once.
      Map.entry("transactions/orders[1].csv", Expect.rows(1, 1, 0, 0, Map.of())),
      Map.entry("transactions/orders1.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      Map.entry("transactions/sales{a,b} #1.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      // Latin-1 bytes in a UTF-8 file set: two seller ids and a category.
      Map.entry("transactions/latin1.csv", Expect.rows(4, 1, 3, 0, Map.of("MALFORMED_ENCODING", 3L))),
      Map.entry("transactions/no_header.csv", Expect.bad("NO_HEADER")),
      Map.entry("transactions/missing_first_field.csv", Expect.rows(1, 0, 1, 0, Map.of("MALFORMED_RECORD", 1L))),
      // Order id and seller id swapped: the seller "T-SH-1" is unknown.
      Map.entry("transactions/shifted.csv", Expect.rows(1, 0, 1, 0, Map.of("UNKNOWN_SELLER", 1L))),
      // " T-0002 " (with ideographic space, trailing blanks in platform and status) is clean.csv's T-0002: skipped.
      Map.entry("transactions/whitespace_ids.csv", Expect.rows(2, 1, 0, 1, Map.of())),
      Map.entry("transactions/excel_trailing.csv", Expect.rows(1, 1, 0, 0, Map.of()).drift(2)),
      Map.entry("transactions/repeated_column.csv", Expect.bad("DUPLICATE_COLUMN")),
      Map.entry("transactions/duplicate_case.parquet", Expect.bad("DUPLICATE_COLUMN")),
      // Amount_RMB alone is the amount; amount_rmb with AMOUNT_RMB, and amount_rmb twice, are duplicate fields.
      Map.entry("transactions/case_keys.jsonl", Expect.rows(3, 1, 2, 0, Map.of("DUPLICATE_FIELD", 2L))),
      Map.entry("transactions/not_gzip.jsonl.gz", Expect.bad("CORRUPT_FILE")),
      Map.entry("transactions/cut_short.csv.gz", Expect.bad("CORRUPT_FILE")),
      // "2022", a date without time, NaN, 19 decimals, 1.2E+03, quantity "2.0"; 10.000 is exact.
      Map.entry("transactions/strict_values.csv", Expect.rows(7, 1, 6, 0, Map.of("MALFORMED_VALUE", 6L))),
      Map.entry("transactions/empty.csv", Expect.bad("EMPTY_FILE")),
      Map.entry("transactions/wide.csv", Expect.rows(1, 1, 0, 0, Map.of()).drift(1)),
      Map.entry("transactions/comment_preamble.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      Map.entry("transactions/line_endings.csv", Expect.rows(2, 2, 0, 0, Map.of())),
      Map.entry("transactions/mac_cr.csv", Expect.rows(1, 1, 0, 0, Map.of())),
      Map.entry("transactions/concatenated.csv", Expect.rows(2, 2, 0, 0, Map.of())),
      Map.entry("transactions/utf16.csv", Expect.bad("WRONG_ENCODING")),
      Map.entry("transactions/workbook.csv", Expect.bad("CORRUPT_FILE"))));

  /** Files outside the four file sets: in the audit as ignored, never read. */
  static final List<String> IGNORED = List.of("orders.csv", "transaction/typo.csv");

  /** The ids of the 36 accepted orders, listed from the files above. */
  static final Set<String> ACCEPTED_ORDERS = Set.of("T-0001", "T-0002", "T-0003", "T-0004", "T-0005", "T-0006",
      "T-PQ-1", "T-PQ-2", "T-MV-2", "T-NP-3", "T-DUP-1", "T-Q-1", "T-Q-5", "T-MR-1", "T-DX-1", "T-DX-2",
      "T-RN-1", "T-DO-1", "T-PW-1", "T-UQ-2", "T-UQ-3", "T-GL-1", "T-GL-2", "T-GL-3", "T-EN-4", "T-WS-1", "T-EX-1",
      "T-CK-1", "T-SV-6", "T-WD-1", "T-CP-1", "T-LE-1", "T-LE-2", "T-LE-3", "T-CC-1", "T-CC-2");

  private static Path sharedWarehouse;
  private static CliRunner.Result sharedResult;

  @BeforeAll
  static void ingestTheCorpus() throws IOException {
    spark = TestSpark.get();
    ingestOnce();
    warehouse = sharedWarehouse;
    result = sharedResult;
  }

  /** The corpus ingested once per test JVM, for every test class that looks at it. */
  static synchronized void ingestOnce() throws IOException {
    if (sharedResult == null) {
      Path wh = Files.createTempDirectory(Path.of("target"), "corpus-warehouse").toAbsolutePath();
      sharedResult = CliRunner.run("ingest", "--conf", CONF, "--demo", "--input", CORPUS.toString(), "--warehouse",
          wh.toString(), "--run-date", RUN_DATE, "--run-id", "corpus-1");
      sharedWarehouse = wh;
    }
    assertEquals(0, sharedResult.code(), sharedResult.err());
  }

  static Path warehouse() throws IOException {
    ingestOnce();
    return sharedWarehouse;
  }

  static CliRunner.Result result() throws IOException {
    ingestOnce();
    return sharedResult;
  }

  @Test
  void everyFileGivesItsExpectedCountsAndReasons() {
    Map<String, Row> audit = new HashMap<>();
    for (Row r : spark.read().format("delta").load(warehouse.resolve(IngestAudit.NAME).toString()).collectAsList()) {
      String file = java.net.URI.create(r.getAs(IngestAudit.SOURCE_FILE)).getPath();
      audit.put(file.substring(file.indexOf("/delivery/") + "/delivery/".length()), r);
    }
    Set<String> files = new TreeSet<>(EXPECTED.keySet());
    files.addAll(IGNORED);
    assertEquals(files, new TreeSet<>(audit.keySet()), "one audit row per file");
    for (String ignored : IGNORED) {
      Row got = audit.get(ignored);
      assertEquals(IngestAudit.FILE_IGNORED, got.getAs(IngestAudit.FILE_STATUS), ignored);
      assertEquals(IngestAudit.NO_FILE_SET, got.getAs(IngestAudit.SOURCE_TABLE), ignored);
      assertEquals(Map.of("UNKNOWN_FILE_SET", 1L), got.getJavaMap(got.fieldIndex(IngestAudit.REASONS)), ignored);
    }
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
      assertEquals(List.of(want.read(), want.read(), want.accepted(), want.quarantined(), want.skipped()),
          List.of(got.<Long>getAs(IngestAudit.ROWS_IN_FILE), got.<Long>getAs(IngestAudit.ROWS_READ),
              got.<Long>getAs(IngestAudit.ACCEPTED), got.<Long>getAs(IngestAudit.QUARANTINED),
              got.<Long>getAs(IngestAudit.DUPLICATES_SKIPPED)), file);
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
    // The doubled quotes are one quote; a quoted delimiter is part of the value.
    assertEquals("furniture, outdoor", stored.where(col(Transactions.TRANSACTION_ID).equalTo("T-Q-1"))
        .select(Transactions.CATEGORY).first().getString(0));
    assertEquals("say \"hi\"", stored.where(col(Transactions.TRANSACTION_ID).equalTo("T-Q-5"))
        .select(Transactions.CATEGORY).first().getString(0));
  }

  @Test
  void quarantineKeepsTheOriginalTextAndTheFile() {
    var quarantine = spark.read().format("delta").load(warehouse.resolve(Quarantine.NAME).toString());
    assertEquals(40 + 5 + 3 + 2 + 12, quarantine.count(), "40 orders, 5 accounts, 3 villages, 2 counties, 12 bad files");
    Row amount = quarantine.where(col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID).equalTo("T-MF-1"))
        .first();
    assertEquals("12,50", amount.<String, String>getJavaMap(amount.fieldIndex(Quarantine.RECORD))
        .get(Transactions.AMOUNT_RMB));
    assertTrue(amount.<String>getAs(Quarantine.SOURCE_FILE).endsWith("malformed_value.csv"));
    assertEquals(List.of("MALFORMED_VALUE"), amount.getList(amount.fieldIndex(Quarantine.REASONS)));
    Row time = quarantine.where(col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID).equalTo("T-MF-2")).first();
    assertEquals("yesterday", time.<String, String>getJavaMap(time.fieldIndex(Quarantine.RECORD))
        .get(Transactions.ORDER_TS));
    // Of a line that could not be split nothing is kept but its place: T-Q-3 (one field too many) is line 5.
    Row broken = quarantine.where(col(Quarantine.SOURCE_FILE).endsWith("quoting_trouble.csv")
        .and(col(Quarantine.SOURCE_LINE).equalTo(5))).first();
    assertEquals(List.of("MALFORMED_RECORD"), broken.getList(broken.fieldIndex(Quarantine.REASONS)));
    assertEquals(Map.of(), broken.getJavaMap(broken.fieldIndex(Quarantine.RECORD)));
    // A Parquet row's place is its row number: T-PT-1 is not there (its file is bad), T-AO-2 is line 3 of its CSV.
    assertEquals(3L, quarantine.where(col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID).equalTo("T-AO-2"))
        .first().<Long>getAs(Quarantine.SOURCE_LINE));
  }

  @Test
  void theReportNamesEveryBadFileAndTheDrift() {
    assertTrue(result.out().contains("drift_missing_column.csv LEFT OUT (MISSING_COLUMN): missing required column "
        + "'order_status'"), result.out());
    assertTrue(result.out().contains("extra column 'buyer_note' dropped"), result.out());
    assertTrue(result.out().matches("(?s).*transactions\\s+79\\s+36\\s+40\\s+3\\s+11.*"), result.out());
    assertTrue(result.out().contains("WARNING: 2 files outside the file sets were not read"), result.out());
  }

  @Test
  void byDefaultABadFileFailsTheRunNamingFileAndProblem() throws IOException {
    for (var bad : Map.of("drift_missing_column.csv", "missing required column 'order_status'",
        "drift_wrong_type.parquet", "column 'amount_rmb' has type string, expected decimal(18,2)",
        "truncated.parquet", "is not a Parquet file",
        "no_header.csv", "is not a header: it names 0 of the 7 required columns",
        "repeated_column.csv", "column 'amount_rmb' appears 2 times (columns 5, 9",
        "empty.csv", "empty file (0 bytes)",
        "cut_short.csv.gz", "cannot read the file to its end",
        // Found only when the rows are read (the footer is fine): the run still fails naming the file.
        "corrupt_page.parquet", "cannot read the file's data").entrySet()) {
      Path input = deliveryWith(dir.resolve("bad-" + bad.getKey()),
          (bad.getKey().startsWith("corrupt_page") ? "read-time/" : "transactions/") + bad.getKey());
      var run = CliRunner.run("ingest", "--demo", "--input", input.toString(), "--warehouse",
          dir.resolve("wh-bad").toString(), "--run-date", RUN_DATE);
      assertEquals(1, run.code(), run.out());
      assertTrue(run.err().contains(bad.getKey().replace(" ", "%20")) && run.err().contains(bad.getValue()),
          run.err());
      assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
      assertFalse(run.err().contains("shop-"), "no raw seller id in the message: " + run.err());
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

  /**
   * A delivery with the corpus's dimension files and the given transaction files (paths under delivery/, or
   * under read-time/ for the files that fail only when their rows are read).
   */
  static Path deliveryWith(Path root, String... transactionFiles) throws IOException {
    for (String set : List.of("village_registry", "seller_accounts", "county_attributes")) {
      Files.createDirectories(root.resolve(set));
    }
    Files.copy(CORPUS.resolve("village_registry/registry.csv"), root.resolve("village_registry/registry.csv"));
    Files.copy(CORPUS.resolve("seller_accounts/accounts.jsonl"), root.resolve("seller_accounts/accounts.jsonl"));
    Files.copy(CORPUS.resolve("county_attributes/counties.csv"), root.resolve("county_attributes/counties.csv"));
    Files.createDirectories(root.resolve("transactions"));
    for (String f : transactionFiles) {
      Path from = f.startsWith("read-time/") ? CORPUS.resolveSibling(f) : CORPUS.resolve(f);
      Files.copy(from, root.resolve(Transactions.NAME).resolve(from.getFileName().toString()));
    }
    return root;
  }

  private static String monthOf(org.apache.spark.sql.Dataset<Row> stored, String id) {
    return stored.where(col(Transactions.TRANSACTION_ID).equalTo(id)).select(Transactions.ORDER_MONTH).first()
        .getString(0);
  }
}
