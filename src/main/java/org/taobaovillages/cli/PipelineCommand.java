package org.taobaovillages.cli;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.detect.DetectJob;
import org.taobaovillages.detect.StatusSummary;
import org.taobaovillages.generate.GenerateJob;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.village.AggregateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run ingest, aggregate, detect and export in order (optionally generate first) and print a summary.")
final class PipelineCommand extends SparkCommand {
  @Option(names = "--generate", description = "First write a synthetic world (conf: generate.*) to --input.")
  boolean generate;

  @Option(names = "--demo", description = "Allow the public demo pseudonymisation key (synthetic data only).")
  boolean demo;

  @Option(names = "--export-dir", paramLabel = "URI", description = "Where the Parquet export goes. "
      + "Default: <warehouse>/export.")
  String exportDir;

  @Override
  void run(JobContext ctx) {
    long start = System.nanoTime();
    String input = requireInput();
    if (generate) {
      GenerateJob.run(ctx.spark(), ctx.config(), ctx.config().generate(), input, input + "-truth", true);
      ctx.out().printf("generate: synthetic world (seed %d) -> %s%n", ctx.config().generate().seed(), input);
    }
    IngestCommand.ingest(ctx, input, demo);
    long villageYears = AggregateJob.run(ctx.warehouse(), ctx.config().metrics(), ctx.run());
    ctx.out().printf("aggregate: %,d village-year rows%n", villageYears);
    var rule = ctx.config().rule();
    long statusRows = DetectJob.run(ctx.warehouse(), rule, ctx.run());
    ctx.out().printf("detect: %,d village-year rows under rule %s (version %s)%n", statusRows, rule.id(), rule.version());
    String exportRoot = ExportCommand.export(ctx, exportDir);
    summary(ctx, exportRoot, (System.nanoTime() - start) / 1e9);
  }

  private void summary(JobContext ctx, String exportRoot, double seconds) {
    var rule = ctx.config().rule();
    long villages = DimensionColumns.current(ctx.warehouse().read(VillageRegistry.NAME, "ingest")).count();
    List<Row> perYear = StatusSummary.perYear(ctx.warehouse().read(VillageStatus.NAME, "detect")
        .where(col(VillageStatus.RULE_ID).equalTo(rule.id()))).collectAsList();
    var out = ctx.out();
    out.println();
    out.printf("Summary (run date %s, rule %s version %s)%n", ctx.run().runDate(), rule.id(), rule.version());
    out.printf("  rule: %s%n", org.taobaovillages.detect.TaobaoVillageRule.describe(rule));
    out.printf("  villages in registry: %,d%n", villages);
    out.printf("  %-6s %20s %16s %8s %6s%n", "year", "villages with sales", "Taobao Villages", "gained", "lost");
    for (Row r : perYear) {
      out.printf("  %-6d %20d %16d %8d %6d%n", r.getInt(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
    }
    out.printf("  Delta tables:   %s/{transactions,seller_accounts,village_registry,county_attributes,quarantine,"
        + "ingest_audit,village_year,village_status}%n", ctx.warehouse().root());
    out.printf("  BI export:      %s/village_status (Parquet, by year), %s/ingest_quality (by run date)%n",
        exportRoot, exportRoot);
    out.printf("  took %.1f s%n", seconds);
  }
}
