package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.cli.CliRunner;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * A raw seller or household id in a column where it does not belong (a shifted row, a pasted cell, a header cell)
 * never reaches a table, the Delta log, the report, the error output or the log. Hand-made deliveries; the
 * expected outcome of every line is worked out below from its values.
 *
 * <p>The ids: accounts shop-a-0001 (household hh-a-01), shop-b-0002 (hh-b-02), 88001234 (77005678, numeric ids as
 * platforms write them) and shop-d-0004 (hh-d-04), and shop-x-9999, a seller without an account that only the
 * orders name.
 */
class IngestRedactionTest {
  static final String RUN_DATE = "2022-12-31";
  static final String MARKER = Redaction.REDACTED;
  /** The reason of a row that passed every other check but holds an id out of place (README "Row checks"). */
  static final String MISPLACED_ID = "MISPLACED_ID";
  static final Set<String> RAW_IDS = Set.of("shop-a-0001", "shop-b-0002", "88001234", "shop-d-0004", "shop-x-9999",
      "hh-a-01", "hh-b-02", "77005678", "hh-d-04");
  static final String REGISTRY_HEADER = "village_code,village_name,town_code,town_name,county_code,county_name,"
      + "city_code,city_name,province_code,province_name,longitude,latitude,households,population";
  static final String VILLAGE = "130672103201,东小村,130672103,白沟镇,130672,白沟新城,1306,保定市,13,河北省,116.03,39.12,420,1500";
  static final String ACCOUNTS_HEADER = "seller_id,village_code,household_id,opened_date,platform,account_type,"
      + "owner_origin";
  static final String COUNTIES_HEADER = "county_code,county_name,province_code,manufacturing_share,"
      + "wholesale_retail_share,migrant_share,ecommerce_programme,programme_start_year";
  static final String ORDERS_HEADER = IngestHostileTest.HEADER;

  @TempDir static Path dir;

  /**
   * Dimension files with ids out of place, one per file set: a village whose name is hh-b-02, a county whose name
   * is shop-b-0002, an account whose owner origin is shop-a-0001 (owner origin is not checked against its list, so
   * nothing else refuses the row). Each of those rows is otherwise valid.
   */
  static Path dimensions(Path root) throws IOException {
    write(root, "village_registry/registry.csv", REGISTRY_HEADER, VILLAGE,
        "130672103202,hh-b-02,130672103,白沟镇,130672,白沟新城,1306,保定市,13,河北省,116.04,39.13,380,1320");
    write(root, "county_attributes/counties.csv", COUNTIES_HEADER,
        "130672,白沟新城,13,0.31,0.22,0.02,true,2015",
        "130673,shop-b-0002,13,0.30,0.20,0.05,false,");
    write(root, "seller_accounts/accounts.csv", ACCOUNTS_HEADER,
        "shop-a-0001,130672103201,hh-a-01,2015-03-01,taobao,individual,native",
        "shop-b-0002,130672103201,hh-b-02,2016-04-01,taobao,individual,migrant",
        "88001234,130672103201,77005678,2017-05-01,taobao,individual,native",
        "shop-d-0004,130672103201,hh-d-04,2018-06-01,taobao,individual,shop-a-0001");
    return root;
  }

  /**
   * One delivery with ids in every kind of place, extra columns kept. Expected, line by line (line 1 is the header):
   *
   * <pre>
   * orders.csv  2 T-1 clean                                       accepted
   *             3 T-2 shifted: seller cell emptied, shop-x-9999 in  MALFORMED_VALUE, MISSING_KEY, UNKNOWN_PLATFORM,
   *               platform, every later value one column on          UNKNOWN_STATUS; platform redacted
   *             4 T-3 order of shop-x-9999 (no account)           UNKNOWN_SELLER
   *             5 T-4 category hh-b-02, else valid                MISPLACED_ID; category redacted
   *             6 order id shop-b-0002, else valid                MISPLACED_ID; order id redacted
   *             7 T-7 quantity 77005678, else valid               MISPLACED_ID; quantity redacted
   *             8 T-8 category " hh-a-01 " (padded), else valid   MISPLACED_ID; category redacted
   * extra.csv   2 T-9 extra column note = hh-a-01                 accepted, the note redacted in place
   *             3 T-10 note "gift wrap"                           accepted as it is
   * odd_header.csv: an extra column named hh-d-04; T-11             accepted; the column's name redacted in the
   *                                                                 extra columns and in the drift
   * </pre>
   *
   * Registry, counties, accounts: 2, 2 and 4 rows, one each refused as MISPLACED_ID (see {@link #dimensions}).
   */
  @Test
  void idsOutOfPlaceAreRefusedOrRedactedAndNeverStoredReportedOrLogged() throws IOException {
    SparkSession spark = TestSpark.get();
    Path input = dimensions(dir.resolve("everywhere"));
    write(input, "transactions/orders.csv", ORDERS_HEADER,
        "T-1,shop-a-0001,taobao,2022-05-01 10:00:00,10.00,1,bags,paid",
        "T-2,,shop-x-9999,taobao,2022-05-01 11:00:00,10.00,1,bags",
        "T-3,shop-x-9999,taobao,2022-05-01 12:00:00,15.00,1,toys,paid",
        "T-4,shop-a-0001,taobao,2022-05-02 10:00:00,20.00,2,hh-b-02,paid",
        "shop-b-0002,shop-a-0001,taobao,2022-05-03 10:00:00,30.00,1,toys,paid",
        "T-7,shop-a-0001,taobao,2022-05-04 10:00:00,40.00,77005678,bags,paid",
        "T-8,88001234,taobao,2022-05-05 10:00:00,50.00,1, hh-a-01 ,paid");
    write(input, "transactions/extra.csv", ORDERS_HEADER + ",note",
        "T-9,shop-b-0002,taobao,2022-05-06 10:00:00,60.00,1,toys,paid,hh-a-01",
        "T-10,shop-b-0002,taobao,2022-05-06 11:00:00,70.00,1,toys,paid,gift wrap");
    write(input, "transactions/odd_header.csv", ORDERS_HEADER + ",hh-d-04",
        "T-11,shop-a-0001,taobao,2022-05-07 10:00:00,80.00,1,bags,paid,x");
    Path conf = Files.writeString(dir.resolve("keep.conf"),
        "taobao-villages.ingest { extra-columns = keep, max-bad-row-share = 1.0 }\n");
    Path wh = dir.resolve("wh-everywhere");

    IngestFuzzTest.Capture run = ingest(conf, input, wh, RUN_DATE, "everywhere");
    assertEquals(0, run.code(), run.err());
    assertNoRawId(spark, wh, run);

    Map<String, Row> audit = audit(spark, wh);
    assertCounts(audit.get("orders.csv"), 7, 1, 6, Map.of("MALFORMED_VALUE", 1L, "MISSING_KEY", 1L,
        "UNKNOWN_PLATFORM", 1L, "UNKNOWN_STATUS", 1L, "UNKNOWN_SELLER", 1L, MISPLACED_ID, 4L));
    assertCounts(audit.get("extra.csv"), 2, 2, 0, Map.of());
    assertCounts(audit.get("odd_header.csv"), 1, 1, 0, Map.of());
    assertCounts(audit.get("registry.csv"), 2, 1, 1, Map.of(MISPLACED_ID, 1L));
    assertCounts(audit.get("counties.csv"), 2, 1, 1, Map.of(MISPLACED_ID, 1L));
    assertCounts(audit.get("accounts.csv"), 4, 3, 1, Map.of(MISPLACED_ID, 1L));
    Row odd = audit.get("odd_header.csv");
    assertEquals(List.of("extra column '" + MARKER + "' kept"), odd.getList(odd.fieldIndex(IngestAudit.DRIFT)));
    assertTrue(run.out().contains("drift: extra column '" + MARKER + "' kept"), run.out());

    Dataset<Row> orders = IngestFuzzTest.table(spark, wh, Transactions.NAME);
    assertEquals(Set.of("T-1", "T-9", "T-10", "T-11"), strings(orders.select(Transactions.TRANSACTION_ID)));
    assertEquals(Map.of("note", MARKER), extraColumns(orders, "T-9"));
    assertEquals(Map.of("note", "gift wrap"), extraColumns(orders, "T-10"));
    assertEquals(Map.of(MARKER + " #1", "x"), extraColumns(orders, "T-11"));
    assertEquals(3, IngestFuzzTest.table(spark, wh, SellerAccounts.NAME).count());
    assertEquals(Set.of("130672103201"), strings(IngestFuzzTest.table(spark, wh, VillageRegistry.NAME)
        .select(VillageRegistry.VILLAGE_CODE)));

    Dataset<Row> quarantine = IngestFuzzTest.table(spark, wh, Quarantine.NAME);
    Map<String, String> shifted = record(quarantine, "orders.csv", 3);
    assertEquals(MARKER, shifted.get(Transactions.PLATFORM));
    assertEquals("T-2", shifted.get(Transactions.TRANSACTION_ID));
    assertEquals("taobao", shifted.get(Transactions.ORDER_TS), "the other shifted values are kept");
    assertEquals(MARKER, record(quarantine, "orders.csv", 5).get(Transactions.CATEGORY));
    assertEquals(MARKER, record(quarantine, "orders.csv", 6).get(Transactions.TRANSACTION_ID));
    assertEquals(MARKER, record(quarantine, "orders.csv", 7).get(Transactions.QUANTITY));
    assertEquals(MARKER, record(quarantine, "orders.csv", 8).get(Transactions.CATEGORY));
    assertEquals(List.of(MISPLACED_ID), reasons(quarantine, "orders.csv", 6));
    assertEquals(MARKER, record(quarantine, "accounts.csv", 5).get(SellerAccounts.OWNER_ORIGIN));
    assertEquals(MARKER, record(quarantine, "registry.csv", 3).get(VillageRegistry.VILLAGE_NAME));
    assertEquals(MARKER, record(quarantine, "counties.csv", 3).get("county_name"));
    // Not vacuous: the refused account's own ids are there, pseudonymised.
    assertEquals(Pseudonymizer.pseudonym(IngestGeneratedTest.KEY, "shop-d-0004"),
        record(quarantine, "accounts.csv", 5).get(SellerAccounts.SELLER_ID));
  }

  /**
   * A file whose header names an extra column hh-d-04, with {@code extra-columns = fail}: the file is bad. Left
   * out (bad files quarantined), its error in the audit, the quarantine and the report names the column as the
   * marker; failing the run (the default), the one error line does.
   */
  @Test
  void aColumnNamedAsAnIdIsRedactedInTheErrorOfABadFile() throws IOException {
    SparkSession spark = TestSpark.get();
    Path input = dimensions(dir.resolve("named"));
    write(input, "transactions/clean.csv", ORDERS_HEADER,
        "T-1,shop-a-0001,taobao,2022-05-01 10:00:00,10.00,1,bags,paid");
    write(input, "transactions/odd_header.csv", ORDERS_HEADER + ",hh-d-04",
        "T-11,shop-a-0001,taobao,2022-05-07 10:00:00,80.00,1,bags,paid,x");
    String error = "extra column '" + MARKER + "' not in the schema";

    Path leftOut = Files.writeString(dir.resolve("left-out.conf"), "taobao-villages.ingest { extra-columns = fail, "
        + "bad-files = quarantine, max-bad-row-share = 1.0 }\n");
    Path wh = dir.resolve("wh-named");
    IngestFuzzTest.Capture run = ingest(leftOut, input, wh, RUN_DATE, "left-out");
    assertEquals(0, run.code(), run.err());
    assertNoRawId(spark, wh, run);
    Row audited = audit(spark, wh).get("odd_header.csv");
    assertEquals(Map.of("EXTRA_COLUMN", 1L), audited.getJavaMap(audited.fieldIndex(IngestAudit.REASONS)));
    assertEquals(error, audited.getAs(IngestAudit.ERROR));
    Row bad = IngestFuzzTest.table(spark, wh, Quarantine.NAME).where(col(Quarantine.SOURCE_FILE)
        .endsWith("odd_header.csv")).first();
    assertEquals(error, bad.<String, String>getJavaMap(bad.fieldIndex(Quarantine.RECORD)).get("error"));
    assertTrue(run.out().contains("LEFT OUT (EXTRA_COLUMN): " + error), run.out());

    Path fail = Files.writeString(dir.resolve("fail.conf"), "taobao-villages.ingest { extra-columns = fail, "
        + "max-bad-row-share = 1.0 }\n");
    IngestFuzzTest.Capture failed = ingest(fail, input, dir.resolve("wh-named-fail"), RUN_DATE, "fail");
    assertEquals(1, failed.code(), failed.out());
    assertTrue(failed.err().contains("odd_header.csv") && failed.err().contains(error), failed.err());
    assertEquals(1, failed.err().strip().lines().count(), failed.err());
    assertEquals(Set.of(), RawIds.leaked(RAW_IDS, RawIds.tokens(failed.out() + failed.err() + failed.log())));
  }

  /**
   * The id of an account that is only stored (delivered a month earlier), in the category of a later delivery's
   * otherwise valid order: refused all the same. The later delivery has only orders, of shop-b-0002; hh-a-01 is
   * shop-a-0001's household, which this delivery does not name anywhere.
   */
  @Test
  void anIdKnownOnlyFromTheStoredAccountsIsRefusedInALaterDelivery() throws IOException {
    SparkSession spark = TestSpark.get();
    Path first = dir.resolve("stored");
    write(first, "village_registry/registry.csv", REGISTRY_HEADER, VILLAGE);
    write(first, "seller_accounts/accounts.csv", ACCOUNTS_HEADER,
        "shop-a-0001,130672103201,hh-a-01,2015-03-01,taobao,individual,native",
        "shop-b-0002,130672103201,hh-b-02,2016-04-01,taobao,individual,migrant");
    write(first, "transactions/orders.csv", ORDERS_HEADER,
        "T-1,shop-a-0001,taobao,2022-05-01 10:00:00,10.00,1,bags,paid");
    Path conf = Files.writeString(dir.resolve("stored.conf"), "taobao-villages.ingest.max-bad-row-share = 1.0\n");
    Path wh = dir.resolve("wh-stored");
    assertEquals(0, ingest(conf, first, wh, RUN_DATE, "month-1").code());

    Path later = dir.resolve("later");
    write(later, "transactions/orders.csv", ORDERS_HEADER,
        "T-20,shop-b-0002,taobao,2023-01-05 10:00:00,10.00,1,hh-a-01,paid",
        "T-21,shop-b-0002,taobao,2023-01-05 11:00:00,12.00,1,toys,paid");
    IngestFuzzTest.Capture run = ingest(conf, later, wh, "2023-01-31", "month-2");
    assertEquals(0, run.code(), run.err());
    assertNoRawId(spark, wh, run);
    Map<String, Row> audit = audit(spark, wh);
    assertCounts(audit.get("orders.csv"), 2, 1, 1, Map.of(MISPLACED_ID, 1L));
    Dataset<Row> orders = IngestFuzzTest.table(spark, wh, Transactions.NAME);
    assertEquals(Set.of("T-1", "T-21"), strings(orders.select(Transactions.TRANSACTION_ID)));
    assertEquals(MARKER, record(IngestFuzzTest.table(spark, wh, Quarantine.NAME), "orders.csv", 2)
        .get(Transactions.CATEGORY));
  }

  /** An ingest run: exit code, output, error output and everything logged meanwhile (as in the fuzz test). */
  static IngestFuzzTest.Capture ingest(Path conf, Path input, Path wh, String runDate, String runId) {
    StringWriter log = new StringWriter();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    WriterAppender appender = WriterAppender.newBuilder().setName("redaction-" + runId).setTarget(log)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c{1}: %m%n%ex").build()).build();
    appender.start();
    context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    Configurator.setLevel("org.taobaovillages", Level.INFO);
    try {
      CliRunner.Result r = CliRunner.run("ingest", "--conf", conf.toString(), "--demo", "--input", input.toString(),
          "--warehouse", wh.toString(), "--run-date", runDate, "--run-id", runId);
      return new IngestFuzzTest.Capture(r.code(), r.out(), r.err(), log.toString());
    } finally {
      Configurator.setLevel("org.taobaovillages", Level.WARN);
      context.getConfiguration().getRootLogger().removeAppender(appender.getName());
      context.updateLoggers();
      appender.stop();
    }
  }

  static void assertNoRawId(SparkSession spark, Path wh, IngestFuzzTest.Capture run) throws IOException {
    assertEquals(Set.of(), RawIds.leaked(RAW_IDS, RawIds.tokens(spark, wh)), "raw ids in the warehouse");
    assertEquals(Set.of(), RawIds.leaked(RAW_IDS, RawIds.tokens(run.out() + run.err() + run.log())),
        "raw ids in the output or the log");
  }

  static void write(Path root, String file, String... lines) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, String.join("\n", lines) + "\n");
  }

  /** The latest run's audit rows by file name. */
  static Map<String, Row> audit(SparkSession spark, Path wh) {
    Map<String, Row> byFile = new TreeMap<>();
    Dataset<Row> audit = IngestFuzzTest.table(spark, wh, IngestAudit.NAME);
    String last = audit.agg(org.apache.spark.sql.functions.max(col("run_date"))).first().get(0).toString();
    audit.where(col("run_date").equalTo(last)).collectAsList()
        .forEach(r -> byFile.put(IngestFuzzTest.nameOf(r.getAs(IngestAudit.SOURCE_FILE)), r));
    return byFile;
  }

  static void assertCounts(Row audit, long read, long accepted, long quarantined, Map<String, Long> reasons) {
    assertNotNull(audit);
    String file = audit.getAs(IngestAudit.SOURCE_FILE);
    assertEquals(List.of(read, accepted, quarantined, 0L), List.of(audit.<Long>getAs(IngestAudit.ROWS_READ),
        audit.<Long>getAs(IngestAudit.ACCEPTED), audit.<Long>getAs(IngestAudit.QUARANTINED),
        audit.<Long>getAs(IngestAudit.DUPLICATES_SKIPPED)), file);
    assertEquals(new TreeMap<>(reasons), new TreeMap<>(audit.<String, Long>getJavaMap(audit.fieldIndex(
        IngestAudit.REASONS))), file);
  }

  static Map<String, String> record(Dataset<Row> quarantine, String file, long line) {
    Row r = row(quarantine, file, line);
    return r.getJavaMap(r.fieldIndex(Quarantine.RECORD));
  }

  static List<String> reasons(Dataset<Row> quarantine, String file, long line) {
    Row r = row(quarantine, file, line);
    return r.getList(r.fieldIndex(Quarantine.REASONS));
  }

  static Row row(Dataset<Row> quarantine, String file, long line) {
    List<Row> rows = quarantine.where(col(Quarantine.SOURCE_FILE).endsWith("/" + file)
        .and(col(Quarantine.SOURCE_LINE).equalTo(line))).collectAsList();
    assertEquals(1, rows.size(), file + " line " + line + " quarantined once");
    return rows.get(0);
  }

  static Map<String, String> extraColumns(Dataset<Row> orders, String id) {
    Row r = orders.where(col(Transactions.TRANSACTION_ID).equalTo(id)).first();
    return r.getJavaMap(r.fieldIndex("extra_columns"));
  }

  static Set<String> strings(Dataset<Row> oneColumn) {
    Set<String> values = new TreeSet<>();
    oneColumn.collectAsList().forEach(r -> values.add(r.getString(0)));
    return values;
  }
}
