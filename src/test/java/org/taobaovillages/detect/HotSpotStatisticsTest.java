package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.region.Neighbours;
import org.taobaovillages.table.HotSpots;
import org.taobaovillages.table.VillagePeriod;

/**
 * Gi*, Mann-Kendall, the Benjamini-Hochberg correction and the emerging hot spot categories on small cases whose
 * expected values are computed here from the published formulas (or by hand), not by the code under test.
 */
class HotSpotStatisticsTest {
  final SparkSession spark = TestSpark.get();

  @Test
  void mannKendallOnAnIncreasingSeriesAndOnTies() {
    // 1..5: every pair increases, S = 10; Var(S) = 5*4*15/18; Z = (S - 1)/sqrt(Var); p = 2(1 - Phi(Z)).
    MannKendall.Result r = MannKendall.test(new double[] {1, 2, 3, 4, 5});
    assertEquals(10, r.s());
    assertEquals(5 * 4 * 15 / 18.0, r.variance(), 1e-12);
    assertEquals(9 / Math.sqrt(5 * 4 * 15 / 18.0), r.z(), 1e-12);
    assertEquals(0.027486, r.p(), 1e-5, "2(1 - Phi(2.2045)) from a normal table");
    assertEquals(1.0, r.tau(), 1e-12);
    // 1, 1, 2, 3: S = 0 + 1 + 1 + 1 + 1 + 1 = 5; one tie group of 2: Var = (4*3*13 - 2*1*9) / 18.
    MannKendall.Result t = MannKendall.test(new double[] {1, 1, 2, 3});
    assertEquals(5, t.s());
    assertEquals((156 - 18) / 18.0, t.variance(), 1e-12);
    assertEquals(4 / Math.sqrt((156 - 18) / 18.0), t.z(), 1e-12);
    MannKendall.Result down = MannKendall.test(new double[] {3, 2, 1});
    assertEquals(-3, down.s());
    assertEquals(-2 / Math.sqrt(3 * 2 * 11 / 18.0), down.z(), 1e-12);
  }

  /** Six places on one meridian, at these distances (km) north of 30°N: on a meridian, km = 111.195 x degrees. */
  static final double[] KM = {0, 3, 6, 20, 23, 40};
  static final double[] VALUE = {10, 8, 6, 1, 0, 2};

  /** Gi* of the six places in 2020, their values given as {@code valueType}, in {@code partitions} partitions. */
  private Map<String, Double> giStar(org.apache.spark.sql.types.DataType valueType, int partitions) {
    List<Row> points = new ArrayList<>();
    List<Row> values = new ArrayList<>();
    for (int i = 0; i < KM.length; i++) {
      points.add(RowFactory.create("v" + i, 115.0, 30 + KM[i] / 111.195, 0));
      if (VALUE[i] != 0) {
        values.add(RowFactory.create("v" + i, 2020, VALUE[i]));
      }
    }
    Dataset<Row> pts = spark.createDataFrame(points, new StructType().add(Neighbours.ID, DataTypes.StringType)
        .add(Neighbours.LONGITUDE, DataTypes.DoubleType).add(Neighbours.LATITUDE, DataTypes.DoubleType)
        .add(Neighbours.GROUP, DataTypes.IntegerType));
    Dataset<Row> pairs = Neighbours.within(pts, 5.0, 31).select(Neighbours.FROM, Neighbours.TO);
    Dataset<Row> counts = pairs.groupBy(col(Neighbours.FROM).as(VillagePeriod.VILLAGE_CODE))
        .agg(count(lit(1)).as(HotSpots.NEIGHBOURS));
    Dataset<Row> locations = pts.select(col(Neighbours.ID).as(VillagePeriod.VILLAGE_CODE))
        .join(counts, VillagePeriod.VILLAGE_CODE, "left")
        .withColumn(HotSpots.NEIGHBOURS, coalesce(col(HotSpots.NEIGHBOURS), lit(0L)));
    Dataset<Row> v = spark.createDataFrame(values, new StructType().add(VillagePeriod.VILLAGE_CODE, DataTypes.StringType)
        .add(VillagePeriod.YEAR, DataTypes.IntegerType).add(HotSpots.VALUE, DataTypes.DoubleType))
        .withColumn(HotSpots.VALUE, col(HotSpots.VALUE).cast(valueType))
        .repartition(partitions);
    Map<String, Double> gi = new HashMap<>();
    GiStar.compute(locations, v, pairs, List.of(2020)).collectAsList()
        .forEach(r -> gi.put(r.getAs(VillagePeriod.VILLAGE_CODE), r.getAs(HotSpots.GI_STAR)));
    return gi;
  }

  /**
   * DECIMAL values are summed exactly, so Gi* comes out the same, to the last bit, however the rows are split (the
   * significance and categories that follow from it cannot flip between a cluster run and local mode).
   */
  @Test
  void giStarOnDecimalValuesDoesNotDependOnThePartitioning() {
    var money = DataTypes.createDecimalType(28, 2);
    Map<String, Double> one = giStar(money, 1);
    assertEquals(6, one.size());
    for (int partitions = 2; partitions <= 4; partitions++) {
      assertEquals(one, giStar(money, partitions), partitions + " partitions");
    }
  }

  @Test
  void giStarEqualsTheFormulaComputedHere() {
    for (var type : List.of(DataTypes.DoubleType, DataTypes.createDecimalType(28, 2))) {
      giStarEqualsTheFormula(giStar(type, 2));
    }
  }

  private static void giStarEqualsTheFormula(Map<String, Double> gi) {
    // The formula (Ord and Getis 1995), with neighbours within 5 km and the place itself.
    int n = KM.length;
    double mean = 0;
    double squares = 0;
    for (double x : VALUE) {
      mean += x / n;
      squares += x * x / n;
    }
    double s = Math.sqrt(squares - mean * mean);
    for (int i = 0; i < n; i++) {
      double w = 0;
      double local = 0;
      for (int j = 0; j < n; j++) {
        if (Math.abs(KM[i] - KM[j]) <= 5) {
          w += 1;
          local += VALUE[j];
        }
      }
      double expected = (local - mean * w) / (s * Math.sqrt((n * w - w * w) / (n - 1)));
      assertEquals(expected, gi.get("v" + i), 1e-9, "v" + i);
    }
    // By hand for v0: neighbours v0, v1: (18 - 4.5 x 2) / (3.7305 x sqrt(8/5)) = 1.907.
    assertEquals(1.907, gi.get("v0"), 1e-3);
  }

  @Test
  void benjaminiHochbergKeepsTheRanksUpToTheLastPassingOne() {
    // m = 4, alpha = 0.05: thresholds 0.0125, 0.025, 0.0375, 0.05.
    Map<String, Boolean> a = significant(new double[] {0.001, 0.03, 0.04, 0.2}, true);
    // 0.03 > 0.025 and 0.04 > 0.0375: only the first, where uncorrected three pass.
    assertEquals(Map.of("p0", true, "p1", false, "p2", false, "p3", false), a);
    assertEquals(3, significant(new double[] {0.001, 0.03, 0.04, 0.2}, false).values().stream().filter(b -> b).count());
    // 0.035 <= 0.0375 at rank 3: ranks 1 to 3 pass, 0.03 although it exceeds its own threshold (step-up).
    Map<String, Boolean> b = significant(new double[] {0.001, 0.03, 0.035, 0.2}, true);
    assertEquals(Map.of("p0", true, "p1", true, "p2", true, "p3", false), b);
  }

  private Map<String, Boolean> significant(double[] p, boolean fdr) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      rows.add(RowFactory.create("p" + i, 2020, 3.0, p[i]));
    }
    Dataset<Row> gi = spark.createDataFrame(rows, new StructType().add(VillagePeriod.VILLAGE_CODE, DataTypes.StringType)
        .add(VillagePeriod.YEAR, DataTypes.IntegerType).add(HotSpots.GI_STAR, DataTypes.DoubleType)
        .add(HotSpots.P_VALUE, DataTypes.DoubleType));
    Map<String, Boolean> out = new HashMap<>();
    GiStar.significance(gi, 0.05, fdr).collectAsList()
        .forEach(r -> out.put(r.getAs(VillagePeriod.VILLAGE_CODE), r.getAs(HotSpots.SIGNIFICANT)));
    return out;
  }

  /** A series of 10 steps: 'H' hot, 'C' cold, '.' not significant; z from the given magnitudes. */
  private static String category(String pattern, double... magnitudes) {
    double[] z = new double[pattern.length()];
    boolean[] sig = new boolean[pattern.length()];
    for (int i = 0; i < z.length; i++) {
      char c = pattern.charAt(i);
      double m = magnitudes.length > 0 ? magnitudes[i] : 3;
      z[i] = c == 'C' ? -m : c == 'H' ? m : 0.5;
      sig[i] = c != '.';
    }
    return HotSpotCategories.classify(z, sig, MannKendall.test(z), 0.05);
  }

  @Test
  void eachCategoryOnASeriesBuiltToFallInIt() {
    assertEquals("new hot spot", category(".........H"));
    assertEquals("new cold spot", category(".........C"));
    assertEquals("consecutive hot spot", category(".......HHH"));
    assertEquals("consecutive cold spot", category("........CC"));
    assertEquals("intensifying hot spot", category("HHHHHHHHHH", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    assertEquals("diminishing hot spot", category("HHHHHHHHHH", 11, 10, 9, 8, 7, 6, 5, 4, 3, 2));
    assertEquals("persistent hot spot", category("HHHHHHHHHH", 3, 4, 3, 4, 3, 4, 3, 4, 3, 4));
    assertEquals("intensifying cold spot", category("CCCCCCCCCC", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    assertEquals("persistent cold spot", category("CCCCCCCCCC", 3, 4, 3, 4, 3, 4, 3, 4, 3, 4));
    assertEquals("diminishing cold spot", category("CCCCCCCCCC", 11, 10, 9, 8, 7, 6, 5, 4, 3, 2));
    assertEquals("sporadic cold spot", category("C..C.C...C"));
    assertEquals("sporadic hot spot", category(".H..H....H"));
    assertEquals("oscillating hot spot", category("..C..H...H"));
    assertEquals("oscillating cold spot", category(".H...C...C"));
    assertEquals("historical hot spot", category("HHHHHHHHH."));
    assertEquals("historical cold spot", category("CCCCCCCCC."));
    assertEquals(HotSpotCategories.NO_PATTERN, category(".........."));
    assertEquals(HotSpotCategories.NO_PATTERN, category("H..H....H."));
    // Nine of ten hot (90 %) with the last hot and no trend is persistent, not sporadic.
    assertEquals("persistent hot spot", category("H.HHHHHHHH", 3, 3, 4, 3, 4, 3, 4, 3, 4, 3));
  }
}
