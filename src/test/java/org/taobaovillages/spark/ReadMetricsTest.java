package org.taobaovillages.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;

/**
 * Rows read per step on plain Parquet (no Delta log, so every row read is a data row): 10 rows in two month
 * partitions of 6 and 4.
 */
class ReadMetricsTest {
  @TempDir
  static Path dir;

  @Test
  void eachStepCountsTheRowsItsJobsReadAndAPrunedReadCountsItsPartitionOnly() {
    SparkSession spark = TestSpark.get();
    String path = dir.resolve("t").toString();
    spark.range(10).withColumn("month", col("id").lt(6).cast("int")).write().partitionBy("month").parquet(path);

    ReadMetrics read = ReadMetrics.attach(spark);
    long all = read.step("all", () -> spark.read().parquet(path).count());
    long pruned = read.step("one month", () -> spark.read().parquet(path).where(col("month").equalTo(0)).count());
    read.step("no job", () -> 42L);
    Map<String, Long> rows = read.close();

    assertEquals(10, all);
    assertEquals(4, pruned);
    assertEquals(List.of("all", "one month", "no job"), List.copyOf(rows.keySet()));
    assertEquals(10L, rows.get("all"));
    assertEquals(4L, rows.get("one month"));
    assertEquals(0L, rows.get("no job"));
  }
}
