package org.taobaovillages.ingest;

import java.util.Map;

/**
 * Reconciliation of one input file set: rows read = accepted + quarantined + duplicates skipped, with the
 * quarantined rows per reason (a row may have several) and the number of bad files left out whole.
 */
public record TableCounts(String table, long read, long accepted, long quarantined, long skipped, long badFiles,
    Map<String, Long> reasons) {
  public boolean reconciles() {
    return read == accepted + quarantined + skipped;
  }

  /** Quarantined rows per row read (0 when nothing was read). */
  public double badShare() {
    return read == 0 ? 0 : (double) quarantined / read;
  }
}
