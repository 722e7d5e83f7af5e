package org.taobaovillages.spark;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * Keeps a warehouse's Delta tables healthy: every daily run adds a few small files to the partitions it touches
 * (one MERGE or replace per table), which compaction bin-packs into large ones, and the files that no recent
 * table version needs any more are deleted (VACUUM) after a retention.
 */
public final class TableMaintenance {
  /** Delta's own safety check refuses a shorter retention: a reader of an older version could lose its files. */
  public static final Duration MIN_RETENTION = Duration.ofDays(7);

  /** What maintenance did to one table: files compacted, files written for them, unneeded files deleted. */
  public record Maintained(String table, long filesCompacted, long filesWritten, long filesDeleted) {}

  private TableMaintenance() {}

  /** The Delta tables directly under the warehouse root, by name (other directories, e.g. exports, skipped). */
  public static List<String> tables(Warehouse warehouse) {
    List<String> tables = new ArrayList<>();
    try {
      URI root = URI.create(warehouse.root());
      FileSystem fs = FileSystem.get(root, warehouse.spark().sparkContext().hadoopConfiguration());
      Path path = new Path(warehouse.root());
      if (!fs.exists(path)) {
        throw new UserError("warehouse " + warehouse.root() + " not found: run 'ingest' first (with the same "
            + "--warehouse)");
      }
      for (FileStatus s : fs.listStatus(path)) {
        if (s.isDirectory() && warehouse.exists(s.getPath().getName())) {
          tables.add(s.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw new UserError("cannot list warehouse " + warehouse.root() + ": " + e.getMessage());
    }
    tables.sort(null);
    return tables;
  }

  /**
   * Compacts the table's small files (Delta OPTIMIZE, bin-packing within each partition; a partition already in
   * one file per bin is not rewritten, so a daily call rewrites only what recent runs added to), then deletes the
   * files no version younger than {@code retention} needs (VACUUM). Each step is its own Delta commit.
   */
  public static Maintained optimizeAndVacuum(Warehouse warehouse, String table, Duration retention) {
    if (retention.compareTo(MIN_RETENTION) < 0) {
      throw new UserError("optimize.vacuum-retention must be at least 7 days (Delta refuses less: a reader of an "
          + "older table version could lose its files), got " + retention);
    }
    DeltaTable delta = DeltaTable.forPath(warehouse.spark(), warehouse.path(table));
    Row compaction = delta.optimize().executeCompaction().select("metrics.numFilesRemoved", "metrics.numFilesAdded")
        .first();
    delta.vacuum(retention.toMinutes() / 60.0);
    Row last = delta.history(1).select("operation", "operationMetrics").first();
    Map<String, String> metrics = last.isNullAt(1) ? Map.of() : last.getJavaMap(1);
    long deleted = "VACUUM END".equals(last.getString(0))
        ? Long.parseLong(metrics.getOrDefault("numDeletedFiles", "0")) : 0;
    return new Maintained(table, compaction.getLong(0), compaction.getLong(1), deleted);
  }
}
