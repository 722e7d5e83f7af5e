package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
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
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.VillageRegistry;

/**
 * Which villages have e-commerce in counties without Taobao Villages, on a hand-built world of four counties of
 * 1,000 villages (no Taobao Village by design): one per combination of the formation rule and the factors. The
 * expected shares are the configured ones (single-factor 10 %, minor 25 %, live-stream 3 %); each count is checked
 * within five binomial standard deviations, sqrt(n p (1 - p)).
 */
class VillageKindsTest {
  static final int VILLAGES = 1_000;
  static SparkSession spark;
  static AppConfig app;
  static Dataset<Row> villages;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.get();
    app = AppConfig.load(null);
    List<Row> registry = new ArrayList<>();
    List<Row> counties = new ArrayList<>();
    List<Integer> none = new ArrayList<>();
    for (int y = 2009; y <= 2022; y++) {
      none.add(0);
    }
    // code, formation allowed, quadrant, robust sector, migrant entrepreneurs, return migrants, interventionist,
    // programme start.
    Object[][] designs = {
        {"510101", false, CountyFactors.PERIPHERY, false, false, false, false, null},
        {"440101", false, CountyFactors.PRD_TYPE, true, false, false, false, null},
        {"370101", false, CountyFactors.COASTAL_INTERIOR, false, false, false, true, 2016},
        {"330101", true, CountyFactors.YRD_TYPE, true, false, true, true, 2015}};
    for (Object[] d : designs) {
      counties.add(RowFactory.create(d[0], scala.jdk.javaapi.CollectionConverters.asScala(none).toSeq(), "toys",
          d[1], d[2], d[3], d[4], d[5], d[6], d[7]));
      for (int v = 0; v < VILLAGES; v++) {
        String town = d[0] + String.format("%03d", v / 100 + 1);
        registry.add(RowFactory.create(town + String.format("%03d", v % 100 + 1), town, d[0], 300));
      }
    }
    StructType registrySchema = new StructType().add(VillageRegistry.VILLAGE_CODE, DataTypes.StringType)
        .add(VillageRegistry.TOWN_CODE, DataTypes.StringType).add(VillageRegistry.COUNTY_CODE, DataTypes.StringType)
        .add(VillageRegistry.HOUSEHOLDS, DataTypes.IntegerType);
    StructType countySchema = WorldModel.DESIGN_COUNTY;
    WorldModel model = new WorldModel(spark, app.referenceRoot(), app.generate(), app.world());
    villages = model.design(spark.createDataFrame(registry, registrySchema),
        spark.createDataFrame(counties, countySchema)).cache();
  }

  static long villagesOf(String county, String kind) {
    return villages.where(col(VillageRegistry.COUNTY_CODE).equalTo(county).and(col(WorldModel.KIND).equalTo(kind)))
        .count();
  }

  static void assertBinomial(double p, long observed, String what) {
    double mean = VILLAGES * p;
    double sd = Math.sqrt(VILLAGES * p * (1 - p));
    assertTrue(Math.abs(observed - mean) <= 5 * sd, what + ": " + observed + " of " + VILLAGES + ", expected about "
        + mean + " (sd " + sd + ")");
  }

  @Test
  void singleFactorShopsOnlyWhereOneFactorIsPresentAndVillagesDoNotForm() {
    assertEquals(0, villagesOf("510101", WorldModel.KIND_MINOR), "the periphery: no factor, no single-factor shops");
    assertBinomial(0.03, villagesOf("510101", WorldModel.KIND_LIVE), "periphery live-stream villages");
    assertBinomial(0.10, villagesOf("440101", WorldModel.KIND_MINOR), "a robust sector's factory villages");
    assertBinomial(0.10, villagesOf("370101", WorldModel.KIND_MINOR), "a programme's villages");
    assertBinomial(0.25, villagesOf("330101", WorldModel.KIND_MINOR), "minor villages where villages may form");
    assertEquals(0, villagesOf("330101", WorldModel.KIND_LIVE), "no live-stream-only villages where villages may form");
    assertEquals(0, villagesOf("330101", WorldModel.KIND_TAOBAO) + villagesOf("440101", WorldModel.KIND_TAOBAO),
        "no county has a Taobao Village by design here");
    // Factory and programme shops are producers; a programme's start within its first three years.
    assertEquals(0, villages.where(WorldModel.singleFactorVillage()
        .and(col(WorldModel.BUSINESS_MODEL).notEqual(WorldModel.PRODUCER))).count());
    Row range = villages.where(col(VillageRegistry.COUNTY_CODE).equalTo("370101")
        .and(col(WorldModel.KIND).equalTo(WorldModel.KIND_MINOR)))
        .agg(min(col(WorldModel.MIDPOINT)), max(col(WorldModel.MIDPOINT))).first();
    assertTrue(range.getDouble(0) >= 2016 && range.getDouble(1) < 2019, "programme villages' midpoints " + range);
  }

  @Test
  void singleFactorAccountsAreMostlyEnterprisesOnTheirFactorsPlatforms() {
    GenerateConfig cfg = app.generate();
    Dataset<Row> accounts = Sellers.sellerYears(new WorldModel(spark, app.referenceRoot(), cfg, app.world())
        .villageYears(villages), cfg, app.world()).where(WorldModel.singleFactorVillage()).cache();
    for (String county : List.of("440101", "370101")) {
      Row r = accounts.where(col(VillageRegistry.COUNTY_CODE).equalTo(county)).agg(count(lit(1)),
          avg(col(SellerAccounts.ACCOUNT_TYPE).equalTo("enterprise").cast("double")),
          avg(col(SellerAccounts.PLATFORM).isin("tmall", "jd").cast("double")),
          avg(col(SellerAccounts.PLATFORM).isin("tmall").cast("double"))).first();
      assertTrue(r.getLong(0) > 500, county + ": seller-years " + r.getLong(0));
      // Enterprise: 60 % drawn, and every Tmall store is one: at least 0.6, at most 0.6 + 0.4 x Tmall share.
      assertTrue(r.getDouble(1) > 0.55, county + " enterprise share " + r.getDouble(1));
      if (county.equals("440101")) {
        assertEquals(0.60, r.getDouble(2), 0.06, "factory stores on Tmall or JD");
      } else {
        assertEquals(0.0, r.getDouble(3), 0.0, "programme cooperatives have no Tmall store");
      }
    }
  }
}
