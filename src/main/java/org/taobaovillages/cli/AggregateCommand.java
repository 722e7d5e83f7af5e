package org.taobaovillages.cli;

import org.taobaovillages.village.AggregateJob;
import picocli.CommandLine.Command;

@Command(name = "aggregate", mixinStandardHelpOptions = true,
    description = "Compute village-by-year metrics (active sellers, sales, orders, households, Taobao share).")
final class AggregateCommand extends SparkCommand {
  @Override
  void run(JobContext ctx) {
    long rows = AggregateJob.run(ctx.warehouse(), ctx.config().metrics(), ctx.run());
    ctx.out().printf("aggregate: %,d village-year rows up to %s (active seller: %s)%n", rows, ctx.run().runDate(),
        ctx.config().metrics().activeDefinition());
  }
}
