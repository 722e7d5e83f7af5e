package org.taobaovillages.cli;

import java.util.List;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.config.ConfigError;
import org.taobaovillages.config.RuleSets;
import org.taobaovillages.config.TownRule;
import org.taobaovillages.generate.CalibrationReport;
import org.taobaovillages.generate.GenerateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a synthetic world on China's real village registry, calibrated to the published Taobao "
        + "Village counts: the four input file sets as Parquet, and the planted truth (villages, the village-year "
        + "ledger, counties, defects) to a separate location. Deterministic by seed.")
final class GenerateCommand extends SparkCommand {
  @Option(names = "--output", paramLabel = "URI", required = true,
      description = "Directory to write transactions/, seller_accounts/, village_registry/, county_attributes/ to.")
  String output;

  @Option(names = "--truth", paramLabel = "URI",
      description = "Where the truth tables go (never read by the pipeline). Default: <output>-truth.")
  String truth;

  @Option(names = "--seed", description = "Random seed (default from conf: generate.seed).")
  Long seed;

  @Option(names = "--scale", paramLabel = "SHARE",
      description = "Share of the country's villages to generate, as whole counties (default conf: generate.scale; "
          + "1 = the whole country).")
  Double scale;

  @Option(names = "--counties", split = ",", paramLabel = "CODE",
      description = "Generate exactly these 6-digit counties instead of a --scale selection.")
  List<String> counties;

  @Option(names = "--report", description = "Print the calibration report (generated vs published).")
  boolean report;

  @Option(names = "--report-only", description = "Build the world and its ledger and print the report, but write "
      + "no input files (the whole country's orders do not fit on one machine; its ledger does).")
  boolean reportOnly;

  /** The first configured Taobao Town rule with a sales criterion: the report counts widened towns by it. */
  static TownRule widenedTownRule(RuleSets rules) {
    return rules.townRules().stream().filter(TownRule::widened).findFirst().orElseThrow(() -> new ConfigError(
        "taobao-villages.rules.towns: the calibration report needs a town rule with sales and active-shops criteria "
            + "(the widened definition)"));
  }

  @Override
  void run(JobContext ctx) {
    GenerateConfig cfg = ctx.config().generate();
    if (seed != null) {
      cfg = cfg.withSeed(seed);
    }
    if (scale != null) {
      cfg = cfg.withScale(scale);
    }
    if (counties != null && !counties.isEmpty()) {
      cfg = cfg.withCounties(counties);
    }
    long start = System.nanoTime();
    String target = Uris.resolve(output);
    String truthTarget = truth == null ? target + "-truth" : Uris.resolve(truth);
    GenerateJob.Result result = GenerateJob.run(ctx.spark(), ctx.config(), cfg, target, truthTarget, !reportOnly);
    ctx.out().printf("generate: seed %d, %s, years %d-%d -> %s (truth: %s)%n", cfg.seed(),
        cfg.counties().isEmpty() ? "scale " + cfg.scale() : "counties " + String.join(",", cfg.counties()),
        cfg.firstYear(), cfg.lastYear(), reportOnly ? "(report only)" : target, truthTarget);
    ctx.out().printf("  %,d counties, %,d villages%n", result.world().selectedCounties().count(),
        result.world().villages().count());
    result.rows().forEach((table, n) -> ctx.out().printf("  %-26s %,14d rows%n", table, n));
    ctx.out().printf("  took %.1f s%n", (System.nanoTime() - start) / 1e9);
    if (report || reportOnly) {
      CalibrationReport.print(result, widenedTownRule(ctx.config().rules()), ctx.out());
    }
  }
}
