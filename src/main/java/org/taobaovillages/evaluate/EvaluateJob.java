package org.taobaovillages.evaluate;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.config.ClusterRule;
import org.taobaovillages.config.CountyRule;
import org.taobaovillages.config.DetectConfig;
import org.taobaovillages.config.RuleSets;
import org.taobaovillages.config.TownRule;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.CountyStatus;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.Evaluation;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.TruthVillages;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.Watchlist;

/**
 * {@code evaluate}: detection against a generated world's planted truth ({@code generate --truth}), which the
 * world model sets by design and never by a detection rule. Per year, under the primary village rule: precision
 * and recall of newly qualifying villages against the designed first years, and every disagreement with its
 * deciding condition; the watchlist at each year-end against the villages designed to qualify the next year
 * (recall, precision at k, lead time); Taobao Towns, clusters and super-sized counties against the counts the
 * designed statuses give (clusters found by a plain-Java union-find, not the detection code).
 *
 * <p>The data window is the calendar years with complete village status; a designed first year before it counts
 * as its first year (a village cannot be found before its first orders).
 */
public final class EvaluateJob {
  private static final String DESIGNED = Evaluation.DESIGNED_FIRST_YEAR;
  private static final String DETECTED = Evaluation.DETECTED_FIRST_YEAR;
  static final List<Integer> K = List.of(10, 50, 100);

  private EvaluateJob() {}

  /** The measures written (one row each) and the number of disagreeing villages. */
  public record Result(List<Row> measures, long disagreements, long villages) {}

  public static Result run(Warehouse warehouse, String truthRoot, RuleSets rules, DetectConfig cfg, RunContext run) {
    SparkSession spark = warehouse.spark();
    String ruleId = cfg.primaryRule();
    if (!Warehouse.pathExists(spark, truthRoot + "/" + TruthVillages.NAME)) {
      throw new UserError("no truth at " + truthRoot + "/" + TruthVillages.NAME + ": pass --truth, the directory "
          + "generate wrote its truth tables to (default <output>-truth)");
    }
    Dataset<Row> truth = spark.read().parquet(truthRoot + "/" + TruthVillages.NAME);
    Dataset<Row> status = warehouse.read(VillageStatus.NAME, "detect").where(col(VillageStatus.RULE_ID).equalTo(ruleId)
        .and(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)).and(col(VillagePeriod.PERIOD_COMPLETE)));
    Row window = status.agg(min(VillagePeriod.YEAR), max(VillagePeriod.YEAR)).first();
    if (window.isNullAt(0)) {
      throw new UserError("no complete year of village status under rule " + ruleId + ": run detect first");
    }
    int firstYear = window.getInt(0);
    int lastYear = window.getInt(1);
    Column inWindow = filter(col(TruthVillages.DESIGNED_YEARS), y -> y.leq(lastYear));
    Dataset<Row> designed = truth.select(col(TruthVillages.VILLAGE_CODE).as(VillagePeriod.VILLAGE_CODE),
            col(TruthVillages.TOWN_CODE), col(TruthVillages.COUNTY_CODE), inWindow.as("_years"))
        .withColumn(DESIGNED, when(array_min(col("_years")).isNotNull(),
            greatest(array_min(col("_years")), lit(firstYear))));
    Dataset<Row> detected = status.where(col(VillageStatus.QUALIFIES)).groupBy(VillagePeriod.VILLAGE_CODE)
        .agg(min(VillagePeriod.YEAR).as(DETECTED));
    Dataset<Row> compared = designed.where(col(DESIGNED).isNotNull()).select(VillagePeriod.VILLAGE_CODE, DESIGNED)
        .join(detected, new String[] {VillagePeriod.VILLAGE_CODE}, "full");

    List<Row> measures = new ArrayList<>();
    // Year by year: the villages first qualifying in the year, detected and designed.
    Map<Integer, long[]> byYear = new TreeMap<>();
    for (Row r : compared.select(col(DESIGNED), col(DETECTED)).groupBy(DESIGNED, DETECTED).count().collectAsList()) {
      Integer d = r.isNullAt(0) ? null : r.getInt(0);
      Integer f = r.isNullAt(1) ? null : r.getInt(1);
      long n = r.getLong(2);
      if (d != null) {
        byYear.computeIfAbsent(d, y -> new long[3])[1] += n;
      }
      if (f != null) {
        byYear.computeIfAbsent(f, y -> new long[3])[0] += n;
      }
      if (d != null && d.equals(f)) {
        byYear.get(d)[2] += n;
      }
    }
    long union = 0;
    long agree = 0;
    for (var e : byYear.entrySet()) {
      long[] c = e.getValue();
      measures.add(measure(ruleId, e.getKey(), "new_precision", ratio(c[2], c[0]), c[2] + " of " + c[0] + " detected"));
      measures.add(measure(ruleId, e.getKey(), "new_recall", ratio(c[2], c[1]), c[2] + " of " + c[1] + " designed"));
      agree += c[2];
    }
    union = compared.count();
    measures.add(measure(ruleId, null, "first_year_agreement", ratio(agree, union), agree + " of " + union
        + " villages designed or detected as " + ruleId + " agree on the first year (" + firstYear + "-" + lastYear
        + ")"));

    Dataset<Row> disagreements = disagreements(compared, status, ruleId);
    long disagreeing = disagreements.count();
    for (Row r : disagreements.groupBy(Evaluation.REASON).count().orderBy(desc("count")).collectAsList()) {
      measures.add(measure(ruleId, null, "disagreement", (double) r.getLong(1), r.getString(0)));
    }
    if (warehouse.exists(Watchlist.NAME)) {
      measures.addAll(watchlist(warehouse, designed, status, cfg.watchlist().rule(), firstYear, lastYear));
    }
    Dataset<Row> registry = DimensionColumns.current(warehouse.read(VillageRegistry.NAME, "ingest"));
    Dataset<Row> designedYears = designed.select(col(VillagePeriod.VILLAGE_CODE), col(TruthVillages.TOWN_CODE),
        col(TruthVillages.COUNTY_CODE), explode(col("_years")).as(VillagePeriod.YEAR))
        .where(col(VillagePeriod.YEAR).between(firstYear, lastYear));
    for (TownRule t : rules.townRules()) {
      if (!t.widened() && warehouse.exists(TownStatus.NAME)) {
        measures.addAll(units(warehouse, TownStatus.NAME, t.id(), designedYears.groupBy(TruthVillages.TOWN_CODE,
            VillagePeriod.YEAR).count().where(col("count").geq(t.minVillages())).groupBy(VillagePeriod.YEAR).count(),
            "towns"));
      }
    }
    for (CountyRule c : rules.countyRules()) {
      if (warehouse.exists(CountyStatus.NAME)) {
        measures.addAll(units(warehouse, CountyStatus.NAME, c.id(), designedYears.groupBy(TruthVillages.COUNTY_CODE,
            VillagePeriod.YEAR).count().where(c.villages().operator().apply(col("count"), c.villages().threshold()))
            .groupBy(VillagePeriod.YEAR).count(), "counties"));
      }
    }
    for (ClusterRule k : rules.clusterRules()) {
      if (warehouse.exists(ClusterStatus.NAME)) {
        measures.addAll(units(warehouse, ClusterStatus.NAME, k.id(), referenceClusters(spark, designedYears, registry,
            k), "clusters"));
      }
    }

    java.sql.Date day = java.sql.Date.valueOf(run.runDate());
    List<Row> rows = measures.stream().map(m -> RowFactory.create(m.getString(0), m.isNullAt(1) ? null : m.getInt(1),
        m.getString(2), m.isNullAt(3) ? null : m.getDouble(3), m.getString(4), run.runId(), day)).toList();
    warehouse.replaceWhere(spark.createDataFrame(rows, Evaluation.SCHEMA), Evaluation.NAME, Evaluation.SCHEMA,
        List.of(), RunColumns.RUN_DATE + " = DATE'" + run.runDate() + "'");
    warehouse.replaceWhere(disagreements.withColumn(VillageStatus.RULE_ID, lit(ruleId))
            .withColumn(RunColumns.RUN_ID, lit(run.runId())).withColumn(RunColumns.RUN_DATE, lit(day)),
        Evaluation.DISAGREEMENTS, Evaluation.DISAGREEMENTS_SCHEMA, List.of(),
        RunColumns.RUN_DATE + " = DATE'" + run.runDate() + "'");
    return new Result(measures, disagreeing, union);
  }

  /**
   * Every village whose first years differ, with why: the deciding condition of its status in the year it was
   * designed to qualify first (found later or never) or in the year it was found first (found earlier, or
   * without design).
   */
  static Dataset<Row> disagreements(Dataset<Row> compared, Dataset<Row> status, String ruleId) {
    Column designed = col(DESIGNED);
    Column detected = col(DETECTED);
    Column year = when(detected.isNull().or(designed.isNotNull().and(detected.gt(designed))), designed)
        .otherwise(detected);
    Dataset<Row> at = status.select(col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.YEAR).as("_at"),
        col(VillageStatus.DECIDING), col(VillageStatus.MEETS_SALES), col(VillageStatus.MEETS_SHOPS),
        col(VillageStatus.MEETS_HOUSEHOLDS), col(VillageStatus.MEETS_PLATFORM));
    Column failed = concat_ws(" and ",
        when(not(col(VillageStatus.MEETS_SALES)), lit("sales")),
        when(not(col(VillageStatus.MEETS_SHOPS)).and(coalesce(not(col(VillageStatus.MEETS_HOUSEHOLDS)), lit(true))),
            lit("shops/households")),
        when(not(coalesce(col(VillageStatus.MEETS_PLATFORM), lit(true))), lit("platform share")));
    Column reason = when(detected.isNull(), concat(lit("never found: "), coalesce(nullif(failed, lit("")),
            lit("no status row")), lit(" below the rule in the designed year")))
        .when(designed.isNull(), lit("found without design: the orders meet the rule in a year not designed"))
        .when(detected.gt(designed), concat(lit("found later: "), coalesce(nullif(failed, lit("")), lit("no sales")),
            lit(" below the rule in the designed first year")))
        .otherwise(lit("found earlier: the orders meet the rule before the designed first year"));
    return compared.where(designed.isNull().or(detected.isNull()).or(designed.notEqual(detected)))
        .withColumn("_at", year)
        .join(at, new String[] {VillagePeriod.VILLAGE_CODE, "_at"}, "left")
        .select(col(VillagePeriod.VILLAGE_CODE), designed, detected, reason.as(Evaluation.REASON),
            col(VillageStatus.DECIDING));
  }

  /**
   * The watchlist at each year-end against the villages designed to qualify first the next year: recall,
   * precision at k, and the lead time: the median months from that year-end to the month-end at which a listed
   * village first qualifies over the trailing 12 months.
   */
  static List<Row> watchlist(Warehouse warehouse, Dataset<Row> designed, Dataset<Row> yearStatus, String rule,
      int firstYear, int lastYear) {
    List<Row> measures = new ArrayList<>();
    Dataset<Row> list = warehouse.read(Watchlist.NAME, "detect").where(col(VillageStatus.RULE_ID).equalTo(rule));
    Dataset<Row> firstMonth = warehouse.read(VillageStatus.NAME, "detect").where(col(VillageStatus.RULE_ID)
            .equalTo(rule).and(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD))
            .and(col(VillageStatus.QUALIFIES)))
        .groupBy(VillagePeriod.VILLAGE_CODE).agg(min(VillagePeriod.PERIOD_END).as("_qualified"));
    for (int y = firstYear; y < lastYear; y++) {
      java.sql.Date asOf = java.sql.Date.valueOf(java.time.LocalDate.of(y, 12, 31));
      Dataset<Row> next = designed.where(col(DESIGNED).equalTo(y + 1)).select(VillagePeriod.VILLAGE_CODE);
      Dataset<Row> flagged = list.where(col(Watchlist.AS_OF).equalTo(asOf))
          .select(col(VillagePeriod.VILLAGE_CODE), col(Watchlist.RANK));
      long n = next.count();
      long listed = flagged.count();
      if (n == 0 && listed == 0) {
        continue;
      }
      Dataset<Row> hits = flagged.join(next, VillagePeriod.VILLAGE_CODE);
      long found = hits.count();
      measures.add(measure(rule, y + 1, "watchlist_recall", ratio(found, n), found + " of " + n
          + " villages designed to qualify first in " + (y + 1) + " listed at " + asOf + " (" + listed + " listed)"));
      for (int k : K) {
        long top = hits.where(col(Watchlist.RANK).leq(k)).count();
        measures.add(measure(rule, y + 1, "watchlist_precision_at_" + k, ratio(top, Math.min(k, listed)),
            top + " of the top " + Math.min(k, listed)));
      }
      Row lead = hits.join(firstMonth, VillagePeriod.VILLAGE_CODE)
          .agg(percentile_approx(months_between(col("_qualified"), lit(asOf)), lit(0.5), lit(10000))).first();
      measures.add(measure(rule, y + 1, "watchlist_median_lead_months", lead.isNullAt(0) ? null : lead.getDouble(0),
          "months from " + asOf + " to the first qualifying month-end (trailing 12 months) of the villages found"));
    }
    return measures;
  }

  /** Qualifying units per year, detected and from the designed statuses, and the difference. */
  static List<Row> units(Warehouse warehouse, String table, String ruleId, Dataset<Row> designedCounts, String what) {
    Dataset<Row> found = warehouse.read(table, "detect").where(col(VillageStatus.RULE_ID).equalTo(ruleId));
    if (java.util.Arrays.asList(found.columns()).contains(VillageStatus.QUALIFIES)) {
      found = found.where(col(VillageStatus.QUALIFIES));
    }
    Map<Integer, long[]> byYear = new TreeMap<>();
    found.groupBy(VillagePeriod.YEAR).count().collectAsList()
        .forEach(r -> byYear.computeIfAbsent(r.getInt(0), y -> new long[2])[0] = r.getLong(1));
    designedCounts.collectAsList().forEach(r -> byYear.computeIfAbsent(r.getInt(0), y -> new long[2])[1] = r.getLong(1));
    List<Row> measures = new ArrayList<>();
    byYear.forEach((y, c) -> measures.add(measure(ruleId, y, what + "_detected_vs_designed",
        (double) c[0] - c[1], c[0] + " detected, " + c[1] + " by design")));
    return measures;
  }

  /**
   * Clusters of the designed Taobao Villages per year, by {@link ReferenceClusters} on the driver (the designed
   * villages of a year: thousands at most nationally).
   */
  static Dataset<Row> referenceClusters(SparkSession spark, Dataset<Row> designedYears, Dataset<Row> registry,
      ClusterRule rule) {
    Map<Integer, List<ReferenceClusters.Point>> byYear = new TreeMap<>();
    for (Row r : designedYears.join(registry.select(VillageRegistry.VILLAGE_CODE, VillageRegistry.LONGITUDE,
            VillageRegistry.LATITUDE), VillagePeriod.VILLAGE_CODE)
        .where(col(VillageRegistry.LONGITUDE).isNotNull().and(col(VillageRegistry.LATITUDE).isNotNull()))
        .select(VillagePeriod.YEAR, VillagePeriod.VILLAGE_CODE, VillageRegistry.LONGITUDE, VillageRegistry.LATITUDE)
        .collectAsList()) {
      byYear.computeIfAbsent(r.getInt(0), y -> new ArrayList<>())
          .add(new ReferenceClusters.Point(r.getString(1), r.getDouble(2), r.getDouble(3)));
    }
    List<Row> counts = new ArrayList<>();
    byYear.forEach((year, points) -> counts.add(RowFactory.create(year, ReferenceClusters.groupSizes(points,
        rule.distanceKm()).stream().filter(s -> s >= rule.minVillages()).count())));
    return spark.createDataFrame(counts, new org.apache.spark.sql.types.StructType()
        .add(VillagePeriod.YEAR, org.apache.spark.sql.types.DataTypes.IntegerType)
        .add("count", org.apache.spark.sql.types.DataTypes.LongType));
  }

  private static Row measure(String rule, Integer year, String name, Double value, String detail) {
    return RowFactory.create(rule, year, name, value, detail);
  }

  private static Double ratio(long a, long b) {
    return b == 0 ? null : (double) a / b;
  }
}
