package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.FormationTest;

/** The rule-based 2x2 and the formation rule on hand-built county-years (thresholds: conf defaults). */
class RuleTypologyTest {
  static final TypologyConfig CFG = AppConfig.load(null).typology();

  static final StructType SCHEMA = new StructType()
      .add("county_code", DataTypes.StringType).add("province_code", DataTypes.StringType)
      .add("city_code", DataTypes.StringType).add("year", DataTypes.IntegerType)
      .add("manufacturing_share", DataTypes.DoubleType).add("wholesale_retail_share", DataTypes.DoubleType)
      .add("migrant_share", DataTypes.DoubleType).add("ecommerce_programme", DataTypes.BooleanType)
      .add("programme_start_year", DataTypes.IntegerType).add("taobao_villages", DataTypes.LongType)
      .add("return_migrant_seller_share", DataTypes.DoubleType).add("known_origin_sellers", DataTypes.LongType);

  static Map<String, Row> classify(List<Row> rows) {
    Dataset<Row> out = RuleTypology.derive(TestSpark.get().createDataFrame(rows, SCHEMA), CFG);
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : out.collectAsList()) {
      byKey.put(r.getAs("county_code") + "/" + r.getAs("year"), r);
    }
    return byKey;
  }

  static final List<Row> COUNTIES = List.of(
      // Yangtze River Delta type: manufacturing at the threshold, programme since 2015, migrants 8 % (>= 5 %).
      RowFactory.create("330782", "33", "3307", 2020, 0.20, 0.10, 0.08, true, 2015, 12L, 0.10, 400L),
      // Pearl River Delta type in Dongguan: wholesale 18 %, no programme; return migrants 30 % of 25 sellers.
      RowFactory.create("441900", "44", "4419", 2020, 0.10, 0.18, 0.01, false, null, 3L, 0.30, 25L),
      // Coastal interior: no sector, programme from 2018: periphery in 2017, coastal interior in 2018.
      RowFactory.create("371300", "37", "3713", 2017, 0.10, 0.10, 0.01, true, 2018, 0L, null, null),
      RowFactory.create("371300", "37", "3713", 2018, 0.10, 0.10, 0.01, true, 2018, 1L, 0.40, 30L),
      // Periphery: nothing; half the sellers are return migrants but only 5 are known (not observed); it has a
      // Taobao Village although no factor is present: it breaks the rule.
      RowFactory.create("522600", "52", "5226", 2020, 0.05, 0.08, 0.02, false, null, 1L, 0.5, 5L),
      // Missing census shares count as absent.
      RowFactory.create("622900", "62", "6229", 2020, null, null, null, null, null, 0L, null, null));

  @Test
  void eachQuadrantWithItsFactorsAndExplanation() {
    Map<String, Row> r = classify(COUNTIES);
    Row yrd = r.get("330782/2020");
    assertEquals(CountyTypology.YRD_TYPE, yrd.getAs(CountyTypology.QUADRANT));
    assertEquals(RuleTypology.YANGTZE_RIVER_DELTA, yrd.getAs(CountyTypology.REGION));
    assertEquals(true, yrd.getAs(CountyTypology.MIGRANT_ENTREPRENEURS));
    assertEquals(3, (int) yrd.getAs(CountyTypology.FACTOR_COUNT));
    String why = yrd.getAs(CountyTypology.EXPLANATION);
    assertTrue(why.contains("manufacturing 0.200") && why.contains("robust sector")
        && why.contains("e-commerce programme since 2015 -> interventionist") && why.contains("3 of 3 factors"), why);

    Row prd = r.get("441900/2020");
    assertEquals(CountyTypology.PRD_TYPE, prd.getAs(CountyTypology.QUADRANT));
    assertEquals(RuleTypology.PEARL_RIVER_DELTA, prd.getAs(CountyTypology.REGION));
    assertEquals(false, prd.getAs(CountyTypology.MIGRANT_ENTREPRENEURS));
    assertEquals(true, prd.getAs(CountyTypology.RETURN_MIGRANTS));
    assertEquals(2, (int) prd.getAs(CountyTypology.FACTOR_COUNT));
    assertEquals(true, prd.getAs(CountyTypology.FORMATION_EXPECTED));

    assertEquals(CountyTypology.PERIPHERY, r.get("371300/2017").getAs(CountyTypology.QUADRANT));
    assertTrue(r.get("371300/2017").<String>getAs(CountyTypology.EXPLANATION).contains("programme from 2018, not yet"));
    Row interior = r.get("371300/2018");
    assertEquals(CountyTypology.COASTAL_INTERIOR, interior.getAs(CountyTypology.QUADRANT));
    assertEquals(RuleTypology.COASTAL_INTERIOR, interior.getAs(CountyTypology.REGION));
    assertEquals(2, (int) interior.getAs(CountyTypology.FACTOR_COUNT));
    assertEquals(false, r.get("371300/2017").getAs(CountyTypology.HAS_FORMED));
    assertEquals(true, interior.getAs(CountyTypology.HAS_FORMED));

    Row periphery = r.get("522600/2020");
    assertEquals(CountyTypology.PERIPHERY, periphery.getAs(CountyTypology.QUADRANT));
    assertEquals(RuleTypology.PERIPHERY, periphery.getAs(CountyTypology.REGION));
    assertEquals(false, periphery.getAs(CountyTypology.RETURN_MIGRANTS));
    assertEquals(0, (int) periphery.getAs(CountyTypology.FACTOR_COUNT));
    assertEquals(false, periphery.getAs(CountyTypology.RULE_CONSISTENT));
    assertTrue(periphery.<String>getAs(CountyTypology.EXPLANATION).contains("breaks the rule"));
    assertEquals(0, (int) r.get("622900/2020").getAs(CountyTypology.FACTOR_COUNT));
  }

  @Test
  void formationTestCountsCountiesByFactors() {
    Dataset<Row> typology = RuleTypology.derive(TestSpark.get().createDataFrame(COUNTIES, SCHEMA), CFG);
    Map<String, Row> cells = new HashMap<>();
    for (Row r : FormationTests.byFactorCount(typology, "test").collectAsList()) {
      cells.put(r.getAs("year") + "/" + r.getAs(CountyTypology.FACTOR_COUNT), r);
    }
    // 2020: 0 factors: 522600 (formed) and 622900 (not): 1 of 2; 2 factors: 441900 (formed); 3: 330782.
    Row none = cells.get("2020/0");
    assertEquals(2L, (long) none.getAs(FormationTest.COUNTIES));
    assertEquals(1L, (long) none.getAs(FormationTest.FORMED));
    assertEquals(0.5, none.<Double>getAs(FormationTest.SHARE), 1e-12);
    double[] ci = ScoresTest.wilson(1, 2);
    assertEquals(ci[0], none.<Double>getAs(FormationTest.CI_LOW), 1e-12);
    assertEquals(ci[1], none.<Double>getAs(FormationTest.CI_HIGH), 1e-12);
    assertEquals(1L, (long) cells.get("2020/2").getAs(FormationTest.FORMED));
    assertEquals(1L, (long) cells.get("2020/3").getAs(FormationTest.COUNTIES));
    assertEquals(1L, (long) cells.get("2017/0").getAs(FormationTest.COUNTIES));
    assertEquals(0L, (long) cells.get("2017/0").getAs(FormationTest.FORMED));
    assertNull(cells.get("2020/1"));
  }

  @Test
  void stricterSectorThresholdMovesACounty() {
    // The thresholds come from the configuration, not the code: at 0.25 the YRD-type county loses its sector.
    TypologyConfig strict = new TypologyConfig(CFG.version(), 0.25, 0.25, CFG.migrantShare(),
        CFG.returnMigrantSellerShare(), CFG.minSellersForOrigin(), CFG.producerMinHhi(), CFG.liveStreamMinShare(),
        CFG.hypoMinMigrantShare(), CFG.minVillageSellers(), CFG.liveStreamPlatforms(), CFG.newPlatforms(),
        CFG.farmProduceCategories(), CFG.kMin(), CFG.kMax(), CFG.minCountySellers(), CFG.seed(), CFG.trainUntil(),
        CFG.maxIter(), CFG.maxDepth(), CFG.precisionAt());
    Row r = RuleTypology.derive(TestSpark.get().createDataFrame(COUNTIES.subList(0, 1), SCHEMA), strict)
        .where(col("county_code").equalTo("330782")).first();
    assertEquals(CountyTypology.COASTAL_INTERIOR, r.getAs(CountyTypology.QUADRANT));
  }
}
