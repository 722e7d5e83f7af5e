package org.taobaovillages.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.ingest.InputFiles.FileReport;
import org.taobaovillages.ingest.InputFiles.Format;

/** Every row counted once per file, and a file that gave other rows than it holds is bad. */
class ReconciliationTest {
  static final StructType CHECKED = new StructType()
      .add(InputFiles.SOURCE_FILE, DataTypes.StringType)
      .add(Validation.SKIPPED, DataTypes.BooleanType)
      .add(Validation.REASONS, DataTypes.createArrayType(DataTypes.StringType));

  static CheckedInput input(List<FileReport> files, Row... rows) {
    Dataset<Row> checked = TestSpark.get().createDataFrame(List.of(rows), CHECKED);
    return new CheckedInput(IngestJob.ORDERS, checked, files, true);
  }

  static FileReport file(String id, long rowsInFile) {
    return new FileReport(id, Format.CSV, List.of(), null, null, rowsInFile, 1L);
  }

  @Test
  void eachFileReconcilesWithItsRowsAndReasons() {
    var in = input(List.of(file("a", 3), file("b", 1)),
        RowFactory.create("a", false, List.of()),
        RowFactory.create("a", true, List.of()),
        RowFactory.create("a", false, List.of("MISSING_KEY", "UNKNOWN_SELLER")),
        RowFactory.create("b", false, List.of("UNKNOWN_SELLER")));
    var counted = Reconciliation.reconcile(List.of(in));
    FileAudit a = counted.files().get(0);
    assertEquals(List.of(3L, 1L, 1L, 1L), List.of(a.read(), a.accepted(), a.quarantined(), a.skipped()));
    assertEquals(Map.of("MISSING_KEY", 1L, "UNKNOWN_SELLER", 1L), a.reasons());
    TableCounts t = counted.tables().get(0);
    assertEquals(List.of(4L, 1L, 2L, 1L), List.of(t.read(), t.accepted(), t.quarantined(), t.skipped()));
    assertEquals(Map.of("MISSING_KEY", 1L, "UNKNOWN_SELLER", 2L), t.reasons());
  }

  @Test
  void aFileThatGaveFewerRowsThanItHoldsIsBad() {
    // b holds two rows (counted on its bytes) but the reader gave one: a merged or dropped line.
    var in = input(List.of(file("a", 1), file("b", 2)),
        RowFactory.create("a", false, List.of()),
        RowFactory.create("b", false, List.of()));
    LateBadFiles bad = assertThrows(LateBadFiles.class, () -> Reconciliation.reconcile(List.of(in)));
    assertEquals(1, bad.files().size());
    assertEquals("b", bad.files().get(0).file());
    assertEquals(Reason.ROW_COUNT_MISMATCH, bad.files().get(0).reason());
    assertTrue(bad.files().get(0).error().contains("holds 2 rows") && bad.files().get(0).error().contains("1 were "
        + "read"), bad.files().get(0).error());
  }

  /**
   * clean.parquet holds 2 rows in one row group. Its footer made to claim 5 rows, or 1, or its row group made to
   * claim 5 while the row group's columns hold 2 values each: the file's count cannot be trusted, the file is bad
   * before a row is read (Spark would read 2 rows, or fill the row group's missing 3 with empty values).
   */
  @Test
  void aParquetFileWhoseFooterClaimsOtherRowsThanItsPagesHoldIsBad(@TempDir Path dir) {
    Path clean = IngestCorpusTest.CORPUS.resolve("transactions/clean.parquet");
    Map<Path, String> lying = Map.of(
        LyingParquet.claimingRows(clean, dir.resolve("more.parquet"), 5), "the footer claims 5 rows",
        LyingParquet.claimingRows(clean, dir.resolve("fewer.parquet"), 1), "the footer claims 1 rows",
        LyingParquet.rowGroupClaimingRows(clean, dir.resolve("group.parquet"), 5), "row group 1 claims 5 rows");
    for (var file : lying.entrySet()) {
      FileInspection.Inspected found = inspect(file.getKey());
      assertEquals(Reason.ROW_COUNT_MISMATCH, found.bad(), file.getKey() + ": " + found.error());
      assertTrue(found.error().contains(file.getValue()) && found.error().contains("2"), found.error());
    }
    FileInspection.Inspected good = inspect(clean);
    assertNull(good.bad(), good.error());
    assertEquals(2, good.rows());
  }

  private static FileInspection.Inspected inspect(Path parquet) {
    String uri = InputFiles.uriOf(new org.apache.hadoop.fs.Path(parquet.toUri()));
    return FileInspection.inspect(TestSpark.get(), List.of(new FileInspection.Work(uri, Format.PARQUET,
        TextFilesTest.TEXT))).get(0);
  }
}
