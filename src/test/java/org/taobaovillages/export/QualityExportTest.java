package org.taobaovillages.export;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Date;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.IngestQualityExport;

class QualityExportTest {
  @Test
  void oneRowPerFileAndReasonWithOneFileTotal() {
    Date day = Date.valueOf("2022-12-31");
    // Held in the order a map might give them, not alphabetically.
    Map<String, Long> reasons = new java.util.LinkedHashMap<>();
    reasons.put("MISSING_KEY", 2L);
    reasons.put("FUTURE_ORDER", 1L);
    var audit = TestSpark.get().createDataFrame(List.of(
        RowFactory.create("r1", day, "transactions", "file:/in/a.csv", "csv", "read", List.of("extra column 'x' dropped"),
            null, 10L, 1L, 10L, 6L, 3L, 1L, reasons, "committed"),
        RowFactory.create("r1", day, "transactions", "file:/in/b.parquet", "parquet", "read", List.of(), null, 5L,
            null, 5L, 5L, 0L, 0L, Map.of(), "committed"),
        RowFactory.create("r1", day, "transactions", "file:/in/c.parquet", "parquet", "quarantined", List.of(),
            "missing required column 'order_status'", null, null, null, null, null, null, Map.of("MISSING_COLUMN", 1L),
            "committed")), IngestAudit.SCHEMA);
    List<Row> rows = QualityExport.build(audit).collectAsList();
    // a.csv: two reasons, b.parquet: none (one row, null reason), c.parquet: its file reason.
    assertEquals(4, rows.size());
    assertEquals(3, rows.stream().filter(r -> r.<Boolean>getAs(IngestQualityExport.FILE_TOTAL)).count());
    long read = rows.stream().filter(r -> r.<Boolean>getAs(IngestQualityExport.FILE_TOTAL))
        .map(r -> r.<Long>getAs(IngestAudit.ROWS_READ)).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).sum();
    assertEquals(15, read, "file counts summed once per file");
    long reasonRows = rows.stream().map(r -> r.<Long>getAs(IngestQualityExport.REASON_ROWS))
        .filter(java.util.Objects::nonNull).mapToLong(Long::longValue).sum();
    assertEquals(2 + 1 + 1, reasonRows);
    Row b = rows.stream().filter(r -> r.<String>getAs(IngestAudit.SOURCE_FILE).endsWith("b.parquet")).findFirst().orElseThrow();
    assertNull(b.getAs(IngestQualityExport.REASON));
    assertNull(b.getAs(IngestQualityExport.DRIFT));
    Row a = rows.stream().filter(r -> r.<String>getAs(IngestAudit.SOURCE_FILE).endsWith("a.csv")).findFirst().orElseThrow();
    assertEquals("extra column 'x' dropped", a.getAs(IngestQualityExport.DRIFT));
    // The file total is on the alphabetically first reason, whatever order the map holds its keys in.
    Row total = rows.stream().filter(r -> r.<String>getAs(IngestAudit.SOURCE_FILE).endsWith("a.csv")
        && r.<Boolean>getAs(IngestQualityExport.FILE_TOTAL)).findFirst().orElseThrow();
    assertEquals("FUTURE_ORDER", total.getAs(IngestQualityExport.REASON));
    assertEquals(1L, total.<Long>getAs(IngestQualityExport.REASON_ROWS));
  }
}
