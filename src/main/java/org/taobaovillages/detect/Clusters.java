package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.ClusterRule;
import org.taobaovillages.region.Neighbours;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;

/**
 * Taobao Village clusters per calendar year: the qualifying villages of a year are linked when their registry
 * points are at most the rule's distance apart ({@link Neighbours}: grid blocking, no all-pairs comparison), and
 * the connected components of that graph are found with GraphX's connected components (Pregel label
 * propagation, distributed; each component is labelled by its smallest vertex id). Every village of a year is one
 * vertex, id = year x 10^12 + its 12-digit code, so all years are one graph and one job.
 */
public final class Clusters {
  static final long YEAR_FACTOR = 1_000_000_000_000L;
  private static final String VERTEX = "_vertex";
  private static final String COMPONENT = "_component";
  public static final String CLUSTER_COLUMN = ClusterStatus.CLUSTER_ID;

  private Clusters() {}

  /**
   * The qualifying villages of each year with the id of their connected component ({@link #CLUSTER_COLUMN}: the
   * smallest village code in it) and the component's size.
   *
   * @param yearStatus yearly status rows {@link Units#placed} at their point of that year
   */
  public static Dataset<Row> components(Dataset<Row> yearStatus, double km) {
    SparkSession spark = yearStatus.sparkSession();
    Dataset<Row> villages = yearStatus.where(col(VillageStatus.QUALIFIES))
        .select(VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR, VillagePeriod.SALES_RMB,
            VillagePeriod.PERIOD_COMPLETE, VillageRegistry.LONGITUDE, VillageRegistry.LATITUDE,
            VillageRegistry.COUNTY_CODE, VillageRegistry.PROVINCE_CODE)
        .withColumn(VERTEX, col(VillagePeriod.YEAR).cast("long").multiply(YEAR_FACTOR)
            .plus(col(VillagePeriod.VILLAGE_CODE).cast("long")));
    Row bound = villages.agg(max(abs(col(VillageRegistry.LATITUDE)))).first();
    double maxLat = bound.isNullAt(0) ? 0 : bound.getDouble(0);
    Dataset<Row> points = villages.select(col(VillagePeriod.VILLAGE_CODE).as(Neighbours.ID),
        col(VillageRegistry.LONGITUDE).as(Neighbours.LONGITUDE), col(VillageRegistry.LATITUDE).as(Neighbours.LATITUDE),
        col(VillagePeriod.YEAR).as(Neighbours.GROUP));
    Dataset<Row> edges = Neighbours.within(points, km, maxLat).where(col(Neighbours.FROM).lt(col(Neighbours.TO)));
    Column year = col(Neighbours.GROUP).cast("long").multiply(YEAR_FACTOR);
    JavaRDD<Edge<Object>> graphEdges = edges
        .select(year.plus(col(Neighbours.FROM).cast("long")), year.plus(col(Neighbours.TO).cast("long")))
        .javaRDD().map(r -> new Edge<Object>(r.getLong(0), r.getLong(1), Boolean.TRUE));
    Graph<Object, Object> graph = Graph.fromEdges(graphEdges.rdd(), Boolean.TRUE, StorageLevel.MEMORY_AND_DISK(),
        StorageLevel.MEMORY_AND_DISK(), scala.reflect.ClassTag$.MODULE$.Any(), scala.reflect.ClassTag$.MODULE$.Any());
    JavaRDD<Row> labels = graph.ops().connectedComponents().vertices().toJavaRDD()
        .map(t -> RowFactory.create((Long) t._1(), (Long) t._2()));
    Dataset<Row> components = spark.createDataFrame(labels, new StructType()
        .add(VERTEX, DataTypes.LongType, false).add(COMPONENT, DataTypes.LongType, false));
    // A village without links is a component of its own.
    Dataset<Row> labelled = villages.join(components, VERTEX, "left")
        .withColumn(COMPONENT, coalesce(col(COMPONENT), col(VERTEX)))
        .withColumn(CLUSTER_COLUMN, lpad(pmod(col(COMPONENT), lit(YEAR_FACTOR)).cast("string"), 12, "0"));
    return labelled.withColumn(ClusterStatus.VILLAGES,
            count(lit(1)).over(org.apache.spark.sql.expressions.Window.partitionBy(VillagePeriod.YEAR, CLUSTER_COLUMN)))
        .drop(VERTEX, COMPONENT);
  }

  /** One row per component of at least the rule's minimum size ({@link ClusterStatus}). */
  public static Dataset<Row> clusters(Dataset<Row> components, ClusterRule rule) {
    return components.where(col(ClusterStatus.VILLAGES).geq(rule.minVillages()))
        .groupBy(col(VillagePeriod.YEAR), col(CLUSTER_COLUMN))
        .agg(count(lit(1)).as(ClusterStatus.VILLAGES),
            sort_array(collect_set(col(VillageRegistry.COUNTY_CODE))).as(ClusterStatus.COUNTIES),
            min(col(VillageRegistry.PROVINCE_CODE)).as(ClusterStatus.PROVINCE_CODE),
            avg(col(VillageRegistry.LONGITUDE)).as(ClusterStatus.CENTRE_LONGITUDE),
            avg(col(VillageRegistry.LATITUDE)).as(ClusterStatus.CENTRE_LATITUDE),
            sum(col(VillagePeriod.SALES_RMB)).cast(SellerMonth.MONEY).as(ClusterStatus.SALES_RMB),
            min(col(VillagePeriod.PERIOD_COMPLETE)).as(VillagePeriod.PERIOD_COMPLETE))
        .withColumn(ClusterStatus.SIZE_CLASS, when(col(ClusterStatus.VILLAGES).geq(rule.largeMinVillages()),
            lit("large")).otherwise(lit("cluster")))
        .withColumn(VillageStatus.RULE_ID, lit(rule.id()))
        .withColumn(VillageStatus.RULE_VERSION, lit(rule.version()))
        .withColumn(VillageStatus.RULE_TEXT, lit(rule.describe()))
        .withColumn(TownStatus.VILLAGE_RULE_ID, lit(rule.villageRule()));
  }
}
