package org.taobaovillages.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Airflow DAG rendered without Airflow ({@code jobs/airflow/render_dag.py}): what a backfill runs, in which
 * order and for which run dates, and what the failure callback hands its command. Expected values worked out by
 * hand from the DAG's rules: the run triggered at 02:00 China time (18:00 UTC the day before) on day X covers
 * run date X-1, and Airflow names a backfill's run {@code backfill__<logical date in UTC>}.
 */
class DagRenderTest {
  @TempDir Path dir;

  record Output(int code, String out, String err) {}

  @BeforeAll
  static void python() throws Exception {
    assumeTrue(run(List.of("python3", "-c", "import jinja2")).code() == 0,
        "python3 with Jinja2 renders the DAG (pip install jinja2)");
  }

  static Output run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("render", ".out");
    Path err = Files.createTempFile("render", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Output(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static Output render(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", "jobs/airflow/render_dag.py", "--home", "/opt/tv",
        "--landing", "s3a://land/tv/", "--warehouse", "hdfs:///wh/tv"));
    command.addAll(List.of(args));
    return run(command);
  }

  @Test
  void aBackfillRunsEachDayInOrderWithItsRunDateAndOneIngestBeforeTheNextDay() throws Exception {
    Output o = render("--metrics", "/m", "--from-date", "2023-01-01", "--to-date", "2023-01-03");
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().lines().toList();
    assertEquals("set -euo pipefail", lines.get(0));
    assertEquals(1 + 3 * 7, lines.size(), o.out());
    String[][] runs = {
        {"2022-12-31", "backfill__2022-12-31T18:00:00+00:00", "backfill__2022-12-31T18_00_00_00_00"},
        {"2023-01-01", "backfill__2023-01-01T18:00:00+00:00", "backfill__2023-01-01T18_00_00_00_00"},
        {"2023-01-02", "backfill__2023-01-02T18:00:00+00:00", "backfill__2023-01-02T18_00_00_00_00"}};
    List<String> tasks = List.of("ingest", "aggregate", "detect", "typology", "export", "optimize");
    for (int r = 0; r < 3; r++) {
      String date = runs[r][0];
      String id = runs[r][1];
      assertEquals("# run " + id + " (run date " + date + ")", lines.get(1 + 7 * r));
      for (int t = 0; t < tasks.size(); t++) {
        String task = tasks.get(t);
        String input = task.equals("ingest") ? " --input s3a://land/tv/" + date : "";
        assertEquals("/opt/tv/jobs/spark-submit.sh " + task + " --run-date " + date + " --run-id " + id
            + " --warehouse hdfs:///wh/tv" + input + " --metrics-file /m/" + runs[r][2] + "/" + task + ".json",
            lines.get(2 + 7 * r + t));
      }
    }
  }

  @Test
  void theFailureCallbackRunsItsCommandWithTheFailedTasksEnvironment() throws Exception {
    Path seen = dir.resolve("seen");
    Output o = render("--from-date", "2023-01-01", "--to-date", "2023-01-02", "--fail", "aggregate",
        "--on-failure", "env | grep '^TV_' | sort > " + seen);
    assertEquals(0, o.code(), o.err());
    Path script = dir.resolve("on-failure.sh");
    Files.writeString(script, o.out());
    assertEquals(0, run(List.of("bash", script.toString())).code());
    assertEquals(List.of("TV_DAG_ID=taobao_villages", "TV_LOG_URL=render://aggregate",
        "TV_RUN_DATE=2023-01-01", "TV_RUN_ID=backfill__2023-01-01T18:00:00+00:00", "TV_TASK_ID=aggregate",
        "TV_TRY_NUMBER=1"), Files.readAllLines(seen));
  }

  @Test
  void aManualRunDateWinsAndWrongRangesAreRefused() throws Exception {
    Output manual = render("--run-date", "2022-06-30", "--run-id", "manual__x");
    assertEquals(0, manual.code(), manual.err());
    assertTrue(manual.out().contains("ingest --run-date 2022-06-30 --run-id manual__x --warehouse hdfs:///wh/tv "
        + "--input s3a://land/tv/2022-06-30"), manual.out());
    Output backwards = render("--from-date", "2023-01-03", "--to-date", "2023-01-01");
    assertEquals(2, backwards.code());
    assertTrue(backwards.err().contains("--from-date is after --to-date"), backwards.err());
    Output unknown = render("--fail", "nope", "--run-date", "2022-06-30");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("no task nope"), unknown.err());
  }
}
