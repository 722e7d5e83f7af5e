package org.taobaovillages.cli;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.detect.StatusSummary;
import org.taobaovillages.generate.GenerateJob;
import org.taobaovillages.spark.StageMetrics;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.CountyStatus;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.TypologyRuns;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.Watchlist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run ingest, aggregate, detect, typology and export in order (optionally generate first) and print a summary.")
final class PipelineCommand extends SparkCommand {
  @Option(names = "--generate", description = "First write a synthetic world (conf: generate.*) to --input.")
  boolean generate;

  @Option(names = "--demo", description = "Allow the public demo pseudonymisation key (synthetic data only).")
  boolean demo;

  @Option(names = "--export-dir", paramLabel = "URI", description = "Where the Parquet export goes. "
      + "Default: <warehouse>/export.")
  String exportDir;

  @Option(names = "--rules", paramLabel = "ID,...", split = ",",
      description = "Rule ids from rules.conf to run (e.g. A,B,T1). Default: detect.rules, or all.")
  List<String> ruleIds;

  @Override
  void run(JobContext ctx) {
    long start = System.nanoTime();
    String input = requireInput();
    if (generate) {
      GenerateJob.run(ctx.spark(), ctx.config(), ctx.config().generate(), input, input + "-truth", true);
      ctx.out().printf("generate: synthetic world (seed %d) -> %s%n", ctx.config().generate().seed(), input);
    }
    var stages = StageMetrics.of(ctx.spark());
    stages.stage("ingest", () -> IngestCommand.ingest(ctx, input, demo));
    stages.stage("aggregate", () -> AggregateCommand.aggregate(ctx, false));
    stages.stage("detect", () -> DetectCommand.detect(ctx, ruleIds));
    var typology = stages.stage("typology", () -> TypologyCommand.typology(ctx, null, false));
    String exportRoot = stages.stage("export", () -> ExportCommand.export(ctx, exportDir, false));
    summary(ctx, exportRoot, typology.action().equals(TypologyRuns.NO_YEAR) ? null : typology.lastYear(),
        (System.nanoTime() - start) / 1e9);
  }

  /** @param typologyYear the typology's last complete year; null when it had none to model */
  private void summary(JobContext ctx, String exportRoot, Integer typologyYear, double seconds) {
    var rules = DetectCommand.selected(ctx, ruleIds);
    String primary = ctx.config().detect().primaryRule();
    var rule = rules.villages().getOrDefault(primary, rules.villageRules().get(0));
    var wh = ctx.warehouse();
    long villages = DimensionColumns.current(wh.read(VillageRegistry.NAME, "ingest")).count();
    Dataset<Row> status = wh.read(VillageStatus.NAME, "detect").where(col(VillageStatus.RULE_ID).equalTo(rule.id())
        .and(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)));
    List<Row> perYear = StatusSummary.perYear(status).collectAsList();
    Map<Integer, Map<String, Long>> units = new TreeMap<>();
    count(wh, TownStatus.NAME, units);
    count(wh, ClusterStatus.NAME, units);
    count(wh, CountyStatus.NAME, units);
    List<String> unitColumns = units.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
    var out = ctx.out();
    out.println();
    out.printf("Summary (run date %s, village rule %s version %s)%n", ctx.run().runDate(), rule.id(), rule.version());
    out.printf("  rule: %s%n", rule.describe());
    out.printf("  villages in registry: %,d%n", villages);
    out.printf("  %-6s %10s %10s %5s %8s %5s", "year", "w/ sales", "qualifying", "new", "regained", "lost");
    unitColumns.forEach(c -> out.printf(" %9s", c));
    out.println();
    for (Row r : perYear) {
      out.printf("  %-6d %10d %10d %5d %8d %5d", r.getInt(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4),
          r.getLong(5));
      Map<String, Long> u = units.getOrDefault(r.getInt(0), Map.of());
      unitColumns.forEach(c -> out.printf(" %9d", u.getOrDefault(c, 0L)));
      out.println();
    }
    if (!unitColumns.isEmpty()) {
      out.println("  (towns, clusters and counties: qualifying units per rule id)");
    }
    if (wh.exists(Watchlist.NAME)) {
      watchlist(ctx, wh.read(Watchlist.NAME, "detect"));
    }
    if (typologyYear != null) {
      TypologyCommand.quadrants(ctx, typologyYear);
    }
    out.printf("  Delta tables:   %s/{transactions, seller_month, village_month, village_period, village_status, "
        + "town_status, cluster_status, county_status, watchlist, hot_spots, county_typology, ...}%n", wh.root());
    out.printf("  BI export:      %s/ (Parquet)%n", exportRoot);
    out.printf("  took %.1f s%n", seconds);
  }

  /** The watchlist at the run date's month-end, or, when no village is within reach then, the latest one. */
  private static void watchlist(JobContext ctx, Dataset<Row> list) {
    var out = ctx.out();
    java.sql.Date runMonthEnd = java.sql.Date.valueOf(ctx.run().runDate().withDayOfMonth(
        ctx.run().runDate().lengthOfMonth()));
    Row latest = list.where(col(Watchlist.AS_OF).leq(lit(runMonthEnd))).agg(max(col(Watchlist.AS_OF))).first();
    String rule = ctx.config().detect().watchlist().rule();
    if (latest.isNullAt(0)) {
      out.printf("  watchlist (rule %s): no village has ever been within reach%n", rule);
      return;
    }
    java.sql.Date asOf = latest.getDate(0);
    if (!asOf.equals(runMonthEnd)) {
      out.printf("  watchlist at %s (rule %s): no village within reach; the latest entries are of %s%n", runMonthEnd,
          rule, asOf);
    }
    Dataset<Row> at = list.where(col(Watchlist.AS_OF).equalTo(lit(asOf)));
    out.printf("  watchlist at %s (rule %s), top 5 of %,d:%n", asOf, rule, at.count());
    for (Row r : at.orderBy(Watchlist.RANK).limit(5).select(Watchlist.RANK, VillagePeriod.VILLAGE_CODE,
        Watchlist.MONTHS_TO_QUALIFY, Watchlist.EXPECTED_QUALIFYING).collectAsList()) {
      out.printf("    %d. %s qualifies in %d month%s (%s)%n", r.getInt(0), r.getString(1), r.getInt(2),
          r.getInt(2) == 1 ? "" : "s", r.getDate(3));
    }
  }

  /** Qualifying units per year and rule id of a unit table (small: years x rules). */
  private static void count(org.taobaovillages.spark.Warehouse wh, String table, Map<Integer, Map<String, Long>> units) {
    if (!wh.exists(table)) {
      return;
    }
    Dataset<Row> rows = wh.read(table, "detect");
    if (java.util.Arrays.asList(rows.columns()).contains(VillageStatus.QUALIFIES)) {
      rows = rows.where(col(VillageStatus.QUALIFIES));
    }
    for (Row r : rows
        .groupBy(VillagePeriod.YEAR, VillageStatus.RULE_ID).count().collectAsList()) {
      units.computeIfAbsent(r.getInt(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
    }
  }
}
