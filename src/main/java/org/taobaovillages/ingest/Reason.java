package org.taobaovillages.ingest;

/**
 * Why a row (or a whole file) was quarantined. Codes are stable: they are stored in the quarantine and audit
 * tables and reported. README "Ingest" lists them with examples.
 */
public enum Reason {
  // Row reasons.
  /**
   * A text line that cannot be split into the file's columns (wrong field count, a stray or unterminated quote,
   * broken JSON, a line longer than the limit). Nothing of it is kept but its line number.
   */
  MALFORMED_RECORD,
  /**
   * A line or value with bytes that are not valid in the file's character set, or a text line holding UTF-8 text in
   * a file declared in another ({@link Utf8Text}). Kept as its line number only.
   */
  MALFORMED_ENCODING,
  /** A JSON line with the same key twice, or with two keys that name the same column (case, renames). */
  DUPLICATE_FIELD,
  /** A key (transaction, seller, household, village or county id) is null or blank. */
  MISSING_KEY,
  /** A required non-key value is null. */
  MISSING_VALUE,
  /** A value cannot be read as the column's type (e.g. "12,5" as an amount, "2022" or "yesterday" as a time). */
  MALFORMED_VALUE,
  MALFORMED_VILLAGE_CODE,
  UNKNOWN_VILLAGE,
  UNKNOWN_SELLER,
  UNKNOWN_PLATFORM,
  UNKNOWN_STATUS,
  /** Amount zero or negative on an order that is not a refund. */
  NON_POSITIVE_AMOUNT,
  /** Amount above ingest.max-order-amount-rmb or too large for the amount type. */
  AMOUNT_OVERFLOW,
  NON_POSITIVE_QUANTITY,
  /** Order time before ingest.earliest-order-date. */
  ORDER_BEFORE_WINDOW,
  /** Order time after the end of the run date (China time). */
  FUTURE_ORDER,
  /** A dimension value outside its plausible range (negative households, longitude 999, a share above 1). */
  OUT_OF_RANGE,
  /** Same key as another row of this delivery with different values (the first row by file is kept). */
  DUPLICATE_KEY,
  /** Same transaction id as a row stored by an earlier run, with different values (the stored row stands). */
  STORED_KEY_CONFLICT,
  /**
   * A row that passed every other check holds a seller or household id in another column than the id columns
   * (fields shifted, a cell pasted in the wrong place): refused, the id redacted in the quarantine ({@link
   * Redaction}).
   */
  MISPLACED_ID,

  // File reasons (the whole file is left out; only with ingest.bad-files = quarantine).
  /** The contents cannot be read: not Parquet, a corrupt page, a broken compressed stream, a ZIP archive. */
  CORRUPT_FILE,
  /** The file cannot be opened: a broken symbolic link, no permission, a name the file system refuses. */
  UNREADABLE_FILE,
  /** No bytes, or only blank and comment lines: no header and no rows. */
  EMPTY_FILE,
  /**
   * UTF-16 or UTF-32 text, binary bytes in a text file, or a text file that starts with the byte order mark of
   * another encoding than its declared one.
   */
  WRONG_ENCODING,
  /** A CSV file whose first line is not a header (none or few of its fields are column names). */
  NO_HEADER,
  /** The same column twice (also differing only in case, or after renames). */
  DUPLICATE_COLUMN,
  MISSING_COLUMN,
  WRONG_TYPE,
  EXTRA_COLUMN,
  /**
   * The rows read differ from the rows the file holds (Parquet footer, or non-blank lines of a text file), or a
   * Parquet footer's row counts contradict each other (its total, its row groups', its columns' value counts).
   */
  ROW_COUNT_MISMATCH,

  // Not a file set's file: recorded in the audit, never read.
  /** A file under the input that is in none of the four file sets. */
  UNKNOWN_FILE_SET
}
