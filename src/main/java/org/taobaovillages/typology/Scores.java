package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The scores the typology reports: adjusted Rand index, Wilson intervals, PR-AUC and precision at k. */
public final class Scores {
  private Scores() {}

  /**
   * Adjusted Rand index (Hubert and Arabie 1985) of two labelings of the same rows, from their contingency table:
   * (sum_ij C(n_ij,2) - E) / (max - E) with E = sum_i C(a_i,2) sum_j C(b_j,2) / C(n,2) and
   * max = (sum_i C(a_i,2) + sum_j C(b_j,2)) / 2. 1 for identical partitions (up to names), about 0 for random ones.
   * NaN when both labelings put every row in one group.
   */
  public static double adjustedRand(long[][] table) {
    double index = 0;
    double rows = 0;
    double columns = 0;
    long n = 0;
    long[] columnSums = new long[table.length == 0 ? 0 : table[0].length];
    for (long[] row : table) {
      long rowSum = 0;
      for (int j = 0; j < row.length; j++) {
        index += pairs(row[j]);
        rowSum += row[j];
        columnSums[j] += row[j];
      }
      rows += pairs(rowSum);
      n += rowSum;
    }
    for (long c : columnSums) {
      columns += pairs(c);
    }
    double expected = rows * columns / pairs(n);
    double max = (rows + columns) / 2;
    return max == expected ? Double.NaN : (index - expected) / (max - expected);
  }

  private static double pairs(long k) {
    return k * (k - 1) / 2.0;
  }

  /** The adjusted Rand index of two label columns of a dataset (rows with a null label left out). */
  public static double adjustedRand(Dataset<Row> rows, String a, String b) {
    List<Row> cells = rows.where(col(a).isNotNull().and(col(b).isNotNull()))
        .groupBy(col(a).cast("string"), col(b).cast("string")).count().collectAsList();
    Map<String, Integer> ai = new HashMap<>();
    Map<String, Integer> bi = new HashMap<>();
    for (Row r : cells) {
      ai.putIfAbsent(r.getString(0), ai.size());
      bi.putIfAbsent(r.getString(1), bi.size());
    }
    long[][] table = new long[ai.size()][bi.size()];
    for (Row r : cells) {
      table[ai.get(r.getString(0))][bi.get(r.getString(1))] = r.getLong(2);
    }
    return adjustedRand(table);
  }

  /** The 95 % Wilson score interval (Wilson 1927) of k successes in n trials (columns, n > 0): {low, high}. */
  static Column[] wilson(Column k, Column n) {
    double z = 1.959963984540054;
    Column p = k.cast("double").divide(n);
    Column denominator = lit(1).plus(lit(z * z).divide(n));
    Column centre = p.plus(lit(z * z).divide(n.multiply(2))).divide(denominator);
    Column half = lit(z).divide(denominator).multiply(sqrt(p.multiply(lit(1).minus(p)).divide(n)
        .plus(lit(z * z).divide(n.multiply(n).multiply(4)))));
    return new Column[] {greatest(lit(0.0), centre.minus(half)), least(lit(1.0), centre.plus(half))};
  }

  /**
   * Area under the precision-recall curve of a score for a boolean label, as MLlib's
   * {@link BinaryClassificationEvaluator} computes it (distributed): the curve's points at each distinct score,
   * joined by straight lines (trapezoids), starting at recall 0 with the precision of the first point.
   */
  public static double prAuc(Dataset<Row> rows, String score, String label) {
    return new BinaryClassificationEvaluator().setMetricName("areaUnderPR").setRawPredictionCol(score)
        .setLabelCol(label).evaluate(rows.select(col(score).cast("double").as(score),
            col(label).cast("double").as(label)));
  }

  /** Share of the k highest-scored rows (ties broken by {@code tieBreak}) whose label is true. */
  public static double precisionAtK(Dataset<Row> rows, String score, String label, String tieBreak, int k) {
    Row r = rows.orderBy(col(score).desc(), col(tieBreak)).limit(k)
        .agg(count(lit(1)), count(when(col(label), lit(1)))).first();
    return r.getLong(0) == 0 ? Double.NaN : (double) r.getLong(1) / r.getLong(0);
  }
}
