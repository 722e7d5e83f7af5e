package org.taobaovillages.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.StageMetrics;

/**
 * The {@code --metrics-file} report: one JSON object per run, for a scheduler to read.
 *
 * <pre>{"command": "ingest", "run_id": "...", "run_date": "2022-12-31", "outcome": "succeeded" | "failed",
 *  "error": null | "one line", "seconds": 41.2,
 *  "stages": [{"stage": "ingest/check", "rows_in": 91711, "rows_out": 0, "seconds": 12.5, "failed": false}, ...]}
 * </pre>
 * Stages are listed in the order they finished; the last is the whole command. Rows are Spark's task metrics
 * ({@link StageMetrics}).
 */
final class MetricsFile {
  private static final Logger LOG = LogManager.getLogger(MetricsFile.class);

  private MetricsFile() {}

  /** Writes the report, replacing the file; a report that cannot be written is logged, never fails the run. */
  static void write(SparkSession spark, String uri, String command, RunContext run, double seconds,
      Throwable failure, List<StageMetrics.Stage> stages) {
    try {
      FileSystem fs = FileSystem.get(URI.create(uri), spark.sparkContext().hadoopConfiguration());
      try (OutputStream os = fs.create(new Path(uri), true);
          JsonGenerator json = new JsonFactory().createGenerator(os)) {
        json.useDefaultPrettyPrinter();
        json.writeStartObject();
        json.writeStringField("command", command);
        json.writeStringField("run_id", run.runId());
        json.writeStringField("run_date", run.runDate().toString());
        json.writeStringField("outcome", failure == null ? "succeeded" : "failed");
        json.writeStringField("error", failure == null ? null : Main.describe(failure));
        json.writeNumberField("seconds", Math.round(seconds * 10) / 10.0);
        json.writeArrayFieldStart("stages");
        for (StageMetrics.Stage s : stages) {
          json.writeStartObject();
          json.writeStringField("stage", s.name());
          json.writeNumberField("rows_in", s.rowsIn());
          json.writeNumberField("rows_out", s.rowsOut());
          json.writeNumberField("seconds", Math.round(s.seconds() * 10) / 10.0);
          json.writeBooleanField("failed", s.failed());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write the metrics file {}: {}", uri, e.getMessage());
    }
  }
}
