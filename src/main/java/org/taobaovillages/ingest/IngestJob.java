package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * {@code ingest}: the four input file sets into Delta tables. Rows are checked ({@link InputChecks}); accepted
 * rows are written with seller and household ids pseudonymised, refused rows go to the quarantine table with
 * their reasons. Dimension tables are replaced whole; transactions replace exactly the order months the
 * delivery contains, and the quarantine exactly this run date, so re-running a delivery gives the same tables.
 */
public final class IngestJob {
  /** Used with --demo only. Not a secret: pseudonyms made with it protect nothing. */
  static final String DEMO_KEY = "taobao-villages demo key: not for real data";

  private IngestJob() {}

  public static List<TableCounts> run(SparkSession spark, Warehouse warehouse, String input, IngestConfig cfg,
      byte[] pseudonymKey, RunContext run) {
    var pseudo = new Pseudonymizer(pseudonymKey);
    List<TableCounts> counts = new ArrayList<>();
    List<Dataset<Row>> quarantined = new ArrayList<>();

    Dataset<Row> registry = check(InputChecks.registry(
        InputFiles.read(spark, input, VillageRegistry.NAME, VillageRegistry.SCHEMA)));
    // Personal ids are pseudonymised as they are read: nothing after this line sees a raw id. HMAC is
    // deterministic, so checks that join on ids work on the pseudonyms alike.
    Dataset<Row> accounts = check(InputChecks.sellerAccounts(
        InputFiles.read(spark, input, SellerAccounts.NAME, SellerAccounts.SCHEMA)
            .withColumn(SellerAccounts.SELLER_ID, pseudo.apply(col(SellerAccounts.SELLER_ID)))
            .withColumn(SellerAccounts.HOUSEHOLD_ID, pseudo.apply(col(SellerAccounts.HOUSEHOLD_ID))),
        Validation.accepted(registry).select(VillageRegistry.VILLAGE_CODE)));
    Dataset<Row> counties = check(InputChecks.countyAttributes(
        InputFiles.read(spark, input, CountyAttributes.NAME, CountyAttributes.SCHEMA)));
    Instant runEnd = run.runDate().plusDays(1).atStartOfDay(ZoneId.of(Sessions.TIME_ZONE)).toInstant();
    Dataset<Row> transactions = check(InputChecks.transactions(
        InputFiles.read(spark, input, Transactions.NAME, Transactions.INPUT_SCHEMA)
            .withColumn(Transactions.SELLER_ID, pseudo.apply(col(Transactions.SELLER_ID))),
        Validation.accepted(accounts).select(SellerAccounts.SELLER_ID), runEnd)
        .withColumn(Transactions.ORDER_MONTH, date_format(col(Transactions.ORDER_TS), "yyyy-MM")));

    counts.add(reconcile(registry, VillageRegistry.NAME, VillageRegistry.SCHEMA, run, quarantined));
    counts.add(reconcile(accounts, SellerAccounts.NAME, SellerAccounts.SCHEMA, run, quarantined));
    counts.add(reconcile(counties, CountyAttributes.NAME, CountyAttributes.SCHEMA, run, quarantined));
    counts.add(reconcile(transactions, Transactions.NAME, Transactions.INPUT_SCHEMA, run, quarantined));
    for (TableCounts c : counts) {
      if (!c.reconciles()) {
        throw new IllegalStateException("ingest does not reconcile for " + c);
      }
    }

    warehouse.overwrite(Validation.accepted(registry), VillageRegistry.NAME, VillageRegistry.SCHEMA);
    warehouse.overwrite(Validation.accepted(accounts), SellerAccounts.NAME, SellerAccounts.SCHEMA);
    warehouse.overwrite(Validation.accepted(counties), CountyAttributes.NAME, CountyAttributes.SCHEMA);
    warehouse.replacePartitions(Validation.accepted(transactions), Transactions.NAME, Transactions.TABLE_SCHEMA,
        List.of(Transactions.ORDER_MONTH));
    Dataset<Row> allQuarantined = quarantined.stream().reduce(Dataset::unionByName).orElseThrow();
    warehouse.replaceWhere(allQuarantined, Quarantine.NAME, Quarantine.SCHEMA, List.of(RunColumns.RUN_DATE),
        RunColumns.RUN_DATE + " = DATE'" + run.runDate() + "'");

    for (Dataset<Row> d : List.of(registry, accounts, counties, transactions)) {
      d.unpersist();
    }
    return counts;
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

  private static Dataset<Row> check(Dataset<Row> validated) {
    return validated.persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static TableCounts reconcile(Dataset<Row> validated, String table, StructType inputSchema, RunContext run,
      List<Dataset<Row>> quarantined) {
    long read = validated.count();
    Dataset<Row> rejected = Validation.rejected(validated);
    Map<String, Long> reasons = new TreeMap<>();
    long rejectedRows = 0;
    // One row per reason code: bounded by the number of codes, safe to collect.
    for (Row r : rejected.select(explode(col(Validation.REASONS)).as("reason")).groupBy("reason").count().collectAsList()) {
      reasons.put(r.getString(0), r.getLong(1));
    }
    if (!reasons.isEmpty()) {
      rejectedRows = rejected.count();
    }
    quarantined.add(Validation.toQuarantine(rejected, inputSchema, table, run.runId(), run.runDate()));
    return new TableCounts(table, read, read - rejectedRows, rejectedRows, reasons);
  }
}
