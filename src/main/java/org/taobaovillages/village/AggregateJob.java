package org.taobaovillages.village;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageYear;

/** {@code aggregate}: accepted orders to the village_year table, replacing the years it computes. */
public final class AggregateJob {
  private AggregateJob() {}

  /** Returns the number of village-year rows written. */
  public static long run(Warehouse warehouse, MetricsConfig cfg, RunContext run) {
    Dataset<Row> metrics = VillageYearMetrics.compute(
            warehouse.read(Transactions.NAME, "ingest"),
            DimensionColumns.current(warehouse.read(SellerAccounts.NAME, "ingest")),
            DimensionColumns.current(warehouse.read(VillageRegistry.NAME, "ingest")),
            cfg, run.runDate())
        .withColumn(RunColumns.RUN_ID, lit(run.runId()))
        .withColumn(RunColumns.RUN_DATE, lit(java.sql.Date.valueOf(run.runDate())));
    warehouse.replacePartitions(metrics, VillageYear.NAME, VillageYear.SCHEMA, List.of(VillageYear.YEAR));
    return warehouse.read(VillageYear.NAME, "aggregate").where(col(RunColumns.RUN_ID).equalTo(run.runId())).count();
  }
}
