package org.taobaovillages.generate;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.table.VillageRegistry;

/**
 * Township concentration of the design, on a hand-built reduced world: 20 counties of 10 townships with 20
 * villages each, every county with 30 Taobao Villages in 2016. Without concentration (spread 0) a county's Taobao
 * Villages are a uniform sample of its 200 villages, so the townships holding them follow the hypergeometric law,
 * worked out here by formula; with the default spread they gather in a few townships.
 */
class TownshipConcentrationTest {
  static final int COUNTIES = 20;
  static final int TOWNS = 10;
  static final int PER_TOWN = 20;
  static final int TAOBAO_2016 = 30;
  static SparkSession spark;
  static AppConfig app;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.get();
    app = AppConfig.load(null);
  }

  /** Per county: [townships with at least one, with at least three, villages in the largest], year 2016. */
  static List<int[]> design(double spread) {
    List<Row> registry = new ArrayList<>();
    List<Row> counties = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (int y = 2009; y <= 2022; y++) {
      counts.add(y < 2016 ? 0 : TAOBAO_2016);
    }
    for (int c = 0; c < COUNTIES; c++) {
      String county = String.format("3301%02d", c + 1);
      counties.add(RowFactory.create(county, scala.jdk.javaapi.CollectionConverters.asScala(counts).toSeq(), "toys",
          true, CountyFactors.YRD_TYPE, true, true, false, true, 2015));
      for (int t = 0; t < TOWNS; t++) {
        String town = county + String.format("%03d", t + 1);
        for (int v = 0; v < PER_TOWN; v++) {
          registry.add(RowFactory.create(town + String.format("%03d", v + 1), town, county));
        }
      }
    }
    StructType registrySchema = new StructType().add(VillageRegistry.VILLAGE_CODE, DataTypes.StringType)
        .add(VillageRegistry.TOWN_CODE, DataTypes.StringType).add(VillageRegistry.COUNTY_CODE, DataTypes.StringType);
    StructType countySchema = WorldModel.DESIGN_COUNTY;
    WorldModel model = new WorldModel(spark, app.referenceRoot(), app.generate(),
        app.world().withTownConcentration(spread));
    Dataset<Row> villages = model.design(spark.createDataFrame(registry, registrySchema),
        spark.createDataFrame(counties, countySchema));
    Map<String, Map<String, Integer>> perCounty = new HashMap<>();
    for (Row r : villages.where("designed_status[7]").select(VillageRegistry.COUNTY_CODE, VillageRegistry.TOWN_CODE)
        .collectAsList()) {
      perCounty.computeIfAbsent(r.getString(0), k -> new HashMap<>()).merge(r.getString(1), 1, Integer::sum);
    }
    List<int[]> result = new ArrayList<>();
    for (Map<String, Integer> towns : perCounty.values()) {
      assertEquals(TAOBAO_2016, towns.values().stream().mapToInt(Integer::intValue).sum(), "the county's count");
      result.add(new int[] {towns.size(), (int) towns.values().stream().filter(n -> n >= 3).count(),
          towns.values().stream().mapToInt(Integer::intValue).max().orElse(0)});
    }
    assertEquals(COUNTIES, result.size());
    return result;
  }

  static double mean(List<int[]> rows, int column) {
    return rows.stream().mapToInt(r -> r[column]).average().orElseThrow();
  }

  /** P(X = k) for X hypergeometric: k of the town's 20 villages among 30 drawn from 200. */
  static double hypergeometric(int k) {
    return Math.exp(logChoose(PER_TOWN, k) + logChoose(TOWNS * PER_TOWN - PER_TOWN, TAOBAO_2016 - k)
        - logChoose(TOWNS * PER_TOWN, TAOBAO_2016));
  }

  static double logChoose(int n, int k) {
    double s = 0;
    for (int i = 1; i <= k; i++) {
      s += Math.log(n - k + i) - Math.log(i);
    }
    return s;
  }

  @Test
  void withoutConcentrationTaobaoVillagesSpreadAsAUniformSample() {
    List<int[]> uniform = design(0);
    // Expected townships with at least one: 10 (1 - P(X = 0)) = 9.65; with at least three: 10 P(X >= 3) = 6.2.
    double withOne = TOWNS * (1 - hypergeometric(0));
    double withThree = TOWNS * (1 - hypergeometric(0) - hypergeometric(1) - hypergeometric(2));
    assertEquals(withOne, mean(uniform, 0), 0.3, "townships holding Taobao Villages");
    assertEquals(withThree, mean(uniform, 1), 0.8, "townships with three or more");
  }

  @Test
  void theDefaultSpreadGathersTaobaoVillagesInAFewTownships() {
    List<int[]> uniform = design(0);
    List<int[]> concentrated = design(app.world().townConcentration());
    assertTrue(app.world().townConcentration() >= 2, "the default spread");
    // Far fewer townships hold them, and the largest holds a large part of the county's 30.
    assertTrue(mean(concentrated, 0) < 0.6 * mean(uniform, 0), mean(concentrated, 0) + " vs " + mean(uniform, 0));
    assertTrue(mean(concentrated, 2) >= 12, "largest township: " + mean(concentrated, 2));
    assertTrue(mean(uniform, 2) <= 7, "largest without concentration: " + mean(uniform, 2));
  }
}
