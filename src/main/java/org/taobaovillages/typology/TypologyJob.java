package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.config.VillageRule;
import org.taobaovillages.spark.ChangedYears;
import org.taobaovillages.spark.DeltaChanges;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.StageMetrics;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.ClusterProfiles;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.CountyClusters;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.EmergenceScores;
import org.taobaovillages.table.FormationTest;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.TypologyEvaluation;
import org.taobaovillages.table.TypologyRuns;
import org.taobaovillages.table.VillageBusinessModel;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.Watchlist;

/**
 * {@code typology}: from the warehouse's complete calendar years, the county feature table (with prefecture and
 * province rollups), the rule-based typology and the formation-rule test, business model and embeddedness per
 * village-year, the behavioural clustering of counties and the emergence model with its two baselines; every table
 * is recomputed whole and replaced in one commit each (a re-run gives the same tables), and the MLlib models are
 * saved under {@code <warehouse>/_models/typology/<version>/<run date>/}. With a generated world's truth, the
 * outputs are also scored against what the generator planted ({@link TruthScores}).
 */
public final class TypologyJob {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(TypologyJob.class);

  private TypologyJob() {}

  /**
   * What a run did: the years covered, {@link TypologyRuns#COMPUTED} or {@link TypologyRuns#UNCHANGED} and why, rows
   * per table, the evaluation rows and the models saved (none when unchanged).
   */
  public record Outcome(int firstYear, int lastYear, String action, String reason, Map<String, Long> rows,
      List<Row> evaluation, String modelRoot, List<String> models) {}

  /** The dimension tables typology reads: their versions are in force from their delivery's run date. */
  static final List<String> DIMENSIONS = List.of(SellerAccounts.NAME, VillageRegistry.NAME, CountyAttributes.NAME);
  /** The tables typology reads, each with the partition column its changes are placed by ({@link ChangedYears}). */
  static final Map<String, String> SOURCES = sources();

  private static Map<String, String> sources() {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put(VillagePeriod.NAME, VillagePeriod.YEAR);
    sources.put(VillageMonth.NAME, VillageMonth.YEAR);
    sources.put(SellerMonth.NAME, SellerMonth.MONTH);
    sources.put(VillageStatus.NAME, VillagePeriod.YEAR);
    sources.put(Watchlist.NAME, VillagePeriod.YEAR);
    DIMENSIONS.forEach(d -> sources.put(d, VillagePeriod.YEAR));
    return sources;
  }

  /**
   * Why the typology's tables must be recomputed, or null when they hold already what this run would write: the
   * run before covered the same complete years with the same settings, and nothing its inputs changed since reaches
   * a complete year (the daily case: a day's orders and dimension versions fall in the running year).
   *
   * @param previous the last run's first year, last year, settings and source versions; null without one
   */
  static String whyRecompute(Row previous, int firstYear, int lastYear, String settings, ChangedYears.Result changed) {
    if (previous == null) {
      return "no typology run before";
    }
    if (previous.getInt(0) != firstYear || previous.getInt(1) != lastYear) {
      return "complete years now " + firstYear + "-" + lastYear + " (were " + previous.getInt(0) + "-"
          + previous.getInt(1) + ")";
    }
    if (!previous.getString(2).equals(settings)) {
      return "settings changed";
    }
    if (changed.unplaceable() != null) {
      return changed.unplaceable();
    }
    Integer earliest = changed.earliestYear();
    if (earliest != null && earliest <= lastYear) {
      return "inputs of complete years changed: " + String.join("; ", changed.why());
    }
    return null;
  }

  public static Outcome run(Warehouse wh, AppConfig app, RunContext run, String truthRoot, boolean full) {
    TypologyConfig cfg = app.typology();
    SparkSession spark = wh.spark();
    String primary = app.detect().primaryRule();
    VillageRule rule = app.rules().village(primary);
    for (String table : List.of(VillagePeriod.NAME, VillageStatus.NAME, CountyAttributes.NAME)) {
      if (!wh.exists(table)) {
        throw new UserError("typology needs table " + table + " in warehouse " + wh.root()
            + ": run ingest, aggregate and detect first");
      }
    }
    String definition = rule.activeSeller().describe();
    Dataset<Row> periods = wh.read(VillagePeriod.NAME, "aggregate")
        .where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)
            .and(col(VillagePeriod.ACTIVE_DEFINITION).equalTo(definition)).and(col(VillagePeriod.PERIOD_COMPLETE)));
    Row span = periods.agg(min(col(VillagePeriod.YEAR)), max(col(VillagePeriod.YEAR))).first();
    if (span.isNullAt(0)) {
      // Not an error: a warehouse started within a year has none yet, and the daily DAG runs typology every day.
      String reason = "no complete calendar year in " + wh.path(VillagePeriod.NAME) + " (active sellers: "
          + definition + ") up to run date " + run.runDate();
      LOG.info("typology: {}: nothing to model", reason);
      return new Outcome(0, 0, TypologyRuns.NO_YEAR, reason, Map.of(), List.of(), null, List.of());
    }
    int firstYear = span.getInt(0);
    int lastYear = span.getInt(1);
    // The versions this run reads, taken before any of its rows are read (a later commit counts as a change next
    // time).
    Map<String, Long> versions = new LinkedHashMap<>();
    SOURCES.keySet().stream().filter(wh::exists).forEach(t -> versions.put(t, DeltaChanges.version(wh, t)));
    String settings = cfg + "; rule " + rule;
    Row previous = !wh.exists(TypologyRuns.NAME) ? null : wh.read(TypologyRuns.NAME, "typology")
        .agg(max_by(struct(col(TypologyRuns.FIRST_YEAR), col(TypologyRuns.LAST_YEAR), col(TypologyRuns.SETTINGS),
            col(TypologyRuns.SOURCE_VERSIONS)), col(TypologyRuns.RECORDED_AT))).first().getStruct(0);
    String why = full ? "--full" : truthRoot != null ? "scored against a truth" : null;
    if (why == null) {
      Map<String, Long> before = previous == null ? Map.of() : previous.getJavaMap(3);
      Map<String, DeltaChanges.Changes> changes = new LinkedHashMap<>();
      versions.keySet().forEach(t -> changes.put(t, before.containsKey(t)
          ? DeltaChanges.since(wh, t, before.get(t), SOURCES.get(t)) : null));
      why = whyRecompute(previous, firstYear, lastYear, settings, ChangedYears.of(before, changes, Set.copyOf(DIMENSIONS)));
    }
    if (why == null) {
      String reason = "no input of the complete years " + firstYear + "-" + lastYear + " changed since the last run";
      LOG.info("typology: {}: nothing recomputed", reason);
      record(wh, run, firstYear, lastYear, settings, versions, TypologyRuns.UNCHANGED, reason);
      return new Outcome(firstYear, lastYear, TypologyRuns.UNCHANGED, reason, Map.of(), List.of(), null, List.of());
    }
    // One read of village_month: the column checked is that of the snapshot whose rows are modelled.
    Dataset<Row> villageMonths = wh.read(VillageMonth.NAME, "aggregate");
    if (!List.of(villageMonths.columns()).contains(VillageMonth.CATEGORY_ORDERS)) {
      throw new UserError("typology needs column " + VillageMonth.CATEGORY_ORDERS + " in table " + VillageMonth.NAME
          + " of warehouse " + wh.root() + ", written by an earlier version: run aggregate first (it recomputes all"
          + " months then)");
    }
    LOG.info("typology: recomputing the complete years {}-{}: {}", firstYear, lastYear, why);
    // Every year is read with the dimension versions in force at its end: a version delivered later is in force
    // from its run date, so it changes no complete year before it (as ChangedYears places it).
    Dataset<Row> years = spark.range(firstYear, lastYear + 1L).select(col("id").cast("int").as(VillagePeriod.YEAR));
    Dataset<Row> registryTimeline = DimensionColumns.timeline(wh.read(VillageRegistry.NAME, "ingest"),
        VillageRegistry.VILLAGE_CODE, run.runDate());
    Dataset<Row> registry = DimensionColumns.atYearEnds(registryTimeline, years, VillagePeriod.YEAR, run.runDate());
    Dataset<Row> accounts = DimensionColumns.timeline(wh.read(SellerAccounts.NAME, "ingest"), SellerAccounts.SELLER_ID,
        run.runDate());
    Dataset<Row> counties = DimensionColumns.atYearEnds(DimensionColumns.timeline(wh.read(CountyAttributes.NAME,
        "ingest"), CountyAttributes.COUNTY_CODE, run.runDate()), years, VillagePeriod.YEAR, run.runDate());
    Dataset<Row> status = wh.read(VillageStatus.NAME, "detect").where(col(VillageStatus.RULE_ID).equalTo(primary)
        .and(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)));
    Dataset<Row> villageYears = VillageYears.build(new VillageYears.Inputs(periods,
        villageMonths.where(col(VillageMonth.ACTIVE_DEFINITION).equalTo(definition)
            .and(col(VillageMonth.YEAR).between(firstYear, lastYear))),
        wh.read(SellerMonth.NAME, "aggregate").where(year(col(SellerMonth.MONTH)).between(firstYear, lastYear)),
        accounts, status, registryTimeline, run.runDate()), cfg).persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> rows = new LinkedHashMap<>();
    List<Row> evaluation = new ArrayList<>();
    String modelRoot = wh.root() + "/_models/typology/" + cfg.version() + "/" + run.runDate();
    List<String> models = new ArrayList<>();
    try {
      Dataset<Row> labels = VillageLabels.label(villageYears, counties, cfg).persist(StorageLevel.MEMORY_AND_DISK());
      rows.put(VillageBusinessModel.NAME, write(wh, labels, VillageBusinessModel.NAME, VillageBusinessModel.SCHEMA,
          run));
      Dataset<Row> features = Rollups.features(villageYears, labels, registry, counties, cfg.version())
          .persist(StorageLevel.MEMORY_AND_DISK());
      rows.put(CountyFeatures.NAME, write(wh, features, CountyFeatures.NAME, CountyFeatures.SCHEMA, run));
      Dataset<Row> typology = RuleTypology.classify(counties, registry, features, cfg)
          .persist(StorageLevel.MEMORY_AND_DISK());
      rows.put(CountyTypology.NAME, write(wh, typology, CountyTypology.NAME, CountyTypology.SCHEMA, run));
      rows.put(FormationTest.NAME, write(wh, FormationTests.byFactorCount(typology, cfg.version()),
          FormationTest.NAME, FormationTest.SCHEMA, run));

      Dataset<Row> quadrants = typology.where(col(VillagePeriod.YEAR).equalTo(lastYear))
          .select(CountyAttributes.COUNTY_CODE, CountyTypology.QUADRANT);
      cluster(spark, wh, features, quadrants, lastYear, cfg, run, modelRoot, models, rows, evaluation);
      emergence(wh, villageYears, features, rule, app, lastYear, run, modelRoot, models, rows, evaluation);
      if (truthRoot != null) {
        evaluation.addAll(TruthScores.score(spark, truthRoot, typology, labels,
            wh.read(CountyClusters.NAME, "typology"), lastYear, cfg));
      }
      rows.put(TypologyEvaluation.NAME, write(wh, spark.createDataFrame(evaluation,
          RunColumns.without(TypologyEvaluation.SCHEMA)), TypologyEvaluation.NAME, TypologyEvaluation.SCHEMA, run));
      typology.unpersist();
      features.unpersist();
      labels.unpersist();
    } finally {
      villageYears.unpersist();
    }
    record(wh, run, firstYear, lastYear, settings, versions, TypologyRuns.COMPUTED, why);
    return new Outcome(firstYear, lastYear, TypologyRuns.COMPUTED, why, rows, evaluation, modelRoot, models);
  }

  private static void record(Warehouse wh, RunContext run, int firstYear, int lastYear, String settings,
      Map<String, Long> versions, String action, String reason) {
    Row row = RowFactory.create(run.runId(), java.sql.Date.valueOf(run.runDate()), firstYear, lastYear, settings,
        scala.jdk.javaapi.CollectionConverters.asScala(versions), action, reason,
        new java.sql.Timestamp(System.currentTimeMillis()));
    wh.replaceWhere(wh.spark().createDataFrame(List.of(row), TypologyRuns.SCHEMA), TypologyRuns.NAME,
        TypologyRuns.SCHEMA, List.of(), RunColumns.RUN_DATE + " = DATE'" + run.runDate() + "'");
  }

  private static void cluster(SparkSession spark, Warehouse wh, Dataset<Row> features, Dataset<Row> quadrants,
      int year, TypologyConfig cfg, RunContext run, String modelRoot, List<String> models, Map<String, Long> rows,
      List<Row> evaluation) {
    Dataset<Row> input = BehaviourClusters.input(features, year, cfg).cache();
    BehaviourClusters.Result fitted = BehaviourClusters.fit(input, cfg);
    if (fitted == null) {
      LOG.info("typology: fewer than {} counties with {} active sellers in {}: no clustering", cfg.kMin() + 1,
          cfg.minCountySellers(), year);
      evaluation.add(measure(cfg, "clustered_counties", BehaviourClusters.KMEANS, "year " + year, input.count(),
          "fewer than k-min + 1 counties: not clustered"));
      // Replaced by empty tables, so that no earlier run's clusters pass for this run's.
      rows.put(CountyClusters.NAME, write(wh, spark.createDataFrame(List.of(), CountyClusters.SCHEMA),
          CountyClusters.NAME, CountyClusters.SCHEMA, run));
      rows.put(ClusterProfiles.NAME, write(wh, spark.createDataFrame(List.of(), ClusterProfiles.SCHEMA),
          ClusterProfiles.NAME, ClusterProfiles.SCHEMA, run));
      input.unpersist();
      return;
    }
    for (BehaviourClusters.Silhouette s : fitted.silhouettes()) {
      evaluation.add(measure(cfg, "silhouette", BehaviourClusters.KMEANS, "k=" + s.k(), s.value(),
          s.k() == fitted.k() ? "chosen" : null));
    }
    Dataset<Row> assigned = null;
    for (var e : fitted.clusters().entrySet()) {
      Dataset<Row> one = e.getValue().withColumn(CountyClusters.MODEL, lit(e.getKey()));
      assigned = assigned == null ? one : assigned.unionByName(one);
    }
    assigned = assigned.join(quadrants, CountyAttributes.COUNTY_CODE, "left")
        .withColumn(CountyClusters.K, lit(fitted.k()))
        .withColumn(VillagePeriod.YEAR, lit(year))
        .withColumn(CountyTypology.TYPOLOGY_VERSION, lit(cfg.version()));
    rows.put(CountyClusters.NAME, write(wh, assigned, CountyClusters.NAME, CountyClusters.SCHEMA, run));
    Dataset<Row> stored = wh.read(CountyClusters.NAME, "typology");
    Dataset<Row> profiles = null;
    for (var e : fitted.models().entrySet()) {
      Dataset<Row> one = stored.where(col(CountyClusters.MODEL).equalTo(e.getKey()));
      evaluation.add(measure(cfg, "adjusted_rand_index", e.getKey(), "rule_quadrant", Scores.adjustedRand(one,
          CountyClusters.CLUSTER, CountyTypology.QUADRANT), one.count() + " counties, k=" + fitted.k() + ", "
          + one.select(CountyClusters.CLUSTER).distinct().count() + " clusters found"));
      Dataset<Row> p = BehaviourClusters.profiles(spark, e.getValue(), input, e.getKey(), fitted.k(), year,
          cfg.version());
      profiles = profiles == null ? p : profiles.unionByName(p);
      save(e.getValue(), modelRoot, e.getKey(), models);
    }
    rows.put(ClusterProfiles.NAME, write(wh, profiles, ClusterProfiles.NAME, ClusterProfiles.SCHEMA, run));
    input.unpersist();
  }

  private static void emergence(Warehouse wh, Dataset<Row> villageYears, Dataset<Row> features, VillageRule rule,
      AppConfig app, int lastYear, RunContext run, String modelRoot, List<String> models, Map<String, Long> rows,
      List<Row> evaluation) {
    TypologyConfig cfg = app.typology();
    Dataset<Row> watchlist = wh.exists(Watchlist.NAME) ? wh.read(Watchlist.NAME, "detect")
        .where(col(VillageStatus.RULE_ID).equalTo(app.detect().watchlist().rule()))
        : wh.spark().createDataFrame(List.of(), Watchlist.SCHEMA);
    // As many partitions as the configured shuffle partitions: every boosting iteration runs a task per partition
    // of its cached rows, and the rows come out of the joins above in many small partitions (19 on the sample:
    // 2,280 tasks for 40 trees). A setting, not the machine's cores: the trees depend on how their rows are
    // partitioned, so a cluster and local mode with the same settings train the same model.
    int partitions = Integer.parseInt(wh.spark().conf().get("spark.sql.shuffle.partitions"));
    Dataset<Row> atRisk = Emergence.rows(villageYears, features, watchlist, rule, lastYear, cfg)
        .repartition(partitions).persist(StorageLevel.MEMORY_AND_DISK());
    PipelineModel model = Emergence.train(atRisk, cfg);
    Dataset<Row> scored = Emergence.score(model, atRisk)
        .withColumn(CountyTypology.TYPOLOGY_VERSION, lit(cfg.version()));
    rows.put(EmergenceScores.NAME, write(wh, scored, EmergenceScores.NAME, EmergenceScores.SCHEMA, run));
    atRisk.unpersist();
    if (model == null) {
      evaluation.add(measure(cfg, "pr_auc", "gbt", "held_out", Double.NaN,
          "no model: the training years hold no village that qualified the next year (or none that did not)"));
      return;
    }
    save(model, modelRoot, "emergence", models);
    double[] importance = Emergence.importances(model);
    for (int i = 0; i < importance.length; i++) {
      evaluation.add(measure(cfg, "feature_importance", "gbt", Emergence.INPUTS.get(i), importance[i], null));
    }
    Dataset<Row> test = wh.read(EmergenceScores.NAME, "typology")
        .where(col(EmergenceScores.SPLIT).equalTo(EmergenceScores.TEST)).cache();
    Row counts = test.agg(count(lit(1)), count(when(col(EmergenceScores.QUALIFIES_NEXT), lit(1))),
        min(col(EmergenceScores.OUTCOME_YEAR)), max(col(EmergenceScores.OUTCOME_YEAR))).first();
    String heldOut = counts.isNullAt(2) ? "held_out (none)" : "outcome years " + counts.getInt(2) + "-"
        + counts.getInt(3);
    boolean scorable = counts.getLong(1) > 0;
    for (String[] scorer : new String[][] {{"gbt", EmergenceScores.MODEL_SCORE},
        {"naive_growth", EmergenceScores.NAIVE_SCORE}, {"watchlist", EmergenceScores.WATCHLIST_SCORE}}) {
      double auc = scorable ? Scores.prAuc(test, scorer[1], EmergenceScores.QUALIFIES_NEXT) : Double.NaN;
      evaluation.add(measure(cfg, "pr_auc", scorer[0], heldOut, auc,
          counts.getLong(1) + " qualified the next year of " + counts.getLong(0) + " village-years"));
      if (!counts.isNullAt(2)) {
        for (int y = counts.getInt(2); y <= counts.getInt(3); y++) {
          Dataset<Row> one = test.where(col(EmergenceScores.OUTCOME_YEAR).equalTo(y));
          for (int k : cfg.precisionAt()) {
            evaluation.add(measure(cfg, "precision_at_" + k, scorer[0], "outcome year " + y,
                Scores.precisionAtK(one, scorer[1], EmergenceScores.QUALIFIES_NEXT, VillagePeriod.VILLAGE_CODE, k),
                null));
          }
        }
      }
    }
    evaluation.add(measure(cfg, "held_out_positive_rate", "all", heldOut, counts.getLong(0) == 0 ? Double.NaN
        : (double) counts.getLong(1) / counts.getLong(0), "PR-AUC of a random score"));
    test.unpersist();
  }

  static Row measure(TypologyConfig cfg, String measure, String subject, String against, double value,
      String detail) {
    return RowFactory.create(cfg.version(), measure, subject, against, Double.isNaN(value) ? null : value, detail);
  }

  /** Replaces the table in one commit, as the stage {@code table} (its line logs the rows and seconds). */
  private static long write(Warehouse wh, Dataset<Row> data, String table, StructType schema, RunContext run) {
    return StageMetrics.of(wh.spark()).stage(table, () -> wh.writeRun(data, table, schema, List.of(), null, run));
  }

  /** Saves {@code model} as {@code <root>/<name>} (MLlib persistence) and adds the name to {@code saved}. */
  private static void save(PipelineModel model, String root, String name, List<String> saved) {
    String path = root + "/" + name;
    try {
      model.write().overwrite().save(path);
      saved.add(name);
    } catch (IOException e) {
      throw new UserError("typology: cannot save the model to " + path + ": " + e.getMessage());
    }
  }
}
