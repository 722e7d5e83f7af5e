package org.taobaovillages.export;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.config.ExportConfig;
import org.taobaovillages.config.RuleSet;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.IngestQualityExport;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.VillageStatusExport;
import org.taobaovillages.table.VillageYear;

/**
 * {@code export}: village status under the configured rule as Parquet for BI tools, partitioned by year, at
 * {@code <export>/village_status/}, and the ingest audit at {@code <export>/ingest_quality/}. Spark writes a
 * {@code _SUCCESS} marker when a write is complete.
 */
public final class ExportJob {
  private ExportJob() {}

  /** Returns the number of rows exported. */
  public static long run(Warehouse warehouse, RuleSet rule, ExportConfig cfg, String exportRoot) {
    Dataset<Row> status = warehouse.read(VillageStatus.NAME, "detect")
        .where(col(VillageStatus.RULE_ID).equalTo(rule.id()));
    Dataset<Row> export = StatusExport.build(status,
        DimensionColumns.current(warehouse.read(VillageRegistry.NAME, "ingest")), cfg);
    String path = exportRoot + "/" + VillageStatusExport.NAME;
    export.repartition(col(VillageYear.YEAR))
        .sortWithinPartitions(VillageYear.YEAR, VillageRegistry.VILLAGE_CODE)
        .write().mode("overwrite").partitionBy(VillageYear.YEAR).parquet(path);
    return warehouse.spark().read().parquet(path).count();
  }

  /**
   * The ingest audit as Parquet at {@code <export>/ingest_quality/}, partitioned by run date; returns the rows
   * written, or -1 when the warehouse has no audit yet.
   */
  public static long runQuality(Warehouse warehouse, String exportRoot) {
    if (!warehouse.exists(IngestAudit.NAME)) {
      return -1;
    }
    String path = exportRoot + "/" + IngestQualityExport.NAME;
    QualityExport.build(warehouse.read(IngestAudit.NAME, "ingest")).repartition(col(RunColumns.RUN_DATE))
        .write().mode("overwrite").partitionBy(RunColumns.RUN_DATE).parquet(path);
    return warehouse.spark().read().parquet(path).count();
  }
}
