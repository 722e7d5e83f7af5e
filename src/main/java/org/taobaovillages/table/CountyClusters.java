package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * {@code county_clusters}: the behavioural cluster of each county in the clustering year, per model (KMeans and
 * BisectingKMeans at the k chosen by silhouette), next to the rule-based quadrant.
 */
public final class CountyClusters {
  public static final String NAME = "county_clusters";

  public static final String MODEL = "model";
  public static final String K = "k";
  public static final String CLUSTER = "cluster";

  public static final StructType SCHEMA = new StructType()
      .add(CountyTypology.TYPOLOGY_VERSION, StringType, false)
      .add(MODEL, StringType, false)
      .add(K, IntegerType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(CountyAttributes.COUNTY_CODE, StringType, false)
      .add(CLUSTER, IntegerType, false)
      .add(CountyTypology.QUADRANT, StringType, true)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private CountyClusters() {}
}
