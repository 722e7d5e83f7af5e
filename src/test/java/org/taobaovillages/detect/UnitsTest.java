package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
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
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.ClusterRule;
import org.taobaovillages.config.Comparison;
import org.taobaovillages.config.CountyRule;
import org.taobaovillages.config.Criterion;
import org.taobaovillages.config.TownRule;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;

/**
 * Taobao Towns, super-sized counties and clusters at their boundaries (domain.md section 2: a town has at least 3
 * Taobao Villages, or since 2019 sales above RMB 30 M with at least 300 active shops; a cluster at least 10
 * adjacent ones, large at least 30; a super-sized county more than 100), on hand-built village statuses.
 */
class UnitsTest {
  final SparkSession spark = TestSpark.get();
  static final StructType STATUS = new StructType()
      .add(VillagePeriod.VILLAGE_CODE, DataTypes.StringType).add(VillagePeriod.YEAR, DataTypes.IntegerType)
      .add(VillageStatus.QUALIFIES, DataTypes.BooleanType).add(VillagePeriod.SALES_RMB, DataTypes.createDecimalType(28, 2))
      .add(VillagePeriod.ACTIVE_SELLERS, DataTypes.LongType).add(VillagePeriod.PERIOD_COMPLETE, DataTypes.BooleanType);
  static final StructType REGISTRY = new StructType()
      .add(VillageRegistry.VILLAGE_CODE, DataTypes.StringType).add(VillageRegistry.TOWN_CODE, DataTypes.StringType)
      .add(VillageRegistry.TOWN_NAME, DataTypes.StringType).add(VillageRegistry.COUNTY_CODE, DataTypes.StringType)
      .add(VillageRegistry.COUNTY_NAME, DataTypes.StringType).add(VillageRegistry.PROVINCE_CODE, DataTypes.StringType)
      .add(VillageRegistry.LONGITUDE, DataTypes.DoubleType).add(VillageRegistry.LATITUDE, DataTypes.DoubleType);

  final List<Row> status = new ArrayList<>();
  final List<Row> registry = new ArrayList<>();

  /** A village of township {@code town} (9 digits) numbered n, at km north of 30 N on 120 E. */
  void village(String town, int n, int year, boolean qualifies, String sales, long shops, double km) {
    String code = town + String.format("%03d", n);
    status.add(RowFactory.create(code, year, qualifies, new BigDecimal(sales), shops, true));
    if (registry.stream().noneMatch(r -> r.getString(0).equals(code))) {
      registry.add(RowFactory.create(code, town, "town " + town, town.substring(0, 6), "county", town.substring(0, 2),
          120.0, 30 + km / 111.195));
    }
  }

  Dataset<Row> statuses() {
    return spark.createDataFrame(status, STATUS);
  }

  Dataset<Row> places() {
    return spark.createDataFrame(registry, REGISTRY);
  }

  /** The statuses with their village's place (one registry version per village here). */
  Dataset<Row> placed() {
    return statuses().join(places(), VillagePeriod.VILLAGE_CODE);
  }

  static Criterion c(Comparison op, String v) {
    return new Criterion(op, new BigDecimal(v));
  }

  @Test
  void townsOfThreeVillagesAndTheWidenedDefinitionAtItsBoundaries() {
    // 330782001: 2 qualifying villages in 2019 (with the third: RMB 25 M, 250 shops), 3 in 2020.
    for (int i = 1; i <= 3; i++) {
      village("330782001", i, 2019, i <= 2, i <= 2 ? "12000000.00" : "1000000.00", i <= 2 ? 120 : 10, i * 50);
      village("330782001", i, 2020, true, "12000000.00", 120, i * 50);
    }
    // 330782002: one qualifying village, township sales exactly RMB 30 M and 300 shops (2019) / one fen more (2020).
    village("330782002", 1, 2019, true, "20000000.00", 200, 500);
    village("330782002", 2, 2019, false, "10000000.00", 100, 510);
    village("330782002", 1, 2020, true, "20000000.00", 200, 500);
    village("330782002", 2, 2020, false, "10000000.01", 100, 510);
    // 330782003: above RMB 30 M but 299 shops.
    village("330782003", 1, 2020, false, "40000000.00", 299, 900);
    TownRule t1 = new TownRule("T1", "T1.t", "", "", "A", 3, null, null);
    TownRule t2 = new TownRule("T2", "T2.t", "", "", "A", 3, c(Comparison.GREATER_THAN, "30000000"),
        c(Comparison.AT_LEAST, "300"));
    Map<String, Boolean> one = towns(t1);
    assertEquals(Map.of("330782001 2019", false, "330782001 2020", true, "330782002 2019", false,
        "330782002 2020", false, "330782003 2020", false), one);
    Map<String, Boolean> two = towns(t2);
    assertEquals(Map.of("330782001 2019", false, "330782001 2020", true, "330782002 2019", false,
        "330782002 2020", true, "330782003 2020", false), two);
    Row widened = Units.towns(placed(), t2).where(col(TownStatus.TOWN_CODE).equalTo("330782002")
        .and(col(VillagePeriod.YEAR).equalTo(2020))).first();
    assertEquals("sales", widened.getAs(TownStatus.QUALIFIES_BY));
    assertEquals(0, new BigDecimal("30000000.01").compareTo(widened.getAs(TownStatus.SALES_RMB)));
  }

  private Map<String, Boolean> towns(TownRule rule) {
    Map<String, Boolean> out = new HashMap<>();
    Units.towns(placed(), rule).collectAsList().forEach(r -> out.put(r.getAs(TownStatus.TOWN_CODE) + " "
        + r.getAs(VillagePeriod.YEAR), r.getAs(TownStatus.QUALIFIES)));
    return out;
  }

  @Test
  void aSuperSizedCountyHasMoreThanOneHundredQualifyingVillages() {
    // County 330782 (towns 001..): 100 qualifying villages in 2019, 101 in 2020.
    for (int i = 0; i < 101; i++) {
      String town = "330782" + String.format("%03d", 1 + i / 50);
      village(town, i % 50, 2019, i < 100, "12000000.00", 120, i);
      village(town, i % 50, 2020, true, "12000000.00", 120, i);
    }
    CountyRule s = new CountyRule("S", "S.t", "", "", "A", c(Comparison.GREATER_THAN, "100"));
    Map<Integer, Boolean> out = new HashMap<>();
    Map<Integer, Long> counts = new HashMap<>();
    Units.counties(placed(), s).collectAsList().forEach(r -> {
      out.put(r.getAs(VillagePeriod.YEAR), r.getAs(VillageStatus.QUALIFIES));
      counts.put(r.getAs(VillagePeriod.YEAR), r.getAs(TownStatus.QUALIFYING_VILLAGES));
    });
    assertEquals(Map.of(2019, false, 2020, true), out);
    assertEquals(Map.of(2019, 100L, 2020, 101L), counts);
  }

  @Test
  void clustersOfTenAndLargeClustersOfThirtyLinkedWithinTheDistance() {
    // 2019: a chain of 10 villages 2.9 km apart (one cluster), and a chain of 9 (none); a village 3.1 km past the
    // end of the 10 is not linked. 2020: a chain of 30 (large).
    for (int i = 0; i < 10; i++) {
      village("330782001", i, 2019, true, "12000000.00", 120, i * 2.9);
    }
    village("330782001", 10, 2019, true, "12000000.00", 120, 9 * 2.9 + 3.1);
    for (int i = 0; i < 9; i++) {
      village("330782002", i, 2019, true, "12000000.00", 120, 200 + i * 2.9);
    }
    village("330782002", 9, 2019, false, "12000000.00", 120, 200 + 9 * 2.9);
    for (int i = 0; i < 30; i++) {
      village("330782003", i, 2020, true, "12000000.00", 120, 400 + i * 2.9);
    }
    ClusterRule k = new ClusterRule("K", "K.t", "", "", "A", 3.0, 10, 30);
    Dataset<Row> components = Clusters.components(placed(), 3.0);
    List<Row> clusters = Clusters.clusters(components, k).orderBy(VillagePeriod.YEAR).collectAsList();
    assertEquals(2, clusters.size(), clusters.toString());
    assertEquals(List.of(2019, 10L, "cluster", "330782001000"), List.of(clusters.get(0).getAs(VillagePeriod.YEAR),
        clusters.get(0).getAs(ClusterStatus.VILLAGES), clusters.get(0).getAs(ClusterStatus.SIZE_CLASS),
        clusters.get(0).getAs(ClusterStatus.CLUSTER_ID)));
    assertEquals(List.of(2020, 30L, "large"), List.of(clusters.get(1).getAs(VillagePeriod.YEAR),
        clusters.get(1).getAs(ClusterStatus.VILLAGES), clusters.get(1).getAs(ClusterStatus.SIZE_CLASS)));
    // The lone village past the end is a component of its own.
    assertEquals(1L, components.where(col(VillagePeriod.VILLAGE_CODE).equalTo("330782001010")).first()
        .<Long>getAs(ClusterStatus.VILLAGES));
  }

  /**
   * A village moved from township 330782001 to 330782002 by a registry version of 2021-06-01: its years 2019 and
   * 2020 still count to the old township, 2021 (whose end is after the change) to the new one; a run of 2021-03-31,
   * which does not know the change yet, keeps 2021 in the old township too.
   */
  @Test
  void eachYearCountsToTheTownshipOfTheRegistryVersionInForceAtItsEnd() {
    String moved = "330782001007";
    StructType statusWithEnd = STATUS.add(VillagePeriod.PERIOD_END, DataTypes.DateType);
    List<Row> rows = new ArrayList<>();
    for (int year : List.of(2019, 2020, 2021)) {
      rows.add(RowFactory.create(moved, year, true, new BigDecimal("12000000.00"), 120L, true,
          java.sql.Date.valueOf(year + "-12-31")));
    }
    Dataset<Row> versions = spark.createDataFrame(List.of(
        registryVersion(moved, "330782001", "2019-12-31", "2021-06-01"),
        registryVersion(moved, "330782002", "2021-06-01", null)),
        org.taobaovillages.table.DimensionColumns.tableSchema(VillageRegistry.SCHEMA));
    Map<Integer, String> known = townsByYear(Units.placed(spark.createDataFrame(rows, statusWithEnd),
        org.taobaovillages.table.DimensionColumns.timeline(versions, VillageRegistry.VILLAGE_CODE,
            java.time.LocalDate.of(2021, 12, 31)), java.time.LocalDate.of(2021, 12, 31)));
    assertEquals(Map.of(2019, "330782001", 2020, "330782001", 2021, "330782002"), known);
    Map<Integer, String> before = townsByYear(Units.placed(spark.createDataFrame(rows, statusWithEnd),
        org.taobaovillages.table.DimensionColumns.timeline(versions, VillageRegistry.VILLAGE_CODE,
            java.time.LocalDate.of(2021, 3, 31)), java.time.LocalDate.of(2021, 3, 31)));
    assertEquals(Map.of(2019, "330782001", 2020, "330782001", 2021, "330782001"), before);
  }

  private static Map<Integer, String> townsByYear(Dataset<Row> placed) {
    Map<Integer, String> out = new HashMap<>();
    placed.collectAsList().forEach(r -> out.put(r.getAs(VillagePeriod.YEAR), r.getAs(VillageRegistry.TOWN_CODE)));
    return out;
  }

  private static Row registryVersion(String code, String town, String from, String to) {
    return RowFactory.create(code, "v", town, "t" + town, code.substring(0, 6), "c", code.substring(0, 4), "ci",
        code.substring(0, 2), "p", 120.0, 30.0, 100, 300, Map.of(), java.sql.Date.valueOf(from),
        to == null ? null : java.sql.Date.valueOf(to), "r");
  }
}
