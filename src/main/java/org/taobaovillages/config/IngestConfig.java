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
 * @param text how text files (CSV, JSON Lines) are written ({@code ingest.encoding}, {@code ingest.csv})
 * @param textByFileSet the same for file sets that say otherwise ({@code ingest.file-sets.<set>} laid over
 *     the defaults)
 * @param renames per input file set: column name in the files to our column name
 * @param extraColumns what to do with a column the schema does not declare
 * @param badFiles what to do with a file that cannot be read or does not match the schema
 * @param maxBadRowShare largest share of quarantined rows per input before the run fails (0.05 = 5 %)
 * @param maxOrderAmountRmb largest plausible single order; larger amounts are quarantined as overflow
 * @param earliestOrderDate orders before this date (China time) are outside every run's window
 * @param ranges plausible values of the dimension inputs; values outside are quarantined as OUT_OF_RANGE
 * @param commitRetries how often a run is retried when a concurrent run committed to the same table first
 * @param commitRetryWait wait before the first retry; doubled at each next one (up to 30 s), plus up to 1 s
 *     of jitter so that two runs do not collide again
 * @param duplicateScope which stored orders a delivery's orders are compared with and merged into
 * @param broadcastMaxSellers a delivery with at most this many distinct seller ids sends its id table (ids,
 *     pseudonyms, known or not) to every task instead of shuffling the orders to join it
 * @param redactionMaxIds most distinct seller and household ids (delivered and stored) a run holds in memory to
 *     keep raw ids out of every other column; a run that has more fails
 */
public record IngestConfig(
    String pseudonymKeyEnv,
    String pseudonymKeyFile,
    String defaultFormat,
    Text text,
    Map<String, Text> textByFileSet,
    Map<String, Map<String, String>> renames,
    ExtraColumns extraColumns,
    BadFiles badFiles,
    double maxBadRowShare,
    BigDecimal maxOrderAmountRmb,
    LocalDate earliestOrderDate,
    Ranges ranges,
    int commitRetries,
    Duration commitRetryWait,
    DuplicateScope duplicateScope,
    long broadcastMaxSellers,
    long redactionMaxIds) {

  /**
   * How the text files of one file set are written. Each physical line is one record (a line break inside a
   * quoted CSV field is not supported: see README "Ingest").
   *
   * @param encoding character set of the bytes; ASCII-compatible only (UTF-8, GB18030, GBK, Big5, ISO-8859-x,
   *     windows-125x), since lines are split on the ASCII line break bytes. A byte order mark of another encoding
   *     makes a file bad; a file is always read in this one.
   * @param delimiter CSV field separator (one character)
   * @param quote CSV quote character
   * @param escape CSV character that escapes a quote inside a quoted field (the quote itself: RFC 4180)
   * @param comment lines starting with this character before the CSV header line are skipped (export notes);
   *     empty for none. After the header every line is data.
   * @param maxLineBytes longest line accepted; a longer one is a malformed record (a binary file or a lost
   *     line break would otherwise be held in memory whole)
   */
  public record Text(String encoding, char delimiter, char quote, char escape, String comment, int maxLineBytes)
      implements java.io.Serializable {}

  /** Plausible ranges of dimension values (China's extent for coordinates). */
  public record Ranges(double minLongitude, double maxLongitude, double minLatitude, double maxLatitude,
      int earliestProgrammeYear) {}

  /** Columns in a file that the schema does not declare. */
  public enum ExtraColumns {
    /** Ignore them (listed as drift in the audit). */
    DROP,
    /** Keep their values, as text, in the table's {@code extra_columns} map (listed as drift in the audit). */
    KEEP,
    /** Treat the file as bad (see {@link BadFiles}). */
    FAIL
  }

  /**
   * Files that cannot be read (corrupt, truncated, empty, undecodable), miss a required column or have a wrong
   * type, a duplicate column or no header, or whose row count does not match what the file holds.
   */
  public enum BadFiles {
    /** Fail the run, naming the file and the problem. */
    FAIL,
    /** Leave the file out, record it whole in the quarantine and the audit, go on with the others. */
    QUARANTINE
  }

  /** Which stored orders a delivery's orders are checked against (duplicate ids) and merged into. */
  public enum DuplicateScope {
    /**
     * Only the months in which the delivery has orders (by order time, China time): a daily run reads and
     * rewrites a few monthly partitions, not all history. An order id stored under another order month is not
     * seen: the same id re-delivered with its order time moved to another month is stored twice.
     */
    ORDER_MONTHS,
    /** Every stored order: each run reads all history (a backfill or an audit of a doubtful delivery). */
    ALL
  }

  /** The same settings with another bad-row limit. */
  public IngestConfig withMaxBadRowShare(double share) {
    return new IngestConfig(pseudonymKeyEnv, pseudonymKeyFile, defaultFormat, text, textByFileSet, renames, extraColumns, badFiles,
        share, maxOrderAmountRmb, earliestOrderDate, ranges, commitRetries, commitRetryWait, duplicateScope,
        broadcastMaxSellers, redactionMaxIds);
  }

  /** The same settings with another way of handling bad files. */
  public IngestConfig withBadFiles(BadFiles handling) {
    return new IngestConfig(pseudonymKeyEnv, pseudonymKeyFile, defaultFormat, text, textByFileSet, renames, extraColumns,
        handling, maxBadRowShare, maxOrderAmountRmb, earliestOrderDate, ranges, commitRetries, commitRetryWait,
        duplicateScope, broadcastMaxSellers, redactionMaxIds);
  }

  /** Renames of one input file set (empty when none are configured). */
  public Map<String, String> renamesOf(String fileSet) {
    return renames.getOrDefault(fileSet, Map.of());
  }

  /** The text settings of one input file set. */
  public Text textOf(String fileSet) {
    return textByFileSet.getOrDefault(fileSet, text);
  }
}
