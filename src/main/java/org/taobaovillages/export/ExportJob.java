package org.taobaovillages.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.ExportConfig;
import org.taobaovillages.config.WatchlistConfig;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.ClusterProfiles;
import org.taobaovillages.table.ClusterStatus;
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
import org.taobaovillages.table.SmallCellFlags;
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
 * super-sized counties with their member villages, the typology's tables, and the ingest audit
 * ({@code ingest_quality}, by run date). Every table applies the k-seller rule ({@link SmallCells}): a figure behind
 * which fewer than {@code export.min-active-sellers} sellers stand is null, as is an aggregate's figure from which
 * such a figure could be got back by subtraction, and the flag columns of {@link SmallCellFlags} say where. No
 * seller or household id is exported. Each directory is rewritten whole and gets Spark's {@code _SUCCESS} marker
 * when complete.
 */
public final class ExportJob {
  private ExportJob() {}

  /**
   * Rows exported per directory (tables that do not exist yet are left out).
   *
   * @param watchlist the watchlist's settings: its growths are measured over {@code growthMonths}
   */
  public static Map<String, Long> run(Warehouse warehouse, ExportConfig cfg, WatchlistConfig watchlist,
      String exportRoot, LocalDate runDate) {
    long k = cfg.minActiveSellers();
    Map<String, Long> rows = new LinkedHashMap<>();
    // Every row is placed by the registry version of its period (the township, county, ... it counted to then).
    Dataset<Row> registry = DimensionColumns.timeline(warehouse.read(VillageRegistry.NAME, "ingest"),
        VillageRegistry.VILLAGE_CODE, runDate);
    Dataset<Row> status = warehouse.read(VillageStatus.NAME, "detect");
    Dataset<Row> cells = SmallCells.cells(status, k).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> places = DimensionColumns.inForceOn(cells.where(col(VillagePeriod.PERIOD).equalTo(
            VillagePeriod.YEAR_PERIOD)).select(VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR, VillagePeriod.PERIOD_END),
        DimensionColumns.periodDay(col(VillagePeriod.PERIOD_END), runDate), registry, VillageRegistry.VILLAGE_CODE,
        List.of(VillageRegistry.TOWN_CODE, VillageRegistry.COUNTY_CODE, VillageRegistry.CITY_CODE,
            VillageRegistry.PROVINCE_CODE), "inner").drop(VillagePeriod.PERIOD_END);
    Column periodDay = DimensionColumns.periodDay(col(VillagePeriod.PERIOD_END), runDate);
    try {
      rows.put(VillageStatusExport.NAME, write(StatusExport.build(status.where(col(VillagePeriod.PERIOD)
              .equalTo(VillagePeriod.YEAR_PERIOD)), registry, periodDay, cfg), exportRoot, VillageStatusExport.NAME,
          VillageStatus.RULE_ID, VillagePeriod.YEAR));
      rows.put(VillageStatusExport.NOWCAST, write(StatusExport.build(status.where(col(VillagePeriod.PERIOD)
              .equalTo(VillagePeriod.T12M_PERIOD)), registry, periodDay, cfg), exportRoot, VillageStatusExport.NOWCAST,
          VillageStatus.RULE_ID, VillagePeriod.YEAR));
      if (warehouse.exists(Watchlist.NAME)) {
        Dataset<Row> list = StatusExport.withPlace(SmallCells.watchlist(warehouse.read(Watchlist.NAME, "detect"),
            status, watchlist.growthMonths(), k), registry, col(Watchlist.AS_OF));
        rows.put(Watchlist.NAME, write(list, exportRoot, Watchlist.NAME, VillageStatus.RULE_ID, VillagePeriod.YEAR));
      }
      if (warehouse.exists(HotSpots.NAME)) {
        // The analysis keeps every village at its run date's place.
        rows.put(HotSpots.NAME, write(StatusExport.withPlace(warehouse.read(HotSpots.NAME, "detect"), registry,
            lit(java.sql.Date.valueOf(runDate))), exportRoot, HotSpots.NAME));
        rows.put(HotSpots.YEARS, write(SmallCells.hotSpotYears(warehouse.read(HotSpots.YEARS, "detect"), status, k),
            exportRoot, HotSpots.YEARS, VillagePeriod.YEAR));
      }
      Dataset<Row> publishedTowns = warehouse.spark().createDataFrame(List.of(), new StructType()
          .add(VillageRegistry.TOWN_CODE, DataTypes.StringType).add(VillagePeriod.YEAR, DataTypes.IntegerType));
      if (warehouse.exists(TownStatus.NAME)) {
        Dataset<Row> towns = SmallCells.towns(warehouse.read(TownStatus.NAME, "detect"), cells, places, k);
        rows.put(TownStatus.NAME, write(towns, exportRoot, TownStatus.NAME, VillageStatus.RULE_ID, VillagePeriod.YEAR));
        publishedTowns = towns.where(not(col(SmallCellFlags.METRICS)))
            .select(VillageRegistry.TOWN_CODE, VillagePeriod.YEAR).distinct();
      }
      if (warehouse.exists(ClusterStatus.NAME) && warehouse.exists(UnitMembers.CLUSTERS)) {
        rows.put(ClusterStatus.NAME, write(SmallCells.clusters(warehouse.read(ClusterStatus.NAME, "detect"),
                warehouse.read(UnitMembers.CLUSTERS, "detect"), cells, k), exportRoot, ClusterStatus.NAME,
            VillageStatus.RULE_ID, VillagePeriod.YEAR));
      }
      // No figure from sellers: the counts of qualifying villages and the member lists.
      for (String table : List.of(CountyStatus.NAME, UnitMembers.TOWNS, UnitMembers.CLUSTERS, UnitMembers.COUNTIES)) {
        if (warehouse.exists(table)) {
          rows.put(table, write(warehouse.read(table, "detect"), exportRoot, table, VillageStatus.RULE_ID,
              VillagePeriod.YEAR));
        }
      }
      typology(warehouse, k, cells, places, publishedTowns, exportRoot, rows);
    } finally {
      cells.unpersist();
    }
    long quality = runQuality(warehouse, exportRoot);
    if (quality >= 0) {
      rows.put(IngestQualityExport.NAME, quality);
    }
    return rows;
  }

  /**
   * The typology's tables under the k-seller rule: county features (with their residuals above the townships),
   * business models, the typology's explanation, emergence scores and cluster profiles; formation test, county
   * clusters and the evaluation hold no figure from a small group of sellers and are exported as stored.
   */
  private static void typology(Warehouse warehouse, long k, Dataset<Row> cells, Dataset<Row> places,
      Dataset<Row> publishedTowns, String exportRoot, Map<String, Long> rows) {
    Dataset<Row> features = null;
    if (warehouse.exists(CountyFeatures.NAME)) {
      features = SmallCells.countyFeatures(warehouse.read(CountyFeatures.NAME, "typology"), cells, places,
          publishedTowns, k).persist(StorageLevel.MEMORY_AND_DISK());
      rows.put(CountyFeatures.NAME, write(features, exportRoot, CountyFeatures.NAME, VillagePeriod.YEAR));
    }
    if (warehouse.exists(VillageBusinessModel.NAME)) {
      // The count of sellers of known origin serves the rule only (per village, it would give the migrants).
      rows.put(VillageBusinessModel.NAME, write(SmallCells.businessModels(warehouse.read(VillageBusinessModel.NAME,
              "typology"), k).drop(VillageBusinessModel.KNOWN_ORIGIN_SELLERS), exportRoot, VillageBusinessModel.NAME,
          VillagePeriod.YEAR));
    }
    if (warehouse.exists(CountyTypology.NAME) && features != null) {
      rows.put(CountyTypology.NAME, write(SmallCells.countyTypology(warehouse.read(CountyTypology.NAME, "typology"),
          features), exportRoot, CountyTypology.NAME));
    }
    if (warehouse.exists(EmergenceScores.NAME)) {
      rows.put(EmergenceScores.NAME, write(SmallCells.emergence(warehouse.read(EmergenceScores.NAME, "typology"),
          cells), exportRoot, EmergenceScores.NAME));
    }
    if (warehouse.exists(ClusterProfiles.NAME) && warehouse.exists(CountyClusters.NAME) && features != null) {
      rows.put(ClusterProfiles.NAME, write(SmallCells.clusterProfiles(warehouse.read(ClusterProfiles.NAME,
          "typology"), warehouse.read(CountyClusters.NAME, "typology"), features), exportRoot, ClusterProfiles.NAME));
    }
    for (String table : List.of(FormationTest.NAME, CountyClusters.NAME, TypologyEvaluation.NAME)) {
      if (warehouse.exists(table)) {
        rows.put(table, write(warehouse.read(table, "typology"), exportRoot, table));
      }
    }
    if (features != null) {
      features.unpersist();
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
