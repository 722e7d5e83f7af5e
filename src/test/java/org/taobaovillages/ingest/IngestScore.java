package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.TruthDefects;

/**
 * Scores an ingested warehouse against the generator's truth table of planted defects: rows quarantined vs rows
 * planted for quarantine (by transaction id, and by pseudonymised seller id for accounts), duplicates skipped vs
 * exact duplicates planted, late rows accepted vs planted. Run as a program for the figures of the sample:
 * {@code IngestScore <warehouse> <truth dir>} (demo key).
 */
public record IngestScore(long planted, long quarantined, long truePositives, long duplicatesPlanted,
    long duplicatesSkipped, long latePlanted, long lateAccepted) {

  public double precision() {
    return quarantined == 0 ? 1 : (double) truePositives / quarantined;
  }

  public double recall() {
    return planted == 0 ? 1 : (double) truePositives / planted;
  }

  public static IngestScore of(SparkSession spark, Path warehouse, Path truthDir, byte[] key) {
    Dataset<Row> truth = spark.read().parquet(truthDir.resolve(TruthDefects.NAME).toString());
    Set<String> planted = new HashSet<>();
    for (Row r : truth.where(col(TruthDefects.EXPECTED).equalTo(TruthDefects.QUARANTINE)).collectAsList()) {
      planted.add(Transactions.NAME.equals(r.getAs(TruthDefects.FILE_SET))
          ? "order " + r.getAs(TruthDefects.TRANSACTION_ID)
          : "account " + Pseudonymizer.pseudonym(key, r.getAs(TruthDefects.SELLER_ID)));
    }
    Dataset<Row> quarantine = spark.read().format("delta").load(warehouse.resolve(Quarantine.NAME).toString());
    Set<String> found = new HashSet<>();
    long quarantined = 0;
    for (Row r : quarantine.select(col(Quarantine.SOURCE_TABLE),
        col(Quarantine.RECORD).getItem(Transactions.TRANSACTION_ID),
        col(Quarantine.RECORD).getItem(SellerAccounts.SELLER_ID)).collectAsList()) {
      quarantined++;
      found.add(Transactions.NAME.equals(r.getString(0)) ? "order " + r.getString(1) : "account " + r.getString(2));
    }
    Set<String> hits = new HashSet<>(found);
    hits.retainAll(planted);
    long duplicates = truth.where(col(TruthDefects.EXPECTED).equalTo(TruthDefects.SKIP_DUPLICATE)).count();
    // The audit of the run that wrote the quarantine (the audit keeps every run; the quarantine the latest).
    Dataset<Row> runs = quarantine.select(col(org.taobaovillages.table.RunColumns.RUN_ID)).distinct();
    long skipped = spark.read().format("delta").load(warehouse.resolve(IngestAudit.NAME).toString())
        .join(runs, org.taobaovillages.table.RunColumns.RUN_ID)
        .agg(coalesce(sum(IngestAudit.DUPLICATES_SKIPPED), lit(0L))).first().getLong(0);
    Dataset<Row> late = truth.where(col(TruthDefects.EXPECTED).equalTo(TruthDefects.ACCEPT))
        .select(TruthDefects.TRANSACTION_ID);
    Dataset<Row> stored = spark.read().format("delta").load(warehouse.resolve(Transactions.NAME).toString())
        .select(Transactions.TRANSACTION_ID);
    long lateAccepted = late.join(stored, TruthDefects.TRANSACTION_ID).count();
    return new IngestScore(planted.size(), quarantined, hits.size(), duplicates, skipped, late.count(), lateAccepted);
  }

  /** The score of a warehouse ingested with --demo (the demo pseudonymisation key). */
  public static IngestScore ofDemo(SparkSession spark, Path warehouse, Path truthDir) {
    return of(spark, warehouse, truthDir, IngestJob.DEMO_KEY.getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) {
    SparkSession spark = org.taobaovillages.TestSpark.get();
    long t = System.nanoTime();
    IngestScore s = of(spark, Path.of(args[0]), Path.of(args[1]), IngestJob.DEMO_KEY.getBytes(StandardCharsets.UTF_8));
    System.out.printf("%s%nprecision %.6f recall %.6f (%.1f s)%n", s, s.precision(), s.recall(),
        (System.nanoTime() - t) / 1e9);
  }
}
