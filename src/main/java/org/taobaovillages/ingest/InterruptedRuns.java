package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.CommitTags;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.IngestAudit;

/**
 * Finds an ingest of this run date that stopped half way (its driver killed, its machine lost) and says so in the
 * audit. Ingest commits several tables one after the other and its audit last; each commit is tagged with the
 * run in Delta's commit information ({@link CommitTags#ingest}). A commit to an ingest table tagged with this run
 * date and later than the run date's last audit commit belongs to a run that never wrote its audit. Nothing needs
 * undoing: every ingest commit is idempotent for its run date, so the next run of the date replaces those rows;
 * this class only makes the repair visible.
 */
public final class InterruptedRuns {
  /** Commits looked at per table: an interrupted run made at most one per table since the last audit. */
  private static final int HISTORY = 50;

  /** One commit of an interrupted run. */
  public record Commit(String table, long version, String runId, String operation) {}

  private InterruptedRuns() {}

  /** Commits to {@code tables} by runs of this run date after its last audit commit, oldest first. */
  static List<Commit> find(Warehouse warehouse, RunContext run, List<String> tables) {
    String ofThisDate = CommitTags.ofDate(run.runDate());
    long lastAudit = lastCommit(warehouse, IngestAudit.NAME, ofThisDate);
    List<Commit> found = new ArrayList<>();
    for (String table : tables) {
      if (!warehouse.exists(table)) {
        continue;
      }
      for (Row r : history(warehouse, table, ofThisDate)
          .where(unix_millis(col("timestamp")).gt(lastAudit))
          .orderBy("version").select("version", "userMetadata", "operation").collectAsList()) {
        found.add(new Commit(table, r.getLong(0), r.getString(1).substring(ofThisDate.length()), r.getString(2)));
      }
    }
    return found;
  }

  /** Audit rows of this run, one per commit of an interrupted run (status interrupted). */
  static List<Row> auditRows(RunContext run, List<Commit> commits) {
    List<Row> rows = new ArrayList<>();
    for (Commit c : commits) {
      rows.add(RowFactory.create(run.runId(), java.sql.Date.valueOf(run.runDate()), c.table(),
          c.table() + " version " + c.version(), "delta", IngestAudit.FILE_INTERRUPTED, List.of(),
          "run " + c.runId() + " of this run date stopped after this commit (" + c.operation() + "), before its "
              + "audit; this run replaced its rows",
          null, null, null, null, null, null, Map.of(), IngestAudit.COMMITTED));
    }
    return rows;
  }

  private static long lastCommit(Warehouse warehouse, String table, String ofThisDate) {
    if (!warehouse.exists(table)) {
      return Long.MIN_VALUE;
    }
    Row last = history(warehouse, table, ofThisDate)
        .agg(max(unix_millis(col("timestamp")))).first();
    return last.isNullAt(0) ? Long.MIN_VALUE : last.getLong(0);
  }

  private static org.apache.spark.sql.Dataset<Row> history(Warehouse warehouse, String table, String ofThisDate) {
    SparkSession spark = warehouse.spark();
    return DeltaTable.forPath(spark, warehouse.path(table)).history(HISTORY)
        .where(col("userMetadata").startsWith(ofThisDate));
  }
}
