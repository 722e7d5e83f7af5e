package org.taobaovillages.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.spark.StageMetrics;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that runs as one Spark application: parses config once, builds the session, runs. */
abstract class SparkCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  /** Runs the job and reports to {@code ctx.out()}; failures are thrown ({@link UserError} for the user's). */
  abstract void run(JobContext ctx);

  @Override
  public Integer call() {
    AppConfig config = AppConfig.load(common.conf);
    String name = spec.qualifiedName(" ");
    SparkSession spark = Sessions.getOrCreate(name, config.localMaster(), config.localShufflePartitions());
    String runId = common.runId != null ? common.runId
        : spec.name() + "-" + common.runDate() + "-" + System.currentTimeMillis();
    var ctx = new JobContext(config, spark, new Warehouse(spark, Uris.resolve(common.warehouse)),
        new RunContext(runId, common.runDate()), out());
    long start = System.nanoTime();
    StageMetrics stages = StageMetrics.of(spark);
    int before = stages.finished().size();
    RuntimeException failure = null;
    try {
      stages.stage(spec.name(), () -> run(ctx));
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      if (common.metricsFile != null) {
        MetricsFile.write(spark, Uris.resolve(common.metricsFile), spec.name(), ctx.run(),
            (System.nanoTime() - start) / 1e9, failure, stages.finished().subList(before, stages.finished().size()));
      }
    }
    return 0;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  String requireInput() {
    if (common.input == null) {
      throw new UserError(spec.qualifiedName(" ") + " needs --input URI (the directory of the input Parquet file sets)");
    }
    return Uris.resolve(common.input);
  }
}
