package org.taobaovillages.export;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.taobaovillages.spark.ChangedYears;
import org.taobaovillages.spark.DeltaChanges;
import org.taobaovillages.table.ExportRuns;
import org.taobaovillages.table.VillagePeriod;

/**
 * Decides what an export run rewrites of one export directory, from what changed in the Delta tables it is built
 * from since the versions it was last written from ({@link ExportRuns}, {@link ChangedYears}). A directory
 * partitioned by a column that its source tables are partitioned by too (the year; the ingest audit's run date) is
 * rewritten only in the partitions whose source partitions changed: an exported row of a year depends only on
 * rows of that year, and of earlier years, which a run that changes them recomputes up to the run date anyway. A
 * change to a dimension (the village registry) brought by the delivery of run date D changes what is in force from
 * D on, so it rewrites the years from D's. Any other change rewrites the directory whole: a change to an
 * unpartitioned source, a commit not tagged with its run date, a commit the log no longer holds, other export
 * settings, {@code --full}, the first export to a root, a directory left incomplete.
 */
public final class ExportPlan {
  /** The state a directory was left in by the last run that recorded it. */
  public record Previous(String settings, Map<String, Long> versions) {}

  /**
   * What to do with a directory.
   *
   * @param action {@link ExportRuns#WHOLE}, {@link ExportRuns#PARTITIONS} or {@link ExportRuns#UNCHANGED}
   * @param scope the partitions to rewrite (partitions only): a filter on the directory's partition column
   * @param description the scope as text, for the log and {@link ExportRuns#SCOPE}
   */
  public record Decision(String action, Column scope, String description, String reason) {
    public static Decision whole(String reason) {
      return new Decision(ExportRuns.WHOLE, null, null, reason);
    }
  }

  private ExportPlan() {}

  /**
   * @param column the directory's partition column that scopes a rewrite, null when it is not partitioned
   * @param changes per source table, its changes since {@code previous}'s version of it (by {@code column}); a
   *     null value: the log no longer holds them
   * @param dimensions the sources that are dimension tables (versions in force from their run date on)
   * @param complete whether the directory is there and complete (Spark's {@code _SUCCESS})
   */
  public static Decision decide(String column, Map<String, DeltaChanges.Changes> changes, Set<String> dimensions,
      boolean full, Previous previous, String settings, boolean complete) {
    if (full) {
      return Decision.whole("--full");
    }
    if (previous == null) {
      return Decision.whole("first export to this root");
    }
    if (!complete) {
      return Decision.whole("directory missing or incomplete (no _SUCCESS)");
    }
    if (!previous.settings().equals(settings)) {
      return Decision.whole("settings changed from " + previous.settings());
    }
    ChangedYears.Result changed = ChangedYears.of(previous.versions(), changes, dimensions);
    if (changed.unplaceable() != null) {
      return Decision.whole(changed.unplaceable());
    }
    if (!changed.changed()) {
      return new Decision(ExportRuns.UNCHANGED, null, null, "no source changed");
    }
    String why = String.join("; ", changed.why());
    Integer from = changed.fromYear();
    if (column == null || (from != null && !column.equals(VillagePeriod.YEAR))) {
      return Decision.whole(why);
    }
    TreeSet<String> values = new TreeSet<>(changed.values());
    if (from != null) {
      values.removeIf(v -> Integer.parseInt(v) >= from);
    }
    Column scope = null;
    List<String> text = new ArrayList<>();
    if (!values.isEmpty()) {
      scope = col(column).cast("string").isin(values.toArray());
      text.add(column + " IN (" + String.join(", ", values) + ")");
    }
    if (from != null) {
      Column later = col(column).geq(from);
      scope = scope == null ? later : scope.or(later);
      text.add(column + " >= " + from);
    }
    return new Decision(ExportRuns.PARTITIONS, scope, String.join(" OR ", text), why);
  }
}
