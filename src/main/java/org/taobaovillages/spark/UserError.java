package org.taobaovillages.spark;

/**
 * A failure the user can fix (bad input, bad option, bad config). The CLI prints its message as one line and
 * exits non-zero; the stack trace is shown only with --verbose.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }
}
