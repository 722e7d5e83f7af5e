package org.taobaovillages.export;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;

/**
 * The k-seller rule (k = 3) on hand-built status rows, townships, counties and the village-level exports. Which
 * cells are withheld is worked out by hand in each test's comments.
 */
class SmallCellsTest {
  static final long K = 3;
  static final StructType STATUS = new StructType().add("rule_id", DataTypes.StringType)
      .add("village_code", DataTypes.StringType).add("period", DataTypes.StringType)
      .add("period_end", DataTypes.DateType).add("year", DataTypes.IntegerType)
      .add("active_sellers", DataTypes.LongType).add("orders", DataTypes.LongType);
  static final StructType PLACES = new StructType().add("village_code", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("town_code", DataTypes.StringType).add("county_code", DataTypes.StringType)
      .add("city_code", DataTypes.StringType).add("province_code", DataTypes.StringType);

  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  /** Calendar-year status rows of rule A: village, year, active sellers, orders. */
  static Row year(String village, int year, long sellers, long orders) {
    return RowFactory.create("A", village, "year", Date.valueOf(year + "-12-31"), year, sellers, orders);
  }

  /*
   * The world of the unit tests, one year (2022) unless said, k = 3. Active sellers (orders) per village:
   *   county K1, prefecture P1, province R1
   *     township T1: a 5 (50), b 2 (10), c 1 (3)        own 8;  withheld b + c: 3 sellers -> published
   *     township T2: a2 10 (90), b2 2 (4)                own 12; withheld b2: 2 sellers    -> withheld
   *     township T3: a3 4 (9), d3 0 (0: a row without sales) own 4; withheld d3: no order -> published
   *   county K2, prefecture P1, province R1
   *     township T5: e 2 (6)                             own 2 < 3                          -> withheld
   *     township T6: f 10 (70), g 1 (1)                  own 11; withheld g: 1 seller      -> withheld
   * Village b also has a rule C row with 1 active seller: its cell counts the larger, 2.
   * County K1: its withheld villages in withheld townships: b2 (2 sellers): K1 - T1 - T3 - a2 = b2 -> withheld.
   * County K2: e (2) + g (1) = 3 sellers -> published (K2 - f = e + g).
   * Prefecture P1: withheld villages in withheld townships of withheld counties: b2 -> withheld; province R1 too.
   */
  static Dataset<Row> status() {
    List<Row> rows = new ArrayList<>(List.of(year("a", 2022, 5, 50), year("b", 2022, 2, 10), year("c", 2022, 1, 3),
        year("a2", 2022, 10, 90), year("b2", 2022, 2, 4), year("a3", 2022, 4, 9), year("d3", 2022, 0, 0),
        year("e", 2022, 2, 6), year("f", 2022, 10, 70), year("g", 2022, 1, 1),
        RowFactory.create("C", "b", "year", Date.valueOf("2022-12-31"), 2022, 1L, 10L)));
    return spark.createDataFrame(rows, STATUS);
  }

  /** Each village's places in 2022. */
  static Dataset<Row> places() {
    List<Row> rows = new ArrayList<>();
    Map<String, String> towns = Map.of("a", "T1", "b", "T1", "c", "T1", "a2", "T2", "b2", "T2", "a3", "T3", "d3", "T3",
        "e", "T5", "f", "T6", "g", "T6");
    towns.forEach((v, t) -> rows.add(RowFactory.create(v, 2022, t, t.compareTo("T5") < 0 ? "K1" : "K2", "P1", "R1")));
    return spark.createDataFrame(rows, PLACES);
  }

  static Dataset<Row> towns() {
    StructType schema = new StructType().add("rule_id", DataTypes.StringType).add("town_code", DataTypes.StringType)
        .add("year", DataTypes.IntegerType).add("active_sellers", DataTypes.LongType)
        .add("sales_rmb", DataTypes.createDecimalType(28, 2)).add("deciding", DataTypes.StringType)
        .add("villages_with_sales", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    Map<String, Long> own = Map.of("T1", 8L, "T2", 12L, "T3", 4L, "T5", 2L, "T6", 11L);
    own.forEach((t, n) -> rows.add(RowFactory.create("T1", t, 2022, n, new BigDecimal("1000.00"), "text", 2L)));
    return spark.createDataFrame(rows, schema);
  }

  static Map<String, Row> byKey(Dataset<Row> rows, String... key) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : rows.collectAsList()) {
      StringBuilder k = new StringBuilder();
      for (String c : key) {
        k.append(k.length() == 0 ? "" : "/").append(String.valueOf(r.<Object>getAs(c)));
      }
      out.put(k.toString(), r);
    }
    return out;
  }

  @Test
  void aVillageCellCountsTheLargestActiveSellerCountOfItsRules() {
    Map<String, Row> cells = byKey(SmallCells.cells(status(), K), "village_code");
    assertEquals(2L, cells.get("b").<Long>getAs("_cell_sellers"));
    assertFalse(cells.get("b").<Boolean>getAs("_cell_published"));
    assertTrue(cells.get("a3").<Boolean>getAs("_cell_published"));
  }

  @Test
  void aTownshipIsWithheldWhenItsOwnSellersOrItsWithheldVillagesAreFewerThanK() {
    Map<String, Row> towns = byKey(SmallCells.towns(towns(), SmallCells.cells(status(), K), places(), K), "town_code");
    assertFalse(towns.get("T1").<Boolean>getAs("metrics_suppressed"), "b + c: 3 sellers");
    assertTrue(towns.get("T2").<Boolean>getAs("metrics_suppressed"), "T2 - a2 = b2: 2 sellers");
    assertFalse(towns.get("T3").<Boolean>getAs("metrics_suppressed"), "d3 sold nothing");
    assertTrue(towns.get("T5").<Boolean>getAs("metrics_suppressed"), "2 sellers in all");
    assertTrue(towns.get("T6").<Boolean>getAs("metrics_suppressed"), "T6 - f = g: 1 seller");
    Row t2 = towns.get("T2");
    assertNull(t2.getAs("sales_rmb"));
    assertNull(t2.getAs("active_sellers"));
    assertNull(t2.getAs("deciding"));
    assertEquals(2L, t2.<Long>getAs("villages_with_sales"), "a count of villages stays");
    assertEquals(new BigDecimal("1000.00"), towns.get("T1").getAs("sales_rmb"));
  }

  @Test
  void aWithheldTownshipsResidualIsCarriedUpToItsCountyPrefectureAndProvince() {
    Dataset<Row> cells = SmallCells.cells(status(), K);
    Dataset<Row> towns = SmallCells.towns(towns(), cells, places(), K);
    Dataset<Row> published = towns.where("not metrics_suppressed").select("town_code", "year");
    StructType schema = new StructType().add("level", DataTypes.StringType).add("unit_code", DataTypes.StringType)
        .add("year", DataTypes.IntegerType).add("villages", DataTypes.LongType)
        .add("active_sellers", DataTypes.LongType).add("sales_rmb", DataTypes.createDecimalType(28, 2))
        .add("seller_growth", DataTypes.DoubleType).add("known_origin_sellers", DataTypes.LongType)
        .add("migrant_seller_share", DataTypes.DoubleType);
    BigDecimal sales = new BigDecimal("5000.00");
    Dataset<Row> features = spark.createDataFrame(List.of(
        RowFactory.create("county", "K1", 2022, 7L, 24L, sales, 0.1, 24L, 0.5),
        RowFactory.create("county", "K2", 2022, 3L, 13L, sales, 0.2, 2L, 0.5),
        // K2 in 2021: 2 sellers, withheld; so is K2's 2022 growth, which would give 2021's count back.
        RowFactory.create("county", "K2", 2021, 3L, 2L, sales, null, 2L, 0.5),
        RowFactory.create("prefecture", "P1", 2022, 10L, 37L, sales, 0.1, 26L, 0.5),
        RowFactory.create("province", "R1", 2022, 10L, 37L, sales, 0.1, 26L, 0.5)), schema);
    Map<String, Row> out = byKey(SmallCells.countyFeatures(features, cells, places(), published, K), "level",
        "unit_code", "year");
    assertTrue(out.get("county/K1/2022").<Boolean>getAs("metrics_suppressed"), "K1 - T1 - T3 - a2 = b2");
    assertNull(out.get("county/K1/2022").getAs("sales_rmb"));
    assertEquals(7L, out.get("county/K1/2022").<Long>getAs("villages"), "a count of villages stays");
    assertFalse(out.get("county/K2/2022").<Boolean>getAs("metrics_suppressed"), "K2 - f = e + g: 3 sellers");
    assertEquals(sales, out.get("county/K2/2022").getAs("sales_rmb"));
    assertTrue(out.get("county/K2/2021").<Boolean>getAs("metrics_suppressed"), "2 sellers");
    assertTrue(out.get("county/K2/2022").<Boolean>getAs("change_suppressed"));
    assertNull(out.get("county/K2/2022").getAs("seller_growth"));
    // 2 sellers of known origin: the origin share is withheld, the rest of the row is not.
    assertTrue(out.get("county/K2/2022").<Boolean>getAs("origin_suppressed"));
    assertNull(out.get("county/K2/2022").getAs("migrant_seller_share"));
    assertNull(out.get("county/K2/2022").getAs("known_origin_sellers"));
    assertTrue(out.get("prefecture/P1/2022").<Boolean>getAs("metrics_suppressed"), "P1 - K2 - T1 - T3 - a2 = b2");
    assertTrue(out.get("province/R1/2022").<Boolean>getAs("metrics_suppressed"), "the same one prefecture");
    assertFalse(out.get("prefecture/P1/2022").<Boolean>getAs("origin_suppressed"), "26 sellers of known origin");
  }

  /** Without any published township the county's residual is every withheld village in it. */
  @Test
  void withoutTownshipsACountysResidualIsAllItsWithheldVillages() {
    Dataset<Row> cells = SmallCells.cells(status(), K);
    StructType schema = new StructType().add("level", DataTypes.StringType).add("unit_code", DataTypes.StringType)
        .add("year", DataTypes.IntegerType).add("active_sellers", DataTypes.LongType)
        .add("known_origin_sellers", DataTypes.LongType);
    Dataset<Row> features = spark.createDataFrame(List.of(RowFactory.create("county", "K1", 2022, 24L, 24L)), schema);
    Dataset<Row> none = spark.createDataFrame(List.of(), new StructType().add("town_code", DataTypes.StringType)
        .add("year", DataTypes.IntegerType));
    // b 2 + c 1 + b2 2 = 5 sellers: published.
    assertFalse(SmallCells.countyFeatures(features, cells, places(), none, K).first()
        .<Boolean>getAs("metrics_suppressed"));
  }

  @Test
  void hotSpotValuesAreWithheldBelowKSellersIncludingVillagesWithoutSales() {
    StructType schema = new StructType().add("rule_id", DataTypes.StringType)
        .add("village_code", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("value", DataTypes.createDecimalType(28, 2)).add("gi_star", DataTypes.DoubleType);
    Dataset<Row> years = spark.createDataFrame(List.of(
        RowFactory.create("A", "a", 2022, new BigDecimal("10.00"), 1.5),
        RowFactory.create("A", "b", 2022, new BigDecimal("7.00"), 0.5),
        RowFactory.create("A", "z", 2022, new BigDecimal("0.00"), -0.2)), schema);
    Map<String, Row> out = byKey(SmallCells.hotSpotYears(years, status(), K), "village_code");
    assertEquals(new BigDecimal("10.00"), out.get("a").getAs("value"));
    assertNull(out.get("b").getAs("value"), "2 sellers");
    assertNull(out.get("z").getAs("value"), "no seller");
    assertTrue(out.get("z").<Boolean>getAs("metrics_suppressed"));
    assertEquals(0.5, out.get("b").<Double>getAs("gi_star"), 0.0, "Gi* stays (a statistic of the band)");
  }

  @Test
  void watchlistGrowthIsWithheldWhenTheYearItIsMeasuredFromHadFewerThanKSellers() {
    StructType statusT12m = STATUS;
    Dataset<Row> status = spark.createDataFrame(List.of(
        // 12 months before 2022-06-30: a had 2 sellers (4 orders), c had no sale.
        RowFactory.create("A", "a", "t12m", Date.valueOf("2021-06-30"), 2021, 2L, 4L),
        RowFactory.create("A", "c", "t12m", Date.valueOf("2021-06-30"), 2021, 0L, 0L),
        RowFactory.create("A", "d", "t12m", Date.valueOf("2021-06-30"), 2021, 9L, 40L)), statusT12m);
    StructType schema = new StructType().add("rule_id", DataTypes.StringType)
        .add("village_code", DataTypes.StringType).add("as_of", DataTypes.DateType)
        .add("active_sellers", DataTypes.LongType).add("sales_rmb", DataTypes.createDecimalType(28, 2))
        .add("sales_monthly_growth", DataTypes.DoubleType).add("months_to_qualify", DataTypes.IntegerType)
        .add("explanation", DataTypes.StringType);
    Date asOf = Date.valueOf("2022-06-30");
    Dataset<Row> list = spark.createDataFrame(List.of(
        RowFactory.create("A", "a", asOf, 5L, new BigDecimal("9.00"), 0.1, 4, "x"),
        RowFactory.create("A", "b", asOf, 2L, new BigDecimal("9.00"), 0.1, 4, "x"),
        RowFactory.create("A", "c", asOf, 4L, new BigDecimal("9.00"), null, 4, "x"),
        RowFactory.create("A", "d", asOf, 12L, new BigDecimal("9.00"), 0.1, 4, "x")), schema);
    Map<String, Row> out = byKey(SmallCells.watchlist(list, status, 12, K), "village_code");
    assertFalse(out.get("a").<Boolean>getAs("metrics_suppressed"));
    assertTrue(out.get("a").<Boolean>getAs("change_suppressed"), "its base had 2 sellers");
    assertNull(out.get("a").getAs("sales_monthly_growth"));
    assertEquals(new BigDecimal("9.00"), out.get("a").getAs("sales_rmb"));
    assertEquals(4, out.get("a").<Integer>getAs("months_to_qualify"), "the list's outcome stays");
    assertTrue(out.get("b").<Boolean>getAs("metrics_suppressed"));
    assertNull(out.get("b").getAs("sales_rmb"));
    assertNull(out.get("b").getAs("explanation"));
    assertFalse(out.get("c").<Boolean>getAs("change_suppressed"), "its base sold nothing");
    assertFalse(out.get("d").<Boolean>getAs("change_suppressed"));
    assertEquals(0.1, out.get("d").<Double>getAs("sales_monthly_growth"), 0.0);
  }

  @Test
  void emergenceScoresAreWithheldWhenTheYearOrOneOfTheTwoBeforeIsASmallCell() {
    Dataset<Row> status = spark.createDataFrame(List.of(year("a", 2022, 5, 50), year("a", 2021, 2, 3),
        year("h", 2022, 5, 50), year("h", 2021, 4, 8), year("h", 2020, 0, 0), year("b", 2022, 2, 10),
        year("m", 2022, 6, 10), year("m", 2021, 6, 10), year("m", 2020, 1, 1)), STATUS);
    StructType schema = new StructType().add("village_code", DataTypes.StringType)
        .add("year", DataTypes.IntegerType).add("model_score", DataTypes.DoubleType)
        .add("naive_growth_score", DataTypes.DoubleType);
    Dataset<Row> scores = spark.createDataFrame(List.of(RowFactory.create("a", 2022, 0.5, 0.6),
        RowFactory.create("h", 2022, 0.5, 0.6), RowFactory.create("b", 2022, 0.5, 0.6),
        RowFactory.create("m", 2022, 0.5, 0.6)), schema);
    Map<String, Row> out = byKey(SmallCells.emergence(scores, SmallCells.cells(status, K)), "village_code");
    assertTrue(out.get("a").<Boolean>getAs("metrics_suppressed"), "2021: 2 sellers");
    assertNull(out.get("a").getAs("model_score"));
    assertFalse(out.get("h").<Boolean>getAs("metrics_suppressed"), "2020 sold nothing");
    assertEquals(0.6, out.get("h").<Double>getAs("naive_growth_score"), 0.0);
    assertTrue(out.get("b").<Boolean>getAs("metrics_suppressed"), "2022: 2 sellers");
    assertTrue(out.get("m").<Boolean>getAs("metrics_suppressed"), "2020, two years before: 1 seller");
  }

  @Test
  void aClusterIsWithheldWhenItsWithheldMembersHaveFewerThanKSellers() {
    StructType members = new StructType().add("rule_id", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("unit_id", DataTypes.StringType).add("village_code", DataTypes.StringType);
    // X: a (published) and b (2 sellers): X - a = b. Y: a, c (1) and b2 (2): 3 sellers withheld.
    Dataset<Row> m = spark.createDataFrame(List.of(RowFactory.create("K", 2022, "X", "a"),
        RowFactory.create("K", 2022, "X", "b"), RowFactory.create("K", 2022, "Y", "a"),
        RowFactory.create("K", 2022, "Y", "c"), RowFactory.create("K", 2022, "Y", "b2")), members);
    StructType schema = new StructType().add("rule_id", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("cluster_id", DataTypes.StringType).add("sales_rmb", DataTypes.createDecimalType(28, 2));
    Dataset<Row> clusters = spark.createDataFrame(List.of(RowFactory.create("K", 2022, "X", new BigDecimal("1.00")),
        RowFactory.create("K", 2022, "Y", new BigDecimal("2.00"))), schema);
    Map<String, Row> out = byKey(SmallCells.clusters(clusters, m, SmallCells.cells(status(), K), K), "cluster_id");
    assertTrue(out.get("X").<Boolean>getAs("metrics_suppressed"));
    assertNull(out.get("X").getAs("sales_rmb"));
    assertFalse(out.get("Y").<Boolean>getAs("metrics_suppressed"));
  }
}
