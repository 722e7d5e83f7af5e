package org.taobaovillages.cli;

import java.util.List;
import org.taobaovillages.ingest.IngestJob;
import org.taobaovillages.ingest.TableCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Check the input file sets and load them into the warehouse's Delta tables; refused rows go "
        + "to the quarantine table. Seller and household ids are pseudonymised.")
final class IngestCommand extends SparkCommand {
  @Option(names = "--demo", description = "Allow the public demo pseudonymisation key when no key is configured "
      + "(synthetic data only).")
  boolean demo;

  @Override
  void run(JobContext ctx) {
    ingest(ctx, requireInput(), demo);
  }

  static void ingest(JobContext ctx, String input, boolean demo) {
    byte[] key = IngestJob.resolveKey(ctx.config().ingest(), System.getenv(), demo);
    List<TableCounts> counts = IngestJob.run(ctx.spark(), ctx.warehouse(), input, ctx.config().ingest(), key, ctx.run());
    ctx.out().printf("ingest: %s -> %s (run %s)%n", input, ctx.warehouse().root(), ctx.run().runId());
    for (TableCounts c : counts) {
      ctx.out().printf("  %-18s read %,10d  accepted %,10d  quarantined %,8d%s%n", c.table(), c.read(), c.accepted(),
          c.quarantined(), c.reasons().isEmpty() ? "" : "  " + c.reasons());
    }
  }
}
