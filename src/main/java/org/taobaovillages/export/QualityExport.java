package org.taobaovillages.export;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.IngestQualityExport;

/**
 * The ingest audit flattened for BI tools: one row per run, file and reason (see {@link IngestQualityExport}).
 * Reasons are taken in alphabetical order, so the row that carries the file total is the same on every re-run
 * (a map column keeps no order of its own).
 */
public final class QualityExport {
  private QualityExport() {}

  public static Dataset<Row> build(Dataset<Row> audit) {
    Dataset<Row> perReason = audit
        .select(col("*"), posexplode_outer(array_sort(map_keys(col(IngestAudit.REASONS))))
            .as(new String[] {"_pos", "_reason"}))
        .withColumn("_rows", element_at(col(IngestAudit.REASONS), col("_reason")));
    return perReason.select(
        col(org.taobaovillages.table.RunColumns.RUN_ID), col(IngestAudit.RUN_OUTCOME), col(IngestAudit.SOURCE_TABLE),
        col(IngestAudit.SOURCE_FILE), col(IngestAudit.FILE_FORMAT), col(IngestAudit.FILE_STATUS),
        when(size(col(IngestAudit.DRIFT)).gt(0), array_join(col(IngestAudit.DRIFT), "; ")).as(IngestQualityExport.DRIFT),
        col(IngestAudit.ERROR), col(IngestAudit.ROWS_IN_FILE), col(IngestAudit.LINES_SKIPPED), col(IngestAudit.ROWS_READ), col(IngestAudit.ACCEPTED), col(IngestAudit.QUARANTINED),
        col(IngestAudit.DUPLICATES_SKIPPED),
        coalesce(col("_pos").equalTo(0), lit(true)).as(IngestQualityExport.FILE_TOTAL),
        col("_reason").as(IngestQualityExport.REASON), col("_rows").as(IngestQualityExport.REASON_ROWS),
        col(org.taobaovillages.table.RunColumns.RUN_DATE));
  }
}
