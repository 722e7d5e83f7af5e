package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * The data quality record of ingest: one row per source file per run, whether the run committed or was
 * rejected. For a file that was read, {@code rows_read = accepted + quarantined + duplicates_skipped}; a bad file
 * (left out whole) has no row counts, its reason in {@code reasons} and the message in {@code error}. Delta
 * table partitioned by run date; a retry under the same run id replaces that run's rows.
 */
public final class IngestAudit {
  public static final String NAME = "ingest_audit";

  public static final String SOURCE_TABLE = "source_table";
  public static final String SOURCE_FILE = "source_file";
  /** parquet, csv or json. */
  public static final String FILE_FORMAT = "file_format";
  /** read, or quarantined (a bad file left out whole). */
  public static final String FILE_STATUS = "file_status";
  /** Schema drift found in the file: extra columns, absent optional columns, widened types. */
  public static final String DRIFT = "drift";
  public static final String ERROR = "error";
  public static final String ROWS_READ = "rows_read";
  public static final String ACCEPTED = "accepted";
  public static final String QUARANTINED = "quarantined";
  /** Exact copies of a row kept in the same delivery or stored by an earlier run: counted once. */
  public static final String DUPLICATES_SKIPPED = "duplicates_skipped";
  /** Reason code to number of rows with that reason (a row may have several). */
  public static final String REASONS = "reasons";
  /** committed, or rejected (bad-row share over the limit: nothing was written but this audit). */
  public static final String RUN_OUTCOME = "run_outcome";

  public static final String READ = "read";
  public static final String FILE_QUARANTINED = "quarantined";
  public static final String COMMITTED = "committed";
  public static final String REJECTED = "rejected";

  public static final StructType SCHEMA = new StructType()
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false)
      .add(SOURCE_TABLE, StringType, false)
      .add(SOURCE_FILE, StringType, false)
      .add(FILE_FORMAT, StringType, false)
      .add(FILE_STATUS, StringType, false)
      .add(DRIFT, createArrayType(StringType, false), false)
      .add(ERROR, StringType, true)
      .add(ROWS_READ, LongType, true)
      .add(ACCEPTED, LongType, true)
      .add(QUARANTINED, LongType, true)
      .add(DUPLICATES_SKIPPED, LongType, true)
      .add(REASONS, createMapType(StringType, LongType, false), false)
      .add(RUN_OUTCOME, StringType, false);

  private IngestAudit() {}
}
