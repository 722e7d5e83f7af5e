package org.taobaovillages.export;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.ExportConfig;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.ClusterProfiles;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.CountyClusters;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.EmergenceScores;
import org.taobaovillages.table.FormationTest;
import org.taobaovillages.table.TypologyEvaluation;
import org.taobaovillages.table.VillageBusinessModel;
import org.taobaovillages.table.CountyStatus;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.HotSpots;
import org.taobaovillages.table.IngestAudit;
import org.taobaovillages.table.IngestQualityExport;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.UnitMembers;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.VillageStatusExport;
import org.taobaovillages.table.Watchlist;

/**
 * {@code export}: the detection outputs as Parquet for BI tools under {@code <export>/}: village status per year
 * and the trailing-12-month nowcast (partitioned by rule and year), the watchlist, hot spots, towns, clusters and
 * super-sized counties with their member villages, and the ingest audit ({@code ingest_quality}, by run date).
 * Village-level metrics are suppressed where few sellers are active; no seller or household id is exported.
 * Each directory is rewritten whole and gets Spark's {@code _SUCCESS} marker when complete.
 */
public final class ExportJob {
  private ExportJob() {}

  /** Rows exported per directory (tables that do not exist yet are left out). */
  public static Map<String, Long> run(Warehouse warehouse, ExportConfig cfg, String exportRoot) {
    Map<String, Long> rows = new LinkedHashMap<>();
    Dataset<Row> registry = DimensionColumns.current(warehouse.read(VillageRegistry.NAME, "ingest"));
    Dataset<Row> status = warehouse.read(VillageStatus.NAME, "detect");
    rows.put(VillageStatusExport.NAME, write(StatusExport.build(status.where(col(VillagePeriod.PERIOD)
            .equalTo(VillagePeriod.YEAR_PERIOD)), registry, cfg), exportRoot, VillageStatusExport.NAME,
        VillageStatus.RULE_ID, VillagePeriod.YEAR));
    rows.put(VillageStatusExport.NOWCAST, write(StatusExport.build(status.where(col(VillagePeriod.PERIOD)
            .equalTo(VillagePeriod.T12M_PERIOD)), registry, cfg), exportRoot, VillageStatusExport.NOWCAST,
        VillageStatus.RULE_ID, VillagePeriod.YEAR));
    if (warehouse.exists(Watchlist.NAME)) {
      Dataset<Row> list = StatusExport.suppress(StatusExport.withPlace(warehouse.read(Watchlist.NAME, "detect"),
          registry), List.of(VillagePeriod.SALES_RMB, VillagePeriod.ACTIVE_SELLERS, VillagePeriod.ACTIVE_HOUSEHOLDS,
          Watchlist.EXPLANATION), cfg);
      rows.put(Watchlist.NAME, write(list, exportRoot, Watchlist.NAME, VillageStatus.RULE_ID, VillagePeriod.YEAR));
    }
    if (warehouse.exists(HotSpots.NAME)) {
      rows.put(HotSpots.NAME, write(StatusExport.withPlace(warehouse.read(HotSpots.NAME, "detect"), registry),
          exportRoot, HotSpots.NAME));
      rows.put(HotSpots.YEARS, write(warehouse.read(HotSpots.YEARS, "detect"), exportRoot, HotSpots.YEARS,
          VillagePeriod.YEAR));
    }
    for (String table : List.of(TownStatus.NAME, ClusterStatus.NAME, CountyStatus.NAME, UnitMembers.TOWNS,
        UnitMembers.CLUSTERS, UnitMembers.COUNTIES)) {
      if (warehouse.exists(table)) {
        rows.put(table, write(warehouse.read(table, "detect"), exportRoot, table, VillageStatus.RULE_ID,
            VillagePeriod.YEAR));
      }
    }
    typology(warehouse, cfg, exportRoot, rows);
    long quality = runQuality(warehouse, exportRoot);
    if (quality >= 0) {
      rows.put(IngestQualityExport.NAME, quality);
    }
    return rows;
  }

  /**
   * The typology's tables: county features and village business models with small cells suppressed (metrics null
   * where fewer than min-active-sellers sellers are active), the others as stored.
   */
  private static void typology(Warehouse warehouse, ExportConfig cfg, String exportRoot, Map<String, Long> rows) {
    for (String table : List.of(CountyFeatures.NAME, VillageBusinessModel.NAME)) {
      if (warehouse.exists(table)) {
        Dataset<Row> data = warehouse.read(table, "typology");
        List<String> metrics = java.util.Arrays.stream(data.columns()).filter(c -> !List.of(VillagePeriod.YEAR,
            VillagePeriod.VILLAGE_CODE, CountyFeatures.LEVEL, CountyFeatures.UNIT_CODE, CountyFeatures.UNIT_NAME,
            CountyAttributes.PROVINCE_CODE, VillageRegistry.COUNTY_CODE, CountyTypology.TYPOLOGY_VERSION,
            CountyFeatures.VILLAGES, RunColumns.RUN_ID, RunColumns.RUN_DATE).contains(c)).toList();
        rows.put(table, write(StatusExport.suppress(data, metrics, cfg), exportRoot, table, VillagePeriod.YEAR));
      }
    }
    for (String table : List.of(CountyTypology.NAME, FormationTest.NAME, CountyClusters.NAME, ClusterProfiles.NAME,
        EmergenceScores.NAME, TypologyEvaluation.NAME)) {
      if (warehouse.exists(table)) {
        rows.put(table, write(warehouse.read(table, "typology"), exportRoot, table));
      }
    }
  }

  private static long write(Dataset<Row> data, String root, String name, String... partitionBy) {
    String path = root + "/" + name;
    Column[] by = java.util.Arrays.stream(partitionBy).map(c -> col(c)).toArray(Column[]::new);
    (by.length == 0 ? data.coalesce(1) : data.repartition(by).sortWithinPartitions(by))
        .write().mode("overwrite").partitionBy(partitionBy).parquet(path);
    // With the schema given, a directory that holds no rows (only _SUCCESS) reads as empty.
    return data.sparkSession().read().schema(data.schema()).parquet(path).count();
  }

  /**
   * The ingest audit as Parquet at {@code <export>/ingest_quality/}, partitioned by run date; returns the rows
   * written, or -1 when the warehouse has no audit yet.
   */
  public static long runQuality(Warehouse warehouse, String exportRoot) {
    if (!warehouse.exists(IngestAudit.NAME)) {
      return -1;
    }
    return write(QualityExport.build(warehouse.read(IngestAudit.NAME, "ingest")), exportRoot,
        IngestQualityExport.NAME, RunColumns.RUN_DATE);
  }
}
