package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.EmergenceScores;

/** The MLlib models: clustering finds planted groups, the trees learn a planted rule, and both reload exactly. */
class ModelsTest {
  /** 4 groups of 40 counties around distinct centres in the behavioural feature space, small noise. */
  static Dataset<Row> groups() {
    Random random = new Random(7);
    int d = CountyFeatures.BEHAVIOURAL.size();
    StructType schema = new StructType().add("county_code", DataTypes.StringType).add("group", DataTypes.IntegerType);
    for (String f : CountyFeatures.BEHAVIOURAL) {
      schema = schema.add(f, DataTypes.DoubleType);
    }
    List<Row> rows = new ArrayList<>();
    for (int g = 0; g < 4; g++) {
      for (int i = 0; i < 40; i++) {
        Object[] v = new Object[d + 2];
        v[0] = "c" + g + "-" + i;
        v[1] = g;
        for (int j = 0; j < d; j++) {
          // Group g sits at 1 on features j with j % 4 == g, at 0 elsewhere.
          v[j + 2] = (j % 4 == g ? 1.0 : 0.0) + 0.05 * random.nextGaussian();
        }
        rows.add(RowFactory.create(v));
      }
    }
    return TestSpark.get().createDataFrame(rows, schema);
  }

  @Test
  void clusteringRecoversPlantedGroupsAndReloads() throws Exception {
    Dataset<Row> input = groups();
    // k from 2 to 5 (the default range goes to 8): each k costs a fit and a silhouette.
    TypologyConfig c = RuleTypologyTest.CFG;
    TypologyConfig cfg = new TypologyConfig(c.version(), c.sectorManufacturingShare(), c.sectorWholesaleRetailShare(),
        c.migrantShare(), c.returnMigrantSellerShare(), c.minSellersForOrigin(), c.producerMinHhi(),
        c.liveStreamMinShare(), c.hypoMinMigrantShare(), c.minVillageSellers(), c.liveStreamPlatforms(),
        c.newPlatforms(), c.farmProduceCategories(), 2, 5, c.minCountySellers(), c.seed(), c.trainUntil(), c.maxIter(),
        c.maxDepth(), c.precisionAt());
    BehaviourClusters.Result fitted = BehaviourClusters.fit(input, cfg);
    assertEquals(4, fitted.k(), "silhouette picks the planted k: " + fitted.silhouettes());
    Dataset<Row> assigned = fitted.kmeansClusters().join(input.select("county_code", "group"), "county_code");
    assertEquals(1.0, Scores.adjustedRand(assigned, BehaviourClusters.CLUSTER, "group"), 1e-12);
    // BisectingKMeans, fitted at the chosen k, finds k clusters. (On centred features MLlib's bisecting could not
    // split at all and found one cluster; it now clusters the uncentred copy.) Divisive splits need not recover
    // four equidistant groups: a first split of one group against three forces a later split inside a group.
    // An index of 0.5 or more still says most pairs are placed as planted (one cluster would give 0).
    Dataset<Row> bisected = fitted.clusters().get(BehaviourClusters.BISECTING)
        .join(input.select("county_code", "group"), "county_code");
    assertEquals(4, bisected.select(BehaviourClusters.CLUSTER).distinct().count(), "bisecting clusters");
    double bisectingIndex = Scores.adjustedRand(bisected, BehaviourClusters.CLUSTER, "group");
    assertTrue(bisectingIndex >= 0.5, "bisecting index " + bisectingIndex);
    assertEquals(List.of(BehaviourClusters.KMEANS, BehaviourClusters.BISECTING), List.copyOf(fitted.models().keySet()));

    // Every model reloads from MLlib persistence and assigns every county as before.
    Path dir = Files.createTempDirectory("typology-model");
    for (var e : fitted.models().entrySet()) {
      String path = dir.resolve(e.getKey()).toUri().toString();
      e.getValue().write().overwrite().save(path);
      PipelineModel reloaded = PipelineModel.load(path);
      List<Row> before = fitted.clusters().get(e.getKey()).orderBy("county_code").collectAsList();
      List<Row> after = BehaviourClusters.assignments(reloaded, input).orderBy("county_code").collectAsList();
      assertEquals(before, after, e.getKey());
    }

    // Profiles: group 0 sets itself apart on a feature j with j % 4 == 0, by about +1.7 sd.
    Dataset<Row> profiles = BehaviourClusters.profiles(TestSpark.get(), fitted.kmeans(), input, "kmeans", 4, 2022, "t");
    int clusterOfGroup0 = assigned.where(col("group").equalTo(0)).first().getAs(BehaviourClusters.CLUSTER);
    Row top = profiles.where(col("cluster").equalTo(clusterOfGroup0).and(col("rank").equalTo(1))).first();
    assertEquals(0, CountyFeatures.BEHAVIOURAL.indexOf(top.<String>getAs("feature")) % 4);
    assertTrue(top.<Double>getAs("mean_z") > 1.5, "mean_z " + top.getAs("mean_z"));
  }

  @Test
  void emergenceModelLearnsAPlantedRuleAndReloads() throws Exception {
    Random random = new Random(11);
    StructType schema = new StructType().add("village_code", DataTypes.StringType)
        .add(EmergenceScores.SPLIT, DataTypes.StringType).add(Emergence.LABEL, DataTypes.BooleanType);
    for (String f : Emergence.INPUTS) {
      schema = schema.add(f, DataTypes.DoubleType);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Object[] v = new Object[Emergence.INPUTS.size() + 3];
      double sales = random.nextDouble() * 1.2;
      v[0] = "v" + i;
      v[1] = i < 300 ? EmergenceScores.TRAIN : EmergenceScores.TEST;
      // Qualifies next year when sales are already at 80 % of the threshold; the other inputs are noise.
      v[2] = sales > 0.8;
      v[3] = sales;
      for (int j = 1; j < Emergence.INPUTS.size(); j++) {
        v[j + 3] = random.nextDouble();
      }
      rows.add(RowFactory.create(v));
    }
    Dataset<Row> data = TestSpark.get().createDataFrame(rows, schema);
    PipelineModel model = Emergence.train(data, RuleTypologyTest.CFG);
    double[] importance = Emergence.importances(model);
    assertEquals(Emergence.INPUTS.size(), importance.length);
    for (int j = 1; j < importance.length; j++) {
      assertTrue(importance[0] > importance[j], "sales_ratio is the most important input");
    }
    Dataset<Row> test = Emergence.score(model, data).where(col(EmergenceScores.SPLIT).equalTo(EmergenceScores.TEST));
    assertTrue(Scores.prAuc(test, EmergenceScores.MODEL_SCORE, Emergence.LABEL) > 0.95);

    Path dir = Files.createTempDirectory("emergence-model");
    model.write().overwrite().save(dir.toUri().toString());
    PipelineModel reloaded = PipelineModel.load(dir.toUri().toString());
    List<Row> before = Emergence.score(model, data).select("village_code", EmergenceScores.MODEL_SCORE)
        .orderBy("village_code").collectAsList();
    List<Row> after = Emergence.score(reloaded, data).select("village_code", EmergenceScores.MODEL_SCORE)
        .orderBy("village_code").collectAsList();
    assertEquals(before, after);
  }

  @Test
  void noModelWithoutBothOutcomesInTraining() {
    StructType schema = new StructType().add(EmergenceScores.SPLIT, DataTypes.StringType)
        .add(Emergence.LABEL, DataTypes.BooleanType);
    Dataset<Row> none = TestSpark.get().createDataFrame(List.of(RowFactory.create(EmergenceScores.TRAIN, false),
        RowFactory.create(EmergenceScores.TEST, true)), schema);
    assertNull(Emergence.train(none, RuleTypologyTest.CFG));
  }
}
