package org.taobaovillages.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;

/**
 * The MERGE of a run's rows, scoped to some partitions or not, the race of two runs that both find the table
 * missing and create it, and partition values read from a table's file list.
 */
class WarehouseTest {
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("month", DataTypes.StringType, false)
      .add("run_date", DataTypes.DateType, false);

  @TempDir Path dir;

  static Dataset<Row> rows(SparkSession spark, String runDate, String... ids) {
    return rowsIn(spark, "2022-01", runDate, ids);
  }

  static Dataset<Row> rowsIn(SparkSession spark, String month, String runDate, String... ids) {
    var date = java.sql.Date.valueOf(runDate);
    return spark.createDataFrame(java.util.Arrays.stream(ids).map(id -> RowFactory.create(id, month, date))
        .toList(), SCHEMA);
  }

  /**
   * A table written when a column was DOUBLE is cast once to the DECIMAL it has become (hot_spot_years.value), so
   * that the next replaceWhere can merge; its rows and partitions stay; a second call does nothing.
   */
  @Test
  void aColumnWhoseTypeChangedIsCastInTheStoredTable() {
    SparkSession spark = TestSpark.get();
    var warehouse = new Warehouse(spark, dir.toUri().toString());
    StructType before = new StructType().add("id", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("value", DataTypes.DoubleType);
    StructType after = new StructType().add("id", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("value", DataTypes.createDecimalType(28, 2));
    spark.createDataFrame(List.of(RowFactory.create("a", 2021, 12345678.91), RowFactory.create("b", 2022, 0.0)),
        before).write().format("delta").partitionBy("year").save(warehouse.path("h"));
    assertTrue(warehouse.retype("h", after, List.of("year")));
    Dataset<Row> stored = spark.read().format("delta").load(warehouse.path("h"));
    assertEquals(DataTypes.createDecimalType(28, 2), stored.schema().apply("value").dataType());
    assertEquals(new java.math.BigDecimal("12345678.91"), stored.where("id = 'a'").first().getAs("value"));
    assertEquals(List.of("year"), io.delta.tables.DeltaTable.forPath(spark, warehouse.path("h")).detail()
        .first().getList(io.delta.tables.DeltaTable.forPath(spark, warehouse.path("h")).detail().schema()
            .fieldIndex("partitionColumns")));
    assertFalse(warehouse.retype("h", after, List.of("year")));
    assertFalse(warehouse.retype("missing", after, List.of("year")));
  }

  @Test
  void aRunThatFoundNoTableGetsAConcurrentChangeWhenAnotherRunCreatedItMeanwhile() {
    SparkSession spark = TestSpark.get();
    var warehouse = new Warehouse(spark, dir.toUri().toString());
    // The first run creates the table; the second also looked before that commit (existedWhenRead = false).
    assertEquals(new Warehouse.Merged(2, 0), warehouse.mergeRun(rows(spark, "2022-01-31", "a", "b"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-01-31"), null, false));
    assertThrows(ConcurrentChange.class, () -> warehouse.mergeRun(rows(spark, "2022-02-28", "c"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-02-28"), null, false));
    // Its repeat, which now finds the table, merges: the first run's rows stay, its own row is added.
    assertEquals(new Warehouse.Merged(1, 0), warehouse.mergeRun(rows(spark, "2022-02-28", "c"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-02-28"), null, true));
    // Re-running the first date with one row fewer deletes that date's missing row only.
    assertEquals(new Warehouse.Merged(1, 1), warehouse.mergeRun(rows(spark, "2022-01-31", "a"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-01-31"), null, true));
    List<String> ids = spark.read().format("delta").load(warehouse.path("t")).orderBy("id")
        .select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("a", "c"), ids);
  }

  /**
   * A run's MERGE rewrites only the files that hold its keys or its run date's rows to delete (Delta's own
   * counts, in the commit's metrics), and leaves every other row as it is, even rows of the same run date
   * outside its scope.
   */
  @Test
  void aScopedMergeRewritesOnlyTheFilesOfItsRowsAndTouchesNothingElse() {
    SparkSession spark = TestSpark.get();
    var warehouse = new Warehouse(spark, dir.toUri().toString());
    LocalDate first = LocalDate.parse("2022-03-31");
    warehouse.mergeRun(rowsIn(spark, "2022-01", "2022-03-31", "a", "b").union(rowsIn(spark, "2022-02", "2022-03-31",
        "c")).union(rowsIn(spark, "2022-03", "2022-03-31", "d")), "t", SCHEMA, List.of("month"), "id", "run_date",
        first, null, false);
    LocalDate next = LocalDate.parse("2022-04-01");
    // The next day: two new orders in March. Nothing stored is rewritten.
    var merged = warehouse.mergeRun(rowsIn(spark, "2022-03", "2022-04-01", "e", "f"), "t", SCHEMA, List.of("month"),
        "id", "run_date", next, new Warehouse.PartitionScope("month", List.of("2022-03")), true);
    assertEquals(new Warehouse.Merged(2, 0), merged);
    assertEquals(List.of("0", "0"), lastCommit(spark, warehouse, "numTargetFilesRemoved", "numTargetRowsCopied"));
    // Re-running the first date with only January's "a", scoped to January and March: "b" and "d" are
    // removed (this run date's rows in the scope, no longer delivered), February's "c" stays.
    merged = warehouse.mergeRun(rowsIn(spark, "2022-01", "2022-03-31", "a"), "t", SCHEMA, List.of("month"), "id",
        "run_date", first, new Warehouse.PartitionScope("month", List.of("2022-01", "2022-03")), true);
    assertEquals(new Warehouse.Merged(1, 2), merged);
    // Only January's file (a updated, b deleted) and March's first file (d deleted) are rewritten, with nothing
    // to copy: February's file (out of scope) and March's second file (no key, no row to delete) are not.
    assertEquals(List.of("2", "0"), lastCommit(spark, warehouse, "numTargetFilesRemoved", "numTargetRowsCopied"));
    List<String> rows = spark.read().format("delta").load(warehouse.path("t")).orderBy("month", "id")
        .selectExpr("concat(month, ' ', id, ' ', run_date)").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("2022-01 a 2022-03-31", "2022-02 c 2022-03-31", "2022-03 e 2022-04-01",
        "2022-03 f 2022-04-01"), rows);
  }

  static final StructType VERSIONS = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("value", DataTypes.IntegerType, false)
      .add("valid_from", DataTypes.DateType, false)
      .add("valid_to", DataTypes.DateType, true)
      .add("run_id", DataTypes.StringType, false);

  static Row version(String id, int value, String from, String to, String runId) {
    return RowFactory.create(id, value, java.sql.Date.valueOf(from), to == null ? null : java.sql.Date.valueOf(to),
        runId);
  }

  long mergeVersions(Warehouse warehouse, String runDate, boolean existed, Row... versions) {
    return warehouse.mergeVersions(TestSpark.get().createDataFrame(List.of(versions), VERSIONS), "t", VERSIONS, "id",
        "valid_from", LocalDate.parse(runDate), existed);
  }

  /**
   * A dimension's MERGE of the versions of the keys a run date touches rewrites only the files that hold those
   * keys (Delta's counts: files removed, rows copied from them unchanged); a run date run again deletes its own
   * versions that are no longer delivered, and only those.
   */
  @Test
  void aDimensionMergeRewritesOnlyTheFilesOfTheKeysItTouches() {
    SparkSession spark = TestSpark.get();
    var warehouse = new Warehouse(spark, dir.toUri().toString());
    // a and b in the first file; c, brought on 2022-02-01, in a second one.
    assertEquals(-1, mergeVersions(warehouse, "2022-01-01", false, version("a", 1, "2022-01-01", null, "r1"),
        version("b", 1, "2022-01-01", null, "r1")));
    assertEquals(1, mergeVersions(warehouse, "2022-02-01", true, version("c", 1, "2022-02-01", null, "r2")));
    // 2022-03-01 changes c: its first version ends, a second one begins. Only c's file is rewritten (1 file, no
    // row copied). With a "not matched by source" clause every MERGE rewrites every file: 2022-02-01's would have
    // put c beside a and b, and this one would have copied a and b.
    assertEquals(1, mergeVersions(warehouse, "2022-03-01", true, version("c", 1, "2022-02-01", "2022-03-01", "r2"),
        version("c", 2, "2022-03-01", null, "r3")));
    assertEquals(List.of("1", "0", "0"), lastCommit(spark, warehouse, "numTargetFilesRemoved",
        "numTargetRowsCopied", "numTargetRowsDeleted"));
    // 2022-03-01 again, now with c unchanged: its version of that date is deleted, the first one is current again;
    // a's and b's file is still not rewritten.
    assertEquals(0, mergeVersions(warehouse, "2022-03-01", true, version("c", 1, "2022-02-01", null, "r2")));
    assertEquals(List.of("0", "1"), lastCommit(spark, warehouse, "numTargetRowsCopied", "numTargetRowsDeleted"));
    List<String> rows = spark.read().format("delta").load(warehouse.path("t")).orderBy("id", "valid_from")
        .selectExpr("concat_ws(' ', id, value, valid_from, coalesce(cast(valid_to as string), '-'), run_id)")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("a 1 2022-01-01 - r1", "b 1 2022-01-01 - r1", "c 1 2022-02-01 - r2"), rows);
  }

  /**
   * The earliest partition value comes from the snapshot's files: a month whose rows were all deleted is no
   * longer one, and a table without files has none.
   */
  @Test
  void theEarliestPartitionValueIsThatOfTheCurrentFiles() {
    SparkSession spark = TestSpark.get();
    var warehouse = new Warehouse(spark, dir.toUri().toString());
    warehouse.mergeRun(rowsIn(spark, "2021-11", "2022-03-31", "a").union(rowsIn(spark, "2022-02", "2022-03-31",
        "b")).union(rowsIn(spark, "2021-12", "2022-03-31", "c")), "t", SCHEMA, List.of("month"), "id", "run_date",
        LocalDate.parse("2022-03-31"), null, false);
    assertEquals("2021-11", Warehouse.earliestPartitionValue(warehouse.read("t", "test"), "month"));
    io.delta.tables.DeltaTable.forPath(spark, warehouse.path("t")).delete("id = 'a'");
    assertEquals("2021-12", Warehouse.earliestPartitionValue(warehouse.read("t", "test"), "month"));
    io.delta.tables.DeltaTable.forPath(spark, warehouse.path("t")).delete("true");
    assertNull(Warehouse.earliestPartitionValue(warehouse.read("t", "test"), "month"));
  }

  private static List<String> lastCommit(SparkSession spark, Warehouse warehouse, String... metrics) {
    var m = io.delta.tables.DeltaTable.forPath(spark, warehouse.path("t")).history(1).select("operationMetrics")
        .first().<String, String>getJavaMap(0);
    return java.util.Arrays.stream(metrics).map(k -> m.get(k) + "").toList();
  }
}
