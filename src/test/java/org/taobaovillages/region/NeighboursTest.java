package org.taobaovillages.region;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;

/** Grid-blocked neighbour search against a brute-force comparison of all pairs, and its plan. */
class NeighboursTest {
  static final StructType POINTS = new StructType().add(Neighbours.ID, DataTypes.StringType)
      .add(Neighbours.LONGITUDE, DataTypes.DoubleType).add(Neighbours.LATITUDE, DataTypes.DoubleType)
      .add(Neighbours.GROUP, DataTypes.IntegerType);

  @Test
  void findsExactlyThePairsThatAllPairsWouldWithinTheDistance() {
    Random rnd = new Random(42);
    List<double[]> p = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    // 400 points in a 0.5 x 0.5 degree box around 45 N (where a degree of longitude is short), two groups.
    for (int i = 0; i < 400; i++) {
      double lon = 120 + rnd.nextDouble() * 0.5;
      double lat = 45 + rnd.nextDouble() * 0.5;
      p.add(new double[] {lon, lat, i % 2});
      rows.add(RowFactory.create("p" + i, lon, lat, i % 2));
    }
    double km = 2.5;
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < p.size(); i++) {
      for (int j = 0; j < p.size(); j++) {
        if (i != j && p.get(i)[2] == p.get(j)[2]
            && Neighbours.haversineKm(p.get(i)[1], p.get(i)[0], p.get(j)[1], p.get(j)[0]) <= km) {
          expected.add("p" + i + ">p" + j);
        }
      }
    }
    Dataset<Row> pairs = Neighbours.within(TestSpark.get().createDataFrame(rows, POINTS), km, 45.5);
    Set<String> found = new TreeSet<>();
    pairs.collectAsList().forEach(r -> found.add(r.getAs(Neighbours.FROM) + ">" + r.getAs(Neighbours.TO)));
    assertTrue(expected.size() > 100, "enough pairs to mean something: " + expected.size());
    assertEquals(expected, found);
    String plan = pairs.queryExecution().executedPlan().toString();
    assertFalse(plan.contains("CartesianProduct") || plan.contains("BroadcastNestedLoopJoin"), plan);
  }

  @Test
  void haversineMatchesKnownDistances() {
    // One degree of latitude on the mean sphere: 2 pi 6371.0088 / 360 = 111.195 km.
    assertEquals(111.195, Neighbours.haversineKm(30, 120, 31, 120), 1e-3);
    // Beijing (39.9042 N, 116.4074 E) to Shanghai (31.2304 N, 121.4737 E): about 1,067 km.
    assertEquals(1067, Neighbours.haversineKm(39.9042, 116.4074, 31.2304, 121.4737), 3);
  }
}
