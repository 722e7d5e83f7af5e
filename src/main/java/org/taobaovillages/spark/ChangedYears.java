package org.taobaovillages.spark;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the changes of a job's input tables since the versions it last read fall ({@link DeltaChanges}): the
 * partition values a partitioned table changed, and for a dimension table (a type 2 table whose versions are in
 * force from the run date of the delivery that brought them) the year of the earliest run date tagged on its
 * commits ({@link CommitTags}). A change that cannot be placed (a table without the partition column, an untagged
 * dimension commit, a commit the log no longer holds, a table not read before) is named in {@code unplaceable}.
 */
public final class ChangedYears {
  /**
   * @param values the partition values changed, of the partitioned tables
   * @param fromYear the year from which the changed dimension versions are in force; null without such a change
   * @param unplaceable why a change cannot be placed; null when every change can
   * @param why one line per table that changed
   */
  public record Result(TreeSet<String> values, Integer fromYear, String unplaceable, List<String> why) {
    public boolean changed() {
      return unplaceable != null || !why.isEmpty();
    }

    /**
     * The earliest calendar year a placed change reaches (partition values are years, months {@code yyyy-MM} or
     * days, so their first four characters are the year); null without one.
     */
    public Integer earliestYear() {
      Integer earliest = fromYear;
      for (String v : values) {
        int year = Integer.parseInt(v.substring(0, 4));
        earliest = earliest == null ? year : Math.min(earliest, year);
      }
      return earliest;
    }
  }

  private ChangedYears() {}

  /**
   * @param previous each table's version as last read
   * @param changes each table's changes since then, by its partition column; a null value: the log no longer holds
   *     them
   * @param dimensions the tables that are dimension tables
   */
  public static Result of(Map<String, Long> previous, Map<String, DeltaChanges.Changes> changes,
      Set<String> dimensions) {
    TreeSet<String> values = new TreeSet<>();
    Integer fromYear = null;
    List<String> why = new ArrayList<>();
    for (var e : changes.entrySet()) {
      String table = e.getKey();
      DeltaChanges.Changes c = e.getValue();
      if (!previous.containsKey(table)) {
        return unplaceable(table + " not read before");
      }
      if (c == null) {
        return unplaceable(table + ": its log no longer holds the commits after version " + previous.get(table));
      }
      if (!c.changed()) {
        continue;
      }
      String versions = table + " versions " + (previous.get(table) + 1) + "-" + c.version();
      if (dimensions.contains(table)) {
        LocalDate earliest = CommitTags.earliestRunDate(c.tags());
        if (earliest == null) {
          return unplaceable(versions + " include a commit without its run date");
        }
        fromYear = fromYear == null ? earliest.getYear() : Math.min(fromYear, earliest.getYear());
        why.add(versions + " (in force from " + earliest + ")");
      } else if (c.values() == null) {
        return unplaceable(versions + " changed it beyond its partitions");
      } else {
        values.addAll(c.values());
        why.add(versions + " (" + String.join(", ", c.values()) + ")");
      }
    }
    return new Result(values, fromYear, null, why);
  }

  private static Result unplaceable(String why) {
    return new Result(new TreeSet<>(), null, why, List.of());
  }
}
