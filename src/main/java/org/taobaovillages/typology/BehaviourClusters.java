package org.taobaovillages.typology;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.table.ClusterProfiles;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.CountyClusters;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.VillagePeriod;

/**
 * The data-driven typology: counties clustered on what their orders and accounts show (the behavioural features of
 * {@link CountyFeatures#BEHAVIOURAL}, never the county attributes that encode the factors) with an MLlib
 * {@link Pipeline}: VectorAssembler, StandardScaler (mean 0, sd 1), then KMeans for every k in k-min..k-max; the k
 * with the best silhouette (squared Euclidean, on the standardised features) is kept, and BisectingKMeans is fitted at
 * that k as a second model. (A GaussianMixture was the third until, on a 103,444-village world, one of its EM
 * iterations ran for over half an hour inside LAPACK's eigen-decomposition of a component's covariance: MLlib's
 * mixture has no guard against a degenerate component, so it is not run.) Heavy-tailed features (sales per capita,
 * order value) enter as logarithms; a feature
 * a county lacks (no seller of known origin, no previous year) enters as 0 after standardising (the mean).
 */
public final class BehaviourClusters {
  public static final String KMEANS = "kmeans";
  public static final String BISECTING = "bisecting_kmeans";
  static final String FEATURES = "_features";
  static final String SCALED = "_scaled";
  /** Divided by the standard deviations but not centred: what BisectingKMeans clusters (see {@link #fit}). */
  static final String UNCENTRED = "_scaled_uncentred";
  static final String CLUSTER = CountyClusters.CLUSTER;

  private BehaviourClusters() {}

  /** Silhouette of one k. */
  public record Silhouette(int k, double value) {}

  /** The chosen k, the silhouettes tried, the fitted models and their assignments (county_code, cluster). */
  public record Result(int k, List<Silhouette> silhouettes, Map<String, PipelineModel> models,
      Map<String, Dataset<Row>> clusters) {

    public PipelineModel kmeans() {
      return models.get(KMEANS);
    }

    public Dataset<Row> kmeansClusters() {
      return clusters.get(KMEANS);
    }
  }

  /** The clustering input: one row per county with the behavioural features, transformed, nulls as the mean. */
  public static Dataset<Row> input(Dataset<Row> countyFeatures, int year, TypologyConfig cfg) {
    Dataset<Row> rows = countyFeatures.where(col(CountyFeatures.LEVEL).equalTo(CountyFeatures.COUNTY)
        .and(col(VillagePeriod.YEAR).equalTo(year))
        .and(col(VillagePeriod.ACTIVE_SELLERS).geq(cfg.minCountySellers())));
    List<Column> columns = new ArrayList<>();
    columns.add(col(CountyFeatures.UNIT_CODE).as(CountyAttributes.COUNTY_CODE));
    for (String f : CountyFeatures.BEHAVIOURAL) {
      Column c = col(f);
      if (f.equals(CountyFeatures.SALES_PER_CAPITA) || f.equals(CountyFeatures.ORDER_VALUE)) {
        c = log1p(c);
      }
      columns.add(c.cast("double").as(f));
    }
    Dataset<Row> selected = rows.select(columns.toArray(Column[]::new));
    // A missing value becomes the mean of the clustered counties (0 after standardising).
    Row means = selected.agg(avg(col(CountyFeatures.BEHAVIOURAL.get(0))), CountyFeatures.BEHAVIOURAL.stream()
        .skip(1).map(f -> avg(col(f))).toArray(Column[]::new)).first();
    Map<String, Object> fill = new HashMap<>();
    for (int i = 0; i < CountyFeatures.BEHAVIOURAL.size(); i++) {
      fill.put(CountyFeatures.BEHAVIOURAL.get(i), means.isNullAt(i) ? 0.0 : means.getDouble(i));
    }
    return selected.na().fill(fill);
  }

  /**
   * Fits the models on {@code input} (from {@link #input}, cached by the caller: every k reads it); null when there
   * are fewer than k-min + 1 counties.
   */
  public static Result fit(Dataset<Row> input, TypologyConfig cfg) {
    long n = input.count();
    if (n < cfg.kMin() + 1) {
      return null;
    }
    ClusteringEvaluator silhouette = new ClusteringEvaluator().setFeaturesCol(SCALED).setPredictionCol(CLUSTER);
    List<Silhouette> tried = new ArrayList<>();
    PipelineModel best = null;
    int bestK = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int k = cfg.kMin(); k <= Math.min(cfg.kMax(), n - 1); k++) {
      PipelineModel model = pipeline(new KMeans().setK(k).setSeed(cfg.seed()).setFeaturesCol(SCALED)
          .setPredictionCol(CLUSTER)).fit(input);
      double value = silhouette.evaluate(model.transform(input));
      tried.add(new Silhouette(k, value));
      if (value > bestValue) {
        bestValue = value;
        bestK = k;
        best = model;
      }
    }
    // At the chosen k: BisectingKMeans (divisive; it may find fewer clusters when a split leaves one side empty, as
    // MLlib documents).
    Map<String, PipelineModel> models = new LinkedHashMap<>();
    models.put(KMEANS, best);
    // MLlib's BisectingKMeans splits a cluster by moving its centre by a small multiple of the centre's own norm; on
    // centred features the root centre is the origin, both children start there and no split happens (found on
    // this data: one cluster at every k). So it clusters the same features scaled but not centred: a translation,
    // with the same distances between counties.
    models.put(BISECTING, pipeline(new StandardScaler().setWithMean(false).setWithStd(true).setInputCol(FEATURES)
        .setOutputCol(UNCENTRED), new BisectingKMeans().setK(bestK).setSeed(cfg.seed()).setFeaturesCol(UNCENTRED)
        .setPredictionCol(CLUSTER)).fit(input));
    Map<String, Dataset<Row>> clusters = new LinkedHashMap<>();
    for (var e : models.entrySet()) {
      clusters.put(e.getKey(), assignments(e.getValue(), input));
    }
    return new Result(bestK, tried, models, clusters);
  }

  /** Assembler, standardiser (SCALED, which the profiles read) and the given stages. */
  static Pipeline pipeline(PipelineStage... clustering) {
    List<PipelineStage> stages = new ArrayList<>(List.of(
        new VectorAssembler().setInputCols(CountyFeatures.BEHAVIOURAL.toArray(String[]::new)).setOutputCol(FEATURES),
        new StandardScaler().setWithMean(true).setWithStd(true).setInputCol(FEATURES).setOutputCol(SCALED)));
    stages.addAll(List.of(clustering));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /** county_code and cluster of every input row. */
  public static Dataset<Row> assignments(PipelineModel model, Dataset<Row> input) {
    return model.transform(input).select(col(CountyAttributes.COUNTY_CODE),
        col(CLUSTER).cast("int").as(CLUSTER));
  }

  /**
   * Cluster profiles: per cluster, each feature's mean in standard deviations of the clustered counties (the
   * scaler's statistics), ranked by absolute size. Small: clusters x features rows.
   */
  public static Dataset<Row> profiles(SparkSession spark, PipelineModel model, Dataset<Row> input, String name,
      int k, int year, String version) {
    List<String> features = CountyFeatures.BEHAVIOURAL;
    Dataset<Row> scaled = model.transform(input)
        .withColumn("_z", vector_to_array(col(SCALED), "float64"));
    List<Column> aggregates = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      aggregates.add(avg(element_at(col("_z"), i + 1)));
    }
    List<Row> means = scaled.groupBy(col(CLUSTER)).agg(count(lit(1)), aggregates.toArray(Column[]::new))
        .collectAsList();
    List<Row> out = new ArrayList<>();
    for (Row r : means) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < features.size(); i++) {
        order.add(i);
      }
      order.sort((a, b) -> Double.compare(Math.abs(r.getDouble(b + 2)), Math.abs(r.getDouble(a + 2))));
      for (int rank = 0; rank < order.size(); rank++) {
        int i = order.get(rank);
        out.add(RowFactory.create(version, name, k, year, r.getInt(0), r.getLong(1), features.get(i),
            r.getDouble(i + 2), rank + 1));
      }
    }
    return spark.createDataFrame(out, RunColumns.without(ClusterProfiles.SCHEMA));
  }
}
