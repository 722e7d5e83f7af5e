package org.taobaovillages.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.actions.RemoveFile;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What the commits of a Delta table after a given version changed, read from the table's transaction log (its
 * commit files, a few per day; no data file is read): the values of one partition column among the files added or
 * removed with a data change, and the commit tags ({@code userMetadata}) of those commits. A compaction, which
 * rewrites files without changing data, counts for nothing.
 */
public final class DeltaChanges {
  /**
   * The changes after a version.
   *
   * @param version the table's version read (the latest)
   * @param changed whether any commit after the version changed data
   * @param values the {@code column} values of the partitions changed; null when a change cannot be placed in a
   *     partition of that column (the table is not partitioned by it, a schema change, a removal without its
   *     partition values)
   * @param tags the {@code userMetadata} of each data-changing commit, null for an untagged one
   */
  public record Changes(long version, boolean changed, TreeSet<String> values, List<String> tags) {}

  private DeltaChanges() {}

  /** The table's latest version. */
  public static long version(Warehouse warehouse, String table) {
    return log(warehouse, table).update(false, scala.Option.empty(), scala.Option.empty()).version();
  }

  /**
   * The changes of {@code table} after version {@code after} up to its latest version, by the partition column
   * {@code column}; null when the log no longer holds every commit after {@code after} (Delta deletes commit files
   * older than its log retention), so that the caller treats everything as changed.
   */
  public static Changes since(Warehouse warehouse, String table, long after, String column) {
    DeltaLog log = log(warehouse, table);
    long latest = log.update(false, scala.Option.empty(), scala.Option.empty()).version();
    TreeSet<String> values = new TreeSet<>();
    List<String> tags = new ArrayList<>();
    boolean placeable = true;
    if (latest > after) {
      scala.collection.Iterator<Tuple2<Object, scala.collection.immutable.Seq<Action>>> commits;
      try {
        commits = log.getChanges(after + 1, scala.Option.empty(), true);
      } catch (RuntimeException e) {
        return null;
      }
      long expected = after + 1;
      while (commits.hasNext()) {
        Tuple2<Object, scala.collection.immutable.Seq<Action>> commit = commits.next();
        if ((Long) commit._1() != expected++) {
          return null;
        }
        boolean dataChange = false;
        String tag = null;
        for (Action action : CollectionConverters.asJava(commit._2())) {
          scala.collection.immutable.Map<String, String> partition = null;
          if (action instanceof AddFile add && add.dataChange()) {
            partition = add.partitionValues();
          } else if (action instanceof RemoveFile remove && remove.dataChange()) {
            partition = remove.partitionValues();
          } else if (action instanceof Metadata) {
            dataChange = true;
            placeable = false;
            continue;
          } else if (action instanceof CommitInfo info) {
            tag = info.userMetadata().isDefined() ? info.userMetadata().get() : null;
            continue;
          } else {
            continue;
          }
          dataChange = true;
          scala.Option<String> value = partition == null ? scala.Option.empty() : partition.get(column);
          if (value.isDefined() && value.get() != null) {
            values.add(value.get());
          } else {
            placeable = false;
          }
        }
        if (dataChange) {
          tags.add(tag);
        }
      }
      if (expected != latest + 1) {
        return null;
      }
    }
    return new Changes(latest, !tags.isEmpty(), placeable ? values : null, tags);
  }

  private static DeltaLog log(Warehouse warehouse, String table) {
    return DeltaLog.forTable(warehouse.spark(), warehouse.path(table));
  }
}
