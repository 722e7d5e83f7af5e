package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * The BI export of the ingest audit: one Parquet row per run, source file and quarantine reason (a file without
 * quarantined rows has one row with a null reason), partitioned by run date. File counts repeat on each reason
 * row of the file: sum {@link #REASON_ROWS} per reason, and file counts over the rows with {@link #FILE_TOTAL}.
 * No row values are exported.
 */
public final class IngestQualityExport {
  public static final String NAME = "ingest_quality";
  public static final String DRIFT = "drift";
  public static final String REASON = "reason";
  public static final String REASON_ROWS = "reason_rows";
  /** True on exactly one row per run and file: sum the file counts over these rows. */
  public static final String FILE_TOTAL = "is_file_total";

  public static final StructType SCHEMA = new StructType()
      .add(RunColumns.RUN_ID, StringType, false)
      .add(IngestAudit.RUN_OUTCOME, StringType, false)
      .add(IngestAudit.SOURCE_TABLE, StringType, false)
      .add(IngestAudit.SOURCE_FILE, StringType, false)
      .add(IngestAudit.FILE_FORMAT, StringType, false)
      .add(IngestAudit.FILE_STATUS, StringType, false)
      .add(DRIFT, StringType, true)
      .add(IngestAudit.ERROR, StringType, true)
      .add(IngestAudit.ROWS_IN_FILE, LongType, true)
      .add(IngestAudit.LINES_SKIPPED, LongType, true)
      .add(IngestAudit.ROWS_READ, LongType, true)
      .add(IngestAudit.ACCEPTED, LongType, true)
      .add(IngestAudit.QUARANTINED, LongType, true)
      .add(IngestAudit.DUPLICATES_SKIPPED, LongType, true)
      .add(FILE_TOTAL, BooleanType, false)
      .add(REASON, StringType, true)
      .add(REASON_ROWS, LongType, true)
      .add(RunColumns.RUN_DATE, DateType, false);

  private IngestQualityExport() {}
}
