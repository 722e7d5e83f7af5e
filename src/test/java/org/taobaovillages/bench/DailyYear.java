package org.taobaovillages.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.taobaovillages.TestFiles;
import org.taobaovillages.cli.Main;

/**
 * The simulated year of daily runs ({@code jobs/bench.sh --daily}): a world's orders of one calendar year split
 * into daily deliveries by order date (China time), after one delivery of everything else (the years before,
 * and rows without a usable time); then each day's {@code ingest} and {@code aggregate}, as a scheduler runs
 * them, timed. All runs share one JVM and Spark session (a scheduled run would add its start-up, a constant).
 *
 * <p>{@code main(world, work, year, days, conf)} prints one line per day (tab-separated): day, order rows
 * delivered, ingest seconds, aggregate seconds, data files of the transactions table after the day.
 */
public final class DailyYear {
  private static final List<String> DIMENSIONS = List.of("village_registry", "seller_accounts", "county_attributes");

  private DailyYear() {}

  public static void main(String[] args) throws Exception {
    Path world = Path.of(args[0]).toAbsolutePath();
    Path work = Path.of(args[1]).toAbsolutePath();
    int year = Integer.parseInt(args[2]);
    int days = Integer.parseInt(args[3]);
    String conf = args[4];
    Map<String, Long> perDay = split(world, work, year);
    String warehouse = work.resolve("warehouse").toString();
    LocalDate first = LocalDate.of(year, 1, 1);
    run("ingest", "--input", work.resolve("history").toString(), "--warehouse", warehouse, "--conf", conf,
        "--run-date", first.minusDays(1).toString(), "--demo");
    run("aggregate", "--warehouse", warehouse, "--conf", conf, "--run-date", first.minusDays(1).toString());
    System.out.println("day\torder_rows\tingest_s\taggregate_s\ttransactions_files");
    for (int i = 0; i < days; i++) {
      LocalDate day = first.plusDays(i);
      Path delivery = work.resolve("days").resolve(day.toString());
      double ingest = Files.exists(delivery) ? run("ingest", "--input", delivery.toString(), "--warehouse",
          warehouse, "--conf", conf, "--run-date", day.toString(), "--demo") : 0;
      double aggregate = run("aggregate", "--warehouse", warehouse, "--conf", conf, "--run-date", day.toString());
      long files = org.apache.spark.sql.SparkSession.active().read().format("delta")
          .load(warehouse + "/transactions").inputFiles().length;
      System.out.printf("%s\t%d\t%.2f\t%.2f\t%d%n", day, perDay.getOrDefault(day.toString(), 0L), ingest, aggregate,
          files);
    }
  }

  /** Runs one CLI command in this JVM; its wall seconds. Fails on a non-zero exit. */
  private static double run(String... args) {
    long start = System.nanoTime();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed (" + code + "): " + err + out);
    }
    return seconds;
  }

  /**
   * Writes {@code work/history} (the dimension file sets copied, and the orders outside {@code year}) and
   * {@code work/days/YYYY-MM-DD/transactions} with DuckDB; returns the order rows per day.
   */
  static Map<String, Long> split(Path world, Path work, int year) throws IOException, SQLException {
    Path history = work.resolve("history");
    for (String set : DIMENSIONS) {
      TestFiles.copyTree(world.resolve(set), history.resolve(set));
    }
    Files.createDirectories(history.resolve("transactions"));
    Path staged = work.resolve("staged");
    String orders = SimulatedYear.orders(world);
    String day = "strftime(" + DuckDbVillageYears.CHINA_TIME + ", '%Y-%m-%d')";
    String inYear = "order_ts >= TIMESTAMPTZ '" + year + "-01-01 00:00:00+08' AND order_ts < TIMESTAMPTZ '"
        + (year + 1) + "-01-01 00:00:00+08'";
    Map<String, Long> perDay = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      SimulatedYear.utc(s);
      s.execute("COPY (SELECT * FROM " + orders + " WHERE NOT coalesce(" + inYear + ", false)) TO '"
          + history.resolve("transactions/history.parquet") + "' (FORMAT parquet)");
      s.execute("COPY (SELECT *, " + day + " AS day FROM " + orders + " WHERE " + inYear + ") TO '" + staged
          + "' (FORMAT parquet, PARTITION_BY (day))");
      try (ResultSet r = s.executeQuery("SELECT " + day + ", count(*) FROM " + orders + " WHERE " + inYear
          + " GROUP BY ALL")) {
        while (r.next()) {
          perDay.put(r.getString(1), r.getLong(2));
        }
      }
    }
    for (String d : perDay.keySet()) {
      Path target = work.resolve("days").resolve(d).resolve("transactions");
      Files.createDirectories(target.getParent());
      Files.move(staged.resolve("day=" + d), target);
    }
    return perDay;
  }
}
