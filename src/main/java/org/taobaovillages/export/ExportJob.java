package org.taobaovillages.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.ExportConfig;
import org.taobaovillages.config.WatchlistConfig;
import org.taobaovillages.spark.DeltaChanges;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.ClusterProfiles;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.CountyClusters;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.EmergenceScores;
import org.taobaovillages.table.ExportRuns;
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
 * seller or household id is exported.
 *
 * <p>A directory is rewritten only where the tables it is built from changed since it was last written
 * ({@link ExportPlan}): whole, in the partitions of the years (or run dates) that changed, or not at all. Each run
 * records per directory the table versions it reflects and what it rewrote in {@link ExportRuns}. A rewritten
 * directory gets Spark's {@code _SUCCESS} marker when complete.
 */
public final class ExportJob {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(ExportJob.class);

  private ExportJob() {}

  /** What a run did to one directory: {@link ExportRuns#ACTION}, the partitions, why, and the rows written. */
  public record Written(String action, String scope, String reason, long rows) {}

  /**
   * One export directory: its partition columns, the column a partial rewrite is scoped by (null: rewritten whole
   * or not at all; for a directory without partitions, the column its own table's rows are placed by), the tables
   * it is built from (the first one, its own, must exist for it to be exported) and its rows.
   */
  private record Directory(String name, List<String> partitionBy, String scopeColumn, List<String> sources,
      Function<Column, Dataset<Row>> rows) {}

  /**
   * What several directories are built from, for all years (scope null) or for the partitions a run rewrites: a
   * filter on the year, valid wherever a row of a year is built from rows of the same year only.
   */
  private record Inputs(Warehouse warehouse, Dataset<Row> registry, Dataset<Row> status, Dataset<Row> allCells,
      LocalDate runDate, long k) {
    Dataset<Row> scoped(Dataset<Row> rows, Column scope) {
      return scope == null ? rows : rows.where(scope);
    }

    Dataset<Row> cells(Column scope) {
      return scope == null ? allCells : SmallCells.cells(status.where(scope), k);
    }

    /** Each village-year's township, county, prefecture and province, by the registry version of its period. */
    Dataset<Row> places(Column scope) {
      return DimensionColumns.inForceOn(cells(scope).where(col(VillagePeriod.PERIOD).equalTo(
              VillagePeriod.YEAR_PERIOD)).select(VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR, VillagePeriod.PERIOD_END),
          DimensionColumns.periodDay(col(VillagePeriod.PERIOD_END), runDate), registry, VillageRegistry.VILLAGE_CODE,
          List.of(VillageRegistry.TOWN_CODE, VillageRegistry.COUNTY_CODE, VillageRegistry.CITY_CODE,
              VillageRegistry.PROVINCE_CODE), "inner").drop(VillagePeriod.PERIOD_END);
    }

    Dataset<Row> towns(Column scope) {
      return towns(scope, places(scope));
    }

    private Dataset<Row> towns(Column scope, Dataset<Row> places) {
      return SmallCells.towns(scoped(warehouse.read(TownStatus.NAME, "detect"), scope), cells(scope), places, k);
    }

    Dataset<Row> features(Column scope) {
      Dataset<Row> places = places(scope);
      Dataset<Row> publishedTowns = !warehouse.exists(TownStatus.NAME)
          ? warehouse.spark().createDataFrame(List.of(), new StructType()
              .add(VillageRegistry.TOWN_CODE, DataTypes.StringType).add(VillagePeriod.YEAR, DataTypes.IntegerType))
          : towns(scope, places).where(not(col(SmallCellFlags.METRICS)))
              .select(VillageRegistry.TOWN_CODE, VillagePeriod.YEAR).distinct();
      return SmallCells.countyFeatures(scoped(warehouse.read(CountyFeatures.NAME, "typology"), scope), cells(scope),
          places, publishedTowns, k);
    }
  }

  /**
   * Exports every directory whose tables exist (tables that do not exist yet are left out) and returns what was
   * done to each.
   *
   * @param watchlist the watchlist's settings: its growths are measured over {@code growthMonths}
   * @param full rewrite every directory whole, whatever changed
   */
  public static Map<String, Written> run(Warehouse warehouse, ExportConfig cfg, WatchlistConfig watchlist,
      String exportRoot, RunContext run, boolean full) {
    LocalDate runDate = run.runDate();
    long k = cfg.minActiveSellers();
    String settings = "min-active-sellers=" + k + ", watchlist growth-months=" + watchlist.growthMonths();
    // Every row is placed by the registry version of its period (the township, county, ... it counted to then).
    Dataset<Row> registry = DimensionColumns.timeline(warehouse.read(VillageRegistry.NAME, "ingest"),
        VillageRegistry.VILLAGE_CODE, runDate);
    Dataset<Row> status = warehouse.read(VillageStatus.NAME, "detect");
    // A whole rewrite reads every year: the cells of all periods are kept for the directories that use them
    // (persist is lazy: built only if one is rewritten whole). A rewrite of some years computes the cells of those
    // years alone, its filter on the year pushed down to the status table's partitions.
    Dataset<Row> allCells = SmallCells.cells(status, k).persist(StorageLevel.MEMORY_AND_DISK());
    Inputs in = new Inputs(warehouse, registry, status, allCells, runDate, k);
    Dataset<Row> allFeatures = warehouse.exists(CountyFeatures.NAME)
        ? in.features(null).persist(StorageLevel.MEMORY_AND_DISK()) : null;
    Column periodDay = DimensionColumns.periodDay(col(VillagePeriod.PERIOD_END), runDate);

    List<String> ruleYear = List.of(VillageStatus.RULE_ID, VillagePeriod.YEAR);
    List<String> year = List.of(VillagePeriod.YEAR);
    String y = VillagePeriod.YEAR;
    String vs = VillageStatus.NAME;
    String reg = VillageRegistry.NAME;
    List<Directory> directories = new ArrayList<>(List.of(
        new Directory(VillageStatusExport.NAME, ruleYear, y, List.of(vs, reg), scope -> StatusExport.build(
            in.scoped(status, scope).where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)), registry,
            periodDay, cfg)),
        new Directory(VillageStatusExport.NOWCAST, ruleYear, y, List.of(vs, reg), scope -> StatusExport.build(
            in.scoped(status, scope).where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD)), registry,
            periodDay, cfg)),
        // Growths compare with the trailing 12 months some months before, maybe in the year before: all of status.
        new Directory(Watchlist.NAME, ruleYear, y, List.of(Watchlist.NAME, vs, reg), scope -> StatusExport.withPlace(
            SmallCells.watchlist(in.scoped(warehouse.read(Watchlist.NAME, "detect"), scope), status,
                watchlist.growthMonths(), k), registry, col(Watchlist.AS_OF))),
        // The analysis keeps every village at its run date's place.
        new Directory(HotSpots.NAME, List.of(), null, List.of(HotSpots.NAME, reg), scope -> StatusExport.withPlace(
            warehouse.read(HotSpots.NAME, "detect"), registry, lit(java.sql.Date.valueOf(runDate)))),
        new Directory(HotSpots.YEARS, year, y, List.of(HotSpots.YEARS, vs), scope -> SmallCells.hotSpotYears(
            in.scoped(warehouse.read(HotSpots.YEARS, "detect"), scope), in.scoped(status, scope), k)),
        new Directory(TownStatus.NAME, ruleYear, y, List.of(TownStatus.NAME, vs, reg), in::towns),
        new Directory(ClusterStatus.NAME, ruleYear, y, List.of(ClusterStatus.NAME, UnitMembers.CLUSTERS, vs),
            scope -> SmallCells.clusters(in.scoped(warehouse.read(ClusterStatus.NAME, "detect"), scope),
                in.scoped(warehouse.read(UnitMembers.CLUSTERS, "detect"), scope), in.cells(scope), k))));
    // No figure from sellers: the counts of qualifying villages and the member lists.
    for (String table : List.of(CountyStatus.NAME, UnitMembers.TOWNS, UnitMembers.CLUSTERS, UnitMembers.COUNTIES)) {
      directories.add(new Directory(table, ruleYear, y, List.of(table),
          scope -> in.scoped(warehouse.read(table, "detect"), scope)));
    }
    // The typology's tables: county features (with their residuals above the townships), business models, the
    // typology's explanation, emergence scores and cluster profiles under the k-seller rule; formation test,
    // county clusters and the evaluation hold no figure from a small group of sellers and are exported as stored.
    List<String> featureSources = List.of(CountyFeatures.NAME, vs, reg, TownStatus.NAME);
    directories.add(new Directory(CountyFeatures.NAME, year, y, featureSources,
        scope -> scope == null ? allFeatures : in.features(scope)));
    // The count of sellers of known origin serves the rule only (per village, it would give the migrants).
    directories.add(new Directory(VillageBusinessModel.NAME, year, y, List.of(VillageBusinessModel.NAME),
        scope -> SmallCells.businessModels(in.scoped(warehouse.read(VillageBusinessModel.NAME, "typology"), scope), k)
            .drop(VillageBusinessModel.KNOWN_ORIGIN_SELLERS)));
    // Unpartitioned, but their rows are of complete years: a change in other years leaves them as they are.
    directories.add(new Directory(CountyTypology.NAME, List.of(), y, with(CountyTypology.NAME, featureSources),
        scope -> SmallCells.countyTypology(warehouse.read(CountyTypology.NAME, "typology"), allFeatures)));
    directories.add(new Directory(EmergenceScores.NAME, List.of(), y, List.of(EmergenceScores.NAME, vs),
        scope -> SmallCells.emergence(warehouse.read(EmergenceScores.NAME, "typology"), allCells)));
    directories.add(new Directory(ClusterProfiles.NAME, List.of(), y,
        with(ClusterProfiles.NAME, with(CountyClusters.NAME, featureSources)),
        scope -> SmallCells.clusterProfiles(warehouse.read(ClusterProfiles.NAME, "typology"),
            warehouse.read(CountyClusters.NAME, "typology"), allFeatures)));
    for (String table : List.of(FormationTest.NAME, CountyClusters.NAME, TypologyEvaluation.NAME)) {
      directories.add(new Directory(table, List.of(), null, List.of(table), scope -> warehouse.read(table, "typology")));
    }
    directories.add(new Directory(IngestQualityExport.NAME, List.of(RunColumns.RUN_DATE), RunColumns.RUN_DATE,
        List.of(IngestAudit.NAME), scope -> QualityExport.build(in.scoped(warehouse.read(IngestAudit.NAME, "ingest"),
            scope))));

    Map<String, ExportPlan.Previous> previous = previous(warehouse, exportRoot);
    Map<String, Long> versions = new LinkedHashMap<>();
    Map<String, Written> written = new LinkedHashMap<>();
    Map<String, Optional<DeltaChanges.Changes>> logs = new java.util.HashMap<>();
    List<Row> records = new ArrayList<>();
    try {
      for (Directory d : directories) {
        if (!d.sources().stream().allMatch(warehouse::exists)) {
          continue;
        }
        // The versions the directory will reflect, read before its rows are (a later commit is exported next time).
        Map<String, Long> reflects = new LinkedHashMap<>();
        d.sources().forEach(t -> reflects.put(t, versions.computeIfAbsent(t, v -> DeltaChanges.version(warehouse, v))));
        Written w = export(warehouse, d, exportRoot, previous.get(d.name()), reflects, settings, full, logs);
        written.put(d.name(), w);
        records.add(RowFactory.create(run.runId(), java.sql.Date.valueOf(runDate), exportRoot, d.name(), settings,
            scala.jdk.javaapi.CollectionConverters.asScala(reflects), w.action(), w.scope(), w.reason(), w.rows(),
            new java.sql.Timestamp(System.currentTimeMillis())));
      }
    } finally {
      allCells.unpersist();
      if (allFeatures != null) {
        allFeatures.unpersist();
      }
    }
    warehouse.replaceWhere(warehouse.spark().createDataFrame(records, ExportRuns.SCHEMA), ExportRuns.NAME,
        ExportRuns.SCHEMA, List.of(), RunColumns.RUN_DATE + " = DATE'" + runDate + "' AND " + ExportRuns.EXPORT_ROOT
            + " = '" + exportRoot.replace("\\", "\\\\").replace("'", "\\'") + "'");
    return written;
  }

  private static List<String> with(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /** The latest recorded state of each directory under {@code exportRoot} (one row per directory). */
  private static Map<String, ExportPlan.Previous> previous(Warehouse warehouse, String exportRoot) {
    Map<String, ExportPlan.Previous> state = new LinkedHashMap<>();
    if (!warehouse.exists(ExportRuns.NAME)) {
      return state;
    }
    Dataset<Row> runs = warehouse.read(ExportRuns.NAME, "export").where(col(ExportRuns.EXPORT_ROOT).equalTo(exportRoot));
    for (Row r : runs.groupBy(ExportRuns.DIRECTORY)
        .agg(max_by(struct(col(ExportRuns.SETTINGS), col(ExportRuns.SOURCE_VERSIONS)), col(ExportRuns.RECORDED_AT)))
        .collectAsList()) {
      Row last = r.getStruct(1);
      state.put(r.getString(0), new ExportPlan.Previous(last.getString(0), last.getJavaMap(1)));
    }
    return state;
  }

  /** Decides and does what one directory needs; logs it. */
  private static Written export(Warehouse warehouse, Directory d, String exportRoot, ExportPlan.Previous previous,
      Map<String, Long> reflects, String settings, boolean full, Map<String, Optional<DeltaChanges.Changes>> logs) {
    long start = System.nanoTime();
    String path = exportRoot + "/" + d.name();
    Map<String, DeltaChanges.Changes> changes = new LinkedHashMap<>();
    if (previous != null && !full) {
      for (String t : d.sources()) {
        Long from = previous.versions().get(t);
        String column = d.scopeColumn() == null ? VillagePeriod.YEAR : d.scopeColumn();
        // Most directories read village_status: its log is read once per version and column.
        changes.put(t, from == null ? null : logs.computeIfAbsent(t + "@" + from + "/" + column,
            key -> Optional.ofNullable(DeltaChanges.since(warehouse, t, from, column))).orElse(null));
      }
    }
    boolean complete = Warehouse.pathExists(warehouse.spark(), path + "/_SUCCESS");
    ExportPlan.Decision decision = ExportPlan.decide(d.scopeColumn(), changes, Set.of(VillageRegistry.NAME), full,
        previous, settings, complete);
    if (decision.action().equals(ExportRuns.PARTITIONS) && d.partitionBy().isEmpty()) {
      // Not partitioned: rewritten whole if its own table has rows in the years that changed, else left as it is.
      decision = warehouse.read(d.sources().get(0), "export").where(decision.scope()).isEmpty()
          ? new ExportPlan.Decision(ExportRuns.UNCHANGED, null, null, decision.reason() + ": none of its rows is of "
              + decision.description())
          : ExportPlan.Decision.whole(decision.reason());
    }
    long rows = switch (decision.action()) {
      case ExportRuns.WHOLE -> writeWhole(d.rows().apply(null), path, d.partitionBy());
      case ExportRuns.PARTITIONS -> writePartitions(d.rows().apply(decision.scope()), path, d.partitionBy(),
          decision.scope());
      default -> 0L;
    };
    LOG.info("{}: {}{} ({}): {} rows in {} s", d.name(), decision.action(),
        decision.description() == null ? "" : " " + decision.description(), decision.reason(), rows,
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
    return new Written(decision.action(), decision.description(), decision.reason(), rows);
  }

  private static long writeWhole(Dataset<Row> data, String path, List<String> partitionBy) {
    sorted(data, partitionBy).write().mode("overwrite").partitionBy(partitionBy.toArray(String[]::new)).parquet(path);
    // With the schema given, a directory that holds no rows (only _SUCCESS) reads as empty.
    return data.sparkSession().read().schema(data.schema()).parquet(path).count();
  }

  /**
   * Replaces the partitions of {@code path} that {@code scope} selects with {@code data}'s rows there: Spark's
   * dynamic partition overwrite replaces the partitions that get rows; a partition in scope that gets none is
   * deleted after. Returns the rows now in scope.
   */
  private static long writePartitions(Dataset<Row> data, String path, List<String> partitionBy, Column scope) {
    SparkSession spark = data.sparkSession();
    // The files in scope now, one row per file of the partitions read (inputFiles would list every file).
    List<Row> before = spark.read().schema(data.schema()).parquet(path).where(scope)
        .select(input_file_name()).distinct().collectAsList();
    sorted(data.where(scope), partitionBy).write().mode("overwrite").option("partitionOverwriteMode", "dynamic")
        .partitionBy(partitionBy.toArray(String[]::new)).parquet(path);
    try {
      // A file listed before that is still there sits in a partition that got no row this time.
      for (Row file : before) {
        Path p = new Path(java.net.URI.create(file.getString(0)));
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.exists(p)) {
          fs.delete(p.getParent(), true);
        }
      }
    } catch (IOException e) {
      throw new UserError("export: cannot remove an emptied partition under " + path + ": " + e.getMessage());
    }
    return spark.read().schema(data.schema()).parquet(path).where(scope).count();
  }

  private static Dataset<Row> sorted(Dataset<Row> data, List<String> partitionBy) {
    Column[] by = partitionBy.stream().map(c -> col(c)).toArray(Column[]::new);
    return by.length == 0 ? data.coalesce(1) : data.repartition(by).sortWithinPartitions(by);
  }
}
