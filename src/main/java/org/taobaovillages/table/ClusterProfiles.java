package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * {@code cluster_profiles}: per model and cluster, each behavioural feature's mean in standard deviations from the
 * mean of all clustered counties; rank 1 is the feature that sets the cluster most apart.
 */
public final class ClusterProfiles {
  public static final String NAME = "cluster_profiles";

  public static final String COUNTIES = "counties";
  public static final String FEATURE = "feature";
  public static final String MEAN_Z = "mean_z";
  public static final String RANK = "rank";

  public static final StructType SCHEMA = new StructType()
      .add(CountyTypology.TYPOLOGY_VERSION, StringType, false)
      .add(CountyClusters.MODEL, StringType, false)
      .add(CountyClusters.K, IntegerType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(CountyClusters.CLUSTER, IntegerType, false)
      .add(COUNTIES, LongType, false)
      .add(FEATURE, StringType, false)
      .add(MEAN_Z, DoubleType, false)
      .add(RANK, IntegerType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** Figures withheld by {@link SmallCellFlags#METRICS}. */
  public static final java.util.List<String> FIGURES = java.util.List.of(MEAN_Z);

  private ClusterProfiles() {}
}
