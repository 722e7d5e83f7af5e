package org.taobaovillages.ingest;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.taobaovillages.table.IngestAudit;

/**
 * The audit of one source file in one run (a row of {@link IngestAudit}). Counts are null for a bad file that
 * was left out whole and for a file outside the file sets (table {@link IngestAudit#NO_FILE_SET}).
 */
public record FileAudit(String table, InputFiles.FileReport file, Long read, Long accepted, Long quarantined,
    Long skipped, Map<String, Long> reasons) {

  /** A file outside the four file sets: listed, never read. */
  static FileAudit ignored(String fileId, InputFiles.Format format) {
    return new FileAudit(IngestAudit.NO_FILE_SET, InputFiles.FileReport.bad(fileId, format, Reason.UNKNOWN_FILE_SET,
        "not in a file set: only files under transactions/, seller_accounts/, village_registry/ and "
            + "county_attributes/ are read"), null, null, null, null, Map.of());
  }

  public boolean isIgnored() {
    return file.badReason() == Reason.UNKNOWN_FILE_SET;
  }

  /** A bad file left out whole (not an ignored one). */
  public boolean isLeftOut() {
    return file.isBad() && !isIgnored();
  }

  /** A file to name in the report: left out whole, ignored, or read with schema drift. */
  public boolean hasDriftOrLeftOut() {
    return file.isBad() || !file.drift().isEmpty();
  }

  Row toRow(org.taobaovillages.spark.RunContext run, String outcome) {
    Map<String, Long> byReason = file.isBad() ? Map.of(file.badReason().name(), 1L) : reasons;
    String status = isIgnored() ? IngestAudit.FILE_IGNORED
        : file.isBad() ? IngestAudit.FILE_QUARANTINED : IngestAudit.READ;
    return RowFactory.create(run.runId(), java.sql.Date.valueOf(run.runDate()), table, file.file(),
        file.format().name().toLowerCase(java.util.Locale.ROOT), status, List.copyOf(file.drift()), file.error(),
        file.rowsInFile(), file.linesSkipped(), read, accepted, quarantined, skipped, byReason, outcome);
  }
}
