package org.taobaovillages.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.RunColumns;

/**
 * The comparer of tables: doubles equal within 1e-9 relative (1e-12 absolute near 0), everything else exactly,
 * rows as multisets. Each case is a handful of rows made here, its outcome worked out by hand.
 */
class SameTablesTest {
  final SparkSession spark = TestSpark.get();

  static final StructType KV = new StructType().add("k", DataTypes.StringType).add("v", DataTypes.DoubleType);

  Dataset<Row> kv(Object... pairs) {
    Row[] rows = new Row[pairs.length / 2];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = RowFactory.create(pairs[2 * i], pairs[2 * i + 1]);
    }
    return spark.createDataFrame(Arrays.asList(rows), KV);
  }

  SameTables.Difference compare(Dataset<Row> a, Dataset<Row> b) {
    return SameTables.compare("t", a, b, Set.of());
  }

  @Test
  void theToleranceIsRelativeWithAnAbsoluteFloor() {
    // 1e6 against 1e6 + 9e-4: 9e-4 <= 1e-9 x 1e6 = 1e-3; + 2e-3 is beyond it.
    assertTrue(SameTables.close(1e6, 1e6 + 9e-4));
    assertFalse(SameTables.close(1e6, 1e6 + 2e-3));
    // Near 0 the floor 1e-12 decides: 0 and 9e-13 are equal, 0 and 2e-12 are not; so are -5e-13 and 4e-13.
    assertTrue(SameTables.close(0.0, 9e-13));
    assertFalse(SameTables.close(0.0, 2e-12));
    assertTrue(SameTables.close(-5e-13, 4e-13));
    assertTrue(SameTables.close(0.0, -0.0));
    assertTrue(SameTables.close(null, null));
    assertFalse(SameTables.close(null, 0.0));
    assertTrue(SameTables.close(Double.NaN, Double.NaN));
    assertTrue(SameTables.close(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
    assertFalse(SameTables.close(Double.POSITIVE_INFINITY, Double.MAX_VALUE));
    assertFalse(SameTables.close(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
  }

  @Test
  void doublesWithinTheToleranceAreTheSame() {
    // 0.1 + 0.2 is 0.30000000000000004, a sum in another order 0.3; 1 + 5e-10 is 5e-10 relative off 1.
    var d = compare(kv("a", 0.1 + 0.2, "b", 1.0, "c", 0.0), kv("c", 1e-13, "b", 1.0 + 5e-10, "a", 0.3));
    assertEquals(new SameTables.Difference("t", 3, 0, 0), d);
    assertTrue(d.same());
  }

  @Test
  void doublesBeyondTheToleranceDiffer() {
    // 2e-9 relative off: the row is in neither; b's 1e-11 near 0 is above the floor.
    assertEquals(new SameTables.Difference("t", 2, 1, 1),
        compare(kv("a", 1.0, "b", 0.0), kv("a", 1.0 + 2e-9, "b", 0.0)));
    assertEquals(new SameTables.Difference("t", 1, 1, 1), compare(kv("b", 0.0), kv("b", 1e-11)));
  }

  @Test
  void aMissingOrAnExtraRowDiffers() {
    assertEquals(new SameTables.Difference("t", 3, 1, 0), compare(kv("a", 1.0, "b", 2.0, "c", 3.0),
        kv("a", 1.0, "c", 3.0)));
    assertEquals(new SameTables.Difference("t", 1, 0, 1), compare(kv("a", 1.0), kv("a", 1.0, "z", 1.0)));
    // The same double under another key is another row.
    assertEquals(new SameTables.Difference("t", 1, 1, 1), compare(kv("a", 1.0), kv("b", 1.0)));
  }

  @Test
  void rowsAreMultisets() {
    // a twice against once: one of A's has no partner.
    assertEquals(new SameTables.Difference("t", 2, 1, 0), compare(kv("a", 1.0, "a", 1.0), kv("a", 1.0)));
    // Twice against twice, the second within the tolerance.
    assertEquals(new SameTables.Difference("t", 2, 0, 0), compare(kv("a", 1.0, "a", 1.0),
        kv("a", 1.0, "a", 1.0 + 1e-12)));
    // Three against three, one pair 1 apart: one only in A, one only in B.
    assertEquals(new SameTables.Difference("t", 3, 1, 1), compare(kv("a", 1.0, "a", 1.0, "a", 2.0),
        kv("a", 1.0, "a", 1.0, "a", 3.0)));
    // The same without doubles, by exceptAll.
    StructType k = new StructType().add("k", DataTypes.StringType);
    Dataset<Row> twice = spark.createDataFrame(List.of(RowFactory.create("a"), RowFactory.create("a")), k);
    Dataset<Row> once = spark.createDataFrame(List.of(RowFactory.create("a")), k);
    assertEquals(new SameTables.Difference("t", 2, 1, 0), compare(twice, once));
    assertEquals(new SameTables.Difference("t", 1, 0, 1), compare(once, twice));
  }

  /**
   * Closeness is not transitive: A = {1, 1 + 8e-10}, B = {1 + 8e-10, 1 + 1.6e-9}. Pairing the identical values
   * leaves 1 against 1 + 1.6e-9, too far apart; pairing 1 with 1 + 8e-10 and 1 + 8e-10 with 1 + 1.6e-9 pairs all.
   * The comparer finds the latter, as it finds the crossed pairing of rows with two doubles.
   */
  @Test
  void duplicateKeysArePairedAtBestNotInOrder() {
    assertEquals(new SameTables.Difference("t", 2, 0, 0), compare(kv("a", 1.0, "a", 1.0 + 8e-10),
        kv("a", 1.0 + 8e-10, "a", 1.0 + 1.6e-9)));
    StructType two = new StructType().add("k", DataTypes.StringType).add("x", DataTypes.DoubleType)
        .add("y", DataTypes.DoubleType);
    Dataset<Row> a = spark.createDataFrame(List.of(RowFactory.create("a", 1.0, 5.0),
        RowFactory.create("a", 1.0 + 5e-10, 3.0)), two);
    Dataset<Row> b = spark.createDataFrame(List.of(RowFactory.create("a", 1.0 + 5e-10, 5.0),
        RowFactory.create("a", 1.0, 3.0)), two);
    assertEquals(new SameTables.Difference("t", 2, 0, 0), compare(a, b));
  }

  @Test
  void theLargestPairingOfAGroup() {
    // A's 0 (3 rows) is close to B's 0 (1 row) and 1 (5 rows); A's 1 (2 rows) only to B's 0: 3 + 1 = 4 at best,
    // A's 0 taking B's 1 so that A's 1 can have B's 0.
    boolean[][] close = {{true, true}, {true, false}};
    assertEquals(4, SameTables.maximumPairing(close, new long[] {3, 2}, new long[] {1, 5}));
    // A chain where the first choice must be undone: A0-B0, A1-B0, A1-B1 with one row each: 2.
    assertEquals(2, SameTables.maximumPairing(new boolean[][] {{true, false}, {true, true}}, new long[] {1, 1},
        new long[] {1, 1}));
    assertEquals(0, SameTables.maximumPairing(new boolean[][] {{false}}, new long[] {4}, new long[] {4}));
  }

  @Test
  void nullsAndNotANumber() {
    assertEquals(new SameTables.Difference("t", 3, 0, 0), compare(kv("a", null, "b", Double.NaN,
        "c", Double.NEGATIVE_INFINITY), kv("a", null, "b", Double.NaN, "c", Double.NEGATIVE_INFINITY)));
    assertEquals(new SameTables.Difference("t", 1, 1, 1), compare(kv("a", null), kv("a", 0.0)));
    assertEquals(new SameTables.Difference("t", 1, 1, 1), compare(kv("a", Double.NaN), kv("a", 0.0)));
    assertEquals(new SameTables.Difference("t", 1, 1, 1), compare(kv("a", Double.POSITIVE_INFINITY),
        kv("a", Double.MAX_VALUE)));
  }

  @Test
  void everyOtherTypeIsComparedExactly() {
    StructType money = new StructType().add("k", DataTypes.StringType).add("v", DataTypes.DoubleType)
        .add("rmb", DataTypes.createDecimalType(28, 2));
    Dataset<Row> a = spark.createDataFrame(List.of(RowFactory.create("a", 1.0, new BigDecimal("100.00"))), money);
    Dataset<Row> b = spark.createDataFrame(List.of(RowFactory.create("a", 1.0, new BigDecimal("100.01"))), money);
    assertEquals(new SameTables.Difference("t", 1, 1, 1), compare(a, b));
    assertEquals(new SameTables.Difference("t", 1, 0, 0), SameTables.compare("t", a, b, Set.of("rmb")));
  }

  @Test
  void doublesInsideArraysStructsAndMaps() {
    StructType nested = new StructType().add("k", DataTypes.StringType)
        .add("xs", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("s", new StructType().add("name", DataTypes.StringType).add("x", DataTypes.DoubleType))
        .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));
    Dataset<Row> a = spark.createDataFrame(List.of(
        RowFactory.create("a", List.of(1.0, 2.0), RowFactory.create("n", 0.3), Map.of("p", 1.0, "q", 2.0)),
        RowFactory.create("b", null, null, null)), nested);
    Dataset<Row> within = spark.createDataFrame(List.of(
        RowFactory.create("a", List.of(1.0 + 1e-12, 2.0), RowFactory.create("n", 0.1 + 0.2),
            Map.of("q", 2.0 + 1e-12, "p", 1.0)),
        RowFactory.create("b", null, null, null)), nested);
    assertEquals(new SameTables.Difference("t", 2, 0, 0), compare(a, within));
    // 2e-9 off in the map's value, in the array, in the struct; an array one element longer; a struct of nulls
    // where A has a null struct: each makes its row differ.
    for (Row other : List.of(
        RowFactory.create("a", List.of(1.0, 2.0), RowFactory.create("n", 0.3), Map.of("p", 1.0, "q", 2.0 + 4e-9)),
        RowFactory.create("a", List.of(1.0, 2.0 + 4e-9), RowFactory.create("n", 0.3), Map.of("p", 1.0, "q", 2.0)),
        RowFactory.create("a", List.of(1.0, 2.0), RowFactory.create("n", 0.3 + 6e-10), Map.of("p", 1.0, "q", 2.0)),
        RowFactory.create("a", List.of(1.0, 2.0, 3.0), RowFactory.create("n", 0.3), Map.of("p", 1.0, "q", 2.0)))) {
      Dataset<Row> b = spark.createDataFrame(List.of(other, RowFactory.create("b", null, null, null)), nested);
      assertEquals(new SameTables.Difference("t", 2, 1, 1), compare(a, b), other.toString());
    }
    Dataset<Row> nullFields = spark.createDataFrame(List.of(
        RowFactory.create("a", List.of(1.0, 2.0), RowFactory.create("n", 0.3), Map.of("p", 1.0, "q", 2.0)),
        RowFactory.create("b", null, RowFactory.create(null, null), null)), nested);
    assertEquals(new SameTables.Difference("t", 2, 1, 1), compare(a, nullFields));
  }

  @Test
  void lineageAndIgnoredColumnsAreLeftOutAndOtherColumnsMustAgree() {
    StructType withRun = KV.add(RunColumns.RUN_ID, DataTypes.StringType).add("note", DataTypes.StringType);
    Dataset<Row> a = spark.createDataFrame(List.of(RowFactory.create("a", 1.0, "run-1", "x")), withRun);
    Dataset<Row> b = spark.createDataFrame(List.of(RowFactory.create("a", 1.0, "run-2", "y")), withRun);
    assertEquals(new SameTables.Difference("t", 1, 0, 0), SameTables.compare("t", a, b, Set.of("note")));
    assertEquals(new SameTables.Difference("t", 1, 1, 1), SameTables.compare("t", a, b, Set.of()));
    assertThrows(IllegalArgumentException.class, () -> compare(kv("a", 1.0), kv("a", 1.0).drop("v")));
    assertThrows(IllegalArgumentException.class, () -> compare(kv("a", 1.0),
        kv("a", 1.0).selectExpr("k", "cast(v as decimal(10, 2)) as v")));
  }

  @Test
  void emptyTablesAreTheSame() {
    assertEquals(new SameTables.Difference("t", 0, 0, 0), compare(kv(), kv()));
    assertEquals(new SameTables.Difference("t", 0, 0, 1), compare(kv(), kv("a", 1.0)));
  }
}
