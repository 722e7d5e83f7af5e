package org.taobaovillages.spark;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.table.RunColumns;

/**
 * The Delta tables we own, under one warehouse URI (file:, hdfs:, s3a:, ...): one directory per table, no
 * metastore needed. Every write is one atomic Delta commit, so a failed run leaves the tables as they were.
 */
public final class Warehouse {
  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = stripSlash(root);
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  public boolean exists(String table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /** Reads a table that an earlier stage must have written; a clear error names the stage to run first. */
  public Dataset<Row> read(String table, String writtenBy) {
    if (!exists(table)) {
      throw new UserError("table '" + table + "' not found in warehouse " + root
          + ": run '" + writtenBy + "' first (with the same --warehouse)");
    }
    return spark.read().format("delta").load(path(table));
  }

  /**
   * The earliest value of a partition column among a table's current files, or null when it has none: read from
   * the file list of the table's snapshot (Hive-style directories {@code column=value}), not from the rows. A
   * file without such a directory in its path (a table written with Delta's column mapping) makes it read the
   * column's values instead.
   */
  public static String earliestPartitionValue(Dataset<Row> table, String column) {
    String earliest = null;
    String prefix = column + "=";
    for (String file : table.inputFiles()) {
      String value = null;
      for (String segment : new Path(file).toUri().getPath().split("/")) {
        if (segment.startsWith(prefix)) {
          value = ExternalCatalogUtils.unescapePathName(segment.substring(prefix.length()));
        }
      }
      if (value == null) {
        Row row = table.agg(functions.min(functions.col(column))).first();
        return row.isNullAt(0) ? null : row.getString(0);
      }
      earliest = earliest == null || value.compareTo(earliest) < 0 ? value : earliest;
    }
    return earliest;
  }

  /**
   * Brings a stored table to the types of {@code schema} when a column's type has changed since it was written
   * (e.g. a DOUBLE that became a DECIMAL), by rewriting it whole with its rows cast, in one commit, with the same
   * partitioning; Delta would refuse to merge the new type into the old. Does nothing when the types agree or the
   * table does not exist. Returns whether it rewrote.
   */
  public boolean retype(String table, StructType schema, List<String> partitionBy) {
    if (!exists(table)) {
      return false;
    }
    Dataset<Row> stored = spark.read().format("delta").load(path(table));
    var names = java.util.Arrays.asList(stored.columns());
    boolean differs = false;
    for (var field : schema.fields()) {
      differs |= names.contains(field.name())
          && !stored.schema().apply(field.name()).dataType().equals(field.dataType());
    }
    if (!differs) {
      return false;
    }
    conform(stored, schema).write().format("delta").mode("overwrite").option("overwriteSchema", "true")
        .partitionBy(partitionBy.toArray(String[]::new)).save(path(table));
    return true;
  }

  /** Replaces the whole table in one commit. */
  public void overwrite(Dataset<Row> data, String table, StructType schema) {
    overwrite(data, table, schema, List.of());
  }

  private void overwrite(Dataset<Row> data, String table, StructType schema, List<String> partitionBy) {
    conform(data, schema).write().format("delta").mode("overwrite").option("overwriteSchema", "true")
        .partitionBy(partitionBy.toArray(String[]::new)).save(path(table));
  }

  /**
   * How the jobs that compute a table (aggregate, detect, typology) write it: {@code data} with the run's lineage
   * ({@link RunColumns#RUN_ID}, {@link RunColumns#RUN_DATE}) replaces the table's rows of {@code predicate} in one
   * commit ({@link #replaceWhere}), or the whole table, schema included, when {@code predicate} is null.
   *
   * @return the rows written, from the commit's operation metrics (no data read back)
   */
  public long writeRun(Dataset<Row> data, String table, StructType schema, List<String> partitionBy,
      String predicate, RunContext run) {
    Dataset<Row> rows = data.withColumn(RunColumns.RUN_ID, functions.lit(run.runId()))
        .withColumn(RunColumns.RUN_DATE, functions.lit(java.sql.Date.valueOf(run.runDate())));
    if (predicate != null) {
      return replaceWhere(rows, table, schema, partitionBy, predicate);
    }
    long before = version(table);
    overwrite(rows, table, schema, partitionBy);
    return rowsCommitted(table, before);
  }

  /**
   * Replaces exactly the partitions present in {@code data} and leaves all others untouched, in one commit:
   * re-running the same period gives the same table, other periods are never touched.
   */
  public void replacePartitions(Dataset<Row> data, String table, StructType schema, List<String> partitionBy) {
    conform(rebalance(data, partitionBy), schema).write().format("delta").mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(partitionBy.toArray(String[]::new))
        .save(path(table));
  }

  /**
   * Replaces the rows matching the SQL {@code predicate} (which every row of {@code data} must match) in one
   * commit; unlike a dynamic partition overwrite this also clears the slice when {@code data} is empty. The
   * predicate is built by our code from typed values, never from user input.
   *
   * @return the rows of {@code data} written, from the commit's operation metrics (read from the log, no data
   *     scanned): Delta's output rows less the rows it copied from rewritten files that the predicate does not
   *     match; 0 when Delta made no commit (nothing to write and nothing to remove)
   */
  public long replaceWhere(Dataset<Row> data, String table, StructType schema, List<String> partitionBy,
      String predicate) {
    long before = version(table);
    conform(rebalance(data, partitionBy), schema).write().format("delta").mode("overwrite")
        .option("replaceWhere", predicate).option("mergeSchema", "true")
        .partitionBy(partitionBy.toArray(String[]::new))
        .save(path(table));
    return rowsCommitted(table, before);
  }

  /** The table's latest version; -1 when it does not exist. */
  private long version(String table) {
    return exists(table) ? DeltaTable.forPath(spark, path(table)).history(1).first().getLong(0) : -1;
  }

  /**
   * The rows the table's latest commit wrote, from its operation metrics (read from the log, no data scanned):
   * Delta's output rows less the rows it copied from rewritten files; 0 when no commit came after {@code before}.
   */
  private long rowsCommitted(String table, long before) {
    Row commit = DeltaTable.forPath(spark, path(table)).history(1).select("version", "operationMetrics").first();
    java.util.Map<String, String> metrics = commit.getJavaMap(1);
    if (commit.getLong(0) == before || metrics == null) {
      return 0;
    }
    return Long.parseLong(metrics.getOrDefault("numOutputRows", "0"))
        - Long.parseLong(metrics.getOrDefault("numCopiedRows", "0"));
  }

  /**
   * Makes the rows that one run date owns in a table equal {@code data}, in one MERGE transaction keyed on
   * {@code key}: rows of this run date are updated, or deleted when no longer in {@code data}; new keys are
   * inserted; a key already stored by another run date is left as it is (the caller has classified those rows
   * as duplicates beforehand). Returns the rows updated plus inserted, which equals the size of {@code data}
   * unless another run stored some of its keys after the caller looked, and the rows of this run date deleted.
   *
   * <p>Only files holding a key of {@code data}, or a row of this run date to delete, are rewritten: the rows to
   * delete are found first (this run date's keys not in {@code data}; Delta's statistics on the run column skip
   * the other run dates' files) and sent into the MERGE as delete markers, instead of a "not matched by source"
   * clause, which would make Delta rewrite every file it reads. With a {@code scope} the MERGE reads only the
   * target partitions it names. The scope must hold every partition of {@code data} and every partition where
   * the run date has rows (else those rows are neither matched nor removed). Null: the whole table.
   *
   * <p>When the table did not exist when the caller read it ({@code existedWhenRead} false), it is created with
   * {@code data}; if another run created it meanwhile, this throws {@link ConcurrentChange}.
   */
  public Merged mergeRun(Dataset<Row> data, String table, StructType schema, List<String> partitionBy, String key,
      String runColumn, java.time.LocalDate runDate, PartitionScope scope, boolean existedWhenRead) {
    Dataset<Row> rows = conform(data, schema);
    if (!existedWhenRead) {
      create(rebalance(rows, partitionBy), table, partitionBy);
      return new Merged(rows.count(), 0);
    }
    DeltaTable target = DeltaTable.forPath(spark, path(table));
    Column thisRun = functions.col("t." + runColumn).equalTo(functions.lit(java.sql.Date.valueOf(runDate)));
    Column inScope = scope == null ? functions.lit(true) : scope.filter("t");
    // This run date's rows no longer delivered, as delete markers: the key, every other column null.
    Dataset<Row> stale = target.toDF().as("t").where(thisRun.and(inScope)).select(functions.col("t." + key))
        .join(rows.select(key).as("s"), functions.col("t." + key).equalTo(functions.col("s." + key)), "left_anti");
    Dataset<Row> source = withDeleteMarkers(rows, stale, schema);
    Map<String, Column> values = sourceValues(schema);
    Column isMarker = functions.col("s." + DELETE);
    Row metrics = target.as("t")
        .merge(source.as("s"), functions.col("t." + key).equalTo(functions.col("s." + key)).and(inScope))
        .whenMatched(isMarker.and(thisRun)).delete()
        .whenMatched(functions.not(isMarker).and(thisRun)).update(values)
        .whenNotMatched(functions.not(isMarker)).insert(values)
        .execute().first();
    return new Merged(metrics.<Long>getAs("num_updated_rows") + metrics.<Long>getAs("num_inserted_rows"),
        metrics.<Long>getAs("num_deleted_rows"));
  }

  /** Column of a MERGE source: true for a delete marker. */
  private static final String DELETE = "_delete";

  /**
   * A MERGE source: {@code rows} (conformed to {@code schema}) and a delete marker per row of {@code stale}, which
   * holds the key columns of the rows to delete: those columns, every other column null, {@link #DELETE} true.
   */
  private static Dataset<Row> withDeleteMarkers(Dataset<Row> rows, Dataset<Row> stale, StructType schema) {
    List<String> keys = List.of(stale.columns());
    List<Column> marker = new ArrayList<>();
    for (var f : schema.fields()) {
      marker.add(keys.contains(f.name()) ? functions.col(f.name())
          : functions.lit(null).cast(f.dataType()).as(f.name()));
    }
    marker.add(functions.lit(true).as(DELETE));
    return rows.withColumn(DELETE, functions.lit(false)).unionByName(stale.select(marker.toArray(Column[]::new)));
  }

  /** Every column of {@code schema} from the MERGE source aliased {@code s}: what an update or insert writes. */
  private static Map<String, Column> sourceValues(StructType schema) {
    Map<String, Column> values = new LinkedHashMap<>();
    for (var f : schema.fields()) {
      values.put(f.name(), functions.col("s." + f.name()));
    }
    return values;
  }

  /** Some partitions of a table: the values of its partition column {@code column}. */
  public record PartitionScope(String column, java.util.Collection<String> values) {
    /** As a filter on the table aliased {@code alias}; false for no values. */
    public Column filter(String alias) {
      return functions.col(alias + "." + column).isin(values.toArray());
    }
  }

  /** What a run's MERGE did: rows written (updated or inserted) and rows of the run deleted. */
  public record Merged(long written, long removed) {}

  /**
   * Merges the versions of a dimension table's keys that one run date touches, in one MERGE transaction on
   * (key, {@code validFrom}): versions are updated (their validity may change) or inserted, and a version of this
   * run date no longer among them is deleted; keys not among them are not touched. Creates the table when there
   * is none ({@code existedWhenRead} false; a concurrent creation throws {@link ConcurrentChange}). Returns the
   * versions inserted into an existing table (-1 for a table created: the caller knows what it wrote).
   *
   * <p>Only the files holding a version of a touched key are rewritten: this run date's versions no longer among
   * {@code versions} are found first (Delta's statistics on {@code validFrom} skip the files of other dates) and
   * sent into the MERGE as delete markers, as in {@link #mergeRun}. A "not matched by source" clause, even one
   * limited to the run date, would make Delta read every file of the table and rewrite every one of them.
   */
  public long mergeVersions(Dataset<Row> versions, String table, StructType schema, String key, String validFrom,
      java.time.LocalDate runDate, boolean existedWhenRead) {
    Dataset<Row> rows = conform(versions, schema);
    if (!existedWhenRead) {
      create(rows.coalesce(1), table, List.of());
      return -1;
    }
    DeltaTable target = DeltaTable.forPath(spark, path(table));
    // (key, validFrom) of this run date's versions no longer among those to merge: the rows to delete.
    Dataset<Row> stale = target.toDF()
        .where(functions.col(validFrom).equalTo(functions.lit(java.sql.Date.valueOf(runDate))))
        .select(key, validFrom)
        .join(rows.select(key, validFrom), new String[] {key, validFrom}, "left_anti");
    Column isMarker = functions.col("s." + DELETE);
    Row metrics = target.as("t")
        .merge(withDeleteMarkers(rows, stale, schema).as("s"),
            functions.col("t." + key).equalTo(functions.col("s." + key))
                .and(functions.col("t." + validFrom).equalTo(functions.col("s." + validFrom))))
        .whenMatched(isMarker).delete()
        .whenMatched().update(sourceValues(schema))
        .whenNotMatched(functions.not(isMarker)).insert(sourceValues(schema))
        .execute().first();
    return metrics.<Long>getAs("num_inserted_rows");
  }

  /** Writes a new table; if another run created it since the caller looked, throws {@link ConcurrentChange}. */
  private void create(Dataset<Row> rows, String table, List<String> partitionBy) {
    try {
      rows.write().format("delta").mode("errorifexists").partitionBy(partitionBy.toArray(String[]::new))
          .save(path(table));
    } catch (Exception e) {
      // Spark's AnalysisException (here DELTA_PATH_EXISTS) is a checked exception Scala does not declare, so
      // catch them all. The table exists now: another run has created it since the caller looked.
      if (exists(table)) {
        throw new ConcurrentChange("table " + table + " is being created by a concurrent run");
      }
      throw e;
    }
  }

  /**
   * Groups rows by table partition before writing, so each partition gets a few well-sized files instead of
   * one per task; the REBALANCE hint lets adaptive execution split a skewed partition and merge small ones.
   */
  static Dataset<Row> rebalance(Dataset<Row> data, List<String> partitionBy) {
    return data.hint("rebalance", partitionBy.stream().map(org.apache.spark.sql.functions::col).toArray());
  }

  /** Selects the schema's columns in its order, cast to its types; fails if a column is missing. */
  static Dataset<Row> conform(Dataset<Row> data, StructType schema) {
    var columns = java.util.Arrays.stream(schema.fields())
        .map(f -> data.col(f.name()).cast(f.dataType()).as(f.name()))
        .toArray(org.apache.spark.sql.Column[]::new);
    return data.select(columns);
  }

  /** Whether a path exists, on any Hadoop file system. */
  public static boolean pathExists(SparkSession spark, String uri) {
    try {
      Path path = new Path(uri);
      FileSystem fs = FileSystem.get(URI.create(uri), spark.sparkContext().hadoopConfiguration());
      return fs.exists(path);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot access " + uri + ": " + e.getMessage());
    }
  }

  static String stripSlash(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }
}
