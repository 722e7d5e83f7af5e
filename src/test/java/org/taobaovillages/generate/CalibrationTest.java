package org.taobaovillages.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.TownRule;

/**
 * Calibration on a reduced real world (2 % of the country's villages, whole counties in three strata), under
 * the default rule: the generated Taobao Villages against the published record of the same counties, read
 * here from the reference CSV in plain Java.
 */
class CalibrationTest {
  @TempDir static Path dir;
  static GenerateJob.Result result;
  static List<CalibrationReport.YearLine> years;

  @BeforeAll
  static void build() {
    AppConfig app = AppConfig.load(null);
    result = GenerateJob.run(TestSpark.get(), app, app.generate().withScale(0.02), dir.resolve("in").toUri().toString(),
        dir.resolve("truth").toUri().toString(), false);
    years = CalibrationReport.years(result);
  }

  /** Published Taobao Villages of 2014-2016 per year over the given counties (county_counts_2014_2016.csv). */
  static Map<Integer, Integer> published(Set<String> counties) throws Exception {
    Map<Integer, Integer> m = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(
        Path.of("reference/taobao-village-counts/county_counts_2014_2016.csv"))) {
      in.readLine();
      for (String line; (line = in.readLine()) != null; ) {
        String[] f = line.split(",", -1);
        if (counties.contains(f[5])) {
          m.merge(Integer.parseInt(f[0]), Integer.parseInt(f[6]), Integer::sum);
        }
      }
    }
    return m;
  }

  @Test
  void publishedYearsMatchTheCountiesRosterWithinTwentyPercent() throws Exception {
    Set<String> counties = new HashSet<>();
    result.world().selectedCounties().select(ReferenceData.COUNTY_CODE).collectAsList()
        .forEach(r -> counties.add(r.getString(0)));
    Map<Integer, Integer> published = published(counties);
    assertTrue(published.getOrDefault(2016, 0) >= 10, "the reduced world has Taobao Village counties: " + published);
    for (CalibrationReport.YearLine l : years) {
      if (l.year() >= 2014 && l.year() <= 2016) {
        int p = published.getOrDefault(l.year(), 0);
        assertEquals(p, l.generated(), 0.2 * p, l.toString());
      }
    }
  }

  @Test
  void theTrajectoryGrowsAfterThePublishedYearsAndStaysInTheEast() {
    Map<Integer, CalibrationReport.YearLine> byYear = new HashMap<>();
    years.forEach(l -> byYear.put(l.year(), l));
    // Growth by diffusion: more Taobao Villages every year from 2016 to 2022, several times the 2016 count.
    for (int y = 2017; y <= 2022; y++) {
      assertTrue(byYear.get(y).generated() >= byYear.get(y - 1).generated(), "growth in " + y);
    }
    assertTrue(byYear.get(2022).generated() >= 3 * byYear.get(2016).generated(), byYear.get(2022).toString());
  }

  @Test
  void theWholeCountrysDesignFollowsTheNationalSeriesAndStaysInTheEast() {
    // The designed counts of every county (the calibration is always national), summed per year in Spark.
    int[] published = {3, 0, 0, 0, 20, 212, 780, 1311, 2118, 3202, 4310, 5425, 7023, 7780};
    List<Row> rows = result.world().allCounties()
        .select(org.apache.spark.sql.functions.posexplode(org.apache.spark.sql.functions.col(WorldModel.TV_COUNTS)),
            org.apache.spark.sql.functions.col(ReferenceData.PROVINCE_CODE))
        .groupBy("pos").agg(org.apache.spark.sql.functions.sum("col"),
            org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.expr(
                "case when province_code in ('11','12','13','31','32','33','35','37','44','46') then col else 0 end")))
        .orderBy("pos").collectAsList();
    assertEquals(14, rows.size());
    for (Row r : rows) {
      int year = 2009 + r.getInt(0);
      long total = r.getLong(1);
      if (published[r.getInt(0)] > 0) {
        assertEquals(published[r.getInt(0)], total, 0.15 * published[r.getInt(0)], "national " + year);
      }
      if (total >= 20) {
        assertTrue(r.getLong(2) > 0.9 * total, "more than 90 % in the East in " + year + ": " + r);
      }
    }
  }

  @Test
  void earlyTaobaoVillagesLieInTheCountiesThatReallyHadThem() {
    for (var e : CalibrationReport.realCountyShare(result).entrySet()) {
      assertTrue(e.getValue() >= 0.8, e.getKey() + ": " + e.getValue());
    }
  }

  @Test
  void aFewVillagesOfTheFormedCountiesDeclineAndLoseTheStatus() {
    long lost = result.ledger().where("designed_taobao_village").groupBy("village_code").agg(
        org.apache.spark.sql.functions.max("year").as("last")).where("last < 2022").count();
    List<Row> declining = result.world().villages().where("decline_year is not null").collectAsList();
    assertFalse(declining.isEmpty(), "declining villages are designed");
    assertTrue(lost > 0, "and some lose the status before 2022");
  }

  /** Per town and year, worked out in plain Java from the collected ledger: {Taobao Villages, shops}, sales. */
  record TownYear(String town, int year) {}

  @Test
  void theReportsTownsAndSpreadAreWhatTheLedgerShows() {
    Map<String, String> townOf = new HashMap<>();
    for (Row r : result.world().villages().select("village_code", "town_code").collectAsList()) {
      townOf.put(r.getString(0), r.getString(1));
    }
    Map<TownYear, long[]> counts = new HashMap<>();
    Map<TownYear, BigDecimal> sales = new HashMap<>();
    Map<Integer, Set<String>> provinces = new TreeMap<>();
    Map<Integer, Set<String>> cities = new TreeMap<>();
    for (Row r : result.ledger().select("village_code", "year", "designed_taobao_village", "sales_rmb",
        "active_sellers").collectAsList()) {
      String village = r.getString(0);
      TownYear key = new TownYear(townOf.get(village), r.getInt(1));
      boolean taobao = r.getBoolean(2);
      long[] c = counts.computeIfAbsent(key, k -> new long[2]);
      c[0] += taobao ? 1 : 0;
      c[1] += r.getLong(4);
      sales.merge(key, r.getDecimal(3), BigDecimal::add);
      if (taobao) {
        provinces.computeIfAbsent(r.getInt(1), k -> new HashSet<>()).add(village.substring(0, 2));
        cities.computeIfAbsent(r.getInt(1), k -> new HashSet<>()).add(village.substring(0, 4));
      }
    }
    // The widened definition as published (domain.md section 2): three Taobao Villages, or sales above
    // RMB 30 M with at least 300 active shops.
    Map<Integer, long[]> expected = new TreeMap<>();
    for (var e : counts.entrySet()) {
      long tv = e.getValue()[0];
      boolean bySales = sales.get(e.getKey()).compareTo(new BigDecimal(30_000_000)) > 0 && e.getValue()[1] >= 300;
      long[] x = expected.computeIfAbsent(e.getKey().year(), k -> new long[4]);
      x[0] += tv >= 3 ? 1 : 0;
      x[1] += tv >= 3 || bySales ? 1 : 0;
      x[2] += tv == 1 ? 1 : 0;
      x[3] = Math.max(x[3], tv);
    }
    TownRule widened = AppConfig.load(null).rules().townRules().stream().filter(TownRule::widened).findFirst()
        .orElseThrow();
    List<CalibrationReport.TownLine> towns = CalibrationReport.towns(result, widened);
    assertEquals(expected.keySet(), new HashSet<>(towns.stream().map(CalibrationReport.TownLine::year).toList()));
    long widenedOnly = 0;
    for (CalibrationReport.TownLine l : towns) {
      long[] x = expected.get(l.year());
      assertEquals(x[0], l.threeVillages(), "T1 " + l.year());
      assertEquals(x[1], l.widened(), "widened " + l.year());
      assertEquals(x[2], l.sizes()[0], "townships with one " + l.year());
      assertEquals(x[3], l.largest(), "largest " + l.year());
      widenedOnly += l.widened() - l.threeVillages();
    }
    assertTrue(widenedOnly > 0, "some towns qualify by sales alone");
    for (CalibrationReport.SpreadLine l : CalibrationReport.spread(result)) {
      assertEquals(provinces.get(l.year()).size(), l.provinces(), "provinces " + l.year());
      assertEquals(cities.get(l.year()).size(), l.cities(), "cities " + l.year());
    }
  }

  @Test
  void theReportPrintsEverySection() {
    TownRule widened = AppConfig.load(null).rules().townRules().stream().filter(TownRule::widened).findFirst()
        .orElseThrow();
    java.io.StringWriter text = new java.io.StringWriter();
    CalibrationReport.print(result, widened, new java.io.PrintWriter(text));
    String report = text.toString();
    for (String section : List.of("Calibration:", "Spread:", "Taobao Towns:", "Province shares", "Provinces 2014-2016",
        "Top counties")) {
      assertTrue(report.contains(section), section + " in\n" + report);
    }
    // One line per year from 2009 in the towns table, and the 2022 spread line with the published 28 and 180.
    assertTrue(report.lines().anyMatch(l -> l.matches("\\s+2022\\s+\\d+\\s+28\\s+\\d+\\s+180")), report);
    assertEquals(14, report.lines().filter(l -> l.matches("\\s+20\\d\\d(\\s+\\d+){2}\\s+(\\d+|-)\\s+\\S+(\\s+\\d+){7}"))
        .count(), report);
  }
}
