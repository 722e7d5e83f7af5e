package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.region.Regions;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillagePeriod;

/**
 * Generated vs published, over the generated counties only: per year (villages, East share, Taobao Towns,
 * super-sized counties), per province for 2014-2016, the share of 2014-2016 Taobao Villages in counties that
 * really had them, and the top counties. Targets restricted to the generated counties: 2014-2016 the published
 * counts of those counties; other years the national count times the counties' share of the published 2014
 * (before) or 2016 (after) count. Everything collected here is aggregated first (years, provinces, counties).
 */
public final class CalibrationReport {
  /** Tolerances of the calibration (issue: national series per year, provinces 2014-2016). */
  public static final double YEAR_TOLERANCE = 0.15;
  public static final double PROVINCE_TOLERANCE = 0.20;

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
    List<YearLine> lines = new java.util.ArrayList<>();
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

  /** Taobao Village-years by design (the planted truth) with their town, county, province and region. */
  static Dataset<Row> taobaoVillages(GenerateJob.Result r) {
    Dataset<Row> places = r.world().villages().select(col(VillageRegistry.VILLAGE_CODE), col(VillageRegistry.TOWN_CODE),
        col(VillageRegistry.COUNTY_CODE), col(VillageRegistry.PROVINCE_CODE),
        Regions.macroRegion(col(VillageRegistry.PROVINCE_CODE)).as(CountyFactors.MACRO_REGION));
    return r.ledger().where(col(WorldModel.DESIGNED)).select(VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR)
        .join(places, VillagePeriod.VILLAGE_CODE);
  }

  /** Published county counts 2014-2016 summed over the generated counties. */
  static Map<Integer, Long> publishedInSelection(GenerateJob.Result r) {
    Map<Integer, Long> m = new HashMap<>();
    for (Row row : r.reference().countyCounts()
        .join(r.world().selectedCounties().select(ReferenceData.COUNTY_CODE), ReferenceData.COUNTY_CODE, "left_semi")
        .groupBy(ReferenceData.YEAR).agg(sum(ReferenceData.TAOBAO_VILLAGES)).collectAsList()) {
      m.put(row.getInt(0), row.getLong(1));
    }
    return m;
  }

  /** Per province and year 2014-2016: generated, published (over the generated counties). */
  public static List<Row> provinces(GenerateJob.Result r) {
    Dataset<Row> generated = taobaoVillages(r).where(col(VillagePeriod.YEAR).between(2014, 2016))
        .groupBy(col(VillageRegistry.PROVINCE_CODE).as(ReferenceData.PROVINCE_CODE), col(VillagePeriod.YEAR))
        .agg(count(lit(1)).as("generated"));
    Dataset<Row> published = r.reference().countyCounts()
        .join(r.world().selectedCounties().select(ReferenceData.COUNTY_CODE), ReferenceData.COUNTY_CODE, "left_semi")
        .groupBy(ReferenceData.PROVINCE_CODE, ReferenceData.YEAR).agg(sum(ReferenceData.TAOBAO_VILLAGES).as("published"));
    return published.join(generated, scalaSeq(ReferenceData.PROVINCE_CODE, ReferenceData.YEAR), "full")
        .select(col(ReferenceData.PROVINCE_CODE), col(ReferenceData.YEAR), coalesce(col("generated"), lit(0L)),
            coalesce(col("published"), lit(0L)))
        .orderBy(ReferenceData.PROVINCE_CODE, ReferenceData.YEAR).collectAsList();
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

  static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }

  public static void print(GenerateJob.Result r, PrintWriter out) {
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
    out.println("Provinces 2014-2016 with >= 10 published Taobao Villages in the generated counties:");
    for (Row p : provinces(r)) {
      if (p.getLong(3) >= 10) {
        out.printf("  %s %d generated %5d published %5d (%+.1f%%)%n", p.getString(0), p.getInt(1), p.getLong(2),
            p.getLong(3), 100.0 * (p.getLong(2) - p.getLong(3)) / p.getLong(3));
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
