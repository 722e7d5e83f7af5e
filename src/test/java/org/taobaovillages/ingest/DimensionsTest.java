package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.RunColumns;

/** Dimension versions (type 2): a key's values by run date, each valid until the next. Tiny tables, by hand. */
class DimensionsTest {
  static final StructType INPUT = new StructType().add("k", DataTypes.StringType).add("v", DataTypes.StringType);
  static final StructType TABLE = new StructType(INPUT.fields())
      .add(DimensionColumns.VALID_FROM, DataTypes.DateType).add(DimensionColumns.VALID_TO, DataTypes.DateType)
      .add(RunColumns.RUN_ID, DataTypes.StringType);
  static final SparkSession spark = TestSpark.get();

  static Dataset<Row> delivered(String... kv) {
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      rows.add(RowFactory.create(kv[i], kv[i + 1]));
    }
    return spark.createDataFrame(rows, INPUT);
  }

  /** Stored versions as (key, value, valid_from, valid_to or null). */
  static Dataset<Row> stored(String... rows) {
    List<Row> out = new java.util.ArrayList<>();
    for (int i = 0; i < rows.length; i += 4) {
      out.add(RowFactory.create(rows[i], rows[i + 1], Date.valueOf(rows[i + 2]),
          rows[i + 3] == null ? null : Date.valueOf(rows[i + 3]), "earlier"));
    }
    return spark.createDataFrame(out, TABLE);
  }

  /** The versions as sorted "key value from..to" strings. */
  static List<String> versions(Dataset<Row> stored, Dataset<Row> delivered, String runDate) {
    return Dimensions.versions(stored, delivered, TABLE, "k", List.of("k", "v"), LocalDate.parse(runDate), "now")
        .orderBy("k", DimensionColumns.VALID_FROM).collectAsList().stream()
        .map(r -> r.getString(0) + " " + r.getString(1) + " " + r.get(2) + ".." + r.get(3)).toList();
  }

  static boolean changes(Dataset<Row> stored, Dataset<Row> delivered, String runDate) {
    return !Dimensions.differences(stored, delivered, "k", List.of("k", "v"), LocalDate.parse(runDate), "t").isEmpty();
  }

  @Test
  void aChangedRowIsANewVersionThatEndsThePreviousOneAndAnUnchangedRowIsNothing() {
    Dataset<Row> stored = stored("a", "1", "2022-01-31", null, "b", "1", "2022-01-31", null);
    assertEquals(List.of("a 1 2022-01-31..2022-02-28", "a 2 2022-02-28..null"),
        versions(stored, delivered("a", "2", "b", "1"), "2022-02-28"), "b is not touched");
    assertTrue(changes(stored, delivered("a", "2", "b", "1"), "2022-02-28"));
    assertFalse(changes(stored, delivered("a", "1", "b", "1"), "2022-02-28"), "a full snapshot again");
    assertEquals(List.of(), versions(stored, delivered("a", "1"), "2022-02-28"));
  }

  @Test
  void aBackfilledDateFitsBetweenTheVersionsAroundIt() {
    Dataset<Row> stored = stored("a", "1", "2022-01-31", "2022-03-31", "a", "3", "2022-03-31", null);
    assertEquals(List.of("a 1 2022-01-31..2022-02-28", "a 2 2022-02-28..2022-03-31", "a 3 2022-03-31..null"),
        versions(stored, delivered("a", "2"), "2022-02-28"));
  }

  @Test
  void aRunDateRunAgainReplacesItsOwnVersions() {
    // February had changed a to 2; its re-run delivers 1 again: February's version goes, January's is current.
    Dataset<Row> stored = stored("a", "1", "2022-01-31", "2022-02-28", "a", "2", "2022-02-28", null);
    assertEquals(List.of("a 1 2022-01-31..null"), versions(stored, delivered("a", "1"), "2022-02-28"));
    assertTrue(changes(stored, delivered("a", "1"), "2022-02-28"));
    // The same delivery again changes nothing.
    assertFalse(changes(stored, delivered("a", "2"), "2022-02-28"));
  }

  @Test
  void theFirstDeliveryIsTheFirstVersionOfEveryKey() {
    assertEquals(List.of("a 1 2022-01-31..null", "b 2 2022-01-31..null"),
        versions(null, delivered("a", "1", "b", "2"), "2022-01-31"));
    assertEquals(2, DimensionColumns.current(stored("a", "1", "2022-01-31", "2022-02-28", "a", "2", "2022-02-28",
        null, "b", "1", "2022-01-31", null)).where(col("k").isNotNull()).count());
  }
}
