package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * The data quality record of ingest: one row per source file per run, whether the run committed or was
 * rejected. For a file that was read, {@code rows_read = accepted + quarantined + duplicates_skipped} and
 * {@code rows_read = rows_in_file}, counted from the file itself; a bad file (left out whole) has no row counts,
 * its reason in {@code reasons} and the message in {@code error}; a file outside the four file sets is listed as
 * ignored. Delta table partitioned by run date; a retry under the same run id replaces that run's rows.
 */
public final class IngestAudit {
  public static final String NAME = "ingest_audit";

  public static final String SOURCE_TABLE = "source_table";
  public static final String SOURCE_FILE = "source_file";
  /** parquet, csv or json. */
  public static final String FILE_FORMAT = "file_format";
  /**
   * read, quarantined (a bad file left out whole), ignored (a file outside the file sets) or interrupted (a
   * commit of an earlier, interrupted run of the run date, repaired by this run).
   */
  public static final String FILE_STATUS = "file_status";
  /**
   * Schema drift found in the file: extra columns, absent optional columns, widened types. Here and in
   * {@link #ERROR}, a column name that is a seller or household id is written as "[a seller or household id]".
   */
  public static final String DRIFT = "drift";
  public static final String ERROR = "error";
  /**
   * Rows the file holds, counted independently of the parser: the Parquet footer's row count, or a text file's
   * lines that are not blank, header or comment lines (counted on the bytes). Must equal {@link #ROWS_READ}.
   */
  public static final String ROWS_IN_FILE = "rows_in_file";
  /** Lines of a text file that hold no row: the header, comment lines before it, blank lines, repeated headers. */
  public static final String LINES_SKIPPED = "lines_skipped";
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
  public static final String FILE_IGNORED = "ignored";
  /**
   * Not a file: a commit of an earlier run of this run date that stopped before its audit (source_file names the
   * table version, error the run); this run replaced its rows.
   */
  public static final String FILE_INTERRUPTED = "interrupted";
  /** Source table of a file outside the file sets. */
  public static final String NO_FILE_SET = "none";
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
      .add(ROWS_IN_FILE, LongType, true)
      .add(LINES_SKIPPED, LongType, true)
      .add(ROWS_READ, LongType, true)
      .add(ACCEPTED, LongType, true)
      .add(QUARANTINED, LongType, true)
      .add(DUPLICATES_SKIPPED, LongType, true)
      .add(REASONS, createMapType(StringType, LongType, false), false)
      .add(RUN_OUTCOME, StringType, false);

  private IngestAudit() {}
}
