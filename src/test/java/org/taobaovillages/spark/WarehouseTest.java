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

/** The MERGE of a run's rows, and the race of two runs that both find the table missing and create it. */
class WarehouseTest {
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("month", DataTypes.StringType, false)
      .add("run_date", DataTypes.DateType, false);

  @TempDir Path dir;

  static Dataset<Row> rows(SparkSession spark, String runDate, String... ids) {
    var date = java.sql.Date.valueOf(runDate);
    return spark.createDataFrame(java.util.Arrays.stream(ids).map(id -> RowFactory.create(id, "2022-01", date))
        .toList(), SCHEMA);
  }

  @Test
  void aRunThatFoundNoTableGetsAConcurrentChangeWhenAnotherRunCreatedItMeanwhile() {
    SparkSession spark = TestSpark.get();
    var warehouse = new Warehouse(spark, dir.toUri().toString());
    // The first run creates the table; the second also looked before that commit (existedWhenRead = false).
    assertEquals(new Warehouse.Merged(2, 0), warehouse.mergeRun(rows(spark, "2022-01-31", "a", "b"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-01-31"), false));
    assertThrows(ConcurrentChange.class, () -> warehouse.mergeRun(rows(spark, "2022-02-28", "c"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-02-28"), false));
    // Its repeat, which now finds the table, merges: the first run's rows stay, its own row is added.
    assertEquals(new Warehouse.Merged(1, 0), warehouse.mergeRun(rows(spark, "2022-02-28", "c"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-02-28"), true));
    // Re-running the first date with one row fewer deletes that date's missing row only.
    assertEquals(new Warehouse.Merged(1, 1), warehouse.mergeRun(rows(spark, "2022-01-31", "a"), "t", SCHEMA,
        List.of("month"), "id", "run_date", LocalDate.parse("2022-01-31"), true));
    List<String> ids = spark.read().format("delta").load(warehouse.path("t")).orderBy("id")
        .select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("a", "c"), ids);
  }
}
