package org.taobaovillages.cli;

import org.taobaovillages.spark.TableMaintenance;
import picocli.CommandLine.Command;

@Command(name = "optimize", mixinStandardHelpOptions = true,
    description = "Compact the small files that daily runs leave in the warehouse's Delta tables and delete the "
        + "files no table version younger than optimize.vacuum-retention (default 7 days) needs.")
final class OptimizeCommand extends SparkCommand {
  @Override
  void run(JobContext ctx) {
    ctx.out().printf("optimize: %s (files no version younger than %s needs are deleted)%n", ctx.warehouse().root(),
        ctx.config().vacuumRetention());
    for (String table : TableMaintenance.tables(ctx.warehouse())) {
      var m = TableMaintenance.optimizeAndVacuum(ctx.warehouse(), table, ctx.config().vacuumRetention());
      ctx.out().printf("  %-24s %,7d small files compacted into %,d; %,d unneeded files deleted%n", m.table(),
          m.filesCompacted(), m.filesWritten(), m.filesDeleted());
    }
  }
}
