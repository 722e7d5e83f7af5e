package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.ClusterRule;
import org.taobaovillages.config.CountyRule;
import org.taobaovillages.config.DetectConfig;
import org.taobaovillages.config.RuleSets;
import org.taobaovillages.config.TownRule;
import org.taobaovillages.config.VillageRule;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.StageMetrics;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.AggregateRuns;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.CountyStatus;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.HotSpots;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.UnitMembers;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.Watchlist;
import org.taobaovillages.village.AggregateJob;
import org.taobaovillages.village.Months;

/**
 * {@code detect}: the selected rules over the periods that this run date's {@code aggregate} recomputed (read from
 * {@link AggregateRuns}): village status history per year and per trailing 12 months, Taobao Towns, super-sized
 * counties and clusters per year, the watchlist at each month-end, and the emerging hot spot analysis over the
 * complete years. Each table replaces exactly the selected rules' rows of those periods ({@code replaceWhere}),
 * so rule sets never overwrite each other and a re-run gives the same tables.
 */
public final class DetectJob {
  private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(DetectJob.class);

  private DetectJob() {}

  /** What a run did: the months covered, the rows written per table, the rows read from storage per table. */
  public record Outcome(YearMonth first, YearMonth last, Map<String, Long> rows, Map<String, Long> rowsRead,
      List<String> notes) {}

  public static Outcome run(Warehouse warehouse, RuleSets rules, DetectConfig cfg, RunContext run) {
    LocalDate day = run.runDate();
    Row recorded = warehouse.exists(AggregateRuns.NAME) ? warehouse.read(AggregateRuns.NAME, "aggregate")
        .where(col(RunColumns.RUN_DATE).equalTo(lit(java.sql.Date.valueOf(day)))).first() : null;
    if (recorded == null) {
      throw new UserError("no aggregate run for run date " + day + " in warehouse " + warehouse.root()
          + ": run 'aggregate' for this run date first");
    }
    YearMonth first = YearMonth.from(recorded.getDate(recorded.fieldIndex(AggregateRuns.FIRST_MONTH)).toLocalDate());
    YearMonth last = YearMonth.from(recorded.getDate(recorded.fieldIndex(AggregateRuns.LAST_MONTH)).toLocalDate());
    Dataset<Row> registry = warehouse.read(VillageRegistry.NAME, "ingest");
    // Read once for all rules (each rule and kind of period uses its slice).
    Dataset<Row> periods = warehouse.read(VillagePeriod.NAME, "aggregate")
        .where(expr(AggregateJob.periodPredicate(first, last))).persist(StorageLevel.MEMORY_AND_DISK());
    StageMetrics.Steps read = StageMetrics.of(warehouse.spark()).steps();
    Outcome outcome;
    try {
      outcome = detect(warehouse, rules, cfg, run, first, last, registry, periods, read);
    } finally {
      periods.unpersist();
    }
    Map<String, Long> rowsRead = read.rowsIn();
    LOG.info("rows read per table written: {}", rowsRead);
    return new Outcome(first, last, outcome.rows(), rowsRead, outcome.notes());
  }

  private static Outcome detect(Warehouse warehouse, RuleSets rules, DetectConfig cfg, RunContext run,
      YearMonth first, YearMonth last, Dataset<Row> registry, Dataset<Row> periods, StageMetrics.Steps read) {
    LocalDate day = run.runDate();
    Map<String, Long> rows = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> villageIds = rules.villageRules().stream().map(VillageRule::id).toList();
    String inRules = VillageStatus.RULE_ID + " IN (" + quoted(villageIds) + ")";
    String years = VillagePeriod.YEAR + " >= " + first.getYear() + " AND " + VillagePeriod.YEAR + " <= " + last.getYear();

    // Village status history.
    List<Dataset<Row>> statuses = new ArrayList<>();
    for (VillageRule rule : rules.villageRules()) {
      statuses.add(villageStatus(warehouse, periods, rule, first, last, day));
    }
    writeRun(warehouse, statuses.stream().reduce(Dataset::unionByName).orElseThrow(), VillageStatus.NAME,
        VillageStatus.SCHEMA, VillageStatus.PARTITIONED_BY,
        inRules + " AND (" + AggregateJob.periodPredicate(first, last) + ")", run, rows, read);
    Dataset<Row> stored = warehouse.read(VillageStatus.NAME, "detect").where(expr(inRules));
    // Each year's villages in the township, county and place of that year's registry version.
    Dataset<Row> storedYears = Units.placed(stored.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)
        .and(expr(years))), DimensionColumns.timeline(registry, VillageRegistry.VILLAGE_CODE, day), day)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Function<String, Dataset<Row>> yearStatus = rule -> storedYears.where(col(VillageStatus.RULE_ID).equalTo(rule));

    // Towns, counties and clusters per year.
    List<Unit> towns = rules.townRules().stream().map(rule -> {
      Dataset<Row> villages = yearStatus.apply(rule.villageRule());
      Dataset<Row> t = Units.towns(villages, rule);
      return new Unit(t, Units.members(t, qualifying(villages), VillageRegistry.TOWN_CODE, rule.id(),
          rule.version()));
    }).toList();
    writeUnits(warehouse, towns, TownStatus.NAME, TownStatus.SCHEMA, UnitMembers.TOWNS,
        ids(rules.townRules().stream().map(TownRule::id).toList()), years, run, rows, read);
    List<Unit> counties = rules.countyRules().stream().map(rule -> {
      Dataset<Row> villages = yearStatus.apply(rule.villageRule());
      Dataset<Row> c = Units.counties(villages, rule);
      return new Unit(c, Units.members(c, qualifying(villages), VillageRegistry.COUNTY_CODE, rule.id(),
          rule.version()));
    }).toList();
    writeUnits(warehouse, counties, CountyStatus.NAME, CountyStatus.SCHEMA, UnitMembers.COUNTIES,
        ids(rules.countyRules().stream().map(CountyRule::id).toList()), years, run, rows, read);
    List<Unit> clusters = rules.clusterRules().stream().map(rule -> {
      Dataset<Row> components = Clusters.components(yearStatus.apply(rule.villageRule()), rule.distanceKm());
      Dataset<Row> c = Clusters.clusters(components, rule);
      return new Unit(c, Units.members(c.withColumn(VillageStatus.QUALIFIES, lit(true)), components,
          Clusters.CLUSTER_COLUMN, rule.id(), rule.version()));
    }).toList();
    writeUnits(warehouse, clusters, ClusterStatus.NAME, ClusterStatus.SCHEMA, UnitMembers.CLUSTERS,
        ids(rules.clusterRules().stream().map(ClusterRule::id).toList()), years, run, rows, read);

    // The watchlist at each month-end.
    var w = cfg.watchlist();
    if (rules.villages().containsKey(w.rule())) {
      VillageRule rule = rules.village(w.rule());
      Dataset<Row> t12m = stored.where(col(VillageStatus.RULE_ID).equalTo(rule.id())
          .and(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD)).and(expr(years))
          .and(col(VillagePeriod.PERIOD_END).between(Months.sqlLastDay(first), Months.sqlLastDay(last))));
      Dataset<Row> past = warehouse.read(VillagePeriod.NAME, "aggregate")
          .where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD)
              .and(col(VillagePeriod.ACTIVE_DEFINITION).equalTo(rule.activeSeller().describe()))
              .and(col(VillagePeriod.YEAR).between(first.minusMonths(w.growthMonths()).getYear(),
                  last.minusMonths(w.growthMonths()).getYear()))
              .and(col(VillagePeriod.PERIOD_END).between(Months.sqlLastDay(first.minusMonths(w.growthMonths())),
                  Months.sqlLastDay(last.minusMonths(w.growthMonths())))));
      writeRun(warehouse, Watchlists.build(t12m, past, rule, w), Watchlist.NAME, Watchlist.SCHEMA,
          List.of(VillageStatus.RULE_ID, VillagePeriod.YEAR), VillageStatus.RULE_ID + " = '" + rule.id() + "' AND "
              + Watchlist.AS_OF + " >= DATE'" + first.atEndOfMonth() + "' AND " + Watchlist.AS_OF + " <= DATE'"
              + last.atEndOfMonth() + "'",
          run, rows, read);
    } else {
      notes.add("watchlist skipped: its rule " + w.rule() + " is not among the rules run");
    }

    // Emerging hot spots over the complete calendar years.
    var h = cfg.hotSpots();
    int lastComplete = day.getMonthValue() == 12 && day.getDayOfMonth() == 31 ? day.getYear() : day.getYear() - 1;
    List<Integer> hotYears = new ArrayList<>();
    for (int y = first.getYear(); y <= Math.min(last.getYear(), lastComplete); y++) {
      hotYears.add(y);
    }
    if (!rules.villages().containsKey(h.rule())) {
      notes.add("hot spots skipped: their rule " + h.rule() + " is not among the rules run");
    } else if (hotYears.isEmpty()) {
      notes.add("hot spots: no complete year recomputed (the last complete year is " + lastComplete + ")");
    } else {
      VillageRule rule = rules.village(h.rule());
      Dataset<Row> values = warehouse.read(VillagePeriod.NAME, "aggregate")
          .where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)
              .and(col(VillagePeriod.ACTIVE_DEFINITION).equalTo(rule.activeSeller().describe()))
              .and(col(VillagePeriod.YEAR).isin(hotYears.toArray())))
          .select(col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.YEAR),
              col(h.metric()).cast(SellerMonth.MONEY).as(HotSpots.VALUE))
          .where(col(HotSpots.VALUE).notEqual(0));
      // The space-time cube keeps its locations fixed: every year's villages at their points of the run date.
      Dataset<Row> places = DimensionColumns.asOf(registry, day);
      Dataset<Row> pairs = HotSpotAnalysis.pairs(places, h).persist(StorageLevel.MEMORY_AND_DISK());
      // A warehouse written before value became DECIMAL holds it as DOUBLE: its years are cast once.
      if (warehouse.retype(HotSpots.YEARS, HotSpots.YEARS_SCHEMA, List.of(VillagePeriod.YEAR))) {
        notes.add(HotSpots.YEARS + ": stored value cast from DOUBLE to DECIMAL");
      }
      String analysis = HotSpots.VERSION + " = '" + h.version() + "' AND " + HotSpots.METRIC + " = '" + h.metric()
          + "'";
      writeRun(warehouse, HotSpotAnalysis.years(HotSpotAnalysis.locations(places, pairs), values, pairs, hotYears, h),
          HotSpots.YEARS, HotSpots.YEARS_SCHEMA, List.of(VillagePeriod.YEAR), analysis + " AND "
              + VillagePeriod.YEAR + " >= " + hotYears.get(0) + " AND " + VillagePeriod.YEAR + " <= "
              + hotYears.get(hotYears.size() - 1),
          run, rows, read);
      writeRun(warehouse, HotSpotAnalysis.classify(warehouse.read(HotSpots.YEARS, "detect").where(expr(analysis)), h),
          HotSpots.NAME, HotSpots.SCHEMA, List.of(), analysis, run, rows, read);
      pairs.unpersist();
    }
    storedYears.unpersist();
    return new Outcome(first, last, rows, Map.of(), notes);
  }

  /** One village rule's status rows for the years and month-ends of {@code first..last}. */
  static Dataset<Row> villageStatus(Warehouse warehouse, Dataset<Row> periods, VillageRule rule, YearMonth first,
      YearMonth last, LocalDate day) {
    Dataset<Row> own = periods.where(col(VillagePeriod.ACTIVE_DEFINITION).equalTo(rule.activeSeller().describe()));
    Dataset<Row> before = warehouse.exists(VillageStatus.NAME)
        ? warehouse.read(VillageStatus.NAME, "detect").where(col(VillageStatus.RULE_ID).equalTo(rule.id()))
        : warehouse.spark().createDataFrame(List.of(), VillageStatus.SCHEMA);
    List<LocalDate> monthEnds = new ArrayList<>();
    for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      monthEnds.add(m.atEndOfMonth());
    }
    List<LocalDate> yearEnds = new ArrayList<>();
    for (int y = first.getYear(); y <= last.getYear(); y++) {
      yearEnds.add(LocalDate.of(y, 12, 31));
    }
    Dataset<Row> t12m = StatusHistory.apply(own.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD)),
        before.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD)
            .and(col(VillagePeriod.YEAR).equalTo(first.minusMonths(1).getYear())) // partition pruning
            .and(col(VillagePeriod.PERIOD_END).equalTo(Months.sqlLastDay(first.minusMonths(1))))),
        monthEnds, rule, VillagePeriod.T12M_PERIOD, day);
    Dataset<Row> years = StatusHistory.apply(own.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)),
        before.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD)
            .and(col(VillagePeriod.YEAR).equalTo(first.getYear() - 1))),
        yearEnds, rule, VillagePeriod.YEAR_PERIOD, day);
    return t12m.unionByName(years)
        .withColumn(VillageStatus.RULE_ID, lit(rule.id()))
        .withColumn(VillageStatus.RULE_VERSION, lit(rule.version()))
        .withColumn(VillageStatus.RULE_KIND, lit(rule.kind()))
        .withColumn(VillageStatus.RULE_TEXT, lit(rule.describe()));
  }

  /** A higher-level unit rule's rows and the member villages of its qualifying units. */
  private record Unit(Dataset<Row> status, Dataset<Row> members) {}

  /** The qualifying villages of placed yearly status rows. */
  private static Dataset<Row> qualifying(Dataset<Row> yearStatus) {
    return yearStatus.where(col(VillageStatus.QUALIFIES));
  }

  private static void writeUnits(Warehouse warehouse, List<Unit> units, String table, StructType schema,
      String membersTable, String inRules, String years, RunContext run, Map<String, Long> rows,
      StageMetrics.Steps read) {
    if (units.isEmpty()) {
      return;
    }
    String predicate = VillageStatus.RULE_ID + " IN (" + inRules + ") AND " + years;
    writeRun(warehouse, units.stream().map(Unit::status).reduce(Dataset::unionByName).orElseThrow(), table, schema,
        List.of(VillageStatus.RULE_ID, VillagePeriod.YEAR), predicate, run, rows, read);
    writeRun(warehouse, units.stream().map(Unit::members).reduce(Dataset::unionByName).orElseThrow(), membersTable,
        UnitMembers.SCHEMA,
        List.of(VillageStatus.RULE_ID, VillagePeriod.YEAR), predicate, run, rows, read);
  }

  /** Replaces the rows of {@code predicate} with {@code data} plus lineage as the step {@code table}; records its rows. */
  private static void writeRun(Warehouse warehouse, Dataset<Row> data, String table,
      StructType schema, List<String> partitionBy, String predicate, RunContext run,
      Map<String, Long> rows, StageMetrics.Steps read) {
    rows.put(table, read.run(table, () -> warehouse.writeRun(data, table, schema, partitionBy, predicate, run)));
  }

  private static String ids(List<String> ids) {
    return quoted(ids);
  }

  private static String quoted(List<String> ids) {
    return String.join(", ", ids.stream().map(id -> "'" + id + "'").toList());
  }
}
