package org.taobaovillages.spark;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The tag ingest puts on each of its Delta commits ({@code userMetadata}): the run date and run id. It tells which
 * run wrote a commit ({@code ingest.InterruptedRuns}) and from which day the dimension versions a commit brought are
 * in force ({@link ChangedYears}).
 */
public final class CommitTags {
  /** Spark's setting whose value Delta writes into each commit's {@code userMetadata}. */
  public static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
  private static final String PREFIX = "taobao-villages ingest run_date=";

  private CommitTags() {}

  /** The tag of every commit an ingest run makes. */
  public static String ingest(RunContext run) {
    return ofDate(run.runDate()) + run.runId();
  }

  /** The start of the tags of every ingest run of {@code runDate}, up to the run id. */
  public static String ofDate(LocalDate runDate) {
    return PREFIX + runDate + " run_id=";
  }

  /** The run date in an ingest tag, or null when {@code userMetadata} is none. */
  public static LocalDate runDateOf(String userMetadata) {
    if (userMetadata == null || !userMetadata.startsWith(PREFIX)) {
      return null;
    }
    int end = userMetadata.indexOf(' ', PREFIX.length());
    try {
      return LocalDate.parse(userMetadata.substring(PREFIX.length(), end < 0 ? userMetadata.length() : end));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The earliest run date tagged on commits, null when one of them carries none. */
  public static LocalDate earliestRunDate(List<String> userMetadata) {
    LocalDate earliest = null;
    for (String tag : userMetadata) {
      LocalDate d = runDateOf(tag);
      if (d == null) {
        return null;
      }
      earliest = earliest == null || d.isBefore(earliest) ? d : earliest;
    }
    return earliest;
  }
}
