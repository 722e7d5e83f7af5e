package org.taobaovillages.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;

/**
 * Rows in and out per stage on plain Parquet (no Delta log, so every record read or written is a data row):
 * a table of 10 rows, of which a stage copies the 4 with id mod 5 &ge; 3 (3, 4, 8, 9: a filter Parquet cannot
 * push down, so every row is read) inside an outer stage that also counts all 10.
 */
class StageMetricsTest {
  @TempDir
  static Path dir;

  @Test
  void aStageCountsItsOwnRowsAndTheStageAroundItCountsItsInnerStagesToo() {
    SparkSession spark = TestSpark.get();
    String source = dir.resolve("source").toString();
    String copy = dir.resolve("copy").toString();
    spark.range(10).write().parquet(source);

    StageMetrics metrics = StageMetrics.of(spark);
    int before = metrics.finished().size();
    long all = metrics.stage("outer", () -> {
      metrics.stage("copy", () -> spark.read().parquet(source).where(col("id").mod(5).geq(3)).write().parquet(copy));
      return spark.read().parquet(source).count();
    });
    metrics.stage("nothing", () -> { });

    assertEquals(10, all);
    List<StageMetrics.Stage> stages = metrics.finished().subList(before, metrics.finished().size());
    assertEquals(List.of("outer/copy", "outer", "nothing"), stages.stream().map(StageMetrics.Stage::name).toList());
    Map<String, StageMetrics.Stage> byName = stages.stream()
        .collect(Collectors.toMap(StageMetrics.Stage::name, Function.identity()));
    assertEquals(10, byName.get("outer/copy").rowsIn(), "the copy reads all 10 rows before its filter");
    assertEquals(4, byName.get("outer/copy").rowsOut());
    assertEquals(20, byName.get("outer").rowsIn(), "10 by the copy, 10 by the count");
    assertEquals(4, byName.get("outer").rowsOut());
    assertEquals(0, byName.get("nothing").rowsIn());
    assertTrue(stages.stream().noneMatch(StageMetrics.Stage::failed));
    assertTrue(byName.get("outer").seconds() >= byName.get("outer/copy").seconds());
  }

  /**
   * A job's steps inside the stage that runs the job: each step's rows read, a partition-pruned read counting its
   * partition only (a table of 10 rows, 6 in month 1 and 4 in month 0), in the order the steps first ran.
   */
  @Test
  void aJobsStepsCountTheRowsTheirJobsReadAndAPrunedReadCountsItsPartitionOnly() {
    SparkSession spark = TestSpark.get();
    String path = dir.resolve("months").toString();
    spark.range(10).withColumn("month", col("id").lt(6).cast("int")).write().partitionBy("month").parquet(path);

    StageMetrics metrics = StageMetrics.of(spark);
    Map<String, Long> rows = metrics.stage("job", () -> {
      StageMetrics.Steps steps = metrics.steps();
      assertEquals(10, steps.run("all", () -> spark.read().parquet(path).count()));
      assertEquals(4, steps.run("one month", () -> spark.read().parquet(path).where(col("month").equalTo(0))
          .count()));
      steps.run("no job", () -> 42L);
      assertEquals(10, steps.run("all", () -> spark.read().parquet(path).count()), "a step run twice adds up");
      return steps.rowsIn();
    });

    assertEquals(List.of("all", "one month", "no job"), List.copyOf(rows.keySet()));
    assertEquals(20L, rows.get("all"));
    assertEquals(4L, rows.get("one month"));
    assertEquals(0L, rows.get("no job"));
  }

  @Test
  void aStageThatThrowsIsRecordedAsFailedAndTheErrorGoesOn() {
    StageMetrics metrics = StageMetrics.of(TestSpark.get());
    int before = metrics.finished().size();
    assertThrows(IllegalStateException.class, () -> metrics.stage("broken", () -> {
      throw new IllegalStateException("bad input");
    }));
    StageMetrics.Stage last = metrics.finished().get(metrics.finished().size() - 1);
    assertEquals(before + 1, metrics.finished().size());
    assertEquals("broken", last.name());
    assertTrue(last.failed());
  }
}
