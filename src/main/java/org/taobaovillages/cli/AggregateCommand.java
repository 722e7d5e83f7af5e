package org.taobaovillages.cli;

import org.taobaovillages.village.AggregateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "aggregate", mixinStandardHelpOptions = true,
    description = "Village metrics: the seller-month rollup, village months, and village years and trailing 12 "
        + "months under each rule's active-seller definition; recomputes only the months new orders touch.")
final class AggregateCommand extends SparkCommand {
  @Option(names = "--full", description = "Recompute every month (a backfill), not only those new orders touch.")
  boolean full;

  @Override
  void run(JobContext ctx) {
    aggregate(ctx, full);
  }

  static AggregateJob.Outcome aggregate(JobContext ctx, boolean full) {
    var rules = ctx.config().rules().select(ctx.config().detect().rules());
    var outcome = AggregateJob.run(ctx.warehouse(), ctx.config().metrics(), rules.activeSellerDefinitions(),
        ctx.run(), full);
    var range = outcome.range();
    ctx.out().printf("aggregate: months %s to %s recomputed (%s; %s)%n", range.first(), range.last(),
        range.full() ? "all" : "incremental", range.reason());
    ctx.out().printf("  seller_month %,d rows, village_month %,d rows, village_period %,d rows (years and trailing "
        + "12 months under %d active-seller definitions)%n", outcome.sellerMonthRows(), outcome.villageMonthRows(),
        outcome.villagePeriodRows(), rules.activeSellerDefinitions().size());
    ctx.out().printf("  rows read per step (data rows and Delta log records): %s%n", outcome.rowsRead());
    return outcome;
  }
}
