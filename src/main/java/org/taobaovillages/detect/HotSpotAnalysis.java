package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.config.HotSpotConfig;
import org.taobaovillages.region.Neighbours;
import org.taobaovillages.table.HotSpots;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * Emerging hot spot analysis (ArcGIS Pro's Emerging Hot Spot Analysis; R's sfdep): Gi* per year on a village
 * metric ({@link GiStar}), significance after the false-discovery-rate correction, then per village the
 * Mann-Kendall trend of its Gi* series ({@link MannKendall}) and its category ({@link HotSpotCategories}).
 * Neighbours come from {@link Neighbours} (grid blocking), never from all pairs.
 */
public final class HotSpotAnalysis {
  private HotSpotAnalysis() {}

  /**
   * Neighbour pairs (from_id, to_id) of the registry's villages: every village within the band, or the k nearest
   * within it.
   */
  public static Dataset<Row> pairs(Dataset<Row> registry, HotSpotConfig cfg) {
    Dataset<Row> points = registry.select(col(VillageRegistry.VILLAGE_CODE).as(Neighbours.ID),
        col(VillageRegistry.LONGITUDE).as(Neighbours.LONGITUDE), col(VillageRegistry.LATITUDE).as(Neighbours.LATITUDE),
        lit(0).as(Neighbours.GROUP));
    Row bound = points.agg(max(abs(col(Neighbours.LATITUDE)))).first();
    double maxLat = bound.isNullAt(0) ? 0 : bound.getDouble(0);
    Dataset<Row> band = Neighbours.within(points, cfg.distanceKm(), maxLat);
    if (cfg.kNearest() > 0) {
      band = band.withColumn("_rank", row_number().over(Window.partitionBy(Neighbours.FROM)
              .orderBy(col(Neighbours.DISTANCE_KM), col(Neighbours.TO))))
          .where(col("_rank").leq(cfg.kNearest())).drop("_rank");
    }
    return band.select(Neighbours.FROM, Neighbours.TO);
  }

  /** Every registry village with coordinates and its number of neighbours. */
  public static Dataset<Row> locations(Dataset<Row> registry, Dataset<Row> pairs) {
    Dataset<Row> counts = pairs.groupBy(col(Neighbours.FROM).as(VillagePeriod.VILLAGE_CODE))
        .agg(count(lit(1)).as(HotSpots.NEIGHBOURS));
    return registry.where(col(VillageRegistry.LONGITUDE).isNotNull().and(col(VillageRegistry.LATITUDE).isNotNull()))
        .select(VillageRegistry.VILLAGE_CODE)
        .join(counts, VillagePeriod.VILLAGE_CODE, "left")
        .withColumn(HotSpots.NEIGHBOURS, coalesce(col(HotSpots.NEIGHBOURS), lit(0L)));
  }

  /**
   * Gi* per village and year with significance ({@link HotSpots#YEARS_SCHEMA} columns but lineage).
   *
   * @param values village, year and the metric's exact value (DECIMAL), the non-zero ones only; Gi* is computed in
   *     double from its exact sums, the exact value is kept (0 for a village without one)
   */
  public static Dataset<Row> years(Dataset<Row> locations, Dataset<Row> values, Dataset<Row> pairs, List<Integer> years,
      HotSpotConfig cfg) {
    return GiStar.significance(GiStar.compute(locations, values, pairs, years), cfg.alpha(), cfg.fdr())
        .drop(HotSpots.VALUE)
        .join(values, new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR}, "left")
        .withColumn(HotSpots.VALUE, coalesce(col(HotSpots.VALUE), lit(0).cast(SellerMonth.MONEY)))
        .withColumn(HotSpots.VERSION, lit(cfg.version()))
        .withColumn(org.taobaovillages.table.VillageStatus.RULE_ID, lit(cfg.rule()))
        .withColumn(HotSpots.METRIC, lit(cfg.metric()));
  }

  /** Per village: its Gi* series over the years, the Mann-Kendall trend and the category. */
  public static Dataset<Row> classify(Dataset<Row> years, HotSpotConfig cfg) {
    Dataset<Row> series = years.groupBy(VillagePeriod.VILLAGE_CODE)
        .agg(sort_array(collect_list(struct(col(VillagePeriod.YEAR), coalesce(col(HotSpots.GI_STAR), lit(0.0)),
            col(HotSpots.SIGNIFICANT)))).as("_series"));
    StructType out = new StructType()
        .add(VillagePeriod.VILLAGE_CODE, DataTypes.StringType, false)
        .add(HotSpots.FIRST_YEAR, DataTypes.IntegerType, false)
        .add(HotSpots.LAST_YEAR, DataTypes.IntegerType, false)
        .add(HotSpots.HOT_YEARS, DataTypes.IntegerType, false)
        .add(HotSpots.COLD_YEARS, DataTypes.IntegerType, false)
        .add(HotSpots.TREND_S, DataTypes.LongType, false)
        .add(HotSpots.TREND_Z, DataTypes.DoubleType, false)
        .add(HotSpots.TREND_P, DataTypes.DoubleType, false)
        .add(HotSpots.TREND_TAU, DataTypes.DoubleType, false)
        .add(HotSpots.CATEGORY, DataTypes.StringType, false);
    double alpha = cfg.alpha();
    MapFunction<Row, Row> one = r -> {
      List<Row> s = r.getList(1);
      double[] z = new double[s.size()];
      boolean[] sig = new boolean[s.size()];
      int hot = 0;
      int cold = 0;
      for (int i = 0; i < z.length; i++) {
        z[i] = s.get(i).getDouble(1);
        sig[i] = s.get(i).getBoolean(2);
        hot += sig[i] && z[i] > 0 ? 1 : 0;
        cold += sig[i] && z[i] < 0 ? 1 : 0;
      }
      MannKendall.Result mk = MannKendall.test(z);
      return RowFactory.create(r.getString(0), s.get(0).getInt(0), s.get(s.size() - 1).getInt(0), hot, cold, mk.s(),
          mk.z(), mk.p(), mk.tau(), HotSpotCategories.classify(z, sig, mk, alpha));
    };
    return series.map(one, Encoders.row(out))
        .withColumn(HotSpots.VERSION, lit(cfg.version()))
        .withColumn(org.taobaovillages.table.VillageStatus.RULE_ID, lit(cfg.rule()))
        .withColumn(HotSpots.METRIC, lit(cfg.metric()));
  }
}
