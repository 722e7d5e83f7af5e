package org.taobaovillages.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.Transactions;

/** Bad command lines and bad inputs: one line on stderr, a non-zero exit, a stack trace only with --verbose. */
class CliErrorsTest {
  @TempDir static Path dir;

  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Result run(String... args) {
    CliRunner.Result r = CliRunner.run(args);
    return new Result(r.code(), r.out(), r.err());
  }

  @BeforeAll
  static void spark() {
    TestSpark.get();
  }

  @Test
  void aBadRunDateIsOneLineAndExitTwo() {
    Result r = run("aggregate", "--run-date", "2022-13-01", "--warehouse", dir.toString());
    assertEquals(2, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("'2022-13-01' is not a date of the form YYYY-MM-DD"), r.err());
    assertTrue(r.err().contains("--run-date"), r.err());
  }

  @Test
  void typologyOnAnEmptyWarehouseSaysWhatToRunFirst() {
    Result r = run("typology", "--warehouse", dir.resolve("empty-wh").toString(), "--run-date", "2022-12-31");
    assertEquals(1, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("typology needs table village_period") && r.err().contains("run ingest, aggregate "
        + "and detect first"), r.err());
  }

  @Test
  void anUnknownSubcommandIsOneLineAndExitTwo() {
    Result r = run("detonate");
    assertEquals(2, r.code());
    assertEquals(1, r.errLines().size(), r.err());
  }

  @Test
  void aMissingInputPathNamesThePath() {
    Path missing = dir.resolve("no-such-input");
    Result r = run("ingest", "--demo", "--input", missing.toString(), "--warehouse", dir.resolve("wh1").toString(),
        "--run-date", "2022-12-31");
    assertEquals(1, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().startsWith("error: input not found: "), r.err());
    assertTrue(r.err().contains(missing.toUri().toString().replaceAll("/$", "")), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void anInputWithAMissingColumnNamesFileAndColumn() {
    Path input = dir.resolve("missing-column");
    Dataset<Row> tx = TestSpark.get().createDataFrame(List.<Row>of(),
        Transactions.INPUT_SCHEMA).drop(Transactions.AMOUNT_RMB);
    tx.write().parquet(input.resolve(Transactions.NAME).toString());
    // The other file sets are present and valid (empty), so the transactions check is the one that fails.
    SmallInputs.writeEmptyDimensions(input);
    Result r = run("ingest", "--demo", "--input", input.toString(), "--warehouse", dir.resolve("wh2").toString(),
        "--run-date", "2022-12-31");
    assertEquals(1, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("missing required column 'amount_rmb' (expected decimal(18,2))"), r.err());
    assertTrue(r.err().contains(input.resolve(Transactions.NAME).toString()), r.err());
  }

  @Test
  void settingsForTextFilesAreCheckedBeforeAnythingIsRead() throws java.io.IOException {
    Path utf16 = java.nio.file.Files.writeString(dir.resolve("utf16.conf"),
        "taobao-villages.ingest.file-sets.transactions.encoding = UTF-16\n");
    Result r = run("ingest", "--conf", utf16.toString(), "--demo", "--input", dir.toString(), "--warehouse",
        dir.resolve("wh3").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("ingest.file-sets.transactions.encoding: UTF-16 is not supported"), r.err());
    // A file set that does not exist: its settings would be silently unused.
    Path typo = java.nio.file.Files.writeString(dir.resolve("typo.conf"),
        "taobao-villages.ingest.file-sets.transaction.encoding = GB18030\n");
    r = run("ingest", "--conf", typo.toString(), "--demo", "--input", dir.toString(), "--warehouse",
        dir.resolve("wh3").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("ingest.file-sets.transaction: no such file set"), r.err());
  }

  @Test
  void verboseAddsTheStackTrace() {
    Result r = run("detect", "--verbose", "--warehouse", dir.resolve("empty-warehouse").toString());
    assertEquals(1, r.code());
    assertTrue(r.errLines().get(0).startsWith("error: no aggregate run for run date"), r.err());
    assertTrue(r.err().contains("\tat "), "stack trace with --verbose");
  }
}
