package org.taobaovillages.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's reference answer to the village-year question (active sellers, sale orders and sales per
 * village and calendar year, China time, from the accepted orders), computed by embedded DuckDB straight from a
 * delivery's raw Parquet files, and compared with what the pipeline stored in {@code village_period}.
 *
 * <p>The acceptance rules are written here again in SQL from README "Row checks" and docs/data-model.md, not
 * taken from the code under test: ids not blank, a seller account whose village code has 12 digits and is in
 * the registry, known platform and status, a positive amount (unless refunded) up to RMB 1,000,000, a positive
 * quantity, an order time from 2003-05-10 to the end of the run date (China time), and of the rows that pass,
 * one per transaction id: the first by file path and values. A sale is an order paid, shipped or completed; an
 * active seller has at least one sale in the year.
 *
 * <p>{@code main(input, warehouse, runDate)} prints the DuckDB time (connection, query, result) and whether the
 * two answers are equal; exit code 1 when they differ. Run by {@code jobs/bench.sh}.
 */
public final class DuckDbVillageYears {
  /** One village-year. */
  public record Metrics(long activeSellers, long orders, BigDecimal salesRmb) {}

  static final String PLATFORMS = "'taobao', 'tmall', 'pinduoduo', 'jd', 'douyin', 'kuaishou', 'other'";
  static final String STATUSES = "'paid', 'shipped', 'completed', 'refunded', 'cancelled'";
  static final String SALE_STATUSES = "'paid', 'shipped', 'completed'";
  /** An order's time as China local time: UTC+8 in microseconds (no daylight saving since 1991). */
  static final String CHINA_TIME = "make_timestamp(epoch_us(order_ts) + 28800000000)";
  /** The default active-seller definition's label in village_period. */
  static final String DEFINITION = "paid orders >= 1 and sales_rmb >= 0";

  private DuckDbVillageYears() {}

  /** The village-year answer from the raw Parquet under {@code input} (the four file set directories). */
  public static Map<String, Metrics> fromRawParquet(Path input, LocalDate runDate) throws SQLException,
      java.io.IOException {
    String end = runDate.plusDays(1).toString();
    String sql = """
        WITH registry AS (
          SELECT DISTINCT village_code FROM read_parquet('%1$s/village_registry/**/*.parquet')
          WHERE regexp_full_match(village_code, '[0-9]{12}')),
        accounts AS (
          SELECT seller_id, village_code FROM read_parquet('%1$s/seller_accounts/**/*.parquet', filename = true)
          WHERE trim(seller_id) <> '' AND trim(household_id) <> '' AND platform IN (%2$s)
            AND village_code IN (SELECT village_code FROM registry)
          QUALIFY row_number() OVER (PARTITION BY seller_id ORDER BY filename, village_code NULLS FIRST,
            household_id NULLS FIRST, opened_date NULLS FIRST, platform NULLS FIRST, account_type NULLS FIRST,
            owner_origin NULLS FIRST) = 1),
        checked AS NOT MATERIALIZED (
          SELECT t.*, a.village_code FROM read_parquet('%1$s/transactions/**/*.parquet', filename = true) t
          JOIN accounts a ON t.seller_id = a.seller_id
          WHERE trim(t.transaction_id) <> '' AND t.platform IN (%2$s) AND t.order_status IN (%3$s)
            AND (t.amount_rmb > 0 OR t.order_status = 'refunded') AND t.amount_rmb <= 1000000 AND t.quantity > 0
            AND t.order_ts >= TIMESTAMPTZ '2003-05-10 00:00:00+08' AND t.order_ts < TIMESTAMPTZ '%5$s 00:00:00+08'),
        repeated AS (SELECT transaction_id FROM checked GROUP BY transaction_id HAVING count(*) > 1),
        -- The first row per transaction id by file and values: ids that occur once pass, the window sorts only the
        -- repeated ones (a window over every row does not fit in memory at 127 M rows).
        orders AS (
          SELECT * FROM checked WHERE transaction_id NOT IN (SELECT transaction_id FROM repeated)
          UNION ALL
          SELECT * FROM checked WHERE transaction_id IN (SELECT transaction_id FROM repeated)
          QUALIFY row_number() OVER (PARTITION BY transaction_id ORDER BY filename, seller_id NULLS FIRST,
            platform NULLS FIRST, order_ts NULLS FIRST, amount_rmb NULLS FIRST, quantity NULLS FIRST,
            category NULLS FIRST, order_status NULLS FIRST) = 1)
        SELECT village_code, year(%6$s) AS year,
          count(DISTINCT seller_id) AS active_sellers, count(*) AS orders, sum(amount_rmb) AS sales_rmb
        FROM orders WHERE order_status IN (%4$s)
        GROUP BY ALL
        """.formatted(input.toAbsolutePath(), PLATFORMS, STATUSES, SALE_STATUSES, end, CHINA_TIME);
    Map<String, Metrics> answer = new TreeMap<>();
    Path spill = java.nio.file.Files.createTempDirectory("duckdb-spill");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      // At 127 M order rows the rows per transaction id (127 M groups) can outgrow the default memory limit (80 %
      // of the machine): DuckDB spills to disk when it has a temporary directory, and need not keep the rows'
      // order here. The 127 M-row run that passed had both settings (not tried without them).
      s.execute("SET temp_directory = '" + spill + "'");
      s.execute("SET preserve_insertion_order = false");
      try (ResultSet r = s.executeQuery(sql)) {
        while (r.next()) {
          answer.put(r.getString(1) + "/" + r.getInt(2),
              new Metrics(r.getLong(3), r.getLong(4), r.getBigDecimal(5).setScale(2)));
        }
      }
    } finally {
      try (var files = java.nio.file.Files.walk(spill)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return answer;
  }

  /** The same question as the pipeline answered it: year rows of village_period with sales orders. */
  public static Map<String, Metrics> fromWarehouse(SparkSession spark, String warehouse) {
    Map<String, Metrics> answer = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(warehouse + "/village_period")
        .where("period = 'year' AND orders > 0 AND active_definition = '" + DEFINITION + "'")
        .select("village_code", "year", "active_sellers", "orders", "sales_rmb").collectAsList()) {
      answer.put(r.getString(0) + "/" + r.getInt(1),
          new Metrics(r.getLong(2), r.getLong(3), r.getDecimal(4).setScale(2)));
    }
    return answer;
  }

  /** The village-years where two answers differ (at most {@code limit}), as text. */
  public static List<String> differences(Map<String, Metrics> expected, Map<String, Metrics> actual, int limit) {
    List<String> out = new ArrayList<>();
    var keys = new java.util.TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      Metrics e = expected.get(k);
      Metrics a = actual.get(k);
      if (e == null || !e.equals(a)) {
        out.add(k + ": duckdb " + e + ", pipeline " + a);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return out;
  }

  public static void main(String[] args) throws SQLException, java.io.IOException {
    if (args.length != 3) {
      System.err.println("usage: DuckDbVillageYears <input dir> <warehouse> <run date>");
      System.exit(2);
    }
    long start = System.nanoTime();
    Map<String, Metrics> duck = fromRawParquet(Path.of(args[0]), LocalDate.parse(args[2]));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("duckdb: %.2f s, %,d village-years%n", seconds, duck.size());
    SparkSession spark = SparkSession.builder().master("local[2]").appName("bench check")
        .config("spark.ui.enabled", false).config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    Map<String, Metrics> ours = fromWarehouse(spark, args[1]);
    List<String> diff = differences(duck, ours, 10);
    spark.stop();
    long sales = 0;
    for (Metrics m : duck.values()) {
      sales += m.orders();
    }
    System.out.printf("duckdb_seconds=%.3f village_years=%d sale_orders=%d equal=%s%n", seconds, duck.size(), sales,
        diff.isEmpty());
    diff.forEach(d -> System.out.println("  differs: " + d));
    System.exit(diff.isEmpty() ? 0 : 1);
  }
}
