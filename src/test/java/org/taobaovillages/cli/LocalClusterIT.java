package org.taobaovillages.cli;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.taobaovillages.TestSpark;
import org.taobaovillages.bench.SameTables;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.Transactions;

/**
 * The spark-submit path on a real Spark standalone cluster, a master and two workers on this machine
 * ({@code jobs/local-cluster.sh}), with the jobs submitted by {@code jobs/spark-submit.sh} in client mode, on the
 * bundled sample world. Every warehouse is compared with the reference: the same work run with embedded local Spark
 * ({@code jobs/run-local.sh}) on the same input, run date and pseudonymisation key.
 *
 * <p>Two tiers ({@code -Dcluster.check}). The smoke ({@code smoke}, the default; {@code jobs/cluster-check.sh},
 * run by {@code .ci/run}) is one scheduled day: the Airflow DAG's commands for the run of 2022-06-16 02:00 China
 * time (run date 2022-06-15) on a tiny delivery (the dimensions and that day's orders) into an empty warehouse,
 * with a worker JVM killed while a Spark stage of its {@code ingest} has tasks running. Every task succeeds, the
 * driver lost the killed worker's executor, and the ingest tables equal the reference's: {@code ingest} of the same
 * delivery in local mode. A day within a year, as on 364 days of 365: typology finds no complete year to model
 * (the year-end case is the full check's and the suite's).
 *
 * <p>The full check ({@code full}: {@code jobs/cluster-check.sh --full}, by hand; about 40 minutes) has the whole
 * pipeline as its reference and checks:
 *
 * <ol>
 *   <li>A worker JVM killed (SIGKILL, by its pid) while a Spark stage of the pipeline has tasks running: the job
 *       ends well and every table, Delta and exported Parquet, equals the reference.
 *   <li>The driver killed after ingest committed its first tables and before its audit: the re-run of the run
 *       date says it repaired the run, the audit holds one {@code interrupted} row per commit of the killed run,
 *       and the ingest tables equal the reference (no order twice).
 *   <li>The Airflow DAG's commands for a backfill of three days ({@code render_dag.py | bash}), on the sample split
 *       into three daily deliveries by order date: the tables equal the reference's, which took all at once.
 * </ol>
 *
 * Neither tier is part of the suite ({@code mvn verify}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
  static final Path REPO = Path.of("").toAbsolutePath();
  static final Path WORK = REPO.resolve("target/cluster-it");
  static final Path CLUSTER = WORK.resolve("cluster");
  static final Path SAMPLE = REPO.resolve("sample-parquet");
  static final Path REFERENCE = WORK.resolve("reference");
  static final String RUN_DATE = "2022-12-31";
  /** The smoke's scheduled day (its run date) and the landing area of its delivery. */
  static final String DAY = "2022-06-15";
  static final Path LANDING = WORK.resolve("landing");
  /** Column of {@link #ordersByFirstDay}: the China day of an order id's first copy. */
  private static final String FIRST_DAY = "_day";
  /** The driver's web UI, whose REST API tells which Spark stages are running. */
  static final int UI_PORT = 4077;
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(40);
  /** The tier: {@code smoke} (the default) or {@code full}. */
  static final boolean FULL = System.getProperty("cluster.check", "smoke").equals("full");
  /** The Delta tables ingest writes. */
  static final List<String> INGEST_TABLES = List.of(Transactions.NAME, "seller_accounts", "village_registry",
      "county_attributes", Quarantine.NAME);

  static SparkSession spark;

  @BeforeAll
  static void referenceAndCluster() throws Exception {
    assertTrue(Files.isDirectory(SAMPLE), "sample world: " + SAMPLE);
    deleteTree(WORK);
    Files.createDirectories(WORK);
    spark = TestSpark.get();
    if (FULL) {
      Job.start(WORK.resolve("reference.log"), false, "jobs/run-local.sh", "pipeline", "--input", SAMPLE.toString(),
          "--warehouse", REFERENCE.toString(), "--run-date", RUN_DATE).endsWith(0);
    } else {
      deliverOneDay(LANDING, DAY);
      Job.start(WORK.resolve("reference.log"), false, "jobs/run-local.sh", "ingest", "--input",
          LANDING.resolve(DAY).toString(), "--warehouse", REFERENCE.toString(), "--run-date", DAY).endsWith(0);
    }
    script("jobs/local-cluster.sh", "start");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    script("jobs/local-cluster.sh", "stop");
  }

  @Test
  @Order(1)
  @EnabledIfSystemProperty(named = "cluster.check", matches = "full")
  void aWorkerKilledInTheMiddleOfAStageLeavesTheTablesAsLocalModeMakesThem() throws Exception {
    Path warehouse = WORK.resolve("killed-worker");
    Job job = submit("killed-worker", "pipeline", warehouse);
    // After ingest, in aggregate or later: a stage with tasks running on the executors.
    job.waitForOutput("stage pipeline/ingest:");
    killWorkerAndEnd(job);

    List<SameTables.Difference> differences = new ArrayList<>();
    for (String table : deltaTables(REFERENCE)) {
      if (RUN_LOGS.contains(table)) {
        continue;
      }
      differences.add(SameTables.compare(spark, REFERENCE.toString(), warehouse.toString(), table, "delta", Set.of()));
    }
    for (String export : directories(REFERENCE.resolve("export"))) {
      differences.add(compareExport(REFERENCE, warehouse, export, Set.of()));
    }
    assertSame(differences, 20);
    restartCluster();
  }

  @Test
  @Order(1)
  @DisabledIfSystemProperty(named = "cluster.check", matches = "full")
  void oneScheduledDayWithAWorkerKilledDuringItsIngestRunsEveryTaskAndStoresWhatLocalModeStores() throws Exception {
    Path warehouse = WORK.resolve("scheduled");
    Path metrics = WORK.resolve("metrics");
    Path commands = WORK.resolve("scheduled-day.sh");
    Job render = Job.start(commands, false, "python3", "jobs/airflow/render_dag.py", "--home", REPO.toString(),
        "--landing", LANDING.toString(), "--warehouse", warehouse.toString(), "--metrics", metrics.toString(),
        "--trigger", "2022-06-16T02:00+08:00");
    render.endsWith(0);
    assertTrue(render.output().contains("ingest --run-date " + DAY), render.output());
    // The day's first command is ingest: the first Spark stage with tasks running is one of ingest's.
    Job run = Job.start(WORK.resolve("scheduled-day.log"), true, "bash", commands.toString());
    killWorkerAndEnd(run);
    assertEquals(List.of("aggregate", "detect", "export", "ingest", "optimize", "typology"), succeededTasks(metrics));
    assertTrue(run.output().contains("nothing to model yet"), "typology on a day within the first year");
    assertSame(ingestTablesAgainstReference(warehouse), INGEST_TABLES.size());
  }

  /**
   * The delivery of {@code day} in {@code landing}: the sample's accounts, registry and county attributes, and the
   * orders placed that day (China time; every copy of an order id with its first copy).
   */
  private static void deliverOneDay(Path landing, String day) throws IOException {
    copyDimensions(landing.resolve(day));
    writeOrders(ordersByFirstDay().where(col(FIRST_DAY).equalTo(lit(java.sql.Date.valueOf(day)))),
        landing.resolve(day));
  }

  /** The sample's accounts, registry and county attributes, into {@code delivery}. */
  private static void copyDimensions(Path delivery) throws IOException {
    for (String set : List.of("seller_accounts", "village_registry", "county_attributes")) {
      copyTree(SAMPLE.resolve(set), delivery.resolve(set));
    }
  }

  /**
   * The sample's orders with the China day of the first copy of their order id ({@link #FIRST_DAY}), so that a
   * delivery by that day takes every copy of an order id together.
   */
  private static Dataset<Row> ordersByFirstDay() {
    // The session's time zone is China's (Sessions.TIME_ZONE), so to_date gives the day in China.
    Column firstDay = min(to_date(col(Transactions.ORDER_TS))).over(Window.partitionBy(Transactions.TRANSACTION_ID));
    return spark.read().parquet(SAMPLE.resolve(Transactions.NAME).toString()).withColumn(FIRST_DAY, firstDay);
  }

  /** {@code orders} (from {@link #ordersByFirstDay}) as the order files of {@code delivery}. */
  private static void writeOrders(Dataset<Row> orders, Path delivery) {
    orders.drop(FIRST_DAY).write().partitionBy("delivery_month")
        .parquet(delivery.resolve(Transactions.NAME).toString());
  }

  /** The tasks whose metrics report (one JSON file per task) says they succeeded, in name order. */
  private static List<String> succeededTasks(Path metrics) throws IOException {
    List<String> tasks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(metrics)) {
      for (Path report : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        tasks.add(json.get("outcome").asText().equals("succeeded") ? json.get("command").asText()
            : report + " " + json.get("outcome").asText());
      }
    }
    return tasks.stream().sorted().toList();
  }

  @Test
  @Order(2)
  @EnabledIfSystemProperty(named = "cluster.check", matches = "full")
  void aDriverKilledBetweenIngestCommitsIsRepairedByTheRerun() throws Exception {
    Path warehouse = WORK.resolve("killed-driver");
    Job killed = submit("killed-driver", "ingest", warehouse, "--run-id", "killed");
    // Dimensions and quarantine are committed before transactions, the audit last.
    Path quarantineCommit = warehouse.resolve(Quarantine.NAME).resolve("_delta_log/00000000000000000000.json");
    while (!Files.exists(quarantineCommit)) {
      assertTrue(killed.alive(), "ingest running until its quarantine commit\n" + killed.output());
      Thread.sleep(50);
    }
    killed.process.destroyForcibly();
    killed.process.waitFor();
    assertFalse(Files.exists(warehouse.resolve(IngestAudit.NAME)), "killed before its audit commit");

    Job rerun = submit("rerun", "ingest", warehouse, "--run-id", "rerun");
    rerun.endsWith(0);
    assertTrue(rerun.output().contains("REPAIRED: an earlier run of this run date stopped before its audit"),
        rerun.output());

    Dataset<Row> interrupted = spark.read().format("delta").load(warehouse.resolve(IngestAudit.NAME).toString())
        .where(col(IngestAudit.FILE_STATUS).equalTo(IngestAudit.FILE_INTERRUPTED));
    Set<String> tablesNamed = new TreeSet<>();
    for (Row r : interrupted.select(IngestAudit.SOURCE_TABLE, IngestAudit.ERROR, "run_id").collectAsList()) {
      tablesNamed.add(r.getString(0));
      assertTrue(r.getString(1).startsWith("run killed of this run date stopped after this commit"), r.getString(1));
      assertEquals("rerun", r.getString(2));
    }
    Set<String> committedByKilled = new TreeSet<>();
    for (String table : deltaTables(warehouse)) {
      if (!table.equals(IngestAudit.NAME) && Files.exists(
          warehouse.resolve(table).resolve("_delta_log/00000000000000000000.json"))) {
        committedByKilled.add(table);
      }
    }
    assertTrue(tablesNamed.contains(Quarantine.NAME), tablesNamed.toString());
    assertTrue(committedByKilled.containsAll(tablesNamed), tablesNamed + " within " + committedByKilled);

    Dataset<Row> orders = spark.read().format("delta").load(warehouse.resolve(Transactions.NAME).toString());
    assertEquals(orders.count(), orders.select(Transactions.TRANSACTION_ID).distinct().count(), "no order twice");
    assertSame(ingestTablesAgainstReference(warehouse), INGEST_TABLES.size());
  }

  @Test
  @Order(3)
  @EnabledIfSystemProperty(named = "cluster.check", matches = "full")
  void aThreeDayBackfillOfTheDagGivesTheTablesOfOneRunOverTheThreeDays() throws Exception {
    Path landing = WORK.resolve("landing");
    Path warehouse = WORK.resolve("scheduled");
    Path metrics = WORK.resolve("metrics");
    splitIntoDailyDeliveries(landing, List.of("2022-12-29", "2022-12-30", "2022-12-31"));
    // The runs triggered on 2022-12-30, 12-31 and 2023-01-01 at 02:00 China time cover the three days.
    Path commands = WORK.resolve("backfill.sh");
    Job render = Job.start(commands, false, "python3", "jobs/airflow/render_dag.py", "--home", REPO.toString(),
        "--landing", landing.toString(), "--warehouse", warehouse.toString(), "--metrics", metrics.toString(),
        "--from-date", "2022-12-30", "--to-date", "2023-01-01");
    render.endsWith(0);
    String script = render.output();
    for (String day : List.of("2022-12-29", "2022-12-30", "2022-12-31")) {
      assertTrue(script.contains("ingest --run-date " + day), script);
    }
    Job backfill = Job.start(WORK.resolve("backfill.log"), true, "bash", commands.toString());
    backfill.endsWith(0);

    // 6 tasks a day, each with a report that says it succeeded.
    List<String> tasks = Stream.of("aggregate", "detect", "export", "ingest", "optimize", "typology")
        .flatMap(task -> Stream.of(task, task, task)).toList();
    assertEquals(tasks, succeededTasks(metrics));

    // What only lineage tells apart: the run that stored a row (run id, run date), the run date a dimension
    // version is valid from, and where a quarantined row was read (file, line). The audit and the aggregate's run
    // log are per run, as are the typology's and the export's run logs (RUN_LOGS).
    Set<String> lineage = Set.of(DimensionColumns.VALID_FROM, Quarantine.SOURCE_FILE, Quarantine.SOURCE_LINE);
    Set<String> perRun = new java.util.HashSet<>(RUN_LOGS);
    perRun.addAll(Set.of(IngestAudit.NAME, "aggregate_runs"));
    List<SameTables.Difference> differences = new ArrayList<>();
    for (String table : deltaTables(warehouse)) {
      if (!perRun.contains(table)) {
        differences.add(SameTables.compare(spark, REFERENCE.toString(), warehouse.toString(), table, "delta", lineage));
      }
    }
    for (String export : directories(warehouse.resolve("export"))) {
      if (!export.equals("ingest_quality")) {
        differences.add(compareExport(REFERENCE, warehouse, export, lineage));
      }
    }
    assertSame(differences, 15);
  }

  /**
   * Kills worker-1 (SIGKILL, by its pid) once a Spark stage of {@code job} has tasks running; the job must then end
   * well, its driver having lost that worker's executor.
   */
  private static void killWorkerAndEnd(Job job) throws Exception {
    JsonNode stage = job.runningStage();
    long worker = Long.parseLong(Files.readString(CLUSTER.resolve("worker-1.pid")).strip());
    ProcessHandle.of(worker).orElseThrow().destroyForcibly();
    System.out.printf("killed worker-1 (pid %d) while stage %s (%s) ran %d tasks%n", worker,
        stage.get("stageId"), stage.get("name").asText(), stage.get("numActiveTasks").asInt());
    job.endsWith(0);
    assertTrue(job.output().contains("Lost executor"), "the driver lost the killed worker's executor");
  }

  /** A new worker-1 for the next test. */
  private static void restartCluster() throws Exception {
    script("jobs/local-cluster.sh", "stop");
    script("jobs/local-cluster.sh", "start");
  }

  private static List<SameTables.Difference> ingestTablesAgainstReference(Path warehouse) {
    return INGEST_TABLES.stream().map(table -> SameTables.compare(spark, REFERENCE.toString(), warehouse.toString(),
        table, "delta", Set.<String>of())).toList();
  }

  /**
   * The sample as three daily deliveries: the accounts, the registry and the county attributes on the first day;
   * each order on the day it was placed (China time; all copies of an order id with its first copy). The orders
   * placed after the last day or without a time go with the first day, where ingest quarantines them as it does
   * in one run: the last day's delivery is small (121 rows), and 72 orders of 2023 would make it refuse the
   * whole delivery (more than ingest.max-bad-row-share bad rows), as it should.
   */
  private static void splitIntoDailyDeliveries(Path landing, List<String> days) throws IOException {
    copyDimensions(landing.resolve(days.get(0)));
    Dataset<Row> dated = ordersByFirstDay().cache();
    for (int i = 0; i < days.size(); i++) {
      Column day = lit(java.sql.Date.valueOf(days.get(i)));
      Column last = lit(java.sql.Date.valueOf(days.get(days.size() - 1)));
      Column mine = i == 0 ? col(FIRST_DAY).leq(day).or(col(FIRST_DAY).gt(last)).or(col(FIRST_DAY).isNull())
          : col(FIRST_DAY).equalTo(day);
      writeOrders(dated.where(mine), landing.resolve(days.get(i)));
    }
    dated.unpersist();
  }

  /** An exported table in two warehouses; one without rows has no Parquet file, so then the other must have none. */
  private static SameTables.Difference compareExport(Path a, Path b, String export, Set<String> ignored)
      throws IOException {
    String table = "export/" + export;
    long filesA = parquetFiles(a.resolve(table));
    long filesB = parquetFiles(b.resolve(table));
    if (filesA == 0 || filesB == 0) {
      long rowsA = filesA == 0 ? 0 : spark.read().parquet(a.resolve(table).toString()).count();
      long rowsB = filesB == 0 ? 0 : spark.read().parquet(b.resolve(table).toString()).count();
      return new SameTables.Difference(table, rowsA, rowsA, rowsB);
    }
    return SameTables.compare(spark, a.toString(), b.toString(), table, "parquet", ignored);
  }

  private static long parquetFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  /** What a run did, with the clock time it recorded it at and the export root's path: never equal between runs. */
  private static final Set<String> RUN_LOGS = Set.of("export_runs", "typology_runs");

  private static void assertSame(List<SameTables.Difference> differences, int atLeast) {
    differences.forEach(System.out::println);
    assertTrue(differences.size() >= atLeast, "tables compared: " + differences);
    assertEquals(List.of(), differences.stream().filter(d -> !d.same()).toList());
    assertTrue(differences.stream().mapToLong(SameTables.Difference::rows).sum() > 0, "something compared");
  }

  private static List<String> deltaTables(Path warehouse) throws IOException {
    return directories(warehouse).stream().filter(t -> Files.isDirectory(warehouse.resolve(t).resolve("_delta_log")))
        .toList();
  }

  private static List<String> directories(Path parent) throws IOException {
    try (Stream<Path> children = Files.list(parent)) {
      return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** {@code jobs/spark-submit.sh <subcommand>} on the sample, the run date and {@code warehouse}; log {@code <name>.log}. */
  private static Job submit(String name, String subcommand, Path warehouse, String... more) throws IOException {
    List<String> command = new ArrayList<>(List.of("jobs/spark-submit.sh", subcommand, "--input", SAMPLE.toString(),
        "--warehouse", warehouse.toString(), "--run-date", RUN_DATE));
    command.addAll(List.of(more));
    return Job.start(WORK.resolve(name + ".log"), true, command.toArray(String[]::new));
  }

  private static void script(String... command) throws Exception {
    Job.start(WORK.resolve("cluster-" + command[command.length - 1] + ".log"), true, command).endsWith(0);
  }

  /** A command run from the checkout with the cluster's environment, its output (stdout and stderr) in a file. */
  record Job(Process process, Path log) {
    static Job start(Path log, boolean onCluster, String... command) throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
      if (log.toString().endsWith(".sh")) {
        builder.redirectError(WORK.resolve(log.getFileName() + ".err").toFile()).redirectErrorStream(false);
      }
      builder.redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put("TAOBAO_VILLAGES_PSEUDONYM_KEY", "cluster-check key, synthetic data only");
      env.put("SPARK_LOCAL_IP", "127.0.0.1");
      env.put("TV_CLUSTER_DIR", CLUSTER.toString());
      if (onCluster) {
        env.put("SPARK_HOME", CLUSTER.resolve("spark-home").toString());
        env.put("TV_MASTER", "spark://127.0.0.1:7077");
        env.put("TV_SUBMIT_ARGS", "--conf spark.ui.port=" + UI_PORT);
      }
      return new Job(builder.start(), log);
    }

    boolean alive() {
      return process.isAlive();
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void endsWith(int code) throws InterruptedException {
      if (!process.waitFor(JOB_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("not done within " + JOB_TIMEOUT + ": " + log);
      }
      assertEquals(code, process.exitValue(), log + ":\n" + output());
    }

    void waitForOutput(String text) throws InterruptedException {
      while (!output().contains(text)) {
        assertTrue(alive(), "waiting for '" + text + "'; the job ended:\n" + output());
        Thread.sleep(200);
      }
    }

    /** A Spark stage of this job (the driver's REST API) with tasks running, once there is one. */
    JsonNode runningStage() throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      String api = "http://127.0.0.1:" + UI_PORT + "/api/v1/applications";
      ObjectMapper json = new ObjectMapper();
      while (true) {
        assertTrue(alive(), "waiting for a running stage; the job ended:\n" + output());
        try {
          JsonNode apps = json.readTree(http.send(HttpRequest.newBuilder(URI.create(api)).build(),
              HttpResponse.BodyHandlers.ofString()).body());
          String app = apps.get(0).get("id").asText();
          JsonNode stages = json.readTree(http.send(HttpRequest.newBuilder(
              URI.create(api + "/" + app + "/stages?status=active")).build(), HttpResponse.BodyHandlers.ofString()).body());
          for (JsonNode stage : stages) {
            if (stage.get("numActiveTasks").asInt() > 0) {
              return stage;
            }
          }
        } catch (IOException e) {
          // The UI is not up yet.
        }
        Thread.sleep(100);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}
