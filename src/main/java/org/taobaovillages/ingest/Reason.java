package org.taobaovillages.ingest;

/** Why a row was quarantined. Codes are stable: they are stored in the quarantine table and reported. */
public enum Reason {
  MISSING_KEY,
  MALFORMED_VILLAGE_CODE,
  UNKNOWN_VILLAGE,
  DUPLICATE_KEY,
  UNKNOWN_SELLER,
  UNKNOWN_PLATFORM,
  UNKNOWN_STATUS,
  NON_POSITIVE_AMOUNT,
  MISSING_ORDER_TIME,
  FUTURE_ORDER
}
