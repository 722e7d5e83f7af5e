package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;

/** County, prefecture and province rows of hand-built village-years, every ratio worked out by hand. */
class RollupsTest {
  static final StructType VILLAGE_YEARS = new StructType()
      .add("village_code", DataTypes.StringType).add("year", DataTypes.IntegerType)
      .add("sales_rmb", DataTypes.DoubleType).add("active_sellers", DataTypes.LongType)
      .add("orders", DataTypes.LongType).add("taobao_share", DataTypes.DoubleType)
      .add("live_stream_share", DataTypes.DoubleType).add("new_platform_share", DataTypes.DoubleType)
      .add("new_shops", DataTypes.LongType).add("closed_shops", DataTypes.LongType)
      .add("order_value_rmb", DataTypes.DoubleType).add("category_hhi", DataTypes.DoubleType)
      .add("farm_produce_share", DataTypes.DoubleType)
      .add("sellers", DataTypes.LongType).add("known_origin_sellers", DataTypes.LongType)
      .add("native_sellers", DataTypes.LongType).add("return_migrant_sellers", DataTypes.LongType)
      .add("migrant_sellers", DataTypes.LongType).add("enterprise_sellers", DataTypes.LongType)
      .add("qualifies", DataTypes.BooleanType).add("county_code", DataTypes.StringType)
      .add("exact_sales_rmb", DataTypes.createDecimalType(28, 2))
      .add("city_code", DataTypes.StringType).add("province_code", DataTypes.StringType);
  static final StructType REGISTRY = new StructType()
      .add("village_code", DataTypes.StringType).add("county_code", DataTypes.StringType)
      .add("county_name", DataTypes.StringType).add("city_code", DataTypes.StringType)
      .add("city_name", DataTypes.StringType).add("province_code", DataTypes.StringType)
      .add("province_name", DataTypes.StringType).add("population", DataTypes.IntegerType)
      .add("year", DataTypes.IntegerType);
  static final StructType LABELS = new StructType().add("village_code", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("business_model", DataTypes.StringType);
  static final StructType COUNTIES = new StructType().add("county_code", DataTypes.StringType)
      .add("manufacturing_share", DataTypes.DoubleType).add("wholesale_retail_share", DataTypes.DoubleType)
      .add("migrant_share", DataTypes.DoubleType).add("ecommerce_programme", DataTypes.BooleanType)
      .add("programme_start_year", DataTypes.IntegerType).add("year", DataTypes.IntegerType);

  /** Each row once per year, the year appended: a dimension that stood the same at every year's end. */
  static List<Row> everyYear(List<Row> rows, int... years) {
    List<Row> out = new java.util.ArrayList<>();
    for (int year : years) {
      for (Row r : rows) {
        Object[] values = new Object[r.size() + 1];
        for (int i = 0; i < r.size(); i++) {
          values[i] = r.get(i);
        }
        values[r.size()] = year;
        out.add(RowFactory.create(values));
      }
    }
    return out;
  }

  @Test
  void sumsSharesAndGrowthByHand() {
    var spark = TestSpark.get();
    Dataset<Row> villageYears = spark.createDataFrame(List.of(
        // 2021: only v1 sells.
        RowFactory.create("v1", 2021, 1_000_000.0, 9L, 100L, 1.0, 0.0, 0.0, 9L, 0L, 50.0, 0.8, 0.0, 9L, 9L, 9L, 0L, 0L,
            0L, false, "c1", new BigDecimal("1000000.00"), "p1", "33"),
        // 2022: v1 and v2 sell; v3 (registry only) does not.
        RowFactory.create("v1", 2022, 3_000_000.01, 30L, 300L, 0.5, 0.2, 0.4, 25L, 4L, 40.0, 0.8, 0.1, 30L, 20L, 10L, 5L,
            5L, 6L, true, "c1", new BigDecimal("3000000.01"), "p1", "33"),
        RowFactory.create("v2", 2022, 1_000_000.02, 10L, 100L, 1.0, 0.0, 0.0, 10L, 1L, 80.0, 0.4, 0.7, 10L, 10L, 2L, 0L,
            8L, 4L, false, "c1", new BigDecimal("1000000.02"), "p1", "33")), VILLAGE_YEARS);
    Dataset<Row> registry = spark.createDataFrame(everyYear(List.of(
        RowFactory.create("v1", "c1", "County", "p1", "City", "33", "Zhejiang", 1000),
        RowFactory.create("v2", "c1", "County", "p1", "City", "33", "Zhejiang", 3000),
        RowFactory.create("v3", "c2", "Other", "p1", "City", "33", "Zhejiang", 4000)), 2021, 2022), REGISTRY);
    Dataset<Row> labels = spark.createDataFrame(List.of(RowFactory.create("v1", 2022, "producer"),
        RowFactory.create("v2", 2022, "merchant")), LABELS);
    Dataset<Row> counties = spark.createDataFrame(everyYear(List.of(RowFactory.create("c1", 0.3, 0.1, 0.02, true,
        2016)), 2021, 2022), COUNTIES);
    List<Row> rows = Rollups.features(villageYears, labels, registry, counties, "t")
        .orderBy("level", "year").collectAsList();
    Row c2022 = rows.stream().filter(r -> r.getAs("level").equals("county") && (int) r.getAs("year") == 2022)
        .findFirst().orElseThrow();
    assertEquals("c1", c2022.getAs("unit_code"));
    assertEquals(2L, (long) c2022.getAs("villages"));
    assertEquals(2L, (long) c2022.getAs("villages_with_sales"));
    assertEquals(1L, (long) c2022.getAs("taobao_villages"));
    assertEquals(0.5, c2022.<Double>getAs("taobao_village_density"), 1e-12);
    // Sales are the exact sum of the villages' DECIMAL sales, 3,000,000.01 + 1,000,000.02 (the doubles beside them
    // feed the ratios).
    assertEquals(new BigDecimal("4000000.03"), c2022.getAs("sales_rmb"));
    assertEquals(4_000_000.03 / 4000, c2022.<Double>getAs("sales_per_capita_rmb"), 1e-9);
    // Sellers 9 -> 40: ln(41 / 10).
    assertEquals(Math.log(41.0 / 10), c2022.<Double>getAs("seller_growth"), 1e-12);
    // Origin among 30 known: native 12, return 5, migrant 13; enterprise 10 of 40 sellers.
    assertEquals(12.0 / 30, c2022.<Double>getAs("native_seller_share"), 1e-12);
    assertEquals(5.0 / 30, c2022.<Double>getAs("return_migrant_seller_share"), 1e-12);
    assertEquals(13.0 / 30, c2022.<Double>getAs("migrant_seller_share"), 1e-12);
    assertEquals(10.0 / 40, c2022.<Double>getAs("enterprise_seller_share"), 1e-12);
    // Order-weighted: HHI (0.8 * 300 + 0.4 * 100) / 400 = 0.7; order value (40 * 300 + 80 * 100) / 400 = 50,
    // the same as 2021's 50: trend ln 1 = 0.
    assertEquals(0.7, c2022.<Double>getAs("category_hhi"), 1e-12);
    assertEquals(1 / 0.7, c2022.<Double>getAs("category_breadth"), 1e-12);
    // Farm produce, order-weighted: (0.1 * 300 + 0.7 * 100) / 400 = 0.25.
    assertEquals(0.25, c2022.<Double>getAs("farm_produce_share"), 1e-12);
    assertEquals(50.0, c2022.<Double>getAs("order_value_rmb"), 1e-12);
    assertEquals(0.0, c2022.<Double>getAs("order_value_trend"), 1e-12);
    // Sales-weighted platform shares: Taobao (0.5 * 3 M + 1 * 1 M) / 4 M; live 0.6 M / 4 M; new 1.2 M / 4 M (and
    // the cents).
    assertEquals((0.5 * 3_000_000.01 + 1_000_000.02) / 4_000_000.03, c2022.<Double>getAs("taobao_share"), 1e-12);
    assertEquals(0.2 * 3_000_000.01 / 4_000_000.03, c2022.<Double>getAs("live_stream_share"), 1e-12);
    assertEquals(0.4 * 3_000_000.01 / 4_000_000.03, c2022.<Double>getAs("new_platform_share"), 1e-12);
    assertEquals(5.0 / 40, c2022.<Double>getAs("churn_rate"), 1e-12);
    assertEquals(0.5, c2022.<Double>getAs("producer_village_share"), 1e-12);
    assertEquals(0.3, c2022.<Double>getAs("manufacturing_share"), 1e-12);
    // 2021 has no labelled village: the business-model shares are unknown, not 0.
    Row c2021 = rows.stream().filter(r -> r.getAs("level").equals("county") && (int) r.getAs("year") == 2021)
        .findFirst().orElseThrow();
    assertNull(c2021.getAs("producer_village_share"));
    assertNull(c2021.getAs("seller_growth"));
    // The prefecture holds both counties' villages (3), the province the same; no census columns above counties.
    Row p2022 = rows.stream().filter(r -> r.getAs("level").equals("prefecture") && (int) r.getAs("year") == 2022)
        .findFirst().orElseThrow();
    assertEquals(3L, (long) p2022.getAs("villages"));
    assertEquals(1.0 / 3, p2022.<Double>getAs("taobao_village_density"), 1e-12);
    assertEquals(2.0 / 3, p2022.<Double>getAs("ecommerce_village_share"), 1e-12);
    assertNull(p2022.getAs("manufacturing_share"));
    assertEquals(1L, Rollups.features(villageYears, labels, registry, counties, "t")
        .where(col("level").equalTo("province").and(col("year").equalTo(2022))).count());
  }
  /**
   * Each year's units as the registry stood at that year's end: v2 joined county c1 (from c2) and c1 was renamed in
   * 2022, so c1 has one village named "Old" in 2021 and two named "New" in 2022; the census columns are those of
   * each year's county attributes (manufacturing share 0.2, then 0.4).
   */
  @Test
  void unitsAreNamedAndCountedAsTheRegistryStoodAtEachYearsEnd() {
    var spark = TestSpark.get();
    Dataset<Row> villageYears = spark.createDataFrame(List.of(
        RowFactory.create("v1", 2021, 1_000_000.0, 9L, 100L, 1.0, 0.0, 0.0, 9L, 0L, 50.0, 0.8, 0.0, 9L, 9L, 9L, 0L, 0L,
            0L, false, "c1", new BigDecimal("1000000.00"), "p1", "33"),
        RowFactory.create("v1", 2022, 12_000_000.0, 120L, 300L, 1.0, 0.0, 0.0, 9L, 0L, 50.0, 0.8, 0.0, 120L, 9L, 9L, 0L,
            0L, 0L, true, "c1", new BigDecimal("12000000.00"), "p1", "33")), VILLAGE_YEARS);
    Dataset<Row> registry = spark.createDataFrame(List.of(
        RowFactory.create("v1", "c1", "Old", "p1", "City", "33", "Zhejiang", 1000, 2021),
        RowFactory.create("v2", "c2", "Other", "p1", "City", "33", "Zhejiang", 3000, 2021),
        RowFactory.create("v1", "c1", "New", "p1", "City", "33", "Zhejiang", 1000, 2022),
        RowFactory.create("v2", "c1", "New", "p1", "City", "33", "Zhejiang", 3000, 2022)), REGISTRY);
    Dataset<Row> counties = spark.createDataFrame(List.of(RowFactory.create("c1", 0.2, 0.1, 0.02, false, null, 2021),
        RowFactory.create("c1", 0.4, 0.1, 0.02, false, null, 2022)), COUNTIES);
    Dataset<Row> labels = spark.createDataFrame(List.of(), LABELS);
    java.util.Map<Integer, Row> county = new java.util.TreeMap<>();
    Rollups.features(villageYears, labels, registry, counties, "t").where(col("level").equalTo("county"))
        .collectAsList().forEach(r -> county.put(r.getAs("year"), r));
    assertEquals(java.util.Set.of(2021, 2022), county.keySet());
    assertEquals(List.of("Old", 1L, 1000L, 0.2), List.of(county.get(2021).getAs("unit_name"),
        county.get(2021).getAs("villages"), county.get(2021).getAs("population"),
        county.get(2021).getAs("manufacturing_share")));
    assertEquals(List.of("New", 2L, 4000L, 0.4), List.of(county.get(2022).getAs("unit_name"),
        county.get(2022).getAs("villages"), county.get(2022).getAs("population"),
        county.get(2022).getAs("manufacturing_share")));
    // One Taobao Village of the county's 2 villages in 2022; 12 M over 4,000 people.
    assertEquals(0.5, county.get(2022).<Double>getAs("taobao_village_density"), 1e-12);
    assertEquals(3_000.0, county.get(2022).<Double>getAs("sales_per_capita_rmb"), 1e-9);
  }

  /**
   * Category figures per village-year, summed from the months' category rollup (village_month's sale orders per
   * category; the key "" holds the orders without a category, which count as one category).
   */
  @Test
  void categoryConcentrationAndFarmProduceShareOfSaleOrdersByHand() {
    var spark = TestSpark.get();
    StructType months = new StructType().add("village_code", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("category_orders", org.taobaovillages.table.VillageMonth.CATEGORY_COUNTS);
    Dataset<Row> villageMonths = spark.createDataFrame(List.of(
        RowFactory.create("v1", 2022, java.util.Map.of("agri_food", 2L, "toys", 2L, "", 1L)),
        RowFactory.create("v1", 2022, java.util.Map.of("agri_food", 1L)),
        RowFactory.create("v1", 2021, java.util.Map.of("toys", 4L)),
        // A month with closing shops only: no orders, an empty map.
        RowFactory.create("v1", 2021, java.util.Map.of()),
        RowFactory.create("v2", 2022, java.util.Map.of("toys", 1L))), months);
    java.util.Map<String, Row> byVillageYear = new java.util.TreeMap<>();
    VillageYears.categories(villageMonths, List.of("agri_food")).collectAsList()
        .forEach(r -> byVillageYear.put(r.getAs("village_code") + " " + r.getAs("year"), r));
    assertEquals(java.util.Set.of("v1 2021", "v1 2022", "v2 2022"), byVillageYear.keySet());
    // v1 2022: six sale orders: farm produce 3, toys 2, unknown 1. HHI (9 + 4 + 1) / 36; farm share 3 / 6.
    Row v1 = byVillageYear.get("v1 2022");
    assertEquals(14.0 / 36, v1.<Double>getAs("category_hhi"), 1e-12);
    assertEquals(0.5, v1.<Double>getAs("farm_produce_share"), 1e-12);
    // v1 2021 and v2 2022: one category each.
    assertEquals(1.0, byVillageYear.get("v1 2021").<Double>getAs("category_hhi"), 1e-12);
    assertEquals(0.0, byVillageYear.get("v1 2021").<Double>getAs("farm_produce_share"), 1e-12);
    assertEquals(1.0, byVillageYear.get("v2 2022").<Double>getAs("category_hhi"), 1e-12);
  }

  /**
   * Seller s1's account says native until a version delivered on 2022-03-01 says migrant: its 2021 sale counts as a
   * native seller's, its 2022 sale as a migrant's; s2 (one version, an enterprise of unknown origin) counts in both
   * years; s3's month without a sale order counts in neither. A run of 2022-02-01 (a year still running, read on
   * its run date) counts s1 as native in 2022 too.
   */
  @Test
  void sellerOriginIsTheAccountVersionInForceAtTheYearsEnd() {
    var spark = TestSpark.get();
    StructType sellerMonths = new StructType().add("seller_id", DataTypes.StringType)
        .add("village_code", DataTypes.StringType).add("month", DataTypes.DateType)
        .add("orders", DataTypes.LongType);
    Dataset<Row> months = spark.createDataFrame(List.of(
        RowFactory.create("s1", "v1", java.sql.Date.valueOf("2021-05-01"), 3L),
        RowFactory.create("s1", "v1", java.sql.Date.valueOf("2022-01-01"), 2L),
        RowFactory.create("s2", "v1", java.sql.Date.valueOf("2021-07-01"), 1L),
        RowFactory.create("s2", "v1", java.sql.Date.valueOf("2022-01-01"), 1L),
        RowFactory.create("s3", "v1", java.sql.Date.valueOf("2022-01-01"), 0L)), sellerMonths);
    StructType timeline = new StructType().add("seller_id", DataTypes.StringType)
        .add("owner_origin", DataTypes.StringType).add("account_type", DataTypes.StringType)
        .add(org.taobaovillages.table.DimensionColumns.IN_FORCE_FROM, DataTypes.DateType)
        .add(org.taobaovillages.table.DimensionColumns.IN_FORCE_TO, DataTypes.DateType);
    java.sql.Date march = java.sql.Date.valueOf("2022-03-01");
    Dataset<Row> accounts = spark.createDataFrame(List.of(
        RowFactory.create("s1", "native", "individual", null, march),
        RowFactory.create("s1", "migrant", "individual", march, null),
        RowFactory.create("s2", null, "enterprise", null, null),
        RowFactory.create("s3", "native", "individual", null, null)), timeline);
    java.util.Map<Integer, List<Object>> byYear = new java.util.TreeMap<>();
    VillageYears.sellerMix(months, accounts, java.time.LocalDate.of(2022, 12, 31)).collectAsList()
        .forEach(r -> byYear.put(r.getAs("year"), List.of(r.getAs("sellers"), r.getAs("known_origin_sellers"),
            r.getAs("native_sellers"), r.getAs("migrant_sellers"), r.getAs("enterprise_sellers"))));
    // sellers, known origin, native, migrant, enterprise
    assertEquals(java.util.Map.of(2021, List.of(2L, 1L, 1L, 0L, 1L), 2022, List.of(2L, 1L, 0L, 1L, 1L)), byYear);
    Row early = VillageYears.sellerMix(months, accounts, java.time.LocalDate.of(2022, 2, 1))
        .where(col("year").equalTo(2022)).first();
    assertEquals(List.of(1L, 0L), List.of(early.getAs("native_sellers"), early.getAs("migrant_sellers")));
  }
}
