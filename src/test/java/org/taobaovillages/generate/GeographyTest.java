package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.WorldConfig;
import org.taobaovillages.table.VillageRegistry;

/** The real geography on the real reference data, checked against the census files read here in plain Java. */
class GeographyTest {
  static final Path REFERENCE = Path.of("reference").toAbsolutePath();
  static final List<String> COUNTIES = List.of("330782", "371721", "320324", "445281", "620102");
  static Dataset<Row> counties;
  static Dataset<Row> villages;
  static Dataset<Row> factors;

  @BeforeAll
  static void build() {
    SparkSession spark = TestSpark.get();
    var ref = new ReferenceData(spark, REFERENCE.toUri().toString());
    Dataset<Row> committees = ref.villageCommittees().cache();
    counties = Geography.counties(committees, ref.countyCensus()).cache();
    villages = Geography.villages(committees.where(col("county_code").isin(COUNTIES.toArray())), counties, 5).cache();
    factors = CountyFactors.derive(counties, ref.countyCounts().select("county_code"), AppConfig.load(null).world(), 5)
        .cache();
  }

  /** Rows of a gzipped census CSV by county code, as column name to text. */
  static Map<String, Map<String, String>> census(String file) throws Exception {
    Map<String, Map<String, String>> rows = new HashMap<>();
    try (var in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(REFERENCE.resolve("county-census-2020").resolve(file))),
        StandardCharsets.UTF_8))) {
      List<String> header = Arrays.asList(in.readLine().split(","));
      for (String line; (line = in.readLine()) != null; ) {
        String[] v = line.split(",", -1);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
          row.put(header.get(i), v[i]);
        }
        rows.put(v[0], row);
      }
    }
    return rows;
  }

  @Test
  void theRegistryHasEveryVillageCommittee() {
    // SOURCE.md: 488,991 village committees in the 2021 codes.
    assertEquals(488_991L, counties.agg(sum("village_count")).first().getLong(0));
  }

  @Test
  void villagePopulationAndHouseholdsAddUpToTheCensusRuralTotals() throws Exception {
    var population = census("population.csv.gz");
    var households = census("households.csv.gz");
    Map<String, Row> sums = new HashMap<>();
    for (Row r : villages.groupBy("county_code").agg(sum(VillageRegistry.POPULATION), sum(VillageRegistry.HOUSEHOLDS),
        count(lit(1))).collectAsList()) {
      sums.put(r.getString(0), r);
    }
    for (String county : COUNTIES) {
      long popu = Long.parseLong(population.get(county).get("POPU"));
      double urban = Double.parseDouble(population.get(county).get("POPU_URB"));
      double size = Double.parseDouble(households.get(county).get("HHLD_S"));
      long villagesInCounty = sums.get(county).getLong(3);
      long rural = Math.max(Math.round(popu * (1 - urban)), villagesInCounty * 200);
      assertEquals(rural, sums.get(county).getLong(1), county + " population");
      assertEquals(Math.round(rural / size), sums.get(county).getLong(2), county + " households");
    }
  }

  @Test
  void villagesLieInsideTheirCountyAroundTheCentroid() throws Exception {
    var centroids = census("county_centroids.csv.gz");
    List<Row> rows = villages.select("county_code", "longitude", "latitude").collectAsList();
    for (Row r : rows) {
      var c = centroids.get(r.getString(0));
      double lon0 = Double.parseDouble(c.get("lon"));
      double lat0 = Double.parseDouble(c.get("lat"));
      double radiusKm = Math.sqrt(Double.parseDouble(c.get("area_km2")) / Math.PI);
      double north = (r.getDouble(2) - lat0) * 111.32;
      double east = (r.getDouble(1) - lon0) * 111.32 * Math.cos(Math.toRadians(lat0));
      // Town centre within 0.6 R, village within 0.8 R / sqrt(towns) <= 0.8 R of it.
      assertTrue(Math.hypot(north, east) <= 1.4 * radiusKm, r.toString());
    }
  }

  @Test
  void factorsFollowTheCensusThresholdsAndTheFormationRule() throws Exception {
    WorldConfig cfg = AppConfig.load(null).world();
    var employment = census("employment.csv.gz");
    for (Row r : factors.where(col("county_code").isin(COUNTIES.toArray())).collectAsList()) {
      var e = employment.get(r.<String>getAs("county_code"));
      boolean sector = Double.parseDouble(e.get("EMPL_INDU_MANU")) >= cfg.sectorManufacturingShare()
          || Double.parseDouble(e.get("EMPL_INDU_SALE")) >= cfg.sectorWholesaleRetailShare();
      assertEquals(sector, r.<Boolean>getAs(CountyFactors.ROBUST_SECTOR), r.toString());
    }
    assertEquals(0, factors.where(col(CountyFactors.FORMATION_ALLOWED)
        .notEqual(col(CountyFactors.FACTOR_COUNT).geq(2).or(col(CountyFactors.FORMATION_LEAK)))).count());
    // The leak: about 2 % of the counties with fewer than two factors (binomial, 5 standard deviations).
    long few = factors.where(col(CountyFactors.FACTOR_COUNT).lt(2)).count();
    long leaked = factors.where(col(CountyFactors.FORMATION_LEAK)).count();
    assertTrue(few > 500, "enough counties with fewer than two factors: " + few);
    assertEquals(0.02 * few, leaked, 5 * Math.sqrt(few * 0.02 * 0.98), "leaked " + leaked + " of " + few);
  }

  @Test
  void countiesWithPublishedTaobaoVillagesSatisfyTheFormationRule() throws Exception {
    assertEquals(0, factors.where(col(CountyFactors.KNOWN_FORMED).and(col(CountyFactors.FACTOR_COUNT).lt(2))).count());
    // The published list, read here in plain Java: every listed county with a 2021 code is flagged, no other.
    java.util.Set<String> listed = new java.util.HashSet<>();
    try (var lines = Files.lines(REFERENCE.resolve("taobao-village-counts/county_counts_2014_2016.csv"))) {
      lines.skip(1).map(l -> l.split(",", -1)[5]).filter(c -> !c.isEmpty()).forEach(listed::add);
    }
    List<String> flagged = factors.where(col(CountyFactors.KNOWN_FORMED)).select("county_code").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertTrue(listed.containsAll(flagged));
    assertTrue(flagged.size() >= 0.95 * listed.size(), flagged.size() + " of " + listed.size() + " listed counties");
  }

  @Test
  void governanceIsDrawnWithTheRegionsProbabilities() {
    WorldConfig cfg = AppConfig.load(null).world();
    for (Row r : factors.where(not(col(CountyFactors.KNOWN_FORMED))).groupBy(CountyFactors.REGION_KEY).agg(count(lit(1)),
        sum(col(CountyFactors.INTERVENTIONIST).cast("int"))).collectAsList()) {
      double p = cfg.interventionistProbability().get(r.getString(0));
      long n = r.getLong(1);
      assertEquals(p * n, r.getLong(2), 5 * Math.sqrt(n * p * (1 - p)) + 1, r.toString());
    }
  }
}
