package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.ActiveSeller;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.StageMetrics;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.AggregateRuns;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * {@code aggregate}: accepted orders to the seller-month rollup, village months and village periods, for the
 * months that need it (see {@link Range}); every table replaces exactly the months or periods recomputed
 * ({@code replaceWhere}), so a period that became empty leaves no stale rows. Dimensions are read as they were on
 * the run date, each fact with the version in force on its day ({@link DimensionColumns#timeline}): an order with
 * its account's version on the day it was placed, a period with the registry's version at its end. So a new
 * version, which is in force from its run date on, changes only the months from its run date's month, which a
 * daily run recomputes anyway. Records what it did in {@link AggregateRuns}, which {@code detect} follows.
 */
public final class AggregateJob {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(AggregateJob.class);

  private AggregateJob() {}

  /**
   * What a run recomputed, the rows it wrote, and the rows it read from storage per step (Spark's input
   * metrics: {@link StageMetrics.Steps}).
   */
  public record Outcome(Range range, long sellerMonthRows, long villageMonthRows, long villagePeriodRows,
      Map<String, Long> rowsRead) {}

  /**
   * The months a run recomputes: {@code first} to the run date's month. {@code touched} are the order months of
   * the orders stored since the previous aggregate run.
   */
  public record Range(YearMonth first, YearMonth last, boolean full, String reason, List<String> touched) {}

  public static Outcome run(Warehouse warehouse, MetricsConfig metrics, List<ActiveSeller> definitions,
      RunContext run, boolean full) {
    StageMetrics.Steps read = StageMetrics.of(warehouse.spark()).steps();
    Outcome outcome = run(warehouse, metrics, definitions, run, full, read);
    Map<String, Long> rowsRead = read.rowsIn();
    return new Outcome(outcome.range(), outcome.sellerMonthRows(), outcome.villageMonthRows(),
        outcome.villagePeriodRows(), rowsRead);
  }

  private static Outcome run(Warehouse warehouse, MetricsConfig metrics, List<ActiveSeller> definitions,
      RunContext run, boolean full, StageMetrics.Steps read) {
    LocalDate day = run.runDate();
    Dataset<Row> transactions = warehouse.read(Transactions.NAME, "ingest");
    Dataset<Row> accounts = DimensionColumns.timeline(warehouse.read(SellerAccounts.NAME, "ingest"),
        SellerAccounts.SELLER_ID, day);
    Dataset<Row> registry = DimensionColumns.timeline(warehouse.read(VillageRegistry.NAME, "ingest"),
        VillageRegistry.VILLAGE_CODE, day);
    // Each step's rows and seconds are logged by StageMetrics (stage <command>/aggregate/<step>).
    Range range = read.run("range", () -> range(warehouse, transactions, day, full));
    LOG.info("months {} to {}: {}", range.first(), range.last(), range.reason());
    YearMonth first = range.first();
    YearMonth last = range.last();
    java.sql.Date runDate = java.sql.Date.valueOf(day);

    long sm = read.run(SellerMonth.NAME, () -> {
      Dataset<Row> sellerMonths = SellerMonths.compute(monthsOf(transactions, first, last), accounts, day);
      return warehouse.writeRun(sellerMonths, SellerMonth.NAME, SellerMonth.SCHEMA, List.of(SellerMonth.MONTH),
          between(SellerMonth.MONTH, first.atDay(1), last.atDay(1)), run);
    });

    YearMonth inputStart = first.minusMonths(12);
    // Read by village months (two branches) and village periods (four): from storage once, kept until the last
    // write's action has run.
    Dataset<Row> rollup = warehouse.read(SellerMonth.NAME, "aggregate").where(col(SellerMonth.MONTH)
        .between(Months.sqlFirstDay(inputStart), Months.sqlFirstDay(last))).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long vm = read.run(VillageMonth.NAME, () -> {
        Dataset<Row> villageMonths = VillageMonths.compute(rollup, monthsOf(transactions, first, last), accounts,
            registry, metrics, first, last, day);
        return warehouse.writeRun(villageMonths, VillageMonth.NAME, VillageMonth.SCHEMA,
            List.of(VillageMonth.YEAR), between(VillageMonth.MONTH, first.atDay(1), last.atDay(1)), run);
      });
      long vp = read.run(VillagePeriod.NAME, () -> {
        Dataset<Row> periods = VillagePeriods.compute(rollup, registry, definitions, metrics, first, last, day);
        return warehouse.writeRun(periods, VillagePeriod.NAME, VillagePeriod.SCHEMA,
            VillagePeriod.PARTITIONED_BY, periodPredicate(first, last), run);
      });
      Row record = RowFactory.create(run.runId(), runDate, Months.sqlFirstDay(first), Months.sqlFirstDay(last),
          range.full(), range.reason(), range.touched(), sm, vm, vp);
      warehouse.replaceWhere(warehouse.spark().createDataFrame(List.of(record), AggregateRuns.SCHEMA),
          AggregateRuns.NAME, AggregateRuns.SCHEMA, List.of(), RunColumns.RUN_DATE + " = DATE'" + day + "'");
      return new Outcome(range, sm, vm, vp, Map.of());
    } finally {
      rollup.unpersist();
    }
  }

  /**
   * The village-period rows a run over {@code first..last} owns: the trailing 12 months ending in those months,
   * and the calendar years they fall in.
   */
  public static String periodPredicate(YearMonth first, YearMonth last) {
    return "(" + VillagePeriod.PERIOD + " = '" + VillagePeriod.T12M_PERIOD + "' AND "
        + between(VillagePeriod.PERIOD_END, first.atEndOfMonth(), last.atEndOfMonth()) + ") OR ("
        + VillagePeriod.PERIOD + " = '" + VillagePeriod.YEAR_PERIOD + "' AND " + VillagePeriod.YEAR + " >= "
        + first.getYear() + " AND " + VillagePeriod.YEAR + " <= " + last.getYear() + ")";
  }

  /** Why {@code table} must be recomputed whole, when it lacks {@code column}; else null. */
  private static String writtenByAnEarlierVersion(Warehouse warehouse, String table, String column) {
    return java.util.Arrays.asList(warehouse.read(table, "aggregate").columns()).contains(column) ? null
        : table + " written by an earlier version (no " + column + " column)";
  }

  /** The orders of months {@code first..last}, read through the table's month partitions. */
  private static Dataset<Row> monthsOf(Dataset<Row> transactions, YearMonth first, YearMonth last) {
    return transactions.where(col(Transactions.ORDER_MONTH).between(first.toString(), last.toString()));
  }

  /** {@code from <= column <= to} (written out: Delta cannot prune partitions by BETWEEN in replaceWhere). */
  private static String between(String column, LocalDate from, LocalDate to) {
    return column + " >= DATE'" + from + "' AND " + column + " <= DATE'" + to + "'";
  }

  /**
   * Which months to recompute. Everything on the first run, with {@code --full}, when no run before this run date
   * is recorded, or when {@code seller_month} was written by a version that did not place seller-months in
   * villages or {@code village_month} by one without the category rollup. Otherwise from the earliest of: the
   * order months of the orders stored by run dates after the previous run (up to this one), the previous run's
   * month unless that run was on its last day (its completeness has changed) and the run date's month; to the run
   * date's month. A dimension version brought since the previous run is in force from its run date, so it changes
   * only months after the previous run date: those are recomputed anyway. So the first run of a month leaves the
   * month before alone when the run before saw it whole.
   */
  static Range range(Warehouse warehouse, Dataset<Row> transactions, LocalDate day, boolean full) {
    YearMonth last = YearMonth.from(day);
    java.sql.Date runDate = java.sql.Date.valueOf(day);
    String why = full ? "--full" : null;
    java.sql.Date previous = null;
    if (why == null && !(warehouse.exists(AggregateRuns.NAME) && warehouse.exists(SellerMonth.NAME)
        && warehouse.exists(VillagePeriod.NAME) && warehouse.exists(VillageMonth.NAME))) {
      why = "first run";
    }
    if (why == null) {
      why = writtenByAnEarlierVersion(warehouse, SellerMonth.NAME, SellerMonth.VILLAGE_CODE);
    }
    if (why == null) {
      why = writtenByAnEarlierVersion(warehouse, VillageMonth.NAME, VillageMonth.CATEGORY_ORDERS);
    }
    if (why == null) {
      Row p = warehouse.read(AggregateRuns.NAME, "aggregate").where(col(RunColumns.RUN_DATE).lt(runDate))
          .agg(max(col(RunColumns.RUN_DATE))).first();
      previous = p.isNullAt(0) ? null : p.getDate(0);
      why = previous == null ? "no aggregate run before this run date" : null;
    }
    if (why != null) {
      // Every month from the earliest order month (a partition value: from the file list) to the run date's.
      String earliest = Warehouse.earliestPartitionValue(transactions, Transactions.ORDER_MONTH);
      YearMonth first = earliest == null ? last : YearMonth.parse(earliest);
      return new Range(first.isAfter(last) ? last : first, last, true, why, List.of());
    }
    List<String> touched = new ArrayList<>();
    // Orders stored since the previous run; the run dates of a table's files are in Delta's file statistics, so
    // this reads only the files those runs wrote. Distinct order months: at most a few hundred rows.
    transactions.where(col(RunColumns.RUN_DATE).gt(previous).and(col(RunColumns.RUN_DATE).leq(runDate)))
        .select(Transactions.ORDER_MONTH).distinct().collectAsList().forEach(r -> touched.add(r.getString(0)));
    touched.sort(null);
    TreeSet<YearMonth> months = new TreeSet<>();
    months.add(last);
    LocalDate before = previous.toLocalDate();
    if (!before.equals(YearMonth.from(before).atEndOfMonth())) {
      // The previous run saw its month part way; on the month's last day it saw it whole.
      months.add(YearMonth.from(before));
    }
    touched.forEach(m -> months.add(YearMonth.parse(m)));
    return new Range(months.first(), last, false, "orders stored by run dates after " + previous + " (up to "
        + day + ")", touched);
  }
}
