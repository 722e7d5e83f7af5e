package org.taobaovillages.cli;

import org.taobaovillages.export.ExportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write village status (partitioned by year, small cells suppressed) and the ingest data quality "
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
    long rows = ExportJob.run(ctx.warehouse(), ctx.config().rule(), ctx.config().export(), root);
    ctx.out().printf("export: %,d village-year rows -> %s/village_status%n", rows, root);
    long quality = ExportJob.runQuality(ctx.warehouse(), root);
    if (quality >= 0) {
      ctx.out().printf("export: %,d ingest quality rows -> %s/ingest_quality%n", quality, root);
    }
    return root;
  }
}
