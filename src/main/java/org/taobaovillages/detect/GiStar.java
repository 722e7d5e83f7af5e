package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.taobaovillages.table.HotSpots;
import org.taobaovillages.table.VillagePeriod;

/**
 * The Getis-Ord Gi* statistic (Getis and Ord 1992; Ord and Getis 1995, eq. 14), with binary weights that include
 * the location itself, per year over all n locations:
 *
 * <pre>
 *   Gi* = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n sum_j w_ij^2 - W_i^2) / (n - 1)))
 *   xbar = sum_j x_j / n,  S = sqrt(sum_j x_j^2 / n - xbar^2),  W_i = sum_j w_ij
 * </pre>
 *
 * With binary weights sum_j w_ij^2 = W_i. Gi* is a z-score; its two-sided p-value comes from the standard normal.
 * Locations without a value count as 0, so only the neighbours with a value need to be joined: the sum over a
 * location's neighbours is a join of the (sparse) valued locations with the neighbour pairs.
 */
public final class GiStar {
  private static final UserDefinedFunction P_VALUE = udf(
      (Double z) -> z == null ? null : MannKendall.twoSidedP(z), DataTypes.DoubleType);
  private static final String LAG = "_lag";
  private static final String N = "_n";
  private static final String MEAN = "_mean";
  private static final String SD = "_sd";
  private static final String SUM = "_sum";
  private static final String SQUARES = "_squares";

  private GiStar() {}

  /**
   * @param locations every location: {@link VillagePeriod#VILLAGE_CODE} and {@link HotSpots#NEIGHBOURS} (k_i)
   * @param values {@link VillagePeriod#VILLAGE_CODE}, {@link VillagePeriod#YEAR}, {@link HotSpots#VALUE}: the
   *     non-zero values only, DECIMAL (summed exactly) or double
   * @param pairs directed neighbour pairs ({@code from_id}, {@code to_id}): to_id is a neighbour of from_id
   * @param years the years to compute
   */
  public static Dataset<Row> compute(Dataset<Row> locations, Dataset<Row> values, Dataset<Row> pairs,
      List<Integer> years) {
    Column yearList = array(years.stream().map(y -> lit(y)).toArray(Column[]::new));
    DataType type = values.schema().apply(HotSpots.VALUE).dataType();
    Column zero = lit(0).cast(type);
    Dataset<Row> grid = locations.withColumn(VillagePeriod.YEAR, explode(yearList))
        .join(values, new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR}, "left")
        .withColumn(HotSpots.VALUE, coalesce(col(HotSpots.VALUE), zero));
    // The sums are taken in the values' own type: for DECIMAL values (money, counts) they are exact whatever the
    // order the rows meet in, so Gi*, and the significance and categories that follow from it, do not depend on
    // the partitioning. The statistics are computed in double from them.
    Column x = col(HotSpots.VALUE);
    Dataset<Row> lag = pairs.join(values.withColumnRenamed(VillagePeriod.VILLAGE_CODE, "to_id"), "to_id")
        .groupBy(col("from_id").as(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.YEAR))
        .agg(sum(x).as(LAG));
    Column mean = col(SUM).divide(col(N));
    Dataset<Row> stats = grid.groupBy(VillagePeriod.YEAR).agg(count(lit(1)).cast("double").as(N),
            sum(x).cast("double").as(SUM), sum(x.multiply(x)).cast("double").as(SQUARES))
        .select(col(VillagePeriod.YEAR), col(N), mean.as(MEAN),
            sqrt(greatest(lit(0.0), col(SQUARES).divide(col(N)).minus(pow(mean, 2)))).as(SD));
    Column w = col(HotSpots.NEIGHBOURS).plus(1).cast("double");
    Column n = col(N);
    Column local = x.plus(coalesce(col(LAG), zero)).cast("double");
    Column denominator = col(SD).multiply(sqrt(n.multiply(w).minus(pow(w, 2)).divide(n.minus(1))));
    Column gi = when(col(SD).gt(0).and(n.gt(1)).and(denominator.gt(0)),
        local.minus(col(MEAN).multiply(w)).divide(denominator));
    return grid.join(lag, new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR}, "left")
        .join(broadcast(stats), VillagePeriod.YEAR)
        .withColumn(HotSpots.GI_STAR, gi)
        .withColumn(HotSpots.P_VALUE, P_VALUE.apply(col(HotSpots.GI_STAR)))
        .drop(LAG, N, MEAN, SD);
  }

  /**
   * Significance at {@code alpha}, per year, after the Benjamini-Hochberg (1995) correction when {@code fdr}: with
   * the m p-values of a year ranked p(1) &lt;= ... &lt;= p(m), those ranked up to the largest k with
   * p(k) &lt;= k alpha / m are significant.
   */
  public static Dataset<Row> significance(Dataset<Row> gi, double alpha, boolean fdr) {
    Column p = col(HotSpots.P_VALUE);
    Column bin = when(p.isNull(), lit(0))
        .otherwise(signum(col(HotSpots.GI_STAR)).cast("int").multiply(
            when(p.lt(0.01), lit(3)).when(p.lt(0.05), lit(2)).when(p.lt(0.10), lit(1)).otherwise(lit(0))));
    Dataset<Row> binned = gi.withColumn(HotSpots.GI_BIN, bin);
    if (!fdr) {
      return binned.withColumn(HotSpots.SIGNIFICANT, coalesce(p.leq(alpha), lit(false)));
    }
    var byYear = Window.partitionBy(VillagePeriod.YEAR);
    Dataset<Row> ranked = binned
        .withColumn("_m", count(p).over(byYear))
        .withColumn("_k", when(p.isNotNull(), row_number().over(byYear.orderBy(p.asc_nulls_last(),
            col(VillagePeriod.VILLAGE_CODE)))))
        .withColumn("_pass", when(p.leq(col("_k").multiply(alpha).divide(col("_m"))), col("_k")));
    return ranked.withColumn("_cut", max(col("_pass")).over(byYear))
        .withColumn(HotSpots.SIGNIFICANT, coalesce(col("_k").leq(col("_cut")), lit(false)))
        .drop("_m", "_k", "_pass", "_cut");
  }
}
