package org.taobaovillages.spark;

/**
 * A table changed under a run between its read and its write in a way Delta's own conflict check cannot see
 * (the read and the write were separate transactions). The run is safe to repeat from the start.
 */
public final class ConcurrentChange extends RuntimeException {
  public ConcurrentChange(String message) {
    super(message);
  }
}
