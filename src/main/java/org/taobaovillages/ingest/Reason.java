package org.taobaovillages.ingest;

/**
 * Why a row (or a whole file) was quarantined. Codes are stable: they are stored in the quarantine and audit
 * tables and reported. README "Ingest" lists them with examples.
 */
public enum Reason {
  // Row reasons.
  /** The text record could not be split into columns (CSV quoting, broken JSON line). */
  MALFORMED_RECORD,
  /** A key (transaction, seller, household, village or county id) is null or blank. */
  MISSING_KEY,
  /** A required non-key value is null. */
  MISSING_VALUE,
  /** A value cannot be read as the column's type (e.g. "12,5" as an amount, "yesterday" as a time). */
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
  /** Same key as another row of this delivery with different values (the first row by file is kept). */
  DUPLICATE_KEY,
  /** Same transaction id as a row stored by an earlier run, with different values (the stored row stands). */
  STORED_KEY_CONFLICT,

  // File reasons (the whole file is left out; only with ingest.bad-files = quarantine).
  CORRUPT_FILE,
  MISSING_COLUMN,
  WRONG_TYPE,
  EXTRA_COLUMN
}
