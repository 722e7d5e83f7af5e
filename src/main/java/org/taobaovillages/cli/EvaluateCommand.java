package org.taobaovillages.cli;

import org.apache.spark.sql.Row;
import org.taobaovillages.evaluate.EvaluateJob;
import org.taobaovillages.spark.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score detection against a generated world's planted truth: newly qualifying villages, the "
        + "watchlist, towns, clusters and counties; writes the Delta tables evaluation and evaluation_disagreements.")
final class EvaluateCommand extends SparkCommand {
  @Option(names = "--truth", paramLabel = "URI", description = "The truth directory generate wrote "
      + "(default <input>-truth when --input is given).")
  String truth;

  @Override
  void run(JobContext ctx) {
    String root = truth != null ? Uris.resolve(truth) : common.input != null ? Uris.resolve(common.input) + "-truth"
        : null;
    if (root == null) {
      throw new UserError("evaluate needs --truth URI (or --input URI of the generated world, truth at <input>-truth)");
    }
    var rules = DetectCommand.selected(ctx, null);
    var result = EvaluateJob.run(ctx.warehouse(), root, rules, ctx.config().detect(), ctx.run());
    ctx.out().printf("evaluate: %s against %s: %,d villages designed or detected, %,d disagree on the first year%n",
        ctx.config().detect().primaryRule(), root, result.villages(), result.disagreements());
    for (Row m : result.measures()) {
      ctx.out().printf("  %-4s %-5s %-34s %10s  %s%n", m.getString(0), m.isNullAt(1) ? "" : m.getInt(1),
          m.getString(2), m.isNullAt(3) ? "n/a" : String.format("%.4f", m.getDouble(3)),
          m.isNullAt(4) ? "" : m.getString(4));
    }
  }
}
