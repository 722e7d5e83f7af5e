package org.taobaovillages.typology;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;

/** The scores on small cases worked out by hand. */
class ScoresTest {
  @Test
  void adjustedRandIndexByHand() {
    // a = 0 0 0 1 1 1, b = 0 0 1 1 2 2. Contingency {{2,1,0},{0,1,2}}: sum C(n_ij,2) = 1 + 1 = 2; rows 3,3 give
    // C(3,2) + C(3,2) = 6; columns 2,2,2 give 3; C(6,2) = 15; E = 6 * 3 / 15 = 1.2; max = (6 + 3) / 2 = 4.5;
    // ARI = (2 - 1.2) / (4.5 - 1.2) = 0.8 / 3.3.
    assertEquals(0.8 / 3.3, Scores.adjustedRand(new long[][] {{2, 1, 0}, {0, 1, 2}}), 1e-12);
    // The same partition under other names: 1.
    assertEquals(1.0, Scores.adjustedRand(new long[][] {{0, 3}, {2, 0}}), 1e-12);
    // Independent: rows {2,2} x columns {2,2} spread evenly: sum C(1,2) = 0, E = 2 * 2 / 6, max = 2: ARI = -0.5.
    assertEquals((0 - 4.0 / 6) / (2 - 4.0 / 6), Scores.adjustedRand(new long[][] {{1, 1}, {1, 1}}), 1e-12);
  }

  @Test
  void adjustedRandIndexOfDatasetColumns() {
    SparkSession spark = TestSpark.get();
    StructType schema = new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.StringType);
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(0, "x"), RowFactory.create(0, "x"),
        RowFactory.create(0, "y"), RowFactory.create(1, "y"), RowFactory.create(1, "z"), RowFactory.create(1, "z"),
        RowFactory.create(null, "z")), schema);
    assertEquals(0.8 / 3.3, Scores.adjustedRand(rows, "a", "b"), 1e-12);
  }

  /** The 95 % Wilson score interval written out in plain Java: the oracle for the Spark columns. */
  static double[] wilson(long k, long n) {
    double z = 1.959963984540054;
    double p = (double) k / n;
    double denominator = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /** Scores.wilson's columns for k of n, on a one-row dataset. */
  static double[] wilsonColumns(long k, long n) {
    Dataset<Row> one = TestSpark.get().createDataFrame(List.of(RowFactory.create(k, n)),
        new StructType().add("k", DataTypes.LongType).add("n", DataTypes.LongType));
    Row r = one.select(Scores.wilson(org.apache.spark.sql.functions.col("k"),
        org.apache.spark.sql.functions.col("n"))).first();
    return new double[] {r.getDouble(0), r.getDouble(1)};
  }

  @Test
  void wilsonIntervalByFormula() {
    // 8 of 10, z = 1.96: centre (0.8 + z^2/20) / (1 + z^2/10) = 0.71674, half-width 0.22658.
    for (double[] ci : List.of(wilson(8, 10), wilsonColumns(8, 10))) {
      assertEquals(0.49016, ci[0], 1e-4);
      assertEquals(0.94332, ci[1], 1e-4);
    }
    // 0 of 20: from 0 to z^2 / (n + z^2) = 3.8415 / 23.8415.
    for (double[] none : List.of(wilson(0, 20), wilsonColumns(0, 20))) {
      assertEquals(0.0, none[0], 1e-12);
      assertEquals(3.8414588 / 23.8414588, none[1], 1e-6);
    }
    // The columns agree with the plain-Java formula elsewhere too.
    for (long[] kn : new long[][] {{1, 2}, {3, 37}, {107, 179}}) {
      double[] expected = wilson(kn[0], kn[1]);
      double[] actual = wilsonColumns(kn[0], kn[1]);
      assertEquals(expected[0], actual[0], 1e-12);
      assertEquals(expected[1], actual[1], 1e-12);
    }
  }

  @Test
  void prAucAndPrecisionAtKByHand() {
    SparkSession spark = TestSpark.get();
    StructType schema = new StructType().add("id", DataTypes.StringType).add("score", DataTypes.DoubleType)
        .add("label", DataTypes.BooleanType);
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("a", 0.9, true),
        RowFactory.create("b", 0.8, false), RowFactory.create("c", 0.7, true), RowFactory.create("d", 0.6, false)),
        schema);
    // Points (recall, precision): start (0, 1), then (0.5, 1), (0.5, 0.5), (1, 2/3), (1, 0.5). Trapezoids:
    // 0.5 * (1 + 1) / 2 + 0 + 0.5 * (0.5 + 2/3) / 2 + 0 = 0.5 + 0.291667.
    assertEquals(0.5 + 0.5 * (0.5 + 2.0 / 3) / 2, Scores.prAuc(rows, "score", "label"), 1e-9);
    assertEquals(0.5, Scores.precisionAtK(rows, "score", "label", "id", 2), 1e-12);
    assertEquals(1.0, Scores.precisionAtK(rows, "score", "label", "id", 1), 1e-12);
  }
}
