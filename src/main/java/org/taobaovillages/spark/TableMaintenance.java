package org.taobaovillages.spark;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.taobaovillages.config.OptimizeConfig;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Keeps a warehouse's Delta tables healthy: every daily run adds a few small files to the partitions it touches
 * (one MERGE or replace per table), which compaction bin-packs into large ones, and the files that no recent
 * table version needs any more are deleted (VACUUM) after a retention.
 */
public final class TableMaintenance {
  /** Delta's own safety check refuses a shorter retention: a reader of an older version could lose its files. */
  public static final Duration MIN_RETENTION = Duration.ofDays(7);

  /**
   * What maintenance did to one table: files compacted, files written for them, unneeded files deleted (null: not
   * vacuumed this time, its interval not yet over).
   */
  public record Maintained(String table, long filesCompacted, long filesWritten, Long filesDeleted) {}

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
   * What {@code optimize} does to one table, with the clock at {@code now}:
   * <ul>
   *   <li>compaction (Delta OPTIMIZE, bin-packing within each partition) of the partitions that received a file
   *       since the table's last compaction, found from the files' modification times in the table's snapshot
   *       (less an hour, against clock skew between writers: a partition compacted already is in one file per
   *       bin and is not rewritten), of two files or more ({@link #touchedSince}); none: no compaction; never
   *       compacted: every partition of two files or more;
   *   <li>VACUUM (files no version younger than {@code cfg.vacuumRetention()} needs are deleted) when the last
   *       VACUUM, or the table's first commit if there was none, is at least {@code cfg.vacuumInterval()} ago.
   * </ul>
   * Each step is its own Delta commit, so that a daily call costs what the day added, and a full file listing
   * once an interval.
   */
  public static Maintained optimizeAndVacuum(Warehouse warehouse, String table, OptimizeConfig cfg, Instant now) {
    if (cfg.vacuumRetention().compareTo(MIN_RETENTION) < 0) {
      throw new UserError("optimize.vacuum-retention must be at least 7 days (Delta refuses less: a reader of an "
          + "older table version could lose its files), got " + cfg.vacuumRetention());
    }
    DeltaTable delta = DeltaTable.forPath(warehouse.spark(), warehouse.path(table));
    Row times = delta.history()
        .agg(max(when(col("operation").equalTo("OPTIMIZE"), col("timestamp"))),
            max(when(col("operation").equalTo("VACUUM END"), col("timestamp"))), min(col("timestamp")))
        .first();
    long compacted = 0;
    long written = 0;
    String partitions = touchedSince(warehouse, table, times.isNullAt(0) ? null : times.getTimestamp(0).toInstant());
    if (partitions != null) {
      Row compaction = (partitions.isEmpty() ? delta.optimize() : delta.optimize().where(partitions))
          .executeCompaction().select("metrics.numFilesRemoved", "metrics.numFilesAdded").first();
      compacted = compaction.getLong(0);
      written = compaction.getLong(1);
    }
    Instant lastVacuum = (times.isNullAt(1) ? times.getTimestamp(2) : times.getTimestamp(1)).toInstant();
    Long deleted = null;
    if (!lastVacuum.plus(cfg.vacuumInterval()).isAfter(now)) {
      delta.vacuum(cfg.vacuumRetention().toMinutes() / 60.0);
      Row last = delta.history(1).select("operation", "operationMetrics").first();
      Map<String, String> metrics = last.isNullAt(1) ? Map.of() : last.getJavaMap(1);
      deleted = "VACUUM END".equals(last.getString(0))
          ? Long.parseLong(metrics.getOrDefault("numDeletedFiles", "0")) : 0L;
    }
    return new Maintained(table, compacted, written, deleted);
  }

  /**
   * The partitions of {@code table} that compaction could change: two files or more, one of them modified after
   * {@code since} less an hour ({@code since} null: never compacted, any time), as a Delta partition predicate
   * ({@code month = '2022-01' OR ...}); "" for the whole table (not partitioned); null when there is none. One row
   * per such partition reaches the driver: those written since the last compaction.
   */
  static String touchedSince(Warehouse warehouse, String table, Instant since) {
    // Delta's snapshot of the table, as DeltaTable.forPath has just loaded it: its files with their partition
    // values and modification times (the state OPTIMIZE itself plans from).
    Snapshot snapshot = DeltaLog.forTable(warehouse.spark(), warehouse.path(table)).unsafeVolatileSnapshot();
    List<String> columns = CollectionConverters.asJava(snapshot.metadata().partitionColumns());
    long cutoff = since == null ? Long.MIN_VALUE : since.minus(Duration.ofHours(1)).toEpochMilli();
    List<Column> values = columns.stream().map(c -> col("partitionValues").getItem(c).as(c)).toList();
    List<Row> partitions = snapshot.allFiles().toDF().groupBy(values.toArray(Column[]::new))
        .agg(count(lit(1)).as("files"), max(col("modificationTime")).as("latest"))
        .where(col("files").geq(2).and(col("latest").gt(cutoff)))
        .select(columns.stream().map(c -> col(quoted(c))).toArray(Column[]::new)).collectAsList();
    if (partitions.isEmpty()) {
      return null;
    }
    if (columns.isEmpty()) {
      return "";
    }
    List<String> predicates = new ArrayList<>();
    for (Row p : partitions) {
      List<String> terms = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        String name = quoted(columns.get(i));
        terms.add(p.isNullAt(i) ? name + " IS NULL" : name + " = '" + p.getString(i).replace("\\", "\\\\")
            .replace("'", "\\'") + "'");
      }
      predicates.add("(" + String.join(" AND ", terms) + ")");
    }
    return String.join(" OR ", predicates);
  }

  /** A column name quoted for Spark SQL: in backticks, a backtick in it doubled. */
  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
