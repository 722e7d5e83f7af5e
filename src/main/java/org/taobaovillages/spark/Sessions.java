package org.taobaovillages.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession of a job run, with Delta and China time configured. */
public final class Sessions {
  /** All calendar periods (years, months, Singles' Day) are China time (domain.md section 5). */
  public static final String TIME_ZONE = "Asia/Shanghai";

  private Sessions() {}

  /**
   * The session already made in this JVM if there is one (tests, notebooks), with its owner's settings, else a new
   * one. Under spark-submit the master and resources come from the submit; without a master the session runs
   * embedded with {@code localMaster}. Either way the session's calendar is China time.
   */
  public static SparkSession getOrCreate(String appName, String localMaster, int localShufflePartitions) {
    scala.Option<SparkSession> made = SparkSession.getDefaultSession();
    SparkSession spark = made.isDefined() ? made.get() : create(appName, localMaster, localShufflePartitions);
    spark.conf().set("spark.sql.session.timeZone", TIME_ZONE);
    return spark;
  }

  private static SparkSession create(String appName, String localMaster, int localShufflePartitions) {
    boolean local = !new SparkConf().contains("spark.master");
    SparkSession.Builder builder = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    if (local) {
      builder.master(localMaster)
          .config("spark.sql.shuffle.partitions", localShufflePartitions)
          // Delta rebuilds table state with 50 tasks by default: far too many for one machine.
          .config("spark.databricks.delta.snapshotPartitions", Math.max(1, localShufflePartitions / 4))
          // Listing a table's directories in parallel (Delta VACUUM) uses up to 10,000 tasks by default.
          .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", localShufflePartitions)
          .config("spark.ui.enabled", false)
          .config("spark.driver.host", "127.0.0.1");
    }
    return builder.getOrCreate();
  }
}
