package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.cli.CliRunner;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * Deliveries as partners really send them (the hostile files of the corpus, README there, and deliveries made
 * here): no row lost or merged into another, no raw id outside the pseudonymised columns, keys written two ways
 * counted once, dimension deliveries merged instead of replacing what is stored, links and read errors reported.
 * Expected values are read off the hand-made files.
 */
class IngestHostileTest {
  static final String RUN_DATE = IngestCorpusTest.RUN_DATE;
  static final Path CORPUS = IngestCorpusTest.CORPUS;
  static final String HEADER = "transaction_id,seller_id,platform,order_ts,amount_rmb,quantity,category,order_status";
  /** Every raw seller and household id in the corpus's delivered files. */
  static final Set<String> RAW_IDS = Set.of("shop-zhang-0001", "shop-li-0002", "shop-wang-0003", "shop-zhao-0004",
      "shop-bad-0101", "shop-bad-0102", "shop-bad-0103", "shop-nobody-9999", "hh-zhang-01", "hh-li-02",
      "hh-wang-03", "hh-zhao-04", "hh-bad-01", "hh-bad-02", "hh-bad-03", "hh-bad-04");

  @TempDir static Path dir;
  static SparkSession spark;
  static Path corpus;

  @BeforeAll
  static void ingestTheCorpus() throws IOException {
    spark = TestSpark.get();
    corpus = IngestCorpusTest.warehouse();
  }

  static Dataset<Row> table(Path warehouse, String name) {
    return spark.read().format("delta").load(warehouse.resolve(name).toString());
  }

  @Test
  void anUnterminatedQuoteCostsItsOwnLineOnly() {
    Dataset<Row> stored = table(corpus, Transactions.NAME);
    // The lines after the broken one are orders of their own, with their own values.
    assertEquals("shoes", categoryOf(stored, "T-UQ-2"));
    assertEquals("toys", categoryOf(stored, "T-UQ-3"));
    // No accepted value holds a line break or a seller id swallowed from another line.
    assertEquals(0, stored.where(col(Transactions.CATEGORY).contains("\n").or(col(Transactions.CATEGORY).contains("\r"))
        .or(col(Transactions.CATEGORY).contains("shop-"))).count());
    Dataset<Row> quarantine = table(corpus, Quarantine.NAME).where(col(Quarantine.SOURCE_FILE)
        .endsWith("unterminated_quote.csv"));
    assertEquals(Set.of(2L, 5L), longs(quarantine.select(Quarantine.SOURCE_LINE)), "lines 2 and 5");
  }

  @Test
  void undecodableBytesAreNotMergedIntoOneSellerAndEncodingsAreHonoured() {
    // The two Latin-1 seller ids would both decode to "shop-\uFFFD-0001": refused, not given one pseudonym.
    Dataset<Row> latin = table(corpus, Quarantine.NAME).where(col(Quarantine.SOURCE_FILE).endsWith("latin1.csv"));
    assertEquals(Set.of(2L, 3L, 4L), longs(latin.select(Quarantine.SOURCE_LINE)));
    assertEquals(Set.of(List.of("MALFORMED_ENCODING")), new java.util.HashSet<>(latin.select(Quarantine.REASONS)
        .collectAsList().stream().map(r -> r.getList(0)).toList()));
    assertEquals(0, table(corpus, Transactions.NAME).where(col(Transactions.CATEGORY).contains("\uFFFD")).count());
    // GB18030 file set: the village's name as written; a file with a UTF-8 byte order mark contradicts the set's
    // encoding: left out, its village not stored (neither as 东小村 nor as GB18030's reading of the UTF-8 bytes).
    Dataset<Row> registry = table(corpus, VillageRegistry.NAME);
    assertEquals("白沟村", nameOf(registry, "130672103204"));
    assertEquals(0, registry.where(col(VillageRegistry.VILLAGE_CODE).equalTo("130672103206")).count());
  }

  @Test
  void noRawIdIsStoredReportedOrLoggedAndAShiftedIdIsRedacted() throws IOException {
    Set<String> tokens = RawIds.tokens(spark, corpus);
    assertEquals(Set.of(), RawIds.leaked(RAW_IDS, tokens), "raw ids in the warehouse");
    CliRunner.Result run = IngestCorpusTest.result();
    assertEquals(Set.of(), RawIds.leaked(RAW_IDS, RawIds.tokens(run.out() + run.err())), "raw ids in the output");
    // Not vacuous: the pseudonym of a seller the files name is there.
    assertTrue(tokens.contains(Pseudonymizer.pseudonym(IngestGeneratedTest.KEY, "shop-li-0002")));
    // shifted.csv has the seller id where the order id belongs: kept in the quarantine, but not as written.
    Row shifted = table(corpus, Quarantine.NAME).where(col(Quarantine.SOURCE_FILE).endsWith("shifted.csv")).first();
    assertEquals(Redaction.REDACTED, shifted.<String, String>getJavaMap(shifted.fieldIndex(Quarantine.RECORD))
        .get(Transactions.TRANSACTION_ID));
    // A line missing its first field keeps nothing: its first field is a raw seller id.
    Row missing = table(corpus, Quarantine.NAME).where(col(Quarantine.SOURCE_FILE).endsWith("missing_first_field.csv"))
        .first();
    assertEquals(Map.of(), missing.getJavaMap(missing.fieldIndex(Quarantine.RECORD)));
    assertEquals(2L, missing.<Long>getAs(Quarantine.SOURCE_LINE));
  }

  /**
   * A month after a full delivery, a partial one: the registry directory empty, one account changed (in a
   * header-and-one-row file), no county attributes at all, the first month's orders again with their keys written
   * another way, and one new order of an account that is stored but not delivered again. Then the same run date
   * again.
   */
  @Test
  void aLaterPartialDeliveryMergesDimensionsAndStoresNothingTwice() throws IOException {
    Path wh = dir.resolve("wh-later");
    Path full = IngestCorpusTest.deliveryWith(dir.resolve("full"), "transactions/clean.csv");
    assertEquals(0, ingest(full, wh, "2022-12-31", "full").code());
    List<String> ordersBefore = sorted(table(wh, Transactions.NAME).drop(RunColumns.RUN_DATE));
    Map<String, List<String>> before = dimensions(wh);

    Path partial = dir.resolve("partial");
    Files.createDirectories(partial.resolve("village_registry"));
    Files.createDirectories(partial.resolve("seller_accounts"));
    Files.createDirectories(partial.resolve("transactions"));
    // shop-wang-0003 moved from village ...203 to ...202.
    Files.writeString(partial.resolve("seller_accounts/moved.csv"), "seller_id,village_code,household_id,opened_date,"
        + "platform,account_type,owner_origin\nshop-wang-0003,130672103202,hh-wang-03,2019-11-11,pinduoduo,individual,\n");
    Files.writeString(partial.resolve("transactions/new.csv"), HEADER
        + "\nT-PD-1,shop-zhao-0004,douyin,2023-01-02 10:00:00,20.00,1,snacks,paid\n");
    // clean.csv's six orders again: a UTF-8 byte order mark, CRLF, ids padded with spaces, no-break and
    // ideographic spaces, a full-width digit; and the same six as JSON Lines with ids padded by tabs.
    List<String> clean = Files.readAllLines(CORPUS.resolve("transactions/clean.csv"));
    StringBuilder csv = new StringBuilder("\uFEFF" + clean.get(0) + "\r\n");
    StringBuilder json = new StringBuilder();
    String[] names = clean.get(0).split(",");
    for (String line : clean.subList(1, clean.size())) {
      String[] f = line.split(",", -1);
      csv.append(" ").append(f[0].replace("1", "\uFF11")).append("\u3000,\u00A0").append(f[1]).append(" ,")
          .append(String.join(",", List.of(f).subList(2, f.length))).append("\r\n");
      StringBuilder o = new StringBuilder("{");
      for (int i = 0; i < f.length; i++) {
        o.append(i == 0 ? "" : ", ").append('"').append(names[i]).append("\": ")
            .append(f[i].isEmpty() ? "null" : '"' + (i < 2 ? "  " + f[i] + "\\t" : f[i]) + '"');
      }
      json.append(o).append("}\n");
    }
    Files.writeString(partial.resolve("transactions/variants.csv"), csv, StandardCharsets.UTF_8);
    Files.writeString(partial.resolve("transactions/variants.jsonl"), json, StandardCharsets.UTF_8);

    CliRunner.Result run = ingest(partial, wh, "2023-01-31", "partial");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("county_attributes: not in the delivery, table kept as it was"), run.out());
    // The twelve re-delivered rows are exact copies of stored orders: skipped. The new order's account is only
    // stored, not delivered: accepted.
    Dataset<Row> audit = table(wh, IngestAudit.NAME).where(col(RunColumns.RUN_ID).equalTo("partial")
        .and(col(IngestAudit.SOURCE_TABLE).equalTo(Transactions.NAME)));
    assertEquals(List.of(13L, 1L, 0L, 12L), audit.agg(sum(IngestAudit.ROWS_READ), sum(IngestAudit.ACCEPTED),
        sum(IngestAudit.QUARANTINED), sum(IngestAudit.DUPLICATES_SKIPPED)).collectAsList().stream()
        .flatMap(r -> List.of(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3)).stream()).toList());
    List<String> ordersAfter = sorted(table(wh, Transactions.NAME).where(col(Transactions.TRANSACTION_ID)
        .notEqual("T-PD-1")).drop(RunColumns.RUN_DATE));
    assertEquals(ordersBefore, ordersAfter, "nothing stored twice");
    assertEquals(1, table(wh, Transactions.NAME).where(col(Transactions.TRANSACTION_ID).equalTo("T-PD-1")).count());

    Map<String, List<String>> after = dimensions(wh);
    assertEquals(before.get(VillageRegistry.NAME), after.get(VillageRegistry.NAME), "registry as it was");
    assertEquals(before.get("county_attributes"), after.get("county_attributes"), "counties as they were");
    // shop-wang-0003: the old version valid until the run date, the new one from it; the other accounts untouched.
    Dataset<Row> accounts = table(wh, SellerAccounts.NAME);
    String wang = Pseudonymizer.pseudonym(IngestGeneratedTest.KEY, "shop-wang-0003");
    List<Row> versions = accounts.where(col(SellerAccounts.SELLER_ID).equalTo(wang))
        .orderBy(DimensionColumns.VALID_FROM).collectAsList();
    assertEquals(2, versions.size());
    assertEquals(List.of("130672103203", "2022-12-31", "2023-01-31"), List.of(versions.get(0).getAs("village_code"),
        versions.get(0).getAs(DimensionColumns.VALID_FROM).toString(),
        versions.get(0).getAs(DimensionColumns.VALID_TO).toString()));
    assertEquals("130672103202", versions.get(1).getAs("village_code"));
    assertNull(versions.get(1).getAs(DimensionColumns.VALID_TO));
    assertEquals(4, DimensionColumns.current(accounts).count(), "four accounts, each current once");
    assertEquals(5, accounts.count());
    assertTrue(run.out().contains("seller_accounts: 1 new or changed rows stored as new versions"), run.out());

    // The same run date again: the same tables.
    Map<String, List<String>> once = dimensions(wh);
    List<String> ordersOnce = sorted(table(wh, Transactions.NAME));
    assertEquals(0, ingest(partial, wh, "2023-01-31", "partial-again").code());
    assertEquals(once, dimensions(wh));
    assertEquals(ordersOnce, sorted(table(wh, Transactions.NAME)));
  }

  /**
   * A broken symbolic link fails the run, or is an unreadable file in the audit; a Parquet file whose broken page
   * is found only when its rows are read is left out (the run starts again without it), never a silent gap.
   */
  @Test
  void aBrokenLinkOrAPageThatCannotBeReadIsReportedNeverASilentGap() throws IOException {
    // Bad files fail the run (the default): the link alone, as a broken page would fail it too.
    Path linkOnly = IngestCorpusTest.deliveryWith(dir.resolve("link-only"), "transactions/clean.csv");
    Files.createSymbolicLink(linkOnly.resolve("transactions/yesterday.csv"),
        linkOnly.resolve("transactions/gone.csv"));
    CliRunner.Result failed = ingest(linkOnly, dir.resolve("wh-link-fail"), RUN_DATE, "link");
    assertEquals(1, failed.code());
    assertTrue(failed.err().contains("yesterday.csv") && failed.err().contains("broken symbolic link"), failed.err());

    Path input = IngestCorpusTest.deliveryWith(dir.resolve("link"), "transactions/clean.csv",
        "read-time/corrupt_page.parquet");
    Files.createSymbolicLink(input.resolve("transactions/yesterday.csv"), input.resolve("transactions/gone.csv"));
    Path conf = Files.writeString(dir.resolve("quarantine.conf"), "taobao-villages.ingest.bad-files = quarantine\n");
    Path wh = dir.resolve("wh-link");
    CliRunner.Result run = CliRunner.run("ingest", "--conf", conf.toString(), "--demo", "--input", input.toString(),
        "--warehouse", wh.toString(), "--run-date", RUN_DATE);
    assertEquals(0, run.code(), run.err());
    Row link = table(wh, IngestAudit.NAME).where(col(IngestAudit.SOURCE_FILE).endsWith("yesterday.csv")).first();
    assertEquals(Map.of("UNREADABLE_FILE", 1L), link.getJavaMap(link.fieldIndex(IngestAudit.REASONS)));
    Row page = table(wh, IngestAudit.NAME).where(col(IngestAudit.SOURCE_FILE).endsWith("corrupt_page.parquet"))
        .first();
    assertEquals(Map.of("CORRUPT_FILE", 1L), page.getJavaMap(page.fieldIndex(IngestAudit.REASONS)));
    assertTrue(page.<String>getAs(IngestAudit.ERROR).startsWith("cannot read the file's data"),
        page.<String>getAs(IngestAudit.ERROR));
    assertEquals(6, table(wh, Transactions.NAME).count(), "clean.csv read");
  }

  /**
   * Two copies of clean.parquet (2 rows, T-PQ-1 and T-PQ-2): one whose footer claims 5 rows, one whose row group
   * claims 5 (its columns hold 2 values each). Both are bad files, left out whole: none of their rows is stored or
   * quarantined, and clean.csv's 6 orders are stored. The bad-row limit is off: in a delivery of thousands of
   * rows the 3 empty rows Spark makes up for the lying row group would pass it unnoticed.
   */
  @Test
  void aParquetFileWhoseFooterClaimsMoreRowsThanItsPagesHoldIsLeftOutWhole() throws IOException {
    Path input = IngestCorpusTest.deliveryWith(dir.resolve("lying"), "transactions/clean.csv");
    Path clean = CORPUS.resolve("transactions/clean.parquet");
    LyingParquet.claimingRows(clean, input.resolve("transactions/footer_claims_5.parquet"), 5);
    LyingParquet.rowGroupClaimingRows(clean, input.resolve("transactions/row_group_claims_5.parquet"), 5);
    Path conf = Files.writeString(dir.resolve("lying.conf"), "taobao-villages.ingest {\n  bad-files = quarantine\n"
        + "  max-bad-row-share = 1.0\n}\n");
    Path wh = dir.resolve("wh-lying");
    CliRunner.Result run = CliRunner.run("ingest", "--conf", conf.toString(), "--demo", "--input", input.toString(),
        "--warehouse", wh.toString(), "--run-date", RUN_DATE);
    assertEquals(0, run.code(), run.err());
    for (String lying : List.of("footer_claims_5.parquet", "row_group_claims_5.parquet")) {
      Row audit = table(wh, IngestAudit.NAME).where(col(IngestAudit.SOURCE_FILE).endsWith(lying)).first();
      assertEquals(IngestAudit.FILE_QUARANTINED, audit.getAs(IngestAudit.FILE_STATUS), lying);
      assertNull(audit.getAs(IngestAudit.ROWS_READ), lying);
      assertTrue(Set.of(Map.of("ROW_COUNT_MISMATCH", 1L), Map.of("CORRUPT_FILE", 1L))
          .contains(audit.getJavaMap(audit.fieldIndex(IngestAudit.REASONS))), lying + ": " + audit);
    }
    assertEquals(Set.of("T-0001", "T-0002", "T-0003", "T-0004", "T-0005", "T-0006"),
        new TreeSet<>(table(wh, Transactions.NAME).select(Transactions.TRANSACTION_ID).collectAsList().stream()
            .map(r -> r.getString(0)).toList()));
    assertEquals(0, table(wh, Quarantine.NAME).where(col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID)
        .startsWith("T-PQ")).count(), "no row of a bad file in the quarantine");
  }

  /**
   * Six accounts whose ids differ only by a compatibility character or not at all (S1, S2 and S², fish, IV, 7),
   * and orders whose seller is written as full-width or padded S1, as S², or as ﬁsh, Ⅳ and ⑦ (no such accounts);
   * order ids T-8, T-⑧ and a full-width Ｔ－８ (T-8's exact copy). Worked out by hand: six accounts; T-1 to T-3
   * are S1's, T-4 is S²'s (not S2's), T-5 to T-7 have unknown sellers; T-8 and T-⑧ are two orders, Ｔ－８ is
   * skipped.
   */
  @Test
  void idsThatDifferOnlyByACompatibilityCharacterAreNeverMerged() throws IOException {
    Path input = IngestCorpusTest.deliveryWith(dir.resolve("compat"));
    Files.delete(input.resolve("seller_accounts/accounts.jsonl"));
    StringBuilder accounts = new StringBuilder("seller_id,village_code,household_id,opened_date,platform,account_type,"
        + "owner_origin\n");
    List.of("S1,130672103201,hh-1", "S2,130672103201,hh-2", "S\u00B2,130672103202,hh-3", "fish,130672103202,hh-4",
        "IV,130672103203,hh-5", "7,130672103203,hh-6").forEach(a -> accounts.append(a)
            .append(",2020-01-01,taobao,individual,native\n"));
    Files.writeString(input.resolve("seller_accounts/accounts.csv"), accounts);
    StringBuilder orders = new StringBuilder(HEADER + "\n");
    Map<String, String> sellers = new java.util.LinkedHashMap<>();
    sellers.put("T-1", " S1");
    sellers.put("T-2", "\uFF33\uFF11");
    sellers.put("T-3", "S1\u00A0");
    sellers.put("T-4", "S\u00B2");
    sellers.put("T-5", "\uFB01sh");
    sellers.put("T-6", "\u2163");
    sellers.put("T-7", "\u2466");
    sellers.forEach((id, seller) -> orders.append(id).append(',').append(seller)
        .append(",taobao,2022-05-01 10:00:00,10.00,1,toys,paid\n"));
    orders.append("T-8,S2,taobao,2022-05-01 10:00:00,20.00,1,toys,paid\n")
        .append("T-\u2467,S2,taobao,2022-05-01 10:00:00,30.00,1,toys,paid\n")
        .append("\uFF34\uFF0D\uFF18,S2,taobao,2022-05-01 10:00:00,20.00,1,toys,paid\n");
    Files.writeString(input.resolve("transactions/orders.csv"), orders, StandardCharsets.UTF_8);
    Path wh = dir.resolve("wh-compat");
    CliRunner.Result run = CliRunner.run("ingest", "--conf", Files.writeString(dir.resolve("compat.conf"),
        "taobao-villages.ingest.max-bad-row-share = 1.0\n").toString(), "--demo", "--input", input.toString(),
        "--warehouse", wh.toString(), "--run-date", RUN_DATE);
    assertEquals(0, run.code(), run.err());

    java.util.function.Function<String, String> p = IngestHostileTest::hmac;
    assertEquals(Set.of(p.apply("S1"), p.apply("S2"), p.apply("S\u00B2"), p.apply("fish"), p.apply("IV"),
        p.apply("7")), new java.util.HashSet<>(table(wh, SellerAccounts.NAME).select(SellerAccounts.SELLER_ID)
        .collectAsList().stream().map(r -> r.getString(0)).toList()), "six accounts");
    Map<String, String> stored = new TreeMap<>();
    table(wh, Transactions.NAME).collectAsList().forEach(r -> stored.put(r.getAs(Transactions.TRANSACTION_ID),
        r.getAs(Transactions.SELLER_ID)));
    assertEquals(Map.of("T-1", p.apply("S1"), "T-2", p.apply("S1"), "T-3", p.apply("S1"), "T-4", p.apply("S\u00B2"),
        "T-8", p.apply("S2"), "T-\u2467", p.apply("S2")), stored);
    Dataset<Row> audit = table(wh, IngestAudit.NAME).where(col(IngestAudit.SOURCE_FILE).endsWith("orders.csv"));
    Row orderAudit = audit.first();
    assertEquals(List.of(10L, 6L, 3L, 1L), List.of(orderAudit.<Long>getAs(IngestAudit.ROWS_READ),
        orderAudit.<Long>getAs(IngestAudit.ACCEPTED), orderAudit.<Long>getAs(IngestAudit.QUARANTINED),
        orderAudit.<Long>getAs(IngestAudit.DUPLICATES_SKIPPED)));
    assertEquals(Map.of("UNKNOWN_SELLER", 3L), orderAudit.getJavaMap(orderAudit.fieldIndex(IngestAudit.REASONS)));
  }

  /**
   * Orders declared GBK: a file that starts with a UTF-8 byte order mark (UTF-8 text after it) is bad, naming the
   * mark and the declared encoding; in a GBK file, the line written in UTF-8 is MALFORMED_ENCODING (its bytes
   * would read as 鏈嶈, not 服装), the GBK and ASCII lines are accepted as written.
   */
  @Test
  void aByteOrderMarkOrUtf8LinesContradictingTheDeclaredEncodingAreNeverStoredGarbled() throws IOException {
    java.nio.charset.Charset gbk = java.nio.charset.Charset.forName("GBK");
    String order = ",shop-li-0002,tmall,2022-04-05 10:00:00,10.00,1,";
    Path input = IngestCorpusTest.deliveryWith(dir.resolve("encodings"));
    Files.write(input.resolve("transactions/bom.csv"), TextFilesTest.concat(
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        (HEADER + "\nT-BOM-1" + order + "\u670D\u88C5,paid\n").getBytes(StandardCharsets.UTF_8)));
    Files.write(input.resolve("transactions/mixed.csv"), TextFilesTest.concat(
        (HEADER + "\nT-GB-1" + order + "\u670D\u88C5,paid\n").getBytes(gbk),
        ("T-GB-2" + order + "\u670D\u88C5,paid\n").getBytes(StandardCharsets.UTF_8),
        ("T-GB-3" + order + "bags,paid\n").getBytes(gbk)));
    Path conf = Files.writeString(dir.resolve("gbk.conf"), "taobao-villages.ingest {\n  bad-files = quarantine\n"
        + "  max-bad-row-share = 1.0\n  file-sets.transactions.encoding = GBK\n}\n");
    Path wh = dir.resolve("wh-encodings");
    CliRunner.Result run = CliRunner.run("ingest", "--conf", conf.toString(), "--demo", "--input", input.toString(),
        "--warehouse", wh.toString(), "--run-date", RUN_DATE);
    assertEquals(0, run.code(), run.err());

    Row bom = table(wh, IngestAudit.NAME).where(col(IngestAudit.SOURCE_FILE).endsWith("bom.csv")).first();
    assertEquals(Map.of("WRONG_ENCODING", 1L), bom.getJavaMap(bom.fieldIndex(IngestAudit.REASONS)));
    String error = bom.getAs(IngestAudit.ERROR);
    assertTrue(error.contains("UTF-8 byte order mark") && error.contains("GBK"), error);
    Row mixed = table(wh, IngestAudit.NAME).where(col(IngestAudit.SOURCE_FILE).endsWith("mixed.csv")).first();
    assertEquals(Map.of("MALFORMED_ENCODING", 1L), mixed.getJavaMap(mixed.fieldIndex(IngestAudit.REASONS)));
    Map<String, String> stored = new TreeMap<>();
    table(wh, Transactions.NAME).collectAsList().forEach(r -> stored.put(r.getAs(Transactions.TRANSACTION_ID),
        r.getAs(Transactions.CATEGORY)));
    assertEquals(Map.of("T-GB-1", "\u670D\u88C5", "T-GB-3", "bags"), stored);
    assertEquals(Set.of(3L), longs(table(wh, Quarantine.NAME).where(col(Quarantine.SOURCE_FILE).endsWith("mixed.csv"))
        .select(Quarantine.SOURCE_LINE)), "T-GB-2, line 3");
  }

  /** HMAC-SHA-256 of the id exactly as given (no normalising), hex: what the pseudonym of a normal id must be. */
  static String hmac(String id) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(IngestGeneratedTest.KEY, "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CliRunner.Result ingest(Path input, Path warehouse, String runDate, String runId) {
    return CliRunner.run("ingest", "--demo", "--input", input.toString(), "--warehouse", warehouse.toString(),
        "--run-date", runDate, "--run-id", runId);
  }

  /** The three dimension tables, each as sorted JSON rows without the run id. */
  private static Map<String, List<String>> dimensions(Path wh) {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String t : List.of(VillageRegistry.NAME, SellerAccounts.NAME, "county_attributes")) {
      tables.put(t, sorted(table(wh, t).drop(RunColumns.RUN_ID)));
    }
    return tables;
  }

  private static List<String> sorted(Dataset<Row> rows) {
    return rows.select(to_json(struct(col("*")))).collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  private static Set<Long> longs(Dataset<Row> oneColumn) {
    Set<Long> values = new TreeSet<>();
    oneColumn.collectAsList().forEach(r -> values.add(r.getLong(0)));
    return values;
  }

  private static String categoryOf(Dataset<Row> stored, String id) {
    return stored.where(col(Transactions.TRANSACTION_ID).equalTo(id)).select(Transactions.CATEGORY).first().getString(0);
  }

  private static String nameOf(Dataset<Row> registry, String code) {
    return registry.where(col(VillageRegistry.VILLAGE_CODE).equalTo(code)).select(VillageRegistry.VILLAGE_NAME).first()
        .getString(0);
  }
}
