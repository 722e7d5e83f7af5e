package org.taobaovillages.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.OptimizeConfig;

/** Compaction of the small files of daily runs, and the retention of unneeded files. */
class TableMaintenanceTest {
  static final OptimizeConfig WEEKLY = new OptimizeConfig(Duration.ofDays(7), Duration.ofDays(7));

  @TempDir Path dir;

  @Test
  void fiveDailyFilesOfAPartitionBecomeOneTheRowsStayAndRecentFilesAreKept() throws Exception {
    SparkSession spark = TestSpark.get();
    var warehouse = new Warehouse(spark, dir.toUri().toString());
    // Five daily runs, each adding one file to January's partition; February gets one file.
    String[] days = {"2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04", "2022-02-05"};
    for (int i = 0; i < days.length; i++) {
      append(WarehouseTest.rowsIn(spark, "2022-01", days[i], "a" + i), warehouse);
    }
    append(WarehouseTest.rowsIn(spark, "2022-02", "2022-02-06", "b"), warehouse);
    Files.createDirectories(dir.resolve("export/village_status"));
    assertEquals(List.of("t"), TableMaintenance.tables(warehouse), "only Delta tables");
    List<String> before = ids(spark, warehouse);
    assertEquals(6, spark.read().format("delta").load(warehouse.path("t")).inputFiles().length);

    Instant now = Instant.now();
    var done = TableMaintenance.optimizeAndVacuum(warehouse, "t", WEEKLY, now);
    // January's five files are bin-packed into one; February's single file is left as it is. The table was created
    // less than the vacuum interval ago: not vacuumed.
    assertEquals(new TableMaintenance.Maintained("t", 5, 1, null), done);
    assertEquals(2, spark.read().format("delta").load(warehouse.path("t")).inputFiles().length);
    assertEquals(before, ids(spark, warehouse));
    // Nothing left to compact: a second call rewrites nothing, and does not even plan a compaction.
    assertNull(TableMaintenance.touchedSince(warehouse, "t", now));
    assertEquals(new TableMaintenance.Maintained("t", 0, 0, null),
        TableMaintenance.optimizeAndVacuum(warehouse, "t", WEEKLY, now));

    // A day later one more file in February: only February's partition is compacted (its two files into one).
    append(WarehouseTest.rowsIn(spark, "2022-02", "2022-02-07", "c"), warehouse);
    assertEquals("(`month` = '2022-02')", TableMaintenance.touchedSince(warehouse, "t", now));
    assertEquals(new TableMaintenance.Maintained("t", 2, 1, null),
        TableMaintenance.optimizeAndVacuum(warehouse, "t", WEEKLY, now.plus(Duration.ofDays(1))));
    assertEquals(2, spark.read().format("delta").load(warehouse.path("t")).inputFiles().length);

    // Eight days on, the interval is over: VACUUM runs; the files it could delete are younger than the
    // retention, so none is. Right after it, a day on, the table is not vacuumed again.
    assertEquals(new TableMaintenance.Maintained("t", 0, 0, 0L),
        TableMaintenance.optimizeAndVacuum(warehouse, "t", WEEKLY, now.plus(Duration.ofDays(8))));
    assertEquals(new TableMaintenance.Maintained("t", 0, 0, null),
        TableMaintenance.optimizeAndVacuum(warehouse, "t", WEEKLY, now.plus(Duration.ofDays(1))));
    assertThrows(UserError.class, () -> TableMaintenance.optimizeAndVacuum(warehouse, "t",
        new OptimizeConfig(Duration.ofDays(1), Duration.ofDays(7)), now));
  }

  private static void append(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows, Warehouse warehouse) {
    rows.coalesce(1).write().format("delta").mode("append").partitionBy("month").save(warehouse.path("t"));
  }

  private static List<String> ids(SparkSession spark, Warehouse warehouse) {
    return spark.read().format("delta").load(warehouse.path("t")).orderBy("id").select("id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }
}
