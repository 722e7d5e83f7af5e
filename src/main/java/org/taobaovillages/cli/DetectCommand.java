package org.taobaovillages.cli;

import org.taobaovillages.detect.DetectJob;
import org.taobaovillages.detect.TaobaoVillageRule;
import picocli.CommandLine.Command;

@Command(name = "detect", mixinStandardHelpOptions = true,
    description = "Apply the configured Taobao Village rule set to every village-year.")
final class DetectCommand extends SparkCommand {
  @Override
  void run(JobContext ctx) {
    var rule = ctx.config().rule();
    long rows = DetectJob.run(ctx.warehouse(), rule, ctx.run());
    ctx.out().printf("detect: rule %s (version %s): %s; %,d village-year rows%n", rule.id(), rule.version(),
        TaobaoVillageRule.describe(rule), rows);
  }
}
