package org.taobaovillages.cli;

import java.util.Map;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.generate.GenerateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a synthetic world (the four input file sets) as Parquet, deterministic by seed.")
final class GenerateCommand extends SparkCommand {
  @Option(names = "--output", paramLabel = "URI", required = true,
      description = "Directory to write transactions/, seller_accounts/, village_registry/, county_attributes/ to.")
  String output;

  @Option(names = "--seed", description = "Random seed (default from conf: generate.seed).")
  Long seed;

  @Override
  void run(JobContext ctx) {
    GenerateConfig cfg = ctx.config().generate();
    if (seed != null) {
      cfg = cfg.withSeed(seed);
    }
    long start = System.nanoTime();
    String target = Uris.resolve(output);
    Map<String, Long> rows = GenerateJob.run(ctx.spark(), cfg, target);
    ctx.out().printf("generate: seed %d, %d county(ies) x %d villages, years %d-%d -> %s%n", cfg.seed(),
        cfg.counties(), cfg.villagesPerCounty(), cfg.firstYear(), cfg.lastYear(), target);
    rows.forEach((table, n) -> ctx.out().printf("  %-18s %,12d rows%n", table, n));
    ctx.out().printf("  took %.1f s%n", (System.nanoTime() - start) / 1e9);
  }
}
