package org.taobaovillages.cli;

import org.taobaovillages.spark.TableMaintenance;
import picocli.CommandLine.Command;

@Command(name = "optimize", mixinStandardHelpOptions = true,
    description = "Compact the small files that daily runs leave in the warehouse's Delta tables (the partitions "
        + "written since their last compaction) and, every optimize.vacuum-interval (default 7 days), delete the "
        + "files no table version younger than optimize.vacuum-retention (default 7 days) needs.")
final class OptimizeCommand extends SparkCommand {
  @Override
  void run(JobContext ctx) {
    var cfg = ctx.config().optimize();
    ctx.out().printf("optimize: %s (partitions written since their last compaction; a table vacuumed every %s, "
        + "files no version younger than %s needs deleted)%n", ctx.warehouse().root(), days(cfg.vacuumInterval()),
        days(cfg.vacuumRetention()));
    java.time.Instant now = java.time.Instant.now();
    for (String table : TableMaintenance.tables(ctx.warehouse())) {
      var m = TableMaintenance.optimizeAndVacuum(ctx.warehouse(), table, cfg, now);
      ctx.out().printf("  %-24s %,7d small files compacted into %,d; %s%n", m.table(), m.filesCompacted(),
          m.filesWritten(), m.filesDeleted() == null ? "not vacuumed (its last VACUUM, or its creation, less than "
              + days(cfg.vacuumInterval()) + " ago)" : String.format("%,d unneeded files deleted", m.filesDeleted()));
    }
  }

  /** A duration as conf writes it: 7d, or 36h when not whole days. */
  private static String days(java.time.Duration d) {
    return d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toHours() + "h";
  }
}
