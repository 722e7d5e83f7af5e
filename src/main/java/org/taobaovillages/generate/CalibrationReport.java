package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.TownRule;
import org.taobaovillages.region.Regions;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillagePeriod;

/**
 * Generated vs published, over the generated counties only: per year (villages, East share, Taobao Towns,
 * super-sized counties), the spread (provinces and prefecture-level cities with Taobao Villages), Taobao Towns
 * under both definitions with their size distribution, each province's share per year, per province for
 * 2014-2016, the share of 2014-2016 Taobao Villages in counties that really had them, and the top counties.
 * Targets restricted to the generated counties: 2014-2016 the published counts of those counties; other years
 * the national count times the counties' share of the published 2014 (before) or 2016 (after) count. Everything collected here is aggregated first (years, provinces, counties).
 */
public final class CalibrationReport {
  /** Tolerances of the calibration (issue: national series per year, provinces 2014-2016). */
  public static final double YEAR_TOLERANCE = 0.15;
  public static final double PROVINCE_TOLERANCE = 0.20;

  /** The prefecture-level city of a village: the first four digits of its code. */
  static final String CITY = "_city";

  private CalibrationReport() {}

  /** Per year: generated count, target, East count, towns with at least 3, counties with more than 100. */
  public record YearLine(int year, long generated, long target, long east, long towns, long superCounties,
      Integer publishedNational, Integer publishedTowns) {
    double deviation() {
      return target == 0 ? (generated == 0 ? 0 : Double.POSITIVE_INFINITY) : (double) generated / target - 1;
    }
  }

  public static List<YearLine> years(GenerateJob.Result r) {
    Dataset<Row> tv = taobaoVillages(r);
    Map<Integer, long[]> byYear = new TreeMap<>();
    for (Row row : tv.groupBy(VillagePeriod.YEAR).agg(count(lit(1)),
        sum(when(col(CountyFactors.MACRO_REGION).equalTo(Regions.EAST), 1).otherwise(0))).collectAsList()) {
      byYear.computeIfAbsent(row.getInt(0), y -> new long[4])[0] = row.getLong(1);
      byYear.get(row.getInt(0))[1] = row.getLong(2);
    }
    for (Row row : tv.groupBy(VillagePeriod.YEAR, VillageRegistry.TOWN_CODE).count().where(col("count").geq(3))
        .groupBy(VillagePeriod.YEAR).count().collectAsList()) {
      byYear.get(row.getInt(0))[2] = row.getLong(1);
    }
    for (Row row : tv.groupBy(VillagePeriod.YEAR, VillageRegistry.COUNTY_CODE).count().where(col("count").gt(100))
        .groupBy(VillagePeriod.YEAR).count().collectAsList()) {
      byYear.get(row.getInt(0))[3] = row.getLong(1);
    }
    Map<Integer, Integer> national = new HashMap<>();
    Map<Integer, Integer> towns = new HashMap<>();
    for (Row row : r.reference().nationalCounts().collectAsList()) {
      national.put(row.getInt(0), row.getInt(1));
      if (!row.isNullAt(2)) {
        towns.put(row.getInt(0), row.getInt(2));
      }
    }
    Map<Integer, Long> published = publishedInSelection(r);
    long all2014 = r.reference().countyCounts().where(col(ReferenceData.YEAR).equalTo(2014))
        .agg(sum(ReferenceData.TAOBAO_VILLAGES)).first().getLong(0);
    long all2016 = r.reference().countyCounts().where(col(ReferenceData.YEAR).equalTo(2016))
        .agg(sum(ReferenceData.TAOBAO_VILLAGES)).first().getLong(0);
    Row firstYear = r.ledger().agg(min(VillagePeriod.YEAR)).first();
    int first = firstYear.isNullAt(0) ? CountyTrajectories.FIRST_YEAR : firstYear.getInt(0);
    List<YearLine> lines = new ArrayList<>();
    for (int y = Math.max(first, CountyTrajectories.FIRST_YEAR); y <= CountyTrajectories.LAST_YEAR; y++) {
      long target;
      if (y >= 2014 && y <= 2016) {
        target = published.getOrDefault(y, 0L);
      } else {
        double share = y < 2014 ? (double) published.getOrDefault(2014, 0L) / all2014
            : (double) published.getOrDefault(2016, 0L) / all2016;
        target = Math.round(CountyTrajectories.target(national, y) * share);
      }
      long[] g = byYear.getOrDefault(y, new long[4]);
      lines.add(new YearLine(y, g[0], target, g[1], g[2], g[3], national.get(y), towns.get(y)));
    }
    return lines;
  }

  /** Town size classes of the report: towns holding 1, 2, 3-4, 5-9, 10-19 and 20 or more Taobao Villages. */
  static final int[] TOWN_SIZE_FLOORS = {1, 2, 3, 5, 10, 20};

  /** Per year: provinces and prefecture-level cities with Taobao Villages, generated and published. */
  public record SpreadLine(int year, long provinces, long cities, Integer publishedProvinces,
      Integer publishedCities) {}

  /**
   * Provinces and cities with generated Taobao Villages per year, against the published figures: for 2014-2016
   * the rosters' provinces and cities within the generated counties; later, the national figures where a source
   * states them (reference/taobao-village-counts/coverage_by_year.csv), comparable only for the whole country.
   */
  public static List<SpreadLine> spread(GenerateJob.Result r) {
    Map<Integer, long[]> generated = new TreeMap<>();
    for (Row row : taobaoVillages(r).groupBy(VillagePeriod.YEAR)
        .agg(countDistinct(VillageRegistry.PROVINCE_CODE), countDistinct(CITY)).collectAsList()) {
      generated.put(row.getInt(0), new long[] {row.getLong(1), row.getLong(2)});
    }
    Map<Integer, Integer[]> published = new HashMap<>();
    for (Row row : r.reference().coverage().collectAsList()) {
      published.put(row.getInt(0), new Integer[] {row.isNullAt(1) ? null : row.getInt(1),
          row.isNullAt(2) ? null : row.getInt(2)});
    }
    for (Row row : publishedRosters(r)
        .groupBy(ReferenceData.YEAR).agg(countDistinct(ReferenceData.PROVINCE_CODE),
            countDistinct(substring(col(ReferenceData.COUNTY_CODE), 1, 4))).collectAsList()) {
      published.put(row.getInt(0), new Integer[] {(int) row.getLong(1), (int) row.getLong(2)});
    }
    List<SpreadLine> lines = new ArrayList<>();
    generated.forEach((year, g) -> {
      Integer[] p = published.getOrDefault(year, new Integer[2]);
      lines.add(new SpreadLine(year, g[0], g[1], p[0], p[1]));
    });
    return lines;
  }

  /**
   * Per year: Taobao Towns under the three-village definition and under the widened one (three villages, or the
   * township's sales and active shops over the rule's thresholds), the published count (the definition in force:
   * widened from 2019), and the number of townships holding 1, 2, 3-4, 5-9, 10-19, 20+ Taobao Villages, and the
   * largest.
   */
  public record TownLine(int year, long threeVillages, long widened, Integer published, long[] sizes,
      long largest) {}

  public static List<TownLine> towns(GenerateJob.Result r, TownRule widenedRule) {
    Dataset<Row> perTown = r.ledger().join(r.world().villages().select(VillageRegistry.VILLAGE_CODE,
            VillageRegistry.TOWN_CODE), VillagePeriod.VILLAGE_CODE)
        .groupBy(VillageRegistry.TOWN_CODE, VillagePeriod.YEAR)
        .agg(sum(col(WorldModel.DESIGNED).cast("int")).as("_tv"), sum(VillagePeriod.SALES_RMB).as("_sales"),
            sum(VillagePeriod.ACTIVE_SELLERS).as("_shops"));
    Column tv = col("_tv");
    Column byVillages = tv.geq(widenedRule.minVillages());
    Column bySales = widenedRule.sales().operator().apply(col("_sales"), widenedRule.sales().threshold())
        .and(widenedRule.activeShops().operator().apply(col("_shops"), widenedRule.activeShops().threshold()));
    List<Column> aggregates = new ArrayList<>(List.of(sum(when(byVillages, 1).otherwise(0)),
        sum(when(byVillages.or(bySales), 1).otherwise(0)), max(tv)));
    for (int i = 0; i < TOWN_SIZE_FLOORS.length; i++) {
      Column inClass = tv.geq(TOWN_SIZE_FLOORS[i]);
      if (i + 1 < TOWN_SIZE_FLOORS.length) {
        inClass = inClass.and(tv.lt(TOWN_SIZE_FLOORS[i + 1]));
      }
      aggregates.add(sum(when(inClass, 1).otherwise(0)));
    }
    Map<Integer, Integer> published = new HashMap<>();
    for (Row row : r.reference().nationalCounts().where(col(ReferenceData.TAOBAO_TOWNS).isNotNull()).collectAsList()) {
      published.put(row.getInt(0), row.getInt(2));
    }
    List<TownLine> lines = new ArrayList<>();
    for (Row row : perTown.groupBy(VillagePeriod.YEAR).agg(aggregates.get(0),
        aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).orderBy(VillagePeriod.YEAR).collectAsList()) {
      long[] sizes = new long[TOWN_SIZE_FLOORS.length];
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = row.getLong(4 + i);
      }
      lines.add(new TownLine(row.getInt(0), row.getLong(1), row.getLong(2), published.get(row.getInt(0)), sizes,
          row.isNullAt(3) ? 0 : row.getLong(3)));
    }
    return lines;
  }

  /**
   * Each province's Taobao Villages per year (generated), with the published 2014-2016 counts within the generated
   * counties: province code, name, year, generated, published (null where the rosters have none).
   */
  public static List<Row> provinceYears(GenerateJob.Result r) {
    Dataset<Row> generated = taobaoVillages(r)
        .groupBy(col(VillageRegistry.PROVINCE_CODE).as(ReferenceData.PROVINCE_CODE), col(VillagePeriod.YEAR))
        .agg(count(lit(1)).as("generated"));
    Dataset<Row> published = publishedRosters(r)
        .groupBy(ReferenceData.PROVINCE_CODE, ReferenceData.YEAR).agg(sum(ReferenceData.TAOBAO_VILLAGES).as("published"));
    // Both sides are within the generated counties, so their provinces are named there.
    Dataset<Row> names = r.world().selectedCounties().select(ReferenceData.PROVINCE_CODE, ReferenceData.PROVINCE_NAME)
        .dropDuplicates(ReferenceData.PROVINCE_CODE);
    return generated.join(published, scalaSeq(ReferenceData.PROVINCE_CODE, ReferenceData.YEAR), "full")
        .join(names, scalaSeq(ReferenceData.PROVINCE_CODE), "left")
        .select(col(ReferenceData.PROVINCE_CODE), col(ReferenceData.PROVINCE_NAME), col(ReferenceData.YEAR),
            coalesce(col("generated"), lit(0L)), col("published"))
        .orderBy(ReferenceData.PROVINCE_CODE, ReferenceData.YEAR).collectAsList();
  }

  /** Taobao Village-years by design (the planted truth) with their town, county, city, province and region. */
  static Dataset<Row> taobaoVillages(GenerateJob.Result r) {
    Dataset<Row> places = r.world().villages().select(col(VillageRegistry.VILLAGE_CODE), col(VillageRegistry.TOWN_CODE),
        col(VillageRegistry.COUNTY_CODE), substring(col(VillageRegistry.VILLAGE_CODE), 1, 4).as(CITY),
        col(VillageRegistry.PROVINCE_CODE),
        Regions.macroRegion(col(VillageRegistry.PROVINCE_CODE)).as(CountyFactors.MACRO_REGION));
    return r.ledger().where(col(WorldModel.DESIGNED)).select(VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR)
        .join(places, VillagePeriod.VILLAGE_CODE);
  }

  /** The published 2014-2016 county rosters' rows of the generated counties. */
  static Dataset<Row> publishedRosters(GenerateJob.Result r) {
    return r.reference().countyCounts()
        .join(r.world().selectedCounties().select(ReferenceData.COUNTY_CODE), ReferenceData.COUNTY_CODE, "left_semi");
  }

  /** Published county counts 2014-2016 summed over the generated counties. */
  static Map<Integer, Long> publishedInSelection(GenerateJob.Result r) {
    Map<Integer, Long> m = new HashMap<>();
    for (Row row : publishedRosters(r)
        .groupBy(ReferenceData.YEAR).agg(sum(ReferenceData.TAOBAO_VILLAGES)).collectAsList()) {
      m.put(row.getInt(0), row.getLong(1));
    }
    return m;
  }

  /** Share of generated Taobao Villages of each year 2014-2016 that lie in counties published for that year. */
  public static Map<Integer, Double> realCountyShare(GenerateJob.Result r) {
    Dataset<Row> real = r.reference().countyCounts().select(col(ReferenceData.COUNTY_CODE), col(ReferenceData.YEAR)
        .as(VillagePeriod.YEAR)).withColumn("_real", lit(true));
    Map<Integer, Double> m = new TreeMap<>();
    for (Row row : taobaoVillages(r).where(col(VillagePeriod.YEAR).between(2014, 2016))
        .join(real, scalaSeq(VillageRegistry.COUNTY_CODE, VillagePeriod.YEAR), "left")
        .groupBy(VillagePeriod.YEAR).agg(avg(coalesce(col("_real"), lit(false)).cast("double"))).collectAsList()) {
      m.put(row.getInt(0), row.getDouble(1));
    }
    return m;
  }

  /** The counties with the most generated Taobao Villages in the last year. */
  public static List<Row> topCounties(GenerateJob.Result r, int n) {
    Dataset<Row> perCounty = taobaoVillages(r).groupBy(VillageRegistry.COUNTY_CODE)
        .pivot(VillagePeriod.YEAR, List.of(2016, 2019, 2022)).count();
    Dataset<Row> published = r.reference().countyCounts().where(col(ReferenceData.YEAR).equalTo(2016))
        .select(col(ReferenceData.COUNTY_CODE), col(ReferenceData.TAOBAO_VILLAGES).as("published_2016"));
    return perCounty.join(r.world().selectedCounties().select(ReferenceData.COUNTY_CODE, ReferenceData.COUNTY_NAME,
            ReferenceData.PROVINCE_NAME, CountyFactors.QUADRANT), VillageRegistry.COUNTY_CODE)
        .join(published, ReferenceData.COUNTY_CODE, "left")
        .orderBy(coalesce(col("2022"), lit(0L)).desc(), col(ReferenceData.COUNTY_CODE))
        .limit(n).collectAsList();
  }

  /** AliResearch counts Taobao Towns by the widened definition from this year on. */
  static final int WIDENED_TOWNS_FROM = 2019;

  private static String orDash(Integer n) {
    return n == null ? "-" : n.toString();
  }

  /** Province shares (%) per year, for the provinces with at least 1 % in some year; published 2014-2016. */
  private static void printShares(List<Row> rows, PrintWriter out) {
    Map<Integer, Long> generatedTotal = new TreeMap<>();
    Map<Integer, Long> publishedTotal = new TreeMap<>();
    for (Row row : rows) {
      generatedTotal.merge(row.getInt(2), row.getLong(3), Long::sum);
      if (!row.isNullAt(4)) {
        publishedTotal.merge(row.getInt(2), row.getLong(4), Long::sum);
      }
    }
    int from = 2014;
    out.println("Province shares of Taobao Villages (%), generated, and published in brackets (2014-2016 rosters within "
        + "the generated counties); provinces with >= 1 % in some year");
    StringBuilder header = new StringBuilder(String.format("  %-2s %-10s", "", "province"));
    for (int y = from; y <= CountyTrajectories.LAST_YEAR; y++) {
      header.append(String.format(y <= CountyTrajectories.LAST_PUBLISHED_COUNTY_YEAR ? " %12d" : " %5d", y));
    }
    out.println(header);
    Map<String, Map<Integer, Row>> byProvince = new TreeMap<>();
    for (Row row : rows) {
      byProvince.computeIfAbsent(row.getString(0), k -> new TreeMap<>()).put(row.getInt(2), row);
    }
    byProvince.forEach((code, years) -> {
      boolean shown = years.values().stream().anyMatch(row -> generatedTotal.getOrDefault(row.getInt(2), 0L) > 0
          && row.getLong(3) >= 0.01 * generatedTotal.get(row.getInt(2)));
      if (!shown) {
        return;
      }
      Row any = years.values().iterator().next();
      StringBuilder line = new StringBuilder(String.format("  %-2s %-10s", code, any.isNullAt(1) ? "" : any.getString(1)));
      for (int y = from; y <= CountyTrajectories.LAST_YEAR; y++) {
        Row row = years.get(y);
        long total = generatedTotal.getOrDefault(y, 0L);
        double share = row == null || total == 0 ? 0 : 100.0 * row.getLong(3) / total;
        if (y <= CountyTrajectories.LAST_PUBLISHED_COUNTY_YEAR) {
          long published = row == null || row.isNullAt(4) ? 0 : row.getLong(4);
          long pt = publishedTotal.getOrDefault(y, 0L);
          line.append(String.format(" %5.1f (%4.1f)", share, pt == 0 ? 0 : 100.0 * published / pt));
        } else {
          line.append(String.format(" %5.1f", share));
        }
      }
      out.println(line);
    });
  }

  static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }

  /** Prints the report; {@code widenedTowns} is the town rule whose sales criterion gives the widened towns. */
  public static void print(GenerateJob.Result r, TownRule widenedTowns, PrintWriter out) {
    List<YearLine> years = years(r);
    out.println("Calibration: generated (default rule on the generator's ledger) vs published, over the generated "
        + "counties");
    out.printf("  %4s %9s %9s %7s %10s %6s %6s %9s %8s%n", "year", "generated", "target", "diff", "national",
        "east", "towns", "towns-pub", "super");
    for (YearLine l : years) {
      out.printf("  %4d %9d %9d %6.1f%% %10s %5.1f%% %6d %9s %8d%n", l.year(), l.generated(), l.target(),
          100 * l.deviation(), l.publishedNational() == null ? "-" : l.publishedNational(),
          l.generated() == 0 ? 0.0 : 100.0 * l.east() / l.generated(), l.towns(),
          l.publishedTowns() == null ? "-" : l.publishedTowns(), l.superCounties());
    }
    out.println("  (target: published counts of these counties in 2014-2016, else the national count scaled by "
        + "their share of 2014 or 2016; towns-pub is national; super = counties with > 100)");
    out.println("Spread: provinces and prefecture-level cities with Taobao Villages (published: the 2014-2016 rosters "
        + "within the generated counties; later, national figures where a source states them)");
    out.printf("  %4s %9s %9s %7s %9s%n", "year", "provinces", "published", "cities", "published");
    for (SpreadLine l : spread(r)) {
      out.printf("  %4d %9d %9s %7d %9s%n", l.year(), l.provinces(), orDash(l.publishedProvinces()), l.cities(),
          orDash(l.publishedCities()));
    }
    out.println("Taobao Towns: three-village rule (T1) and widened (" + widenedTowns.id() + ": " + widenedTowns.describe()
        + "); published is national and counts by the widened rule from 2019 (diff only for the whole country); "
        + "townships by Taobao Villages held");
    out.printf("  %4s %6s %6s %9s %7s %6s %6s %6s %6s %6s %6s %7s%n", "year", "T1", "wide", "published", "diff", "1",
        "2", "3-4", "5-9", "10-19", "20+", "largest");
    boolean wholeCountry = r.world().selectedCounties().count() == r.world().allCounties().count();
    for (TownLine l : towns(r, widenedTowns)) {
      long compared = l.year() >= WIDENED_TOWNS_FROM ? l.widened() : l.threeVillages();
      long[] z = l.sizes();
      out.printf("  %4d %6d %6d %9s %7s %6d %6d %6d %6d %6d %6d %7d%n", l.year(), l.threeVillages(), l.widened(),
          orDash(l.published()), l.published() == null || !wholeCountry ? "-"
              : String.format("%+.1f%%", 100.0 * compared / l.published() - 100), z[0], z[1], z[2], z[3], z[4], z[5],
          l.largest());
    }
    List<Row> provinceYears = provinceYears(r);
    printShares(provinceYears, out);
    out.println("Provinces 2014-2016 with >= 10 published Taobao Villages in the generated counties:");
    for (Row p : provinceYears) {
      if (!p.isNullAt(4) && p.getLong(4) >= 10) {
        out.printf("  %s %d generated %5d published %5d (%+.1f%%)%n", p.getString(0), p.getInt(2), p.getLong(3),
            p.getLong(4), 100.0 * (p.getLong(3) - p.getLong(4)) / p.getLong(4));
      }
    }
    realCountyShare(r).forEach((y, s) -> out.printf("  %d: %.1f%% of generated Taobao Villages in counties "
        + "published for that year%n", y, 100 * s));
    out.println("Top counties (generated 2016 / 2019 / 2022, published 2016):");
    for (Row c : topCounties(r, 10)) {
      out.printf("  %s %-12s %-8s %-16s %5s %5s %5s  published %s%n", c.getAs(ReferenceData.COUNTY_CODE),
          c.getAs(ReferenceData.COUNTY_NAME), c.getAs(ReferenceData.PROVINCE_NAME), c.getAs(CountyFactors.QUADRANT),
          c.getAs("2016"), c.getAs("2019"), c.getAs("2022"), c.getAs("published_2016"));
    }
    out.flush();
  }
}
