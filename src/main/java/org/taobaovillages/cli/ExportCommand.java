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

  @Override
  void run(JobContext ctx) {
    export(ctx, exportDir);
  }

  static String export(JobContext ctx, String exportDir) {
    String root = exportDir != null ? Uris.resolve(exportDir) : ctx.warehouse().root() + "/export";
    var rows = ExportJob.run(ctx.warehouse(), ctx.config().export(), ctx.config().detect().watchlist(),
        root, ctx.run().runDate());
    ctx.out().printf("export: Parquet for BI tools -> %s/%n", root);
    rows.forEach((name, n) -> ctx.out().printf("  %-22s %,8d rows%n", name, n));
    return root;
  }
}
