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
import java.util.ArrayList;
import java.util.List;
import org.taobaovillages.TestFiles;
import org.taobaovillages.cli.Main;

/**
 * The simulated year without 365 runs ({@code jobs/bench.sh --year-sim}): the daily DAG run of day 1, day 180 and
 * day 365 of a world's last year, each on a warehouse holding every day before it, with the day's delivery
 * carrying dimension changes. The days between are loaded in bulk (one delivery and one run of every stage, run
 * date the day before the timed day), so the three timed days see the history a daily schedule would have left:
 * every year before the simulated one and the simulated year up to the day before.
 *
 * <p>Each timed day's delivery holds the orders of that day (China time) and the dimension changes of a day:
 * about 0.05 % of the seller accounts moved to another village (a new version of the account), about 0.05 % new
 * accounts, and three villages re-coded to another township of their county (a new registry version). The bulk
 * deliveries carry no dimension change. Every stage of the DAG runs for the day in order (ingest, aggregate,
 * detect, typology, export, optimize), one after the other in one JVM; a scheduled run adds its JVM start-up.
 *
 * <p>{@code main(world, work, year, conf[, days])} ({@code days}: the days of the year to time, default
 * {@code 1,180,365}) prints one line per stage run (tab-separated): phase (bulk or day),
 * run date, stage, wall seconds; each command's output goes to {@code work/logs/<run date>-<stage>.out}, which
 * says what the stage recomputed (aggregate: the months; export: the directories and years rewritten).
 */
public final class SimulatedYear {
  private static final List<String> DIMENSIONS = List.of("village_registry", "seller_accounts", "county_attributes");
  static final List<String> STAGES = List.of("ingest", "aggregate", "detect", "typology", "export", "optimize");

  private SimulatedYear() {}

  public static void main(String[] args) throws Exception {
    Path world = Path.of(args[0]).toAbsolutePath();
    Path work = Path.of(args[1]).toAbsolutePath();
    int year = Integer.parseInt(args[2]);
    String conf = args[3];
    LocalDate first = LocalDate.of(year, 1, 1);
    List<LocalDate> timed = java.util.Arrays.stream((args.length > 4 ? args[4] : "1,180,365").split(","))
        .map(n -> first.plusDays(Integer.parseInt(n.strip()) - 1)).sorted().toList();
    prepare(world, work, year, timed);
    Path logs = work.resolve("logs");
    Files.createDirectories(logs);
    String warehouse = work.resolve("warehouse").toString();
    System.out.println("phase\trun_date\tstage\tseconds");
    for (int i = 0; i < timed.size(); i++) {
      LocalDate day = timed.get(i);
      dag("bulk", work.resolve("bulk-" + i), day.minusDays(1), warehouse, conf, logs);
      dag("day", work.resolve("day-" + i), day, warehouse, conf, logs);
    }
  }

  /** Every stage of the DAG for one run date, timed; ingest only when there is a delivery. */
  private static void dag(String phase, Path delivery, LocalDate runDate, String warehouse, String conf, Path logs)
      throws IOException {
    for (String stage : STAGES) {
      List<String> args = new ArrayList<>(List.of(stage, "--warehouse", warehouse, "--conf", conf, "--run-date",
          runDate.toString()));
      if (stage.equals("ingest")) {
        if (!Files.exists(delivery)) {
          continue;
        }
        args.addAll(List.of("--input", delivery.toString(), "--demo"));
      }
      long start = System.nanoTime();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
      double seconds = (System.nanoTime() - start) / 1e9;
      Files.writeString(logs.resolve(runDate + "-" + stage + ".out"), out + "\n" + err);
      if (code != 0) {
        throw new IllegalStateException(String.join(" ", args) + " failed (" + code + "): " + err + out);
      }
      System.out.printf("%s\t%s\t%s\t%.2f%n", phase, runDate, stage, seconds);
    }
  }

  /**
   * Writes with DuckDB: {@code bulk-0} (the dimension file sets and every order outside {@code year}),
   * {@code bulk-1} and {@code bulk-2} (the orders of the days between the timed days), and {@code day-i} (the
   * orders of timed day i with that day's dimension changes).
   */
  static void prepare(Path world, Path work, int year, List<LocalDate> timed) throws IOException, SQLException {
    for (String set : DIMENSIONS) {
      TestFiles.copyTree(world.resolve(set), work.resolve("bulk-0").resolve(set));
    }
    String orders = orders(world);
    String day = "CAST(" + DuckDbVillageYears.CHINA_TIME + " AS DATE)";
    String accounts = "read_parquet('" + world.resolve("seller_accounts") + "/*.parquet')";
    String registry = "read_parquet('" + world.resolve("village_registry") + "/*.parquet')";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      utc(s);
      LocalDate start = LocalDate.of(year, 1, 1);
      for (int i = 0; i < timed.size(); i++) {
        LocalDate d = timed.get(i);
        String before = i == 0 ? "NOT coalesce(" + day + " BETWEEN DATE '" + start + "' AND DATE '" + start.plusYears(1)
            .minusDays(1) + "', false)" : day + " > DATE '" + timed.get(i - 1) + "' AND " + day + " < DATE '" + d + "'";
        copy(s, "SELECT * FROM " + orders + " WHERE " + before, work.resolve("bulk-" + i + "/transactions"));
        Path delivery = work.resolve("day-" + i);
        copy(s, "SELECT * FROM " + orders + " WHERE " + day + " = DATE '" + d + "'", delivery.resolve("transactions"));
        String salt = "'" + d + "'";
        // Moved: another account's village; new: a copy of an account under a new seller id.
        // Drawn from the accounts of registered villages (the world's defective accounts, which ingest quarantines,
        // are left out: a day's delivery is clean), moved to registered villages.
        copy(s, "WITH r AS (SELECT DISTINCT village_code FROM " + registry + "), "
            + "v AS (SELECT village_code, row_number() OVER (ORDER BY village_code) - 1 AS i, count(*) OVER () AS n "
            + "FROM r), ok AS (SELECT * FROM " + accounts + " WHERE village_code IN (SELECT village_code FROM r)) "
            + "SELECT a.* REPLACE (v.village_code AS village_code) FROM ok a JOIN v "
            + "ON v.i = hash(a.seller_id || " + salt + " || 'to') % v.n WHERE hash(a.seller_id || " + salt + ") % 2000 = 0 "
            + "UNION ALL SELECT * REPLACE ('new-' || " + salt + " || '-' || seller_id AS seller_id) FROM ok"
            + " WHERE hash(seller_id || " + salt + " || 'new') % 2000 = 0", delivery.resolve("seller_accounts"));
        copy(s, "WITH t AS (SELECT county_code, town_code, town_name, row_number() OVER (PARTITION BY county_code "
            + "ORDER BY town_code) - 1 AS i, count(*) OVER (PARTITION BY county_code) AS n FROM (SELECT DISTINCT "
            + "county_code, town_code, town_name FROM " + registry + ")), picked AS (SELECT * FROM " + registry
            + " ORDER BY hash(village_code || " + salt + ") LIMIT 3) SELECT p.* REPLACE (t.town_code AS town_code, "
            + "t.town_name AS town_name) FROM picked p JOIN t ON t.county_code = p.county_code AND t.i = "
            + "(hash(p.village_code || " + salt + " || 'town') % t.n)", delivery.resolve("village_registry"));
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + delivery.resolve("seller_accounts")
            + "/*.parquet')")) {
          r.next();
          System.err.println(d + ": " + r.getLong(1) + " account versions delivered");
        }
      }
    }
  }

  /**
   * The world's orders as a DuckDB relation. DuckDB reads the world's INT96 order times as naive UTC times and would
   * write them naive, which Spark takes for China time (8 hours off): they are cast to instants (the cast takes the
   * naive time in the session's time zone: see {@link #utc}).
   */
  static String orders(Path world) {
    return "(SELECT * REPLACE (CAST(order_ts AS TIMESTAMPTZ) AS order_ts) FROM read_parquet('"
        + world.resolve("transactions") + "/**/*.parquet'))";
  }

  /** Sets the DuckDB session's time zone to UTC (without DuckDB's ICU extension it is UTC already). */
  static void utc(Statement s) {
    try {
      s.execute("SET TimeZone = 'UTC'");
    } catch (SQLException e) {
      // No ICU: time zone casts are in UTC.
    }
  }

  /** One Parquet file {@code data.parquet} in directory {@code target}. */
  private static void copy(Statement s, String query, Path target) throws IOException, SQLException {
    Files.createDirectories(target);
    s.execute("COPY (" + query + ") TO '" + target.resolve("data.parquet") + "' (FORMAT parquet)");
  }
}
