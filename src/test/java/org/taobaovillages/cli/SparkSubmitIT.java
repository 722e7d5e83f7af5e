package org.taobaovillages.cli;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.IngestAudit;

/**
 * Submits the shaded application jar through {@code org.apache.spark.deploy.SparkSubmit} in a separate JVM, as
 * spark-submit does on a cluster: Spark (and only Spark) on the classpath, our code and Delta from the jar.
 */
class SparkSubmitIT {
  @TempDir Path dir;

  /** The test classpath without our classes and the libraries the shaded jar carries. */
  static String sparkOnlyClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !p.contains("target/classes") && !p.contains("target/test-classes"))
        .filter(p -> !p.contains("/io/delta/") && !p.contains("/info/picocli/") && !p.contains("/com/typesafe/config/"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  record Outcome(int code, String output) {}

  Outcome submit(String... appArgs) throws Exception {
    String jar = System.getProperty("app.jar");
    assertTrue(Files.isRegularFile(Path.of(jar)), "shaded jar built by 'package': " + jar);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    cmd.addAll(Arrays.asList(System.getProperty("spark.java.opens").trim().split("\\s+")));
    cmd.addAll(List.of("-Dlog4j2.configurationFile=" + TestSpark.resource("log4j2-test.properties"),
        "-cp", sparkOnlyClasspath(), "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--conf", "spark.sql.shuffle.partitions=2", "--conf", "spark.ui.enabled=false",
        // Whole-stage code generation off for the tiny corpus (see TestSpark.SMALL_DATA); expression code generation
        // stays on, so Janino still compiles generated classes against the jar's classpath as on a cluster.
        "--conf", "spark.sql.codegen.wholeStage=false",
        // Delta rebuilds a table's state in 50 tasks by default (Sessions lowers it only for a master it chose):
        // for tables of a few files each task is pure overhead (the pipeline took 193 s with 50, 110 s with 1).
        "--conf", "spark.databricks.delta.snapshotPartitions=1",
        "--class", "org.taobaovillages.cli.Main", jar));
    cmd.addAll(Arrays.asList(appArgs));
    Path log = Files.createTempFile(dir, "submit", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "spark-submit finished in time");
    return new Outcome(p.exitValue(), Files.readString(log));
  }

  /**
   * Ingest over the bad-input corpus: Parquet footers and pages, the text readers (univocity, Jackson, gzip),
   * pseudonymisation, Delta writes and MERGE, all from the jar. Expected counts are the corpus README's, worked out
   * by hand. The later stages (aggregate, detect, typology, export, optimize) run from the jar under spark-submit
   * in the cluster smoke ({@code jobs/cluster-check.sh}, run by CI after the suite), which the whole pipeline here
   * repeated at a cost of about 2.5 minutes.
   */
  @Test
  void theShadedJarIngestsTheBadInputCorpusUnderSparkSubmit() throws Exception {
    String conf = TestSpark.resource("ingest-corpus/corpus.conf").toString();
    Path warehouse = dir.resolve("warehouse");
    Outcome ingest = submit("ingest", "--conf", conf, "--demo",
        "--input", TestSpark.resource("ingest-corpus/delivery").toString(),
        "--warehouse", warehouse.toString(), "--run-date", "2022-12-31");
    assertEquals(0, ingest.code(), ingest.output());
    assertTrue(ingest.output().contains("transactions"), ingest.output());

    var spark = TestSpark.get();
    assertEquals(36, spark.read().format("delta").load(warehouse.resolve("transactions").toString()).count());
    Row audit = spark.read().format("delta").load(warehouse.resolve(IngestAudit.NAME).toString())
        .where(col(IngestAudit.SOURCE_TABLE).equalTo("transactions"))
        .agg(sum(IngestAudit.ROWS_READ), sum(IngestAudit.ACCEPTED), sum(IngestAudit.QUARANTINED),
            sum(IngestAudit.DUPLICATES_SKIPPED)).first();
    assertEquals(List.of(79L, 36L, 40L, 3L), List.of(audit.getLong(0), audit.getLong(1), audit.getLong(2),
        audit.getLong(3)));
  }

  @Test
  void aFailingJobExitsNonZeroUnderSparkSubmit() throws Exception {
    Outcome o = submit("ingest", "--demo", "--input", dir.resolve("nothing-here").toString(),
        "--warehouse", dir.resolve("wh").toString());
    assertEquals(1, o.code(), o.output());
    assertTrue(o.output().contains("error: input not found:"), o.output());
  }
}
