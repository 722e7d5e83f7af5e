package org.taobaovillages.ingest;

import java.util.Map;

/** Reconciliation of one input: rows read = accepted + quarantined, with quarantined rows per reason. */
public record TableCounts(String table, long read, long accepted, long quarantined, Map<String, Long> reasons) {
  public boolean reconciles() {
    return read == accepted + quarantined;
  }
}
