package org.taobaovillages.cli;

import org.taobaovillages.export.ExportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write village status, the nowcast, the watchlist, hot spots, towns, clusters and counties, the "
        + "typology (figures from fewer than export.min-active-sellers sellers withheld) and the ingest data quality "
        + "audit as Parquet for BI tools.")
final class ExportCommand extends SparkCommand {
  @Option(names = "--export-dir", paramLabel = "URI",
      description = "Where the Parquet export goes. Default: <warehouse>/export.")
  String exportDir;

  @Option(names = "--full", description = "Rewrite every directory whole. By default a directory is rewritten only "
      + "in the years (or run dates) whose tables changed since the last export to the same directory, or whole "
      + "when a table it comes from changed whole; needed after an upgrade that changes what export computes.")
  boolean full;

  @Override
  void run(JobContext ctx) {
    export(ctx, exportDir, full);
  }

  static String export(JobContext ctx, String exportDir, boolean full) {
    String root = exportDir != null ? Uris.resolve(exportDir) : ctx.warehouse().root() + "/export";
    var written = ExportJob.run(ctx.warehouse(), ctx.config().export(), ctx.config().detect().watchlist(),
        root, ctx.run(), full);
    ctx.out().printf("export: Parquet for BI tools -> %s/%n", root);
    written.forEach((name, w) -> ctx.out().printf("  %-22s %-10s %,8d rows written%s%n", name, w.action(), w.rows(),
        w.scope() == null ? "" : " (" + w.scope() + ")"));
    return root;
  }
}
