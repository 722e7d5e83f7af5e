package org.taobaovillages.cli;

import java.util.List;
import org.taobaovillages.config.RuleSets;
import org.taobaovillages.detect.DetectJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "detect", mixinStandardHelpOptions = true,
    description = "Apply the rule sets (village rules, Taobao Towns, clusters, super-sized counties) to the periods "
        + "aggregate recomputed; build the watchlist and the emerging hot spot analysis.")
final class DetectCommand extends SparkCommand {
  @Option(names = "--rules", paramLabel = "ID,...", split = ",",
      description = "Rule ids from rules.conf to run (e.g. A,B,T1). Default: detect.rules, or all.")
  List<String> ruleIds;

  @Override
  void run(JobContext ctx) {
    detect(ctx, ruleIds);
  }

  /** The rules selected: the command line's, else the configuration's, else all. */
  static RuleSets selected(JobContext ctx, List<String> ids) {
    return ctx.config().rules().select(ids != null && !ids.isEmpty() ? ids : ctx.config().detect().rules());
  }

  static DetectJob.Outcome detect(JobContext ctx, List<String> ids) {
    RuleSets rules = selected(ctx, ids);
    var outcome = DetectJob.run(ctx.warehouse(), rules, ctx.config().detect(), ctx.run());
    ctx.out().printf("detect: rules %s over %s to %s%n", String.join(", ", rules.ids()), outcome.first(),
        outcome.last());
    outcome.rows().forEach((table, n) -> ctx.out().printf("  %-18s %,12d rows written %,14d rows read%n", table, n,
        outcome.rowsRead().getOrDefault(table, 0L)));
    outcome.notes().forEach(n -> ctx.out().printf("  %s%n", n));
    return outcome;
  }
}
