package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
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
import org.taobaovillages.ingest.InputFiles.FileSet;
import org.taobaovillages.ingest.InputFiles.LateBadFile;
import org.taobaovillages.spark.ConcurrentChange;
import org.taobaovillages.spark.CommitTags;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.spark.StageMetrics;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * {@code ingest}: one delivery of the four input file sets into Delta tables.
 *
 * <ol>
 *   <li>List the delivery and look at every file ({@link InputFiles}): rows it holds, columns, drift; bad files
 *       fail the run or are left out. Seller and household ids are normalised and pseudonymised as they are read.
 *   <li>Check rows ({@link InputChecks}): each row is accepted, quarantined with its reasons, or skipped as an
 *       exact copy of a row kept in this delivery or stored by an earlier run date. Orders are checked against the
 *       accounts of this delivery and the stored ones, accounts against the delivered and stored registry.
 *   <li>Reconcile per file: the rows read must be the rows the file holds (else the file is bad and the run
 *       starts again without it, or fails); a file that fails while its rows are read is bad the same way. If an
 *       input's quarantined share is over the limit, write only the audit (outcome rejected) and fail.
 *   <li>Commit: dimension deliveries merged as new versions ({@link Dimensions}, never replacing what is
 *       stored); the quarantine replaces this run date's rows; transactions merged on transaction id so that this
 *       run date owns exactly its accepted rows (a re-run gives the same table, a late order lands in its order
 *       month, an order stored by another run date in the same order month is never stored twice; by default
 *       only the delivered order months are read and rewritten, see {@code ingest.duplicate-scope}); the audit
 *       last. A file set the
 *       delivery does not have, or has no rows in, leaves its table as it was.
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
  /** Column of {@link #orderSellers}: a row of the seller id has its cells in place. */
  private static final String IN_PLACE = "_in_place";

  static final FileSet REGISTRY =
      new FileSet(VillageRegistry.NAME, VillageRegistry.SCHEMA, VillageRegistry.NORMALISED, List.of());
  static final FileSet ACCOUNTS =
      new FileSet(SellerAccounts.NAME, SellerAccounts.SCHEMA, SellerAccounts.NORMALISED, SellerAccounts.LISTED);
  static final FileSet COUNTIES =
      new FileSet(CountyAttributes.NAME, CountyAttributes.SCHEMA, CountyAttributes.NORMALISED, List.of());
  static final FileSet ORDERS =
      new FileSet(Transactions.NAME, Transactions.INPUT_SCHEMA, Transactions.NORMALISED, Transactions.LISTED);
  static final List<FileSet> FILE_SETS = List.of(REGISTRY, ACCOUNTS, COUNTIES, ORDERS);
  /** The tables ingest commits to before its audit. */
  private static final List<String> TABLES_COMMITTED = List.of(VillageRegistry.NAME, SellerAccounts.NAME,
      CountyAttributes.NAME, Quarantine.NAME, Transactions.NAME);

  /**
   * What a committed run did, per input and per file (a rejected run throws): files outside the file sets,
   * versions added to each dimension table, orders of this run date removed because the delivery no longer
   * holds them, the file sets the delivery did not have, and the commits of an earlier run of the run date that
   * stopped before its audit (repaired by this run).
   */
  public record Result(List<TableCounts> tables, List<FileAudit> files, List<FileAudit> ignored,
      Map<String, Long> versionsAdded, long ordersRemoved, List<String> notDelivered,
      List<InterruptedRuns.Commit> interrupted) {}

  private IngestJob() {}

  public static Result run(SparkSession spark, Warehouse warehouse, String input, IngestConfig cfg,
      byte[] pseudonymKey, RunContext run) {
    checkFileSetNames(cfg);
    String metadata = spark.conf().get(CommitTags.USER_METADATA, null);
    spark.conf().set(CommitTags.USER_METADATA, CommitTags.ingest(run));
    try {
      List<InterruptedRuns.Commit> interrupted = InterruptedRuns.find(warehouse, run, TABLES_COMMITTED);
      if (!interrupted.isEmpty()) {
        LOG.warn("an earlier run of run date {} stopped before its audit, after committing {}; this run replaces "
            + "its rows", run.runDate(), interrupted);
      }
      return attempts(spark, warehouse, input, cfg, pseudonymKey, run, interrupted);
    } finally {
      if (metadata == null) {
        spark.conf().unset(CommitTags.USER_METADATA);
      } else {
        spark.conf().set(CommitTags.USER_METADATA, metadata);
      }
    }
  }

  private static Result attempts(SparkSession spark, Warehouse warehouse, String input, IngestConfig cfg,
      byte[] pseudonymKey, RunContext run, List<InterruptedRuns.Commit> interrupted) {
    Map<String, LateBadFile> late = new TreeMap<>();
    for (int attempt = 1; ; ) {
      try {
        return attempt(spark, warehouse, input, cfg, pseudonymKey, run, late, interrupted);
      } catch (LateBadFiles e) {
        if (cfg.badFiles() == IngestConfig.BadFiles.FAIL) {
          throw new InputFiles.BadFileError(e.files().get(0));
        }
        int before = late.size();
        e.files().forEach(f -> late.put(f.file(), f));
        if (late.size() == before) {
          throw new IllegalStateException("file found bad again after it was left out: " + e.files());
        }
        LOG.warn("{} files found bad while reading ({}); repeating the run without them", e.files().size(),
            e.files().stream().map(f -> f.file() + ": " + f.reason()).toList());
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
        attempt++;
      }
    }
  }

  /** Settings for a file set that does not exist would be silently unused: a typo is an error. */
  private static void checkFileSetNames(IngestConfig cfg) {
    List<String> names = FILE_SETS.stream().map(FileSet::name).toList();
    for (var configured : List.of(Map.entry("file-sets", cfg.textByFileSet().keySet()),
        Map.entry("renames", cfg.renames().keySet()))) {
      for (String set : configured.getValue()) {
        if (!names.contains(set)) {
          throw new UserError("ingest." + configured.getKey() + "." + set + ": no such file set (the file sets are "
              + String.join(", ", names) + ")");
        }
      }
    }
  }

  private static Result attempt(SparkSession spark, Warehouse warehouse, String input, IngestConfig cfg,
      byte[] pseudonymKey, RunContext run, Map<String, LateBadFile> late, List<InterruptedRuns.Commit> interrupted) {
    long start = System.nanoTime();
    var pseudo = new Pseudonymizer(pseudonymKey);
    InputListing listing = InputListing.of(spark, input, FILE_SETS.stream().map(FileSet::name).toList());
    var inspected = InputFiles.inspect(spark, listing, FILE_SETS, cfg, late);
    LOG.info("files listed and looked at in {}", seconds(start));
    Stored stored = Stored.read(warehouse, run);
    List<CheckedInput> inputs = new ArrayList<>();
    List<Dataset<Row>> cached = new ArrayList<>();
    // The run's ids (Redaction), once read: held until the run ends, since the cached rows' plans use them.
    List<Redaction.Ids> ids = new ArrayList<>(1);
    StageMetrics stages = StageMetrics.of(spark);
    try {
      Set<String> orderMonths = stages.stage("check", () -> readAndCheck(spark, listing, inspected, cfg, late, pseudo,
          pseudonymKey, stored, run, inputs, cached, ids));
      Reconciliation.Counted counted = Reconciliation.reconcile(inputs);
      List<FileAudit> files = counted.files();
      List<TableCounts> tables = counted.tables();
      LOG.info("rows read, checked and counted in {}", seconds(start));
      List<FileAudit> ignored = listing.outside().stream()
          .map(uri -> FileAudit.ignored(InputFiles.fileId(uri), InputFiles.formatOf(uri, cfg.defaultFormat())))
          .toList();
      rejectIfTooBad(spark, warehouse, cfg, run, tables, files, ignored);

      Map<String, Long> versions = stages.stage("dimensions", () -> mergeDimensions(warehouse, inputs.subList(0, 3),
          tables.subList(0, 3), stored.dimensions(), run));
      // The quarantine before the transactions: the merge changes the table the checked rows were compared with,
      // which makes Spark drop their cache; the quarantine must come from the same classification as the audit.
      stages.stage(Quarantine.NAME, () -> writeQuarantine(spark, warehouse, inputs, files, ids.get(0), run));
      long removed = stages.stage(Transactions.NAME, () -> mergeOrders(warehouse, inputs.get(3), tables.get(3), stored,
          orderMonths, cfg, run));
      stages.stage(IngestAudit.NAME, () -> writeAudit(spark, warehouse, files, ignored,
          InterruptedRuns.auditRows(run, interrupted), run, IngestAudit.COMMITTED));
      LOG.info("ingest committed in {}", seconds(start));
      List<String> notDelivered = FILE_SETS.stream().map(FileSet::name).filter(n -> !listing.delivered(n)).toList();
      return new Result(tables, files, ignored, versions, removed, notDelivered, interrupted);
    } catch (Exception e) {
      // Spark's own exceptions (SparkException) are checked, undeclared by Scala: catch them all.
      LateBadFiles bad = LateBadFiles.behind(e, inputs);
      throw bad != null ? redacted(bad, ids) : IngestJob.<RuntimeException>rethrow(e);
    } finally {
      inputs.forEach(c -> c.rows().unpersist());
      cached.forEach(Dataset::unpersist);
      ids.forEach(Redaction.Ids::close);
    }
  }

  /**
   * What the warehouse holds before this run: every version of the dimension tables (null for a table not yet
   * written) and the stored orders (null when there is no table).
   */
  private record Stored(Map<String, Dataset<Row>> dimensions, Dataset<Row> orders) {
    static Stored read(Warehouse warehouse, RunContext run) {
      Map<String, Dataset<Row>> dimensions = new HashMap<>();
      for (FileSet set : List.of(REGISTRY, ACCOUNTS, COUNTIES)) {
        dimensions.put(set.name(), storedDimension(warehouse, set.name()));
      }
      Dataset<Row> orders = warehouse.exists(Transactions.NAME) ? warehouse.read(Transactions.NAME, "ingest") : null;
      return new Stored(dimensions, orders);
    }

    /**
     * The orders stored by other run dates that a delivery's orders are compared with: those of the delivered
     * order months (a partition filter: Delta reads only their files), or all of them; null without a table.
     */
    Dataset<Row> ordersOfOtherRunDates(IngestConfig.DuplicateScope scope, Set<String> months, RunContext run) {
      if (orders == null) {
        return null;
      }
      Dataset<Row> others = orders.where(col(RunColumns.RUN_DATE).notEqual(lit(sqlDate(run))));
      return scope == IngestConfig.DuplicateScope.ALL ? others
          : others.where(col(Transactions.ORDER_MONTH).isin(months.toArray()));
    }

    /**
     * The order months where this run date has stored orders (an earlier run of the date): Delta's file
     * statistics on the run date column skip every other run date's files. At most a few hundred values.
     */
    Set<String> monthsOfThisRunDate(RunContext run) {
      Set<String> months = new java.util.TreeSet<>();
      if (orders != null) {
        orders.where(col(RunColumns.RUN_DATE).equalTo(lit(sqlDate(run)))).select(Transactions.ORDER_MONTH).distinct()
            .collectAsList().forEach(r -> months.add(r.getString(0)));
      }
      return months;
    }

    Dataset<Row> dimension(FileSet set) {
      return dimensions.get(set.name());
    }
  }

  /**
   * Reads and checks the four file sets into {@code inputs}, in order: registry, accounts (against the delivered
   * and stored registry), counties, transactions (against the delivered and stored accounts and the stored
   * orders of the order months they touch, or all: {@code ingest.duplicate-scope}). Personal ids are
   * pseudonymised as they are read: nothing after this sees a raw id in an id column. HMAC is deterministic, so
   * checks that join on ids work on the pseudonyms alike. Before any check, the ids of the delivery and the stored
   * accounts are gathered ({@link Redaction.Ids}, added to {@code ids}): every row is checked for ids out of place,
   * and the files' drift notes and errors are redacted before anything reports them (a bad file under
   * {@code ingest.bad-files = fail} fails the run only then). Returns the order months of the delivered orders;
   * datasets persisted besides the inputs' rows are added to {@code cached}.
   */
  private static Set<String> readAndCheck(SparkSession spark, InputListing listing,
      Map<String, FileInspection.Inspected> inspected, IngestConfig cfg, Map<String, LateBadFile> late,
      Pseudonymizer pseudo, byte[] pseudonymKey, Stored stored, RunContext run, List<CheckedInput> inputs,
      List<Dataset<Row>> cached, List<Redaction.Ids> ids) {
    List<InputFiles.Delivery> deliveries = readDeliveries(spark, listing, inspected, cfg, late, inputs);
    UnaryOperator<Dataset<Row>> pseudonymiseAccounts = rows -> rows
        .withColumn(SellerAccounts.SELLER_ID, pseudo.apply(col(SellerAccounts.SELLER_ID)))
        .withColumn(SellerAccounts.HOUSEHOLD_ID, pseudo.apply(col(SellerAccounts.HOUSEHOLD_ID)));
    Dataset<Row> orderRows = deliveries.get(3).rows();
    Set<String> months = orderMonths(orderRows);
    // Kept in memory only (never spilled: it holds ids as read) until the run ends.
    Dataset<Row> orderSellers = orderSellers(orderRows, pseudo).persist(StorageLevel.MEMORY_ONLY());
    cached.add(orderSellers);
    Redaction.Ids known = Redaction.Ids.of(spark, knownIds(pseudonymiseAccounts.apply(deliveries.get(1).rows()
        .where(InputChecks.accountCellsInPlace())), orderSellers, stored.dimension(ACCOUNTS)), pseudonymKey,
        cfg.redactionMaxIds());
    ids.add(known);
    deliveries = deliveries.stream().map(d -> new InputFiles.Delivery(d.rows(),
        d.files().stream().map(known::redactReport).toList(), d.delivered())).toList();
    failOnBadFiles(cfg, deliveries);
    boolean keep = cfg.extraColumns() == IngestConfig.ExtraColumns.KEEP;

    CheckedInput registry = check(REGISTRY, deliveries.get(0), UnaryOperator.identity(),
        rows -> InputChecks.registry(rows, cfg.ranges()), List.of(), known, keep);
    inputs.set(0, registry);
    Dataset<Row> villageCodes = union(Validation.accepted(registry.rows()).select(VillageRegistry.VILLAGE_CODE),
        stored.dimension(REGISTRY), VillageRegistry.VILLAGE_CODE);
    CheckedInput accounts = check(ACCOUNTS, deliveries.get(1), pseudonymiseAccounts,
        rows -> InputChecks.sellerAccounts(rows, villageCodes), SellerAccounts.PERSONAL_IDS, known, keep);
    inputs.set(1, accounts);
    inputs.set(2, check(COUNTIES, deliveries.get(2), UnaryOperator.identity(),
        rows -> InputChecks.countyAttributes(rows, cfg.ranges(), run.runDate().getYear()), List.of(), known, keep));
    Dataset<Row> sellerIds = union(Validation.accepted(accounts.rows()).select(SellerAccounts.SELLER_ID),
        stored.dimension(ACCOUNTS), SellerAccounts.SELLER_ID);
    ZoneId china = ZoneId.of(Sessions.TIME_ZONE);
    var window = new InputChecks.Window(cfg.earliestOrderDate().atStartOfDay(china).toInstant(),
        run.runDate().plusDays(1).atStartOfDay(china).toInstant(), cfg.maxOrderAmountRmb());
    InputFiles.Delivery orders = deliveries.get(3);
    Dataset<Row> sellers = InputChecks.sellerIds(orderSellers.drop(IN_PLACE), sellerIds);
    // A delivery has at most as many distinct sellers as rows (counted when its files were looked at); only a
    // larger one has them counted, kept in memory only too.
    long rows = orders.files().stream().filter(f -> !f.isBad()).mapToLong(InputFiles.FileReport::rowsInFile).sum();
    boolean broadcast = rows <= cfg.broadcastMaxSellers();
    if (!broadcast) {
      sellers = sellers.persist(StorageLevel.MEMORY_ONLY());
      cached.add(sellers);
      broadcast = sellers.count() <= cfg.broadcastMaxSellers();
    }
    Dataset<Row> checked = InputChecks.transactions(orderRows, new InputChecks.SellerLookup(sellers, broadcast),
        window, stored.ordersOfOtherRunDates(cfg.duplicateScope(), months, run));
    inputs.set(3, new CheckedInput(ORDERS, redacted(checked, ORDERS, List.of(Transactions.SELLER_ID), known, keep)
        .persist(StorageLevel.MEMORY_AND_DISK()), orders.files(), orders.delivered()));
    return months;
  }

  /**
   * The four file sets' rows (not read yet) and file reports, added to {@code inputs} before any row is read, so
   * that a file found bad while reading is named ({@link LateBadFiles}). A bad file is reported here, never thrown:
   * its message is redacted before it fails the run ({@link #failOnBadFiles}).
   */
  private static List<InputFiles.Delivery> readDeliveries(SparkSession spark, InputListing listing,
      Map<String, FileInspection.Inspected> inspected, IngestConfig cfg, Map<String, LateBadFile> late,
      List<CheckedInput> inputs) {
    IngestConfig reading = cfg.withBadFiles(IngestConfig.BadFiles.QUARANTINE);
    List<InputFiles.Delivery> deliveries = new ArrayList<>();
    for (FileSet set : FILE_SETS) {
      InputFiles.Delivery d = InputFiles.read(spark, listing, inspected, set, reading, late);
      deliveries.add(d);
      inputs.add(new CheckedInput(set, d.rows(), d.files(), d.delivered()));
    }
    return deliveries;
  }

  /** With {@code ingest.bad-files = fail}, the first bad file (in file set and file order) fails the run. */
  private static void failOnBadFiles(IngestConfig cfg, List<InputFiles.Delivery> deliveries) {
    if (cfg.badFiles() != IngestConfig.BadFiles.FAIL) {
      return;
    }
    for (InputFiles.Delivery d : deliveries) {
      for (InputFiles.FileReport r : d.files()) {
        if (r.isBad()) {
          throw new InputFiles.BadFileError(r);
        }
      }
    }
  }

  /** The distinct order months of delivered orders (one row per month: a few hundred at most). */
  private static Set<String> orderMonths(Dataset<Row> orders) {
    Set<String> months = new java.util.TreeSet<>();
    orders.select(Transactions.orderMonth(col(Transactions.ORDER_TS)).as(Transactions.ORDER_MONTH))
        .where(col(Transactions.ORDER_MONTH).isNotNull()).distinct().collectAsList()
        .forEach(r -> months.add(r.getString(0)));
    return months;
  }

  /**
   * The refused rows of every input and the bad files, as this run date's quarantine; values that are seller or
   * household ids in other columns redacted ({@link Redaction}).
   */
  private static void writeQuarantine(SparkSession spark, Warehouse warehouse, List<CheckedInput> inputs,
      List<FileAudit> files, Redaction.Ids ids, RunContext run) {
    Dataset<Row> quarantine = inputs.stream()
        .map(c -> Validation.toQuarantine(Validation.rejected(c.rows()), c.set().schema(), c.set().name(),
            run.runId(), run.runDate()))
        .reduce(Dataset::unionByName).orElseThrow();
    warehouse.replaceWhere(Redaction.records(quarantine, SellerAccounts.PERSONAL_IDS, ids)
            .unionByName(badFileRows(spark, files, run)),
        Quarantine.NAME, Quarantine.SCHEMA, List.of(RunColumns.RUN_DATE), runDatePredicate(run));
  }

  /**
   * Pseudonymises a file set's rows ({@code pseudonymise}), checks them ({@code checks}) and then for ids out of
   * place ({@link #redacted}); the rows are persisted, since the audit, the quarantine and the commit all use them.
   */
  private static CheckedInput check(FileSet set, InputFiles.Delivery delivery, UnaryOperator<Dataset<Row>> pseudonymise,
      UnaryOperator<Dataset<Row>> checks, List<String> idColumns, Redaction.Ids ids, boolean keepsExtraColumns) {
    Dataset<Row> rows = redacted(checks.apply(pseudonymise.apply(delivery.rows())), set, idColumns, ids,
        keepsExtraColumns).persist(StorageLevel.MEMORY_AND_DISK());
    return new CheckedInput(set, rows, delivery.files(), delivery.delivered());
  }

  /**
   * Checked rows with an id in a declared column other than {@code idColumns} refused, and ids among the kept
   * extra columns replaced ({@link Redaction}).
   */
  private static Dataset<Row> redacted(Dataset<Row> checked, FileSet set, List<String> idColumns, Redaction.Ids ids,
      boolean keepsExtraColumns) {
    Dataset<Row> refused = Redaction.refuseMisplaced(checked, set.schema(), idColumns, ids);
    // Without keep the map is empty on every row: nothing to look at.
    return keepsExtraColumns ? Redaction.extraColumns(refused, ids) : refused;
  }

  /** The bad files behind a failure, with their errors redacted once the run's ids are known. */
  private static LateBadFiles redacted(LateBadFiles bad, List<Redaction.Ids> ids) {
    if (ids.isEmpty()) {
      return bad;
    }
    return new LateBadFiles(bad.files().stream()
        .map(f -> new LateBadFile(f.file(), f.reason(), ids.get(0).redact(f.error()))).toList());
  }

  /** A stored dimension table (every version), or null; a table without validity columns is refused. */
  private static Dataset<Row> storedDimension(Warehouse warehouse, String table) {
    if (!warehouse.exists(table)) {
      return null;
    }
    Dataset<Row> stored = warehouse.read(table, "ingest");
    if (!java.util.Arrays.asList(stored.columns()).contains(DimensionColumns.VALID_FROM)) {
      throw new UserError("table " + table + " in warehouse " + warehouse.root() + " was written by an earlier "
          + "version that replaced dimension tables whole (no " + DimensionColumns.VALID_FROM + " column); ingest "
          + "into a new warehouse");
    }
    return stored;
  }

  /** The delivered keys and the stored ones (every version), distinct. */
  private static Dataset<Row> union(Dataset<Row> delivered, Dataset<Row> stored, String key) {
    return stored == null ? delivered.distinct() : delivered.union(stored.select(key)).distinct();
  }

  /**
   * The orders' distinct seller ids as read ({@link Pseudonymizer#RAW_ID}), each with its pseudonym and whether a
   * row of it has its cells in place ({@link #IN_PLACE}, {@link InputChecks#orderCellsInPlace}): one HMAC per
   * distinct id.
   */
  private static Dataset<Row> orderSellers(Dataset<Row> orders, Pseudonymizer pseudo) {
    return orders.select(col(Transactions.SELLER_ID).as(Pseudonymizer.RAW_ID),
            InputChecks.orderCellsInPlace().as(IN_PLACE))
        .where(col(Pseudonymizer.RAW_ID).isNotNull())
        .groupBy(Pseudonymizer.RAW_ID).agg(max(col(IN_PLACE)).as(IN_PLACE))
        .withColumn(Pseudonymizer.PSEUDONYM, pseudo.apply(col(Pseudonymizer.RAW_ID)));
  }

  /**
   * Pseudonyms of every seller and household id the run knows: those of the delivered accounts and of the delivered
   * orders' sellers, from every row whose cells are in place, accepted or not (a row with shifted cells may hold a
   * platform name or a date in its id column; it is refused whatever its ids), and the stored accounts' (every
   * version).
   */
  private static Dataset<Row> knownIds(Dataset<Row> accounts, Dataset<Row> orderSellers, Dataset<Row> storedAccounts) {
    Dataset<Row> ids = accounts.select(col(SellerAccounts.SELLER_ID))
        .union(accounts.select(col(SellerAccounts.HOUSEHOLD_ID)))
        .union(orderSellers.where(col(IN_PLACE)).select(col(Pseudonymizer.PSEUDONYM)));
    if (storedAccounts != null) {
      ids = ids.union(storedAccounts.select(SellerAccounts.SELLER_ID))
          .union(storedAccounts.select(SellerAccounts.HOUSEHOLD_ID));
    }
    return ids;
  }

  /** If an input's quarantined share is over the limit: only the audit (outcome rejected), then fail. */
  private static void rejectIfTooBad(SparkSession spark, Warehouse warehouse, IngestConfig cfg, RunContext run,
      List<TableCounts> tables, List<FileAudit> files, List<FileAudit> ignored) {
    List<String> overLimit = tables.stream().filter(t -> t.badShare() > cfg.maxBadRowShare())
        .map(t -> String.format("%s: %,d of %,d rows quarantined (%.2f %%) %s", t.table(), t.quarantined(), t.read(),
            100 * t.badShare(), t.reasons()))
        .toList();
    if (!overLimit.isEmpty()) {
      writeAudit(spark, warehouse, files, ignored, List.of(), run, IngestAudit.REJECTED);
      throw new UserError("ingest rejected: more than " + 100 * cfg.maxBadRowShare() + " % of rows are bad in "
          + String.join("; ", overLimit) + ". Nothing was written but the audit (table " + IngestAudit.NAME
          + ", run " + run.runId() + "); raise ingest.max-bad-row-share only if these rows are expected.");
    }
  }

  /**
   * Adds the delivered dimension rows as new versions where they changed. A table is not touched when the
   * delivery has no accepted rows for it, or when they change nothing (found for the three tables in one job).
   * Returns the versions added per table.
   */
  private static Map<String, Long> mergeDimensions(Warehouse warehouse, List<CheckedInput> dimensions,
      List<TableCounts> counts, Map<String, Dataset<Row>> stored, RunContext run) {
    Map<String, Long> added = new LinkedHashMap<>();
    List<Dataset<Row>> differences = new ArrayList<>();
    for (int i = 0; i < dimensions.size(); i++) {
      CheckedInput c = dimensions.get(i);
      added.put(c.set().name(), 0L);
      Dataset<Row> s = stored.get(c.set().name());
      if (counts.get(i).accepted() > 0 && s != null) {
        differences.add(Dimensions.differences(s, Validation.accepted(c.rows()), key(c), content(c), run.runDate(),
            c.set().name()));
      }
    }
    Set<String> changed = new java.util.HashSet<>();
    if (!differences.isEmpty()) {
      // At most one row per table: safe to collect.
      differences.stream().reduce(Dataset::union).orElseThrow().collectAsList().forEach(r -> changed.add(r.getString(0)));
    }
    for (int i = 0; i < dimensions.size(); i++) {
      CheckedInput c = dimensions.get(i);
      Dataset<Row> s = stored.get(c.set().name());
      if (counts.get(i).accepted() == 0 || (s != null && !changed.contains(c.set().name()))) {
        continue;
      }
      StructType schema = DimensionColumns.tableSchema(c.set().schema());
      long inserted = warehouse.mergeVersions(Dimensions.versions(s, Validation.accepted(c.rows()), schema, key(c),
          content(c), run.runDate(), run.runId()), c.set().name(), schema, key(c), DimensionColumns.VALID_FROM,
          run.runDate(), s != null);
      added.put(c.set().name(), s == null ? counts.get(i).accepted() : inserted);
    }
    return added;
  }

  /** A dimension's key: its first declared column. */
  private static String key(CheckedInput c) {
    return c.set().schema().fieldNames()[0];
  }

  /** The columns that tell a dimension row's change: its declared columns. */
  private static List<String> content(CheckedInput c) {
    return List.of(c.set().schema().fieldNames());
  }

  /**
   * Merges the accepted orders as this run date's rows; returns the rows of this run date removed (stored by an
   * earlier run of the date, no longer delivered). A delivery without order rows leaves the table as it was.
   * Scoped to order months ({@code ingest.duplicate-scope}), the MERGE reads and rewrites only the partitions
   * of the delivered order months and of the months where this run date already has orders.
   */
  private static long mergeOrders(Warehouse warehouse, CheckedInput orders, TableCounts counts, Stored stored,
      Set<String> deliveredMonths, IngestConfig cfg, RunContext run) {
    if (counts.read() == 0) {
      return 0;
    }
    Warehouse.PartitionScope scope = null;
    if (cfg.duplicateScope() == IngestConfig.DuplicateScope.ORDER_MONTHS && stored.orders() != null) {
      Set<String> months = new java.util.TreeSet<>(deliveredMonths);
      months.addAll(stored.monthsOfThisRunDate(run));
      scope = new Warehouse.PartitionScope(Transactions.ORDER_MONTH, months);
    }
    Warehouse.Merged merged = warehouse.mergeRun(Validation.accepted(orders.rows())
            .withColumn(Transactions.ORDER_MONTH, Transactions.orderMonth(col(Transactions.ORDER_TS)))
            .withColumn(RunColumns.RUN_DATE, lit(sqlDate(run))),
        Transactions.NAME, Transactions.TABLE_SCHEMA, List.of(Transactions.ORDER_MONTH), Transactions.TRANSACTION_ID,
        RunColumns.RUN_DATE, run.runDate(), scope, stored.orders() != null);
    if (merged.written() != counts.accepted()) {
      throw new ConcurrentChange(String.format("%,d accepted orders but %,d written: a concurrent run stored some "
          + "of the same transaction ids after this run read the table", counts.accepted(), merged.written()));
    }
    if (merged.removed() > 0) {
      LOG.warn("{} orders stored by an earlier run of run date {} are not in this delivery: removed",
          merged.removed(), run.runDate());
    }
    return merged.removed();
  }

  /** Throws {@code e} as it is, checked or not (Scala's exceptions reach Java code undeclared). */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }

  /** Quarantine rows for bad files left out whole: the file, the reason and the error as the record. */
  private static Dataset<Row> badFileRows(SparkSession spark, List<FileAudit> files, RunContext run) {
    List<Row> rows = new ArrayList<>();
    for (FileAudit a : files) {
      if (a.isLeftOut()) {
        rows.add(RowFactory.create(a.table(), a.file().file(), null,
            Map.of("error", a.file().error(), "format", a.file().format().name().toLowerCase(java.util.Locale.ROOT)),
            List.of(a.file().badReason().name()), run.runId(), sqlDate(run)));
      }
    }
    return spark.createDataFrame(rows, Quarantine.SCHEMA);
  }

  private static void writeAudit(SparkSession spark, Warehouse warehouse, List<FileAudit> files,
      List<FileAudit> ignored, List<Row> interrupted, RunContext run, String outcome) {
    List<Row> rows = new ArrayList<>(interrupted);
    files.forEach(f -> rows.add(f.toRow(run, outcome)));
    ignored.forEach(f -> rows.add(f.toRow(run, outcome)));
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
