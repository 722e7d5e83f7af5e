package org.taobaovillages.ingest;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.taobaovillages.table.IngestAudit;

/**
 * The audit of one source file in one run (a row of {@link IngestAudit}). Counts are null for a bad file that
 * was left out whole.
 */
public record FileAudit(String table, InputFiles.FileReport file, Long read, Long accepted, Long quarantined,
    Long skipped, Map<String, Long> reasons) {

  /** A file to name in the report: left out whole, or read with schema drift. */
  public boolean hasDriftOrLeftOut() {
    return file.isBad() || !file.drift().isEmpty();
  }

  Row toRow(org.taobaovillages.spark.RunContext run, String outcome) {
    Map<String, Long> byReason = file.isBad() ? Map.of(file.badReason().name(), 1L) : reasons;
    return RowFactory.create(run.runId(), java.sql.Date.valueOf(run.runDate()), table, file.file(),
        file.format().name().toLowerCase(java.util.Locale.ROOT),
        file.isBad() ? IngestAudit.FILE_QUARANTINED : IngestAudit.READ,
        List.copyOf(file.drift()), file.error(), read,
        accepted, quarantined, skipped, byReason, outcome);
  }
}
