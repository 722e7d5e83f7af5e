package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.spark.ConcurrentChange;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.IngestColumns;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * {@code ingest}: one delivery of the four input file sets into Delta tables.
 *
 * <ol>
 *   <li>Read every file against the declared schema ({@link InputFiles}); seller and household ids are
 *       pseudonymised as they are read.
 *   <li>Check rows ({@link InputChecks}): each row is accepted, quarantined with its reasons, or skipped as an
 *       exact copy of a row kept in this delivery or stored by an earlier run date.
 *   <li>Reconcile per file and per input; if an input's quarantined share is over the limit, write only the
 *       audit (outcome rejected) and fail: the clean tables and the quarantine stay as they were.
 *   <li>Commit: dimension tables replaced whole; the quarantine replaces this run date's rows; transactions
 *       merged on transaction id so that this run date owns exactly its accepted rows (a re-run gives the same
 *       table, a late order lands in its order month, an order stored by another run date is never stored
 *       twice); the audit last.
 * </ol>
 *
 * <p>Each write is one atomic Delta commit. If a concurrent run commits to the same table first, Delta refuses
 * the second commit, or the merge finds ids it did not expect; either way the whole run is repeated on the new
 * table state (up to {@code commit-retries} times), which is safe because every step is idempotent.
 */
public final class IngestJob {
  /** Used with --demo only. Not a secret: pseudonyms made with it protect nothing. */
  static final String DEMO_KEY = "taobao-villages demo key: not for real data";
  private static final Logger LOG = LogManager.getLogger(IngestJob.class);

  /** What a committed run did, per input and per file (a rejected run throws). */
  public record Result(List<TableCounts> tables, List<FileAudit> files) {}

  /**
   * One input after its checks: the rows (persisted), the reports of its files, and its id columns (the key and
   * pseudonymised ids: all that the quarantine keeps of a record that could not be split).
   */
  private record Checked(String table, StructType schema, Set<String> ids, Dataset<Row> rows,
      List<InputFiles.FileReport> files) {}

  private IngestJob() {}

  public static Result run(SparkSession spark, Warehouse warehouse, String input, IngestConfig cfg,
      byte[] pseudonymKey, RunContext run) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(spark, warehouse, input, cfg, pseudonymKey, run);
      } catch (RuntimeException e) {
        RuntimeException conflict = concurrentWrite(e);
        if (conflict == null) {
          throw e;
        }
        if (attempt > cfg.commitRetries()) {
          throw new UserError("ingest gave up after " + attempt + " attempts: concurrent runs kept committing to "
              + "the same tables (" + InputFiles.firstLine(conflict.getMessage()) + ")");
        }
        long wait = Math.min(30_000, cfg.commitRetryWait().toMillis() << (attempt - 1))
            + java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000);
        LOG.warn("a concurrent run committed first ({}); repeating the run on the new table state in {} ms",
            InputFiles.firstLine(conflict.getMessage()), wait);
        sleep(wait);
      }
    }
  }

  private static Result attempt(SparkSession spark, Warehouse warehouse, String input, IngestConfig cfg,
      byte[] pseudonymKey, RunContext run) {
    var pseudo = new Pseudonymizer(pseudonymKey);
    long start = System.nanoTime();
    var registryFiles = InputFiles.read(spark, input, VillageRegistry.NAME, VillageRegistry.SCHEMA, cfg);
    var registry = checked(VillageRegistry.NAME, VillageRegistry.SCHEMA, Set.of(VillageRegistry.VILLAGE_CODE),
        registryFiles,
        InputChecks.registry(registryFiles.rows()));

    // Personal ids are pseudonymised as they are read: nothing after this line sees a raw id. HMAC is
    // deterministic, so checks that join on ids work on the pseudonyms alike.
    var accountFiles = InputFiles.read(spark, input, SellerAccounts.NAME, SellerAccounts.SCHEMA, cfg);
    var accounts = checked(SellerAccounts.NAME, SellerAccounts.SCHEMA,
        Set.of(SellerAccounts.SELLER_ID, SellerAccounts.HOUSEHOLD_ID), accountFiles, InputChecks.sellerAccounts(
        accountFiles.rows()
            .withColumn(SellerAccounts.SELLER_ID, pseudo.apply(col(SellerAccounts.SELLER_ID)))
            .withColumn(SellerAccounts.HOUSEHOLD_ID, pseudo.apply(col(SellerAccounts.HOUSEHOLD_ID))),
        Validation.accepted(registry.rows()).select(VillageRegistry.VILLAGE_CODE)));

    var countyFiles = InputFiles.read(spark, input, CountyAttributes.NAME, CountyAttributes.SCHEMA, cfg);
    var counties = checked(CountyAttributes.NAME, CountyAttributes.SCHEMA, Set.of(CountyAttributes.COUNTY_CODE),
        countyFiles,
        InputChecks.countyAttributes(countyFiles.rows()));

    ZoneId china = ZoneId.of(Sessions.TIME_ZONE);
    var window = new InputChecks.Window(cfg.earliestOrderDate().atStartOfDay(china).toInstant(),
        run.runDate().plusDays(1).atStartOfDay(china).toInstant(), cfg.maxOrderAmountRmb());
    Dataset<Row> stored = warehouse.exists(Transactions.NAME)
        ? warehouse.read(Transactions.NAME, "ingest").where(col(RunColumns.RUN_DATE).notEqual(lit(sqlDate(run))))
        : null;
    var orderFiles = InputFiles.read(spark, input, Transactions.NAME, Transactions.INPUT_SCHEMA, cfg);
    var transactions = checked(Transactions.NAME, Transactions.INPUT_SCHEMA,
        Set.of(Transactions.TRANSACTION_ID, Transactions.SELLER_ID), orderFiles, InputChecks.transactions(
        orderFiles.rows().withColumn(Transactions.SELLER_ID, pseudo.apply(col(Transactions.SELLER_ID))),
        Validation.accepted(accounts.rows()).select(SellerAccounts.SELLER_ID), window, stored));

    List<Checked> inputs = List.of(registry, accounts, counties, transactions);
    LOG.info("files listed and schemas checked in {}", seconds(start));
    List<FileAudit> files = new ArrayList<>();
    List<TableCounts> tables = new ArrayList<>();
    for (Checked c : inputs) {
      List<FileAudit> audits = audit(c);
      files.addAll(audits);
      tables.add(total(c.table(), audits));
    }
    for (TableCounts t : tables) {
      if (!t.reconciles()) {
        throw new IllegalStateException("ingest does not reconcile for " + t);
      }
    }
    LOG.info("rows checked and counted in {}", seconds(start));
    List<String> overLimit = tables.stream().filter(t -> t.badShare() > cfg.maxBadRowShare())
        .map(t -> String.format("%s: %,d of %,d rows quarantined (%.2f %%) %s", t.table(), t.quarantined(), t.read(),
            100 * t.badShare(), t.reasons()))
        .toList();
    if (!overLimit.isEmpty()) {
      writeAudit(spark, warehouse, files, run, IngestAudit.REJECTED);
      unpersist(inputs);
      throw new UserError("ingest rejected: more than " + 100 * cfg.maxBadRowShare() + " % of rows are bad in "
          + String.join("; ", overLimit) + ". Nothing was written but the audit (table " + IngestAudit.NAME
          + ", run " + run.runId() + "); raise ingest.max-bad-row-share only if these rows are expected.");
    }

    warehouse.overwrite(Validation.accepted(registry.rows()), VillageRegistry.NAME,
        IngestColumns.tableSchema(VillageRegistry.SCHEMA));
    warehouse.overwrite(Validation.accepted(accounts.rows()), SellerAccounts.NAME,
        IngestColumns.tableSchema(SellerAccounts.SCHEMA));
    warehouse.overwrite(Validation.accepted(counties.rows()), CountyAttributes.NAME,
        IngestColumns.tableSchema(CountyAttributes.SCHEMA));
    LOG.info("dimension tables written in {}", seconds(start));
    // The quarantine before the transactions: the merge changes the table the checked rows were compared with,
    // which makes Spark drop their cache; the quarantine must come from the same classification as the audit.
    Dataset<Row> quarantine = inputs.stream()
        .map(c -> Validation.toQuarantine(Validation.rejected(c.rows()), c.schema(), c.ids(), c.table(), run.runId(),
            run.runDate()))
        .reduce(Dataset::unionByName).orElseThrow()
        .unionByName(badFileRows(spark, files, run));
    warehouse.replaceWhere(quarantine, Quarantine.NAME, Quarantine.SCHEMA, List.of(RunColumns.RUN_DATE),
        runDatePredicate(run));
    LOG.info("quarantine written in {}", seconds(start));
    long accepted = tables.get(tables.size() - 1).accepted();
    long written = warehouse.mergeRun(Validation.accepted(transactions.rows())
            .withColumn(Transactions.ORDER_MONTH, date_format(col(Transactions.ORDER_TS), "yyyy-MM"))
            .withColumn(RunColumns.RUN_DATE, lit(sqlDate(run))),
        Transactions.NAME, Transactions.TABLE_SCHEMA, List.of(Transactions.ORDER_MONTH), Transactions.TRANSACTION_ID,
        RunColumns.RUN_DATE, run.runDate(), stored != null);
    if (written != accepted) {
      throw new ConcurrentChange(String.format("%,d accepted orders but %,d written: a concurrent run stored some "
          + "of the same transaction ids after this run read the table", accepted, written));
    }
    LOG.info("transactions merged in {}", seconds(start));
    writeAudit(spark, warehouse, files, run, IngestAudit.COMMITTED);
    LOG.info("audit written in {}", seconds(start));
    unpersist(inputs);
    return new Result(List.copyOf(tables), List.copyOf(files));
  }

  private static Checked checked(String table, StructType schema, Set<String> ids, InputFiles.Delivery delivery,
      Dataset<Row> rows) {
    return new Checked(table, schema, ids, rows.persist(StorageLevel.MEMORY_AND_DISK()), delivery.files());
  }

  /**
   * Counts per file and reason in one pass (small: files x reasons rows, safe to collect). Rows without a reason
   * come under a null reason; a quarantined row is counted once, under its first reason, in the row count.
   */
  private static List<FileAudit> audit(Checked c) {
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Map<String, Long>> reasons = new HashMap<>();
    Dataset<Row> perReason = c.rows()
        .select(col(InputFiles.SOURCE_FILE), col(Validation.SKIPPED), get(col(Validation.REASONS), lit(0)).as("first"),
            explode_outer(col(Validation.REASONS)).as("reason"))
        .groupBy(col(InputFiles.SOURCE_FILE), col("reason"))
        .agg(count(lit(1)), sum(when(col("reason").equalTo(col("first")), 1).otherwise(0)),
            sum(when(col(Validation.SKIPPED), 1).otherwise(0)));
    for (Row r : perReason.collectAsList()) {
      String file = r.getString(0);
      long[] n = counts.computeIfAbsent(file, k -> new long[3]);
      if (r.isNullAt(1)) {
        n[0] += r.getLong(2);
        n[2] += r.getLong(4);
      } else {
        n[0] += r.getLong(3);
        n[1] += r.getLong(3);
        reasons.computeIfAbsent(file, k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
      }
    }
    List<FileAudit> audits = new ArrayList<>();
    for (InputFiles.FileReport f : c.files()) {
      if (f.isBad()) {
        audits.add(new FileAudit(c.table(), f, null, null, null, null, Map.of()));
        continue;
      }
      long[] n = counts.getOrDefault(f.file(), new long[3]);
      audits.add(new FileAudit(c.table(), f, n[0], n[0] - n[1] - n[2], n[1], n[2],
          Map.copyOf(reasons.getOrDefault(f.file(), Map.of()))));
    }
    long audited = audits.stream().filter(a -> a.read() != null).mapToLong(FileAudit::read).sum();
    long rows = counts.values().stream().mapToLong(n -> n[0]).sum();
    if (audited != rows) {
      throw new IllegalStateException(c.table() + ": " + rows + " rows read but " + audited
          + " attributed to listed files; files seen: " + counts.keySet());
    }
    return audits;
  }

  private static TableCounts total(String table, List<FileAudit> audits) {
    long read = 0, accepted = 0, quarantined = 0, skipped = 0, bad = 0;
    Map<String, Long> reasons = new TreeMap<>();
    for (FileAudit a : audits) {
      if (a.file().isBad()) {
        bad++;
        continue;
      }
      read += a.read();
      accepted += a.accepted();
      quarantined += a.quarantined();
      skipped += a.skipped();
      a.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
    }
    return new TableCounts(table, read, accepted, quarantined, skipped, bad, reasons);
  }

  /** Quarantine rows for bad files left out whole: the file, the reason and the error as the record. */
  private static Dataset<Row> badFileRows(SparkSession spark, List<FileAudit> files, RunContext run) {
    List<Row> rows = new ArrayList<>();
    for (FileAudit a : files) {
      if (a.file().isBad()) {
        rows.add(RowFactory.create(a.table(), a.file().file(),
            Map.of("error", a.file().error(), "format", a.file().format().name().toLowerCase(java.util.Locale.ROOT)),
            List.of(a.file().badReason().name()), run.runId(), sqlDate(run)));
      }
    }
    return spark.createDataFrame(rows, Quarantine.SCHEMA);
  }

  private static void writeAudit(SparkSession spark, Warehouse warehouse, List<FileAudit> files, RunContext run,
      String outcome) {
    List<Row> rows = files.stream().map(f -> f.toRow(run, outcome)).toList();
    warehouse.replaceWhere(spark.createDataFrame(rows, IngestAudit.SCHEMA).coalesce(1), IngestAudit.NAME,
        IngestAudit.SCHEMA, List.of(RunColumns.RUN_DATE),
        runDatePredicate(run) + " AND " + RunColumns.RUN_ID + " = '" + sqlString(run.runId()) + "'");
  }

  private static String runDatePredicate(RunContext run) {
    return RunColumns.RUN_DATE + " = DATE'" + run.runDate() + "'";
  }

  private static String sqlString(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }

  private static java.sql.Date sqlDate(RunContext run) {
    return java.sql.Date.valueOf(run.runDate());
  }

  private static void unpersist(List<Checked> inputs) {
    inputs.forEach(c -> c.rows().unpersist());
  }

  private static String seconds(long since) {
    return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("ingest interrupted while waiting to repeat after a concurrent commit");
    }
  }

  /** The conflict with a concurrent run behind a failure (Delta's, or ours), if that is what it was. */
  static RuntimeException concurrentWrite(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DeltaConcurrentModificationException || t instanceof ConcurrentChange) {
        return (RuntimeException) t;
      }
    }
    return null;
  }

  /**
   * The pseudonymisation key: from the configured environment variable, else the configured key file, else
   * (only with {@code demo}) the public demo key. Real data never runs without a secret key.
   */
  public static byte[] resolveKey(IngestConfig cfg, Map<String, String> env, boolean demo) {
    String fromEnv = env.get(cfg.pseudonymKeyEnv());
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.getBytes(StandardCharsets.UTF_8);
    }
    if (!cfg.pseudonymKeyFile().isBlank()) {
      try {
        return Files.readString(Path.of(cfg.pseudonymKeyFile())).strip().getBytes(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserError("cannot read pseudonymisation key file " + cfg.pseudonymKeyFile() + ": " + e.getMessage());
      }
    }
    if (demo) {
      return DEMO_KEY.getBytes(StandardCharsets.UTF_8);
    }
    throw new UserError("no pseudonymisation key: set " + cfg.pseudonymKeyEnv()
        + " (at least 16 characters) or ingest.pseudonym-key-file, or pass --demo for a demo run on synthetic data");
  }
}
