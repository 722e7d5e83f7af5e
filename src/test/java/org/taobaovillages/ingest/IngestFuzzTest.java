package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.cli.CliRunner;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;

/**
 * Fuzz test of ingest: random deliveries (CSV, JSON Lines, Parquet, gzip; odd file names; orders declared UTF-8
 * or GB18030, byte order marks, line endings, comment and blank lines), mutated the way hand-edited and
 * re-delivered files are (stray and unterminated quotes, a delimiter added or removed, a line broken in two, bytes
 * that are not valid, UTF-8 lines in a GB18030 file, padded and full-width ids, duplicated lines, duplicate and
 * missing header columns, truncated and empty files, a byte order mark of another encoding than the declared one,
 * Parquet footers that claim other row counts than their pages hold, rows shifted by a cell deleted and a raw
 * seller or household id inserted anywhere), with seller and order ids that differ from
 * another only by a compatibility character (S² and S2, ﬁ and fi, ① and 1, Ⅳ and IV), then ingested twice under the
 * same run date. On every run:
 *
 * <ul>
 *   <li>the exit code is 0, or 1 with one error line naming a delivered file (bad files set to fail);
 *   <li>every delivered file has one audit row; for each file read, rows read = accepted + quarantined +
 *       skipped, and rows read = the rows the file holds, counted here from the bytes written;
 *   <li>the orders accepted are exactly the orders of the lines left intact (each once, with its amount and its
 *       seller's pseudonym: the HMAC of the seller's id as generated, however padded or written full-width, and
 *       never that of an id it differs from by a compatibility character): no line lost, merged into another or
 *       accepted damaged;
 *   <li>no raw seller or household id appears in any table, the Delta log, the output or the log;
 *   <li>the second run leaves the same tables.
 * </ul>
 *
 * <p>Each case is a seed, printed in its name. The suite runs {@code fuzz.runs} cases (2) from
 * {@code fuzz.seed} (fixed, so that the suite is repeatable); a longer run:
 * {@code mvn test -Dtest=IngestFuzzTest -Dfuzz.runs=100 -Dfuzz.seed=$RANDOM}; {@code -Dfuzz.case=<seed>} repeats
 * one case.
 */
class IngestFuzzTest {
  static final String RUN_DATE = "2022-12-31";
  static final String[] COLUMNS = Transactions.INPUT_SCHEMA.fieldNames();
  static final List<String> NAMES = List.of("orders", "orders[1]", "orders1", "a b", "x#y", "p%41", "q{1,2}",
      "订单", "st*r", "qu?", "-dash", "UPPER");

  @TempDir static Path dir;

  @TestFactory
  Stream<DynamicTest> randomHostileDeliveries() {
    if (System.getProperty("fuzz.case") != null) {
      long one = Long.getLong("fuzz.case");
      return Stream.of(DynamicTest.dynamicTest("seed " + one, () -> fuzz(one)));
    }
    int runs = Integer.getInteger("fuzz.runs", 2);
    long seed = Long.getLong("fuzz.seed", 20261126L);
    Random seeds = new Random(seed);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long caseSeed = seeds.nextLong();
      tests.add(DynamicTest.dynamicTest("seed " + caseSeed, () -> fuzz(caseSeed)));
    }
    return tests.stream();
  }

  /** An order as generated: its values, and whether its line was left intact. */
  record Order(String id, String seller, String platform, String ts, String amount, int quantity, String category,
      String status) {}

  /**
   * What the test knows of a file it wrote: name under transactions/, rows it holds, whether it must be bad, and
   * if so for which reasons (empty: any).
   */
  record Written(String name, long rows, boolean mustBeBad, boolean mayBeBad, Set<String> reasons) {
    Written(String name, long rows, boolean mustBeBad, boolean mayBeBad) {
      this(name, rows, mustBeBad, mayBeBad, Set.of());
    }
  }

  /** Compatibility characters and what NFKC folds them to: ids written with either are different ids. */
  static final List<List<String>> COMPATIBILITY = List.of(List.of("\u00B2", "2"), List.of("\uFB01", "fi"),
      List.of("\u2460", "1"), List.of("\u2163", "IV"));

  static void fuzz(long seed) throws IOException {
    SparkSession spark = TestSpark.get();
    Random rnd = new Random(seed);
    Path input = dir.resolve("case-" + Long.toHexString(seed));
    Files.createDirectories(input);
    Set<String> raw = new HashSet<>();
    List<String> sellers = dimensions(rnd, input, raw);

    List<Order> orders = new ArrayList<>();
    int n = 20 + rnd.nextInt(60);
    for (int i = 0; i < n; i++) {
      // Now and then two orders whose ids differ only by a compatibility character: two orders.
      List<String> twin = rnd.nextInt(8) == 0 ? COMPATIBILITY.get(rnd.nextInt(COMPATIBILITY.size())) : null;
      // A twin's ids end "-" + the character ("T-5-1-²", "T-5-1-2"), so that they cannot be another order's ("T-5-12").
      String id = "T-" + seed % 1000 + "-" + i + (twin == null ? "" : "-");
      if (twin != null) {
        orders.add(order(rnd, id + twin.get(0), sellers));
        id += twin.get(1);
      }
      orders.add(order(rnd, id, sellers));
    }
    // Orders declared GB18030 in some deliveries (and written so, but for lines written in UTF-8 on purpose).
    Charset charset = rnd.nextInt(3) == 0 ? Charset.forName("GB18030") : StandardCharsets.UTF_8;
    // Orders into 2 to 8 files, each of a random format and name.
    int files = 2 + rnd.nextInt(7);
    List<List<Order>> parts = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      parts.add(new ArrayList<>());
    }
    orders.forEach(o -> parts.get(rnd.nextInt(files)).add(o));
    Set<String> intact = new HashSet<>();
    List<Written> written = new ArrayList<>();
    Set<String> usedNames = new HashSet<>();
    for (List<Order> part : parts) {
      String name;
      do {
        name = NAMES.get(rnd.nextInt(NAMES.size()));
      } while (!usedNames.add(name));
      written.add(writeFile(spark, rnd, input.resolve("transactions"), name, part, intact, charset,
          List.copyOf(raw)));
    }
    boolean failOnBadFiles = rnd.nextInt(4) == 0;
    Path conf = Files.writeString(input.resolve("fuzz.conf"), "taobao-villages.ingest {\n  max-bad-row-share = 1.0\n"
        + "  bad-files = " + (failOnBadFiles ? "fail" : "quarantine") + "\n"
        + "  file-sets.transactions.encoding = " + charset.name() + "\n}\n");
    Path warehouse = dir.resolve("wh-" + Long.toHexString(seed));

    Capture first = ingest(conf, input, warehouse, "first");
    String context = "seed " + seed + ", orders in " + charset.name() + ", files " + written + "\n" + first.out
        + first.err;
    assertEquals(Set.of(), RawIds.leaked(raw, RawIds.tokens(first.out + first.err + first.log)),
        "raw ids in the output or the log; " + context);
    if (first.code != 0) {
      assertEquals(1, first.code, context);
      assertTrue(failOnBadFiles, "only bad files may fail the run here; " + context);
      assertEquals(1, first.err.strip().lines().count(), "one error line; " + context);
      assertTrue(written.stream().anyMatch(w -> (w.mustBeBad() || w.mayBeBad())
          && first.err.contains(fileIdName(w.name()))), "the error names a bad file; " + context);
      assertFalse(Files.exists(warehouse.resolve(Transactions.NAME)), "nothing written; " + context);
      System.out.printf("fuzz seed %d: failed as it should: %s", seed, first.err);
      return;
    }
    assertFalse(failOnBadFiles && written.stream().anyMatch(Written::mustBeBad), "a bad file must fail; " + context);

    // Every file audited; files read give the rows they hold.
    Dataset<Row> audit = table(spark, warehouse, IngestAudit.NAME).where(col(IngestAudit.SOURCE_TABLE)
        .equalTo(Transactions.NAME));
    Map<String, Row> byFile = new HashMap<>();
    audit.collectAsList().forEach(r -> byFile.put(nameOf(r.getAs(IngestAudit.SOURCE_FILE)), r));
    assertEquals(written.size(), byFile.size(), "one audit row per file; " + context);
    Set<String> badFiles = new HashSet<>();
    for (Written w : written) {
      Row r = byFile.get(w.name());
      assertNotNull(r, w.name() + " audited; " + context);
      if (IngestAudit.FILE_QUARANTINED.equals(r.getAs(IngestAudit.FILE_STATUS))) {
        assertTrue(w.mustBeBad() || w.mayBeBad(), w.name() + " left out: " + r.getAs(IngestAudit.ERROR) + "; " + context);
        Set<String> reasons = r.<String, Long>getJavaMap(r.fieldIndex(IngestAudit.REASONS)).keySet();
        assertTrue(w.reasons().isEmpty() || w.reasons().containsAll(reasons), w.name() + " left out for "
            + reasons + ", expected one of " + w.reasons() + ": " + r.getAs(IngestAudit.ERROR) + "; " + context);
        badFiles.add(w.name());
        continue;
      }
      assertFalse(w.mustBeBad(), w.name() + " must be bad; " + context);
      long read = r.<Long>getAs(IngestAudit.ROWS_READ);
      assertEquals(w.rows(), read, w.name() + " rows; " + context);
      assertEquals(w.rows(), r.<Long>getAs(IngestAudit.ROWS_IN_FILE), w.name() + " rows in file; " + context);
      assertEquals(read, r.<Long>getAs(IngestAudit.ACCEPTED) + r.<Long>getAs(IngestAudit.QUARANTINED)
          + r.<Long>getAs(IngestAudit.DUPLICATES_SKIPPED), w.name() + " reconciles; " + context);
    }

    // Exactly the intact orders of the files read, each once, with its amount and its seller's pseudonym.
    Map<String, List<Object>> expected = new TreeMap<>();
    for (int f = 0; f < parts.size(); f++) {
      if (!badFiles.contains(written.get(f).name())) {
        for (Order o : parts.get(f)) {
          if (intact.contains(written.get(f).name() + "/" + o.id())) {
            expected.put(o.id(), List.of(new BigDecimal(o.amount()), IngestHostileTest.hmac(o.seller())));
          }
        }
      }
    }
    Map<String, List<Object>> stored = new TreeMap<>();
    for (Row r : table(spark, warehouse, Transactions.NAME).select(Transactions.TRANSACTION_ID, Transactions.AMOUNT_RMB,
        Transactions.SELLER_ID).collectAsList()) {
      assertNull(stored.put(r.getString(0), List.of(r.getDecimal(1), r.getString(2))), "stored once: " + r + "; "
          + context);
    }
    assertEquals(expected, stored, "the intact orders; " + context);

    System.out.printf("fuzz seed %d: orders in %s, %d files (%d left out: %s), %d orders, %d intact, %d stored%n",
        seed, charset.name(), written.size(), badFiles.size(), badFiles.stream().map(f -> f + " "
            + byFile.get(f).getJavaMap(byFile.get(f).fieldIndex(IngestAudit.REASONS)).keySet()).toList(),
        orders.size(), expected.size(), stored.size());
    // No raw id anywhere in the warehouse.
    assertEquals(Set.of(), RawIds.leaked(raw, RawIds.tokens(spark, warehouse)), "raw ids in the warehouse; " + context);

    // The same run date again: the same tables.
    Map<String, List<String>> before = tables(spark, warehouse);
    Capture second = ingest(conf, input, warehouse, "second");
    assertEquals(0, second.code, second.err + "; " + context);
    assertEquals(before, tables(spark, warehouse), "a re-run changes nothing; " + context);
  }

  /** Registry, accounts and counties of one county; the sellers' raw ids (with the households') into raw. */
  static List<String> dimensions(Random rnd, Path input, Set<String> raw) throws IOException {
    for (String set : List.of("village_registry", "seller_accounts", "county_attributes", "transactions")) {
      Files.createDirectories(input.resolve(set));
    }
    Files.writeString(input.resolve("village_registry/registry.csv"), "village_code,village_name,town_code,town_name,"
        + "county_code,county_name,city_code,city_name,province_code,province_name,longitude,latitude,households,"
        + "population\n130672103201,东小村,130672103,白沟镇,130672,白沟新城,1306,保定市,13,河北省,116.03,39.12,420,1500\n"
        + "130672103202,西小村,130672103,白沟镇,130672,白沟新城,1306,保定市,13,河北省,116.04,39.13,380,1320\n");
    Files.writeString(input.resolve("county_attributes/counties.jsonl"), "{\"county_code\": \"130672\", "
        + "\"county_name\": \"白沟新城\", \"province_code\": \"13\", \"manufacturing_share\": 0.5, "
        + "\"ecommerce_programme\": true, \"programme_start_year\": 2015}\n");
    List<String> sellers = new ArrayList<>();
    StringBuilder accounts = new StringBuilder(String.join(",", SellerAccounts.SCHEMA.fieldNames()) + "\n");
    for (int i = 0; i < 3 + rnd.nextInt(5); i++) {
      String seller = "shop" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36);
      List<String> ids = List.of(seller);
      if (rnd.nextInt(3) == 0) {
        // Two accounts whose ids differ only by a compatibility character (shopx² and shopx2): two sellers.
        List<String> twin = COMPATIBILITY.get(rnd.nextInt(COMPATIBILITY.size()));
        ids = List.of(seller + twin.get(0), seller + twin.get(1));
        raw.add(seller); // the ASCII part of the id with the compatibility character, as a token would show it
      }
      for (String id : ids) {
        String household = "hh" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36);
        sellers.add(id);
        raw.add(id);
        raw.add(household);
        accounts.append(String.join(",", id, "13067210320" + (1 + rnd.nextInt(2)), household,
            "2015-03-0" + (1 + i % 9), "taobao", "individual", "native")).append("\n");
      }
    }
    Files.writeString(input.resolve("seller_accounts/accounts.csv"), accounts);
    return sellers;
  }

  /** An order with the given id, of a random seller, with random values. */
  static Order order(Random rnd, String id, List<String> sellers) {
    return new Order(id, sellers.get(rnd.nextInt(sellers.size())),
        List.of("taobao", "tmall", "douyin").get(rnd.nextInt(3)),
        String.format("2022-%02d-%02d %02d:%02d:00", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28), rnd.nextInt(24),
            rnd.nextInt(60)),
        (1 + rnd.nextInt(5000)) + "." + String.format("%02d", rnd.nextInt(100)), 1 + rnd.nextInt(5),
        List.of("bags", "toys", "tea, green", "say \"hi\"", "服装").get(rnd.nextInt(5)),
        List.of("paid", "shipped", "completed").get(rnd.nextInt(3)));
  }

  /**
   * Writes one transactions file in a random format, text in {@code charset} (the declared encoding), with random
   * harmless variations and random damage, and records which orders' lines are intact. Returns what the file holds
   * as the test counts it.
   */
  static Written writeFile(SparkSession spark, Random rnd, Path dir, String name, List<Order> part, Set<String> intact,
      Charset charset, List<String> rawIds) throws IOException {
    int format = rnd.nextInt(5); // 0 csv, 1 csv.gz, 2 jsonl, 3 jsonl.gz, 4 parquet
    if (format == 4) {
      List<Row> rows = new ArrayList<>();
      for (Order o : part) {
        rows.add(RowFactory.create(pad(rnd, o.id()), pad(rnd, o.seller()), o.platform(), Timestamp.valueOf(o.ts()),
            new BigDecimal(o.amount()), o.quantity(), o.category(), o.status()));
      }
      var nullable = new org.apache.spark.sql.types.StructType(java.util.Arrays.stream(Transactions.INPUT_SCHEMA.fields())
          .map(f -> f.copy(f.name(), f.dataType(), true, f.metadata())).toArray(org.apache.spark.sql.types.StructField[]::new));
      Path tmp = Files.createTempDirectory(dir.getParent(), "pq");
      spark.createDataFrame(rows, nullable).coalesce(1).write().parquet(tmp.resolve("out").toString());
      Path file = dir.resolve(name + ".parquet");
      try (var files = Files.list(tmp.resolve("out"))) {
        Path p = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Files.copy(p, file);
      }
      int lie = part.isEmpty() ? -1 : rnd.nextInt(16);
      if (lie >= 0 && lie < 4) {
        // A footer that claims other rows than the pages hold (one row group, part.size() rows): its total, more
        // or fewer; its row group's; or every count, its columns' values too. The file is bad, none of its rows read.
        Path good = Files.move(file, tmp.resolve("good.parquet"));
        long more = part.size() + 1 + rnd.nextInt(3);
        switch (lie) {
          case 0 -> LyingParquet.claimingRows(good, file, more);
          case 1 -> LyingParquet.claimingRows(good, file, part.size() - 1);
          case 2 -> LyingParquet.rowGroupClaimingRows(good, file, more);
          default -> LyingParquet.everyCountClaimingRows(good, file, more);
        }
        return new Written(name + ".parquet", part.size(), true, false, Set.of("ROW_COUNT_MISMATCH", "CORRUPT_FILE"));
      }
      part.forEach(o -> intact.add(name + ".parquet/" + o.id()));
      return new Written(name + ".parquet", part.size(), false, false);
    }
    boolean csv = format <= 1;
    boolean gz = format == 1 || format == 3;
    String fileName = name + (csv ? ".csv" : ".jsonl") + (gz ? ".gz" : "");
    String eol = List.of("\n", "\r\n", "\r").get(rnd.nextInt(3));
    List<byte[]> lines = new ArrayList<>();
    String header = String.join(",", COLUMNS);
    boolean mustBeBad = false;
    if (csv) {
      if (rnd.nextInt(6) == 0) {
        lines.add("# exported for the fuzz test".getBytes(charset));
        lines.add(new byte[0]);
      }
      int damage = rnd.nextInt(12);
      if (damage == 0) {
        header = header + ",Amount_RMB"; // a duplicate column: the file is bad
        mustBeBad = true;
      } else if (damage == 1) {
        header = null; // no header line: the first order is taken for one, the file is bad
        mustBeBad = true;
      }
      if (header != null) {
        lines.add(header.getBytes(charset));
      }
    }
    long rows = 0;
    for (Order o : part) {
      String line = csv ? csvLine(rnd, o, header) : jsonLine(rnd, o);
      int kind = rnd.nextInt(15);
      byte[] bytes = line.getBytes(charset);
      boolean damaged = true;
      // Damage that always breaks the record (never a changed but valid one).
      switch (kind) {
        case 0 -> bytes = (csv ? insert(line, rnd, "\"") : line.substring(0, line.length() - 1))
            .getBytes(charset); // a stray quote; a JSON object not closed
        case 1 -> bytes = (csv ? doubleOne(line, rnd) : line.substring(0, line.length() - 1)
            + ", \"transaction_id\": \"again\"}").getBytes(charset); // a field more; a key twice
        case 2 -> bytes = (csv ? removeOne(line, rnd) : "{," + line.substring(1)).getBytes(charset);
        case 3 -> {
          // A line broken in two, neither half a whole record.
          int at = csv ? splitPoint(line, rnd) : 3 + rnd.nextInt(3);
          lines.add(line.substring(0, at).getBytes(charset));
          rows++;
          bytes = line.substring(at).getBytes(charset);
        }
        case 4 -> {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          int at = rnd.nextInt(bytes.length);
          b.write(bytes, 0, at);
          b.write(0xFF); // never valid in UTF-8, nor in GB18030
          b.write(bytes, at, bytes.length - at);
          bytes = b.toByteArray();
        }
        case 5 -> {
          if (charset.equals(StandardCharsets.UTF_8)) {
            damaged = false;
          } else {
            // A line in UTF-8 in a file declared GB18030, with Chinese text (服装 in UTF-8 reads as GB18030 鏈嶈).
            Order chinese = new Order(o.id(), o.seller(), o.platform(), o.ts(), o.amount(), o.quantity(), "服装",
                o.status());
            bytes = (csv ? csvLine(rnd, chinese, header) : jsonLine(rnd, chinese)).getBytes(StandardCharsets.UTF_8);
          }
        }
        // A shifted row: a cell deleted, a raw seller or household id inserted (sorted: the same case each time).
        case 6 -> bytes = shiftedLine(rnd, o, csv, header, new java.util.TreeSet<>(rawIds)).getBytes(charset);
        default -> damaged = false;
      }
      lines.add(bytes);
      rows++;
      if (!damaged) {
        intact.add(fileName + "/" + o.id());
        if (rnd.nextInt(8) == 0) {
          lines.add(bytes); // an exact copy: skipped
          rows++;
        }
        if (rnd.nextInt(8) == 0) {
          lines.add("   ".getBytes(charset)); // blank: skipped, not a row
        }
      }
    }
    if (csv && header == null) {
      // The first line is taken for the header; the others are not rows of a readable file.
      rows = 0;
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    // A byte order mark now and then: UTF-8's (Excel's "CSV UTF-8"), or GB18030's in a file declared UTF-8. One that
    // is not the declared encoding's makes the file bad, whatever follows.
    boolean contradiction = false;
    int mark = rnd.nextInt(15);
    if (mark < 3) {
      text.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      contradiction = !charset.equals(StandardCharsets.UTF_8);
    } else if (mark == 3 && charset.equals(StandardCharsets.UTF_8)) {
      text.write(new byte[] {(byte) 0x84, 0x31, (byte) 0x95, 0x33});
      contradiction = true;
    }
    for (int i = 0; i < lines.size(); i++) {
      text.write(lines.get(i));
      if (i < lines.size() - 1 || rnd.nextBoolean()) {
        text.write(eol.getBytes(charset));
      }
    }
    byte[] bytes = text.toByteArray();
    boolean mayBeBad = false;
    Set<String> reasons = Set.of();
    if (part.isEmpty() && !csv) {
      mustBeBad = true; // no rows: an empty JSON Lines file
    }
    int whole = rnd.nextInt(20);
    if (whole == 0) {
      bytes = new byte[0]; // an empty file
      mustBeBad = true;
    }
    if (gz) {
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(z)) {
        out.write(bytes);
      }
      bytes = z.toByteArray();
      if (whole == 1) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2); // a download cut short
        mustBeBad = true;
      }
    }
    if (contradiction && whole != 0) {
      mustBeBad = true;
      // Unless cut short: then the bytes may fail before the mark is seen.
      reasons = gz && whole == 1 ? Set.of() : Set.of("WRONG_ENCODING");
    }
    Files.write(dir.resolve(fileName), bytes);
    if (mustBeBad) {
      intact.removeIf(k -> k.startsWith(fileName + "/"));
    }
    return new Written(fileName, rows, mustBeBad, mayBeBad, reasons);
  }

  /** The order as a CSV line: fields quoted where needed, ids sometimes padded (which must not matter). */
  static String csvLine(Random rnd, Order o, String header) {
    List<String> f = List.of(pad(rnd, o.id()), pad(rnd, o.seller()), o.platform(), o.ts(), o.amount(),
        String.valueOf(o.quantity()), o.category(), o.status());
    List<String> quoted = new ArrayList<>();
    for (String v : f) {
      quoted.add(v.contains(",") || v.contains("\"") || rnd.nextInt(6) == 0 ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
    }
    if (header != null && header.endsWith(",Amount_RMB")) {
      quoted.add(o.amount());
    }
    return String.join(",", quoted);
  }

  static String jsonLine(Random rnd, Order o) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("transaction_id", json(pad(rnd, o.id())));
    m.put("seller_id", json(pad(rnd, o.seller())));
    m.put("platform", json(o.platform()));
    m.put("order_ts", json(o.ts()));
    m.put(rnd.nextBoolean() ? "amount_rmb" : "Amount_RMB", rnd.nextBoolean() ? o.amount() : json(o.amount()));
    m.put("quantity", String.valueOf(o.quantity()));
    m.put("category", json(o.category()));
    m.put("order_status", json(o.status()));
    StringBuilder b = new StringBuilder("{");
    m.forEach((k, v) -> b.append(b.length() == 1 ? "" : ", ").append(json(k)).append(": ").append(v));
    return b.append("}").toString();
  }

  static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The id, sometimes padded with white space or given a full-width digit: the same key after normalising. */
  static String pad(Random rnd, String id) {
    return switch (rnd.nextInt(6)) {
      case 0 -> " " + id + " ";
      case 1 -> "\u3000" + id;
      case 2 -> id + "\u00A0";
      case 3 -> id.replace("1", "\uFF11");
      default -> id;
    };
  }

  /** Place of the seller id among an order's fields. */
  static final int SELLER = 1;

  /** The order's fields as text, in the columns' order. */
  static List<String> fields(Order o) {
    return List.of(o.id(), o.seller(), o.platform(), o.ts(), o.amount(), String.valueOf(o.quantity()), o.category(),
        o.status());
  }

  /**
   * The fields shifted by a hand edit: the one at {@code deleted} removed, {@code id} inserted at {@code inserted}
   * (the field count unchanged). Such a row never passes the checks: the id stands in a column that is not the
   * seller's, or (inserted as the seller) the seller or order id it pushed along does, except when the seller
   * itself was replaced, which is a valid order of another seller and is never made here.
   */
  static List<String> shift(List<String> fields, int deleted, int inserted, String id) {
    if (deleted == SELLER && inserted == SELLER) {
      throw new IllegalArgumentException("a seller replaced by another is not a shifted row");
    }
    List<String> shifted = new ArrayList<>(fields);
    shifted.remove(deleted);
    shifted.add(inserted, id);
    return shifted;
  }

  /** A CSV line of the fields, quoted where needed (an amount added where the header has it twice). */
  static String csvFields(List<String> f, String header, String amount) {
    List<String> quoted = new ArrayList<>();
    for (String v : f) {
      quoted.add(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
    }
    if (header != null && header.endsWith(",Amount_RMB")) {
      quoted.add(amount);
    }
    return String.join(",", quoted);
  }

  /** A JSON Lines record of the fields, every value a string. */
  static String jsonFields(List<String> f) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < COLUMNS.length; i++) {
      b.append(i == 0 ? "" : ", ").append(json(COLUMNS[i])).append(": ").append(json(f.get(i)));
    }
    return b.append("}").toString();
  }

  /** The order as a shifted line: a random cell deleted, a random raw id (sometimes padded) inserted anywhere. */
  static String shiftedLine(Random rnd, Order o, boolean csv, String header, java.util.SortedSet<String> rawIds) {
    int deleted;
    int inserted;
    do {
      deleted = rnd.nextInt(COLUMNS.length);
      inserted = rnd.nextInt(COLUMNS.length);
    } while (deleted == SELLER && inserted == SELLER);
    String id = pad(rnd, new ArrayList<>(rawIds).get(rnd.nextInt(rawIds.size())));
    List<String> f = shift(fields(o), deleted, inserted, id);
    return csv ? csvFields(f, header, o.amount()) : jsonFields(f);
  }

  /**
   * Rows shifted by a hand edit carry a raw seller or household id into every column: each pair of a deleted and
   * an inserted place, in CSV and in JSON Lines, beside intact orders. No shifted row is stored, every intact one
   * is, and no raw id reaches a table, the Delta log, the output or the log.
   */
  @Test
  void shiftedRowsCarryIdsIntoEveryColumnAndNoneIsStored() throws IOException {
    SparkSession spark = TestSpark.get();
    Random rnd = new Random(32);
    Path input = dir.resolve("shifted");
    Set<String> raw = new HashSet<>();
    List<String> sellers = dimensions(rnd, input, raw);
    List<String> ids = new ArrayList<>(new java.util.TreeSet<>(raw));
    StringBuilder csv = new StringBuilder(String.join(",", COLUMNS) + "\n");
    StringBuilder json = new StringBuilder();
    Set<String> intact = new java.util.TreeSet<>();
    int n = 0;
    for (int deleted = 0; deleted < COLUMNS.length; deleted++) {
      for (int inserted = 0; inserted < COLUMNS.length; inserted++) {
        if (deleted == SELLER && inserted == SELLER) {
          continue;
        }
        for (boolean asCsv : List.of(true, false)) {
          Order o = new Order("S-" + n, sellers.get(n % sellers.size()), "taobao", "2022-06-01 10:00:00", "12.50",
              2, "bags", "paid");
          List<String> f = shift(fields(o), deleted, inserted, pad(rnd, ids.get(n % ids.size())));
          (asCsv ? csv : json).append(asCsv ? csvFields(f, null, null) : jsonFields(f)).append("\n");
          n++;
        }
      }
      Order o = new Order("OK-" + deleted, sellers.get(deleted % sellers.size()), "tmall", "2022-06-02 10:00:00",
          "20.00", 1, "toys", "shipped");
      csv.append(csvFields(fields(o), null, null)).append("\n");
      intact.add(o.id());
    }
    Files.writeString(input.resolve("transactions/shifted.csv"), csv);
    Files.writeString(input.resolve("transactions/shifted.jsonl"), json);
    Path conf = Files.writeString(input.resolve("shifted.conf"), "taobao-villages.ingest.max-bad-row-share = 1.0\n");
    Path warehouse = dir.resolve("wh-shifted");

    Capture run = ingest(conf, input, warehouse, "shifted");
    assertEquals(0, run.code(), run.err());
    Set<String> stored = new java.util.TreeSet<>();
    table(spark, warehouse, Transactions.NAME).select(Transactions.TRANSACTION_ID).collectAsList()
        .forEach(r -> stored.add(r.getString(0)));
    assertEquals(intact, stored, "the intact orders only");
    Dataset<Row> audit = table(spark, warehouse, IngestAudit.NAME).where(col(IngestAudit.SOURCE_TABLE)
        .equalTo(Transactions.NAME));
    Row totals = audit.agg(sum(IngestAudit.ROWS_READ), sum(IngestAudit.QUARANTINED)).first();
    assertEquals(List.of((long) n + intact.size(), (long) n), List.of(totals.getLong(0), totals.getLong(1)),
        "every shifted row read and quarantined");
    assertEquals(Set.of(), RawIds.leaked(raw, RawIds.tokens(run.out() + run.err() + run.log())),
        "raw ids in the output or the log");
    assertEquals(Set.of(), RawIds.leaked(raw, RawIds.tokens(spark, warehouse)), "raw ids in the warehouse");
  }

  /** {@code what} inserted at a random place of the line (not at its very start). */
  static String insert(String line, Random rnd, String what) {
    int at = 1 + rnd.nextInt(line.length() - 1);
    return line.substring(0, at) + what + line.substring(at);
  }

  /** Positions of the delimiters outside quoted fields. */
  static List<Integer> delimiters(String line) {
    List<Integer> at = new ArrayList<>();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '"') {
        quoted = !quoted;
      } else if (line.charAt(i) == ',' && !quoted) {
        at.add(i);
      }
    }
    return at;
  }

  /** One delimiter removed (a field fewer). */
  static String removeOne(String line, Random rnd) {
    List<Integer> at = delimiters(line);
    int i = at.get(rnd.nextInt(at.size()));
    return line.substring(0, i) + line.substring(i + 1);
  }

  /** One delimiter doubled (a field more). */
  static String doubleOne(String line, Random rnd) {
    List<Integer> at = delimiters(line);
    int i = at.get(rnd.nextInt(at.size()));
    return line.substring(0, i) + "," + line.substring(i);
  }

  /** A place after the first delimiter and up to the last: both halves have fewer fields than a record. */
  static int splitPoint(String line, Random rnd) {
    List<Integer> at = delimiters(line);
    int from = at.get(0) + 1;
    int to = at.get(at.size() - 1);
    return from + rnd.nextInt(to - from + 1);
  }

  /** A run's exit code, output, error output and log lines. */
  record Capture(int code, String out, String err, String log) {}

  static Capture ingest(Path conf, Path input, Path warehouse, String runId) {
    StringWriter log = new StringWriter();
    LoggerContext context = (LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    WriterAppender appender = WriterAppender.newBuilder().setName("fuzz-" + runId).setTarget(log)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c{1}: %m%n%ex").build()).build();
    appender.start();
    // Everything logged: Spark's warnings and errors (the root logger) and our own info lines, as in a job.
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    Configurator.setLevel("org.taobaovillages", Level.INFO);
    try {
      CliRunner.Result r = CliRunner.run("ingest", "--conf", conf.toString(), "--demo", "--input", input.toString(),
          "--warehouse", warehouse.toString(), "--run-date", RUN_DATE, "--run-id", runId);
      return new Capture(r.code(), r.out(), r.err(), log.toString());
    } finally {
      Configurator.setLevel("org.taobaovillages", Level.WARN);
      config.getRootLogger().removeAppender(appender.getName());
      context.updateLoggers();
      appender.stop();
    }
  }

  static Dataset<Row> table(SparkSession spark, Path warehouse, String name) {
    return spark.read().format("delta").load(warehouse.resolve(name).toString());
  }

  /** The tables a re-run must leave as they were, as sorted JSON rows without the run id. */
  static Map<String, List<String>> tables(SparkSession spark, Path warehouse) {
    Map<String, List<String>> t = new TreeMap<>();
    for (String name : List.of(Transactions.NAME, Quarantine.NAME, SellerAccounts.NAME, "village_registry",
        "county_attributes")) {
      t.put(name, table(spark, warehouse, name).drop(RunColumns.RUN_ID).select(to_json(struct(col("*"))))
          .collectAsList().stream().map(r -> r.getString(0)).sorted().toList());
    }
    return t;
  }

  /** The file name (decoded) of an audited file URI. */
  static String nameOf(String fileId) {
    String path = java.net.URI.create(fileId).getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The file name as it appears in a file id (URL-encoded as Spark writes paths). */
  static String fileIdName(String name) {
    String id = InputFiles.fileId(new java.io.File("/x/" + name).toURI().toString());
    return id.substring(id.lastIndexOf('/') + 1);
  }
}
