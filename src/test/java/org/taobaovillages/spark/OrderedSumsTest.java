package org.taobaovillages.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;

/**
 * 0.1 + 0.2 + 0.3 in doubles is 0.6000000000000001 added in ascending order and 0.6 added from the largest: a
 * plain sum gives either, depending on the order the rows arrive in. The ordered sum gives the ascending one,
 * worked out here in plain Java, whatever the rows' order and partitioning.
 */
class OrderedSumsTest {
  static final StructType SCHEMA = new StructType().add("g", DataTypes.StringType).add("v", DataTypes.DoubleType);

  @Test
  void theSumIsTheSameWhateverTheOrderAndPartitioningOfTheRows() {
    SparkSession spark = TestSpark.get();
    double ascending = 0.1 + 0.2;
    ascending += 0.3;
    assertNotEquals(0.6, ascending, 0.0);
    List<List<Double>> orders = List.of(List.of(0.1, 0.2, 0.3), List.of(0.3, 0.2, 0.1), List.of(0.2, 0.3, 0.1));
    for (List<Double> order : orders) {
      for (int partitions = 1; partitions <= 3; partitions++) {
        List<Row> rows = new ArrayList<>();
        order.forEach(v -> rows.add(RowFactory.create("a", v)));
        rows.add(RowFactory.create("b", 2.5));
        rows.add(RowFactory.create("c", null));
        Dataset<Row> data = spark.createDataFrame(rows, SCHEMA).repartition(partitions);
        List<Row> sums = data.groupBy("g").agg(OrderedSums.sum(col("v")).as("s")).orderBy("g").collectAsList();
        String where = order + " in " + partitions + " partitions";
        assertEquals(ascending, sums.get(0).getDouble(1), 0.0, where);
        assertEquals(2.5, sums.get(1).getDouble(1), 0.0, where);
        assertTrue(sums.get(2).isNullAt(1), "a group of nulls sums to null: " + where);
      }
    }
  }
}
