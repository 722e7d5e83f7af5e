package org.taobaovillages.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * How ingest reads, checks and commits a delivery (conf: {@code taobao-villages.ingest}).
 *
 * @param pseudonymKeyEnv environment variable holding the HMAC key
 * @param pseudonymKeyFile file holding the HMAC key (outside the repository), or blank
 * @param defaultFormat format of files whose name does not say (no .parquet, .csv, .json, .jsonl extension)
 * @param csv how CSV files are written by the platform
 * @param renames per input file set: column name in the files to our column name
 * @param extraColumns what to do with a column the schema does not declare
 * @param badFiles what to do with a file that cannot be read or does not match the schema
 * @param maxBadRowShare largest share of quarantined rows per input before the run fails (0.05 = 5 %)
 * @param maxOrderAmountRmb largest plausible single order; larger amounts are quarantined as overflow
 * @param earliestOrderDate orders before this date (China time) are outside every run's window
 * @param commitRetries how often a run is retried when a concurrent run committed to the same table first
 * @param commitRetryWait wait before the first retry; doubled at each next one (up to 30 s), plus up to 1 s
 *     of jitter so that two runs do not collide again
 */
public record IngestConfig(
    String pseudonymKeyEnv,
    String pseudonymKeyFile,
    String defaultFormat,
    Csv csv,
    Map<String, Map<String, String>> renames,
    ExtraColumns extraColumns,
    BadFiles badFiles,
    double maxBadRowShare,
    BigDecimal maxOrderAmountRmb,
    LocalDate earliestOrderDate,
    int commitRetries,
    Duration commitRetryWait) {

  /** CSV dialect: the header line is required (columns are matched by name, never by position). */
  public record Csv(String delimiter, String quote, String escape, String encoding) implements java.io.Serializable {}

  /** Columns in a file that the schema does not declare. */
  public enum ExtraColumns {
    /** Ignore them (listed as drift in the audit). */
    DROP,
    /** Keep their values, as text, in the table's {@code extra_columns} map (listed as drift in the audit). */
    KEEP,
    /** Treat the file as bad (see {@link BadFiles}). */
    FAIL
  }

  /** Files that cannot be read (corrupt, truncated) or miss a required column or have a wrong type. */
  public enum BadFiles {
    /** Fail the run, naming the file and the problem. */
    FAIL,
    /** Leave the file out, record it whole in the quarantine and the audit, go on with the others. */
    QUARANTINE
  }

  /** The same settings with another bad-row limit. */
  public IngestConfig withMaxBadRowShare(double share) {
    return new IngestConfig(pseudonymKeyEnv, pseudonymKeyFile, defaultFormat, csv, renames, extraColumns, badFiles,
        share, maxOrderAmountRmb, earliestOrderDate, commitRetries, commitRetryWait);
  }

  /** Renames of one input file set (empty when none are configured). */
  public Map<String, String> renamesOf(String fileSet) {
    return renames.getOrDefault(fileSet, Map.of());
  }
}
