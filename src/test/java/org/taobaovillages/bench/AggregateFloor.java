package org.taobaovillages.bench;

import java.io.File;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.config.ActiveSeller;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.MetricsConfig;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillagePeriod;

/**
 * The Spark floor of {@code aggregate --full} (issue 33): the plainest Spark job that computes the same three tables
 * from the same warehouse, in Spark SQL, timed by {@code jobs/bench.sh} beside ours and checked against it
 * ({@link FloorCheck}). Same definitions as ours (docs/data-model.md, {@code village.AggregateJob}): sales are
 * orders paid, shipped or completed up to the run date; an order counts to the village and household of its
 * account's version in force on its China calendar day (the first version of an account also before it); a period's
 * households are the registry's version in force at its end (or on the run date); a seller is active in a period
 * under a definition by its orders and sales there, in each village on what it sold there, with the household of its
 * latest month; a shop is new in a month when it was not active in the 12 before, closed 12 months after its last
 * active month; the category index is the plain sum of squared shares (doubles, compared with SameTables' tolerance).
 *
 * <p>Plain where ours is clever: every seller-month is repeated for the 12 trailing windows it falls in (ours
 * counts changes at the months where a seller's activity changes), and each table is written once as a new table
 * (ours replaces the months it recomputes). Left out: the run record ({@code aggregate_runs}), the incremental range
 * (this is {@code --full}) and the lineage columns.
 *
 * <p>{@code main(warehouse, floorWarehouse, runDate, conf)} reads {@code transactions}, {@code seller_accounts} and
 * {@code village_registry} from {@code warehouse} and writes the three tables under {@code floorWarehouse}.
 */
public final class AggregateFloor {
  private AggregateFloor() {}

  public static void main(String[] args) {
    String warehouse = args[0];
    String floor = args[1];
    LocalDate runDate = LocalDate.parse(args[2]);
    AppConfig config = AppConfig.load(args.length > 3 ? new File(args[3]) : null);
    MetricsConfig metrics = config.metrics();
    List<ActiveSeller> definitions = config.rules().select(config.detect().rules()).activeSellerDefinitions();
    SparkSession spark = Sessions.getOrCreate("aggregate floor", config.localMaster(), config.localShufflePartitions());
    for (String table : List.of("transactions", "seller_accounts", "village_registry")) {
      spark.read().format("delta").load(warehouse + "/" + table).createOrReplaceTempView(table);
    }
    spark.createDataFrame(definitions.stream().map(d -> RowFactory.create(d.describe(), d.minPaidOrders(),
        d.minSalesRmb())).toList(), StructType.fromDDL("text STRING, min_orders LONG, min_sales DECIMAL(28,2)"))
        .createOrReplaceTempView("definitions");
    String run = "DATE'" + runDate + "'";
    String runMonth = "DATE'" + runDate.withDayOfMonth(1) + "'";
    String taobao = metrics.taobaoPlatforms().stream().map(p -> "coalesce(try_element_at(platform_sales_rmb, '" + p
        + "'), 0)").collect(Collectors.joining(" + "));

    // Versions with the days each is in force, as the run date knows them.
    view(spark, "accounts", versions("seller_accounts", "seller_id", "village_code, household_id, valid_from", run));
    view(spark, "villages", versions("village_registry", "village_code", "households", run));
    spark.sql("""
        CACHE TABLE sales AS
        SELECT t.seller_id, trunc(to_date(t.order_ts), 'MM') AS month, t.platform, t.amount_rmb, t.category,
          a.village_code, a.household_id, a.valid_from
        FROM transactions t JOIN accounts a ON t.seller_id = a.seller_id AND %s
        WHERE t.order_status IN ('paid', 'shipped', 'completed') AND t.order_ts < TIMESTAMP'%s 00:00:00'
        """.formatted(inForce("a", "to_date(t.order_ts)"), runDate.plusDays(1)));
    write(spark.sql("""
        SELECT seller_id, month, village_code, max_by(household_id, valid_from) AS household_id, sum(orders) AS orders,
          sum(sales) AS sales_rmb, map_from_entries(collect_list(struct(platform, sales))) AS platform_sales_rmb
        FROM (SELECT seller_id, month, village_code, platform, max_by(household_id, valid_from) AS household_id,
            max(valid_from) AS valid_from, count(*) AS orders, sum(amount_rmb) AS sales
          FROM sales GROUP BY seller_id, month, village_code, platform)
        GROUP BY seller_id, month, village_code"""), SellerMonth.SCHEMA, floor, "seller_month", "month");
    view(spark, "seller_month", "SELECT * FROM delta.`" + floor + "/seller_month`");
    view(spark, "platform_months", "SELECT village_code, month, platform, count(*) AS orders, sum(amount_rmb) AS sales "
        + "FROM sales GROUP BY village_code, month, platform");

    // A shop is new when not active in the 12 months before, closed 12 months after its last active month.
    view(spark, "active", """
        SELECT village_code, household_id, month, months_between(month, lag(month) OVER w) AS since_before,
          months_between(lead(month) OVER w, month) AS until_after
        FROM seller_month WHERE orders >= %d AND sales_rmb >= %s
        WINDOW w AS (PARTITION BY seller_id, village_code ORDER BY month)""".formatted(metrics.minPaidOrders(),
        metrics.minSalesRmb().toPlainString()));
    write(spark.sql("""
        WITH shops AS (SELECT village_code, month, count(*) AS active_sellers,
            count_if(coalesce(since_before > 12, true)) AS new_shops,
            count(DISTINCT household_id) AS active_households
          FROM active GROUP BY village_code, month),
        closed AS (SELECT village_code, add_months(month, 12) AS month, count(*) AS closed_shops FROM active
          WHERE coalesce(until_after > 12, true) AND add_months(month, 12) <= %s GROUP BY 1, 2),
        categories AS (SELECT village_code, month, coalesce(category, '') AS category, sum(amount_rmb) AS sales,
            count(*) AS orders, sum(sum(amount_rmb)) OVER (PARTITION BY village_code, month) AS village_sales
          FROM sales GROUP BY village_code, month, coalesce(category, '')),
        hhi AS (SELECT village_code, month, sum(CASE WHEN village_sales > 0
            THEN pow(CAST(sales AS DOUBLE) / CAST(village_sales AS DOUBLE), 2) END) AS category_hhi,
            map_from_entries(collect_list(struct(category, orders))) AS category_orders
          FROM categories GROUP BY village_code, month),
        medians AS (SELECT village_code, month, median(CAST(amount_rmb AS DOUBLE)) AS median_order_rmb
          FROM sales GROUP BY village_code, month)
        SELECT m.village_code, m.month, year(m.month) AS year, coalesce(active_sellers, 0) AS active_sellers,
          coalesce(new_shops, 0) AS new_shops, coalesce(closed_shops, 0) AS closed_shops,
          coalesce(orders, 0) AS orders, coalesce(sales_rmb, 0) AS sales_rmb,
          coalesce(platform_sales_rmb, map()) AS platform_sales_rmb,
          CASE WHEN sales_rmb > 0 THEN CAST(%s AS DOUBLE) / CAST(sales_rmb AS DOUBLE) END AS taobao_share,
          v.households, coalesce(active_households, 0) AS active_households,
          CASE WHEN v.households > 0 THEN coalesce(active_households, 0) / v.households END AS household_share,
          category_hhi, coalesce(category_orders, map()) AS category_orders,
          median_order_rmb, '%s' AS active_definition, last_day(m.month) <= %s AS month_complete
        FROM (SELECT * FROM (%s) s FULL JOIN shops USING (village_code, month)
          FULL JOIN closed USING (village_code, month) LEFT JOIN hhi USING (village_code, month) LEFT JOIN medians USING (village_code, month)) m
        LEFT JOIN villages v ON v.village_code = m.village_code AND %s
        """.formatted(runMonth, taobao, metrics.activeDefinition(), run, totals("platform_months",
            "village_code, month"), inForce("v", "least(last_day(m.month), " + run + ")"))),
        VillageMonth.SCHEMA, floor, "village_month", "year");

    // Each seller-month and village-platform-month in every period it counts to: its calendar year, and the
    // trailing 12 months ending in its month and in each of the 11 after (up to the run date's month).
    view(spark, "seller_periods", periods("seller_month", runMonth));
    view(spark, "activity", """
        SELECT village_code, period, period_end, text AS active_definition,
          count_if(orders >= min_orders AND sales >= min_sales) AS active_sellers,
          count(DISTINCT CASE WHEN orders >= min_orders AND sales >= min_sales THEN household_id END)
            AS active_households
        FROM (SELECT village_code, period, period_end, seller_id, sum(orders) AS orders, sum(sales_rmb) AS sales,
            max_by(household_id, month) AS household_id FROM seller_periods GROUP BY 1, 2, 3, 4)
        CROSS JOIN definitions GROUP BY 1, 2, 3, 4""");
    write(spark.sql("""
        SELECT p.village_code, p.period, p.period_end, year(p.period_end) AS year, d.text AS active_definition,
          coalesce(active_sellers, 0) AS active_sellers, coalesce(active_households, 0) AS active_households,
          v.households, CASE WHEN v.households > 0 THEN coalesce(active_households, 0) / v.households END
            AS household_share, orders, sales_rmb, platform_sales_rmb,
          CASE WHEN sales_rmb > 0 THEN CAST(%s AS DOUBLE) / CAST(sales_rmb AS DOUBLE) END AS taobao_share,
          p.period_end <= %s AS period_complete
        FROM (%s) p CROSS JOIN definitions d
        LEFT JOIN activity a ON a.village_code = p.village_code AND a.period = p.period
          AND a.period_end = p.period_end AND a.active_definition = d.text
        LEFT JOIN villages v ON v.village_code = p.village_code AND %s
        """.formatted(taobao, run, totals(periods("platform_months", runMonth), "village_code, period, period_end"),
            inForce("v", "least(p.period_end, " + run + ")"))), VillagePeriod.SCHEMA, floor, "village_period",
        "period", "year", "period_end");
    spark.stop();
  }

  /** A dimension's versions brought up to the run date, with the days each is in force (null: unbounded). */
  private static String versions(String table, String key, String columns, String run) {
    return """
        SELECT %2$s, %3$s,
          CASE WHEN valid_from > min(valid_from) OVER (PARTITION BY %2$s) THEN valid_from END AS from_day,
          CASE WHEN valid_to <= %4$s THEN valid_to END AS to_day
        FROM %1$s WHERE valid_from <= %4$s""".formatted(table, key, columns, run);
  }

  private static String inForce(String versions, String day) {
    return "(%1$s.from_day IS NULL OR %2$s >= %1$s.from_day) AND (%1$s.to_day IS NULL OR %2$s < %1$s.to_day)"
        .formatted(versions, day);
  }

  /** Rows of {@code view} (with a {@code month}) in their year and in the 12 trailing windows that hold them. */
  private static String periods(String view, String runMonth) {
    return """
        SELECT r.*, 'year' AS period, make_date(year(month), 12, 31) AS period_end FROM %1$s r
        UNION ALL
        SELECT r.*, 't12m' AS period, last_day(add_months(month, k)) AS period_end
        FROM %1$s r LATERAL VIEW explode(sequence(0, 11)) AS k WHERE add_months(month, k) <= %2$s
        """.formatted(view, runMonth);
  }

  /** Orders, sales and sales per platform by {@code keys}, from rows of keys, platform, orders and sales. */
  private static String totals(String rows, String keys) {
    return """
        SELECT %2$s, sum(orders) AS orders, sum(sales) AS sales_rmb,
          map_from_entries(collect_list(struct(platform, CAST(sales AS DECIMAL(28,2))))) AS platform_sales_rmb
        FROM (SELECT %2$s, platform, sum(orders) AS orders, sum(sales) AS sales FROM (%1$s) GROUP BY %2$s, platform)
        GROUP BY %2$s""".formatted(rows, keys);
  }

  private static void view(SparkSession spark, String name, String sql) {
    spark.sql(sql).createOrReplaceTempView(name);
  }

  /**
   * Writes {@code rows} in the table's columns and types (lineage left out), partitioned as ours, one file per
   * partition.
   */
  private static void write(Dataset<Row> rows, StructType schema, String floor, String table, String... partitions) {
    List<String> columns = List.of(schema.fieldNames()).subList(0, schema.size() - 2);
    rows.selectExpr(columns.stream().map(c -> "CAST(`%s` AS %s) AS `%1$s`".formatted(c, schema.apply(c).dataType()
            .sql())).toArray(String[]::new))
        .repartition(java.util.Arrays.stream(partitions).map(functions::col).toArray(Column[]::new))
        .write().format("delta").partitionBy(partitions).save(floor + "/" + table);
  }
}
