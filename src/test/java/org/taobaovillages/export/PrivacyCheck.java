package org.taobaovillages.export;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.taobaovillages.cli.CliRunner;
import org.taobaovillages.table.ColumnTypes;

/**
 * The privacy check of issue 32, on a warehouse that a whole pipeline wrote from raw input files. It knows the
 * pipeline only by its files:
 *
 * <ul>
 *   <li>no raw seller or household id of the input in any file under the warehouse (every Delta table, old file
 *       versions and log included, every export file, the saved models), nor in the run's output, error output and
 *       log;
 *   <li>no money or count column as floating point in any Delta table or export ({@link ColumnTypes});
 *   <li>every non-null figure of every export comes from at least k sellers, and no published total minus the
 *       published parts below it leaves a group of villages with some but fewer than k sellers. The sellers behind
 *       each figure are counted here from the input files (orders with a sale status, their accounts' villages and
 *       origins, the registry's places), not read from the pipeline's tables.
 * </ul>
 * Each export declares which of its columns are not figures from sellers (codes, names, places, rule texts,
 * outcomes, counts of villages); every other column is a figure and must have a basis here, so a new column or a
 * new export directory fails the check until it is classified.
 */
public final class PrivacyCheck {
  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final Set<String> SALE_STATUSES = Set.of("paid", "shipped", "completed");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

  /** A run to check: its input files, warehouse, run date, the k of the rule and the watchlist's growth months. */
  public record Run(Path input, Path truth, Path warehouse, LocalDate runDate, long k, int growthMonths,
      String output) {}

  /** What the check found: violations (empty when it passes) and, per export, rows, withheld rows and figures. */
  public record Result(List<String> violations, Map<String, String> summary) {}

  /** A CLI run with its log captured (our INFO lines and everything Spark logs at WARN and above). */
  public record Captured(int code, String out, String err, String log) {
    public String all() {
      return out + "\n" + err + "\n" + log;
    }
  }

  private PrivacyCheck() {}

  public static Captured runCapturingLog(String... args) {
    StringWriter log = new StringWriter();
    LoggerContext context = (LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    WriterAppender appender = WriterAppender.newBuilder().setName("privacy-" + System.nanoTime()).setTarget(log)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c{1}: %m%n%ex").build()).build();
    appender.start();
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    Configurator.setLevel("org.taobaovillages", Level.INFO);
    try {
      CliRunner.Result r = CliRunner.run(args);
      return new Captured(r.code(), r.out(), r.err(), log.toString());
    } finally {
      Configurator.setLevel("org.taobaovillages", Level.WARN);
      config.getRootLogger().removeAppender(appender.getName());
      context.updateLoggers();
      appender.stop();
    }
  }

  public static Result check(SparkSession spark, Run run) throws IOException {
    List<String> violations = new ArrayList<>();
    Map<String, String> summary = new TreeMap<>();
    Inputs in = Inputs.read(spark, run);
    rawIds(spark, run, in, violations);
    types(spark, run, violations);
    new Rule(spark, run, in, violations, summary).check();
    return new Result(violations, summary);
  }

  // ---------------------------------------------------------------- raw ids

  static void rawIds(SparkSession spark, Run run, Inputs in, List<String> violations) throws IOException {
    Set<String> raw = new HashSet<>(in.rawIds);
    Map<String, Set<String>> leaks = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(run.warehouse())) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (Path f : files) {
      Set<String> tokens = new HashSet<>();
      if (f.getFileName().toString().endsWith(".parquet")) {
        // Every record, decompressed (a Delta checkpoint's column statistics included).
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
            new org.apache.hadoop.fs.Path(f.toUri())).withConf(conf).build()) {
          for (Group g = reader.read(); g != null; g = reader.read()) {
            addTokens(tokens, g.toString());
          }
        }
      } else {
        addTokens(tokens, Files.readString(f, StandardCharsets.ISO_8859_1));
      }
      tokens.retainAll(raw);
      if (!tokens.isEmpty()) {
        leaks.put(run.warehouse().relativize(f).toString(), tokens);
      }
    }
    Set<String> output = new HashSet<>();
    addTokens(output, run.output());
    output.retainAll(raw);
    if (!output.isEmpty()) {
      leaks.put("(output, error output and log)", output);
    }
    leaks.forEach((where, ids) -> violations.add("raw ids in " + where + ": " + ids.stream().limit(3).toList()));
    if (files.size() < 100) {
      violations.add("only " + files.size() + " files under the warehouse: not a pipeline's warehouse?");
    }
  }

  private static void addTokens(Set<String> tokens, String text) {
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      tokens.add(m.group());
    }
  }

  // ---------------------------------------------------------------- types

  static void types(SparkSession spark, Run run, List<String> violations) throws IOException {
    try (Stream<Path> dirs = Files.list(run.warehouse())) {
      for (Path d : dirs.sorted().toList()) {
        if (Files.isDirectory(d.resolve("_delta_log"))) {
          violations.addAll(ColumnTypes.problems(d.getFileName().toString(),
              spark.read().format("delta").load(d.toString()).schema()));
        }
      }
    }
    for (Map.Entry<String, Path> e : exports(run).entrySet()) {
      Dataset<Row> data = readExport(spark, e.getValue());
      if (data != null) {
        ColumnTypes.problems(e.getKey(), data.schema()).forEach(p -> violations.add("export " + p));
      }
    }
  }

  static Map<String, Path> exports(Run run) throws IOException {
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(run.warehouse().resolve("export"))) {
      dirs.filter(Files::isDirectory).forEach(d -> out.put(d.getFileName().toString(), d));
    }
    return out;
  }

  /** An export directory's rows, or null when it holds none (only its _SUCCESS marker). */
  static Dataset<Row> readExport(SparkSession spark, Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      if (walk.noneMatch(p -> p.toString().endsWith(".parquet"))) {
        return null;
      }
    }
    return spark.read().parquet(dir.toString());
  }

  // ---------------------------------------------------------------- the inputs, counted here

  /** The sellers with a sale per village and month, their origins, and the registry's places. */
  static final class Inputs {
    final Set<String> rawIds = new HashSet<>();
    /** village -> month -> sellers with an order with a sale status that month. */
    final Map<String, TreeMap<YearMonth, Set<String>>> sellers = new HashMap<>();
    final Map<String, String> origin = new HashMap<>();
    /** village -> town, county, city (prefecture), province code. */
    final Map<String, String[]> place = new HashMap<>();

    static String norm(String s) {
      return s == null ? null : Normalizer.normalize(s, Normalizer.Form.NFKC).strip();
    }

    static Inputs read(SparkSession spark, Run run) {
      Inputs in = new Inputs();
      // The generator's own list of the rows it planted to be refused (the sample's dirty rows).
      Set<String> refusedOrders = new HashSet<>();
      Set<String> refusedAccounts = new HashSet<>();
      Path defects = run.truth() == null ? null : run.truth().resolve("defects");
      if (defects != null && Files.isDirectory(defects)) {
        for (Row r : spark.read().parquet(defects.toString()).where("expected = 'quarantine'").collectAsList()) {
          if ("transactions".equals(r.getAs("file_set")) && r.getAs("transaction_id") != null) {
            refusedOrders.add(r.getAs("transaction_id"));
          } else if ("seller_accounts".equals(r.getAs("file_set"))) {
            refusedAccounts.add(r.getAs("seller_id"));
          }
        }
      }
      for (Row r : spark.read().parquet(run.input().resolve("village_registry").toString()).collectAsList()) {
        in.place.put(norm(r.getAs("village_code")), new String[] {norm(r.getAs("town_code")),
            norm(r.getAs("county_code")), norm(r.getAs("city_code")), norm(r.getAs("province_code"))});
      }
      Map<String, String> villageOf = new HashMap<>();
      for (Row r : spark.read().parquet(run.input().resolve("seller_accounts").toString()).collectAsList()) {
        String raw = r.getAs("seller_id");
        in.rawIds.add(raw);
        if (r.getAs("household_id") != null) {
          in.rawIds.add(r.getAs("household_id"));
        }
        String village = norm(r.getAs("village_code"));
        if (raw == null || refusedAccounts.contains(raw) || !in.place.containsKey(village)) {
          continue;
        }
        villageOf.put(norm(raw), village);
        in.origin.put(norm(raw), norm(r.getAs("owner_origin")));
      }
      java.time.Instant end = run.runDate().plusDays(1).atStartOfDay(CHINA).toInstant();
      Set<String> seen = new HashSet<>();
      Dataset<Row> orders = spark.read().parquet(run.input().resolve("transactions").toString())
          .select("transaction_id", "seller_id", "order_ts", "order_status", "amount_rmb");
      for (Row r : (Iterable<Row>) orders::toLocalIterator) {
        String id = r.getString(0);
        String seller = norm(r.getString(1));
        if (r.getString(1) != null) {
          in.rawIds.add(r.getString(1));
        }
        if (id == null || refusedOrders.contains(id) || !seen.add(id) || seller == null
            || !villageOf.containsKey(seller) || r.isNullAt(2) || !SALE_STATUSES.contains(norm(r.getString(3)))
            || r.isNullAt(4) || r.getDecimal(4).signum() <= 0) {
          continue;
        }
        java.time.Instant at = ((Timestamp) r.get(2)).toInstant();
        if (!at.isBefore(end)) {
          continue;
        }
        in.sellers.computeIfAbsent(villageOf.get(seller), v -> new TreeMap<>())
            .computeIfAbsent(YearMonth.from(at.atZone(CHINA)), m -> new HashSet<>()).add(seller);
      }
      in.rawIds.remove(null);
      return in;
    }

    /** The distinct sellers with a sale in {@code villages} from month {@code from} to {@code to}. */
    Set<String> sellers(Collection<String> villages, YearMonth from, YearMonth to) {
      Set<String> out = new HashSet<>();
      for (String v : villages) {
        TreeMap<YearMonth, Set<String>> months = sellers.get(v);
        if (months != null) {
          months.subMap(from, true, to, true).values().forEach(out::addAll);
        }
      }
      return out;
    }

    long year(Collection<String> villages, int year) {
      return sellers(villages, YearMonth.of(year, 1), YearMonth.of(year, 12)).size();
    }

    long knownOrigin(Collection<String> villages, int year) {
      return sellers(villages, YearMonth.of(year, 1), YearMonth.of(year, 12)).stream()
          .filter(s -> origin.get(s) != null).count();
    }

    private final Map<Integer, Map<String, List<String>>> byPlace = new HashMap<>();

    /** The villages whose place (0 town, 1 county, 2 city, 3 province) is {@code code}. */
    List<String> in(int level, String code) {
      return byPlace.computeIfAbsent(level, l -> place.entrySet().stream().collect(Collectors.groupingBy(
          e -> e.getValue()[l], Collectors.mapping(Map.Entry::getKey, Collectors.toList()))))
          .getOrDefault(code, List.of());
    }
  }

  // ---------------------------------------------------------------- the k-seller rule

  /** Columns of every export that are not figures from sellers: keys, names, places, rules, lineage, flags. */
  static final Set<String> COMMON = Set.of("village_code", "village_name", "town_code", "town_name", "county_code",
      "county_name", "city_name", "province_code", "province_name", "longitude", "latitude", "rule_id",
      "rule_version", "rule_kind", "rule_text", "village_rule_id", "period", "period_end", "year",
      "active_definition", "period_complete", "run_id", "run_date", "typology_version", "metrics_suppressed",
      "change_suppressed", "origin_suppressed");

  /**
   * Per export, its columns that are not figures from sellers (beyond {@link #COMMON}): outcomes of the rules, counts
   * and shares of villages, registry and census values, statistics of the whole band (Gi*: docs/data-model.md
   * states what they leave open), ranks and months of the watchlist.
   */
  static final Map<String, Set<String>> NOT_FIGURES = Map.ofEntries(
      Map.entry("village_status", Set.of("qualifies", "transition", "first_qualified", "periods_held", "meets_sales",
          "meets_shops", "meets_households", "meets_platform", "households")),
      Map.entry("village_nowcast", Set.of("qualifies", "transition", "first_qualified", "periods_held", "meets_sales",
          "meets_shops", "meets_households", "meets_platform", "households")),
      Map.entry("watchlist", Set.of("watchlist_version", "as_of", "rank", "months_to_qualify", "expected_qualifying",
          "households")),
      Map.entry("hot_spot_years", Set.of("analysis_version", "metric", "neighbours", "gi_star", "p_value",
          "significant", "gi_bin")),
      Map.entry("hot_spots", Set.of("analysis_version", "metric", "first_year", "last_year", "hot_years", "cold_years",
          "trend_s", "trend_z", "trend_p", "trend_tau", "category")),
      Map.entry("town_status", Set.of("qualifying_villages", "villages_with_sales", "qualifies", "qualifies_by")),
      Map.entry("cluster_status", Set.of("cluster_id", "villages", "size_class", "counties", "centre_longitude",
          "centre_latitude")),
      Map.entry("county_status", Set.of("qualifying_villages", "qualifies", "deciding")),
      Map.entry("town_villages", Set.of("unit_id")),
      Map.entry("cluster_villages", Set.of("unit_id")),
      Map.entry("county_villages", Set.of("unit_id")),
      Map.entry("county_features", Set.of("level", "unit_code", "unit_name", "villages", "villages_with_sales",
          "taobao_villages", "taobao_village_density", "ecommerce_village_share", "population",
          "producer_village_share", "merchant_village_share", "live_stream_village_share", "manufacturing_share",
          "wholesale_retail_share", "census_migrant_share", "ecommerce_programme", "programme_start_year")),
      Map.entry("village_business_model", Set.of("programme_active", "business_model", "embeddedness")),
      Map.entry("county_typology", Set.of("region", "robust_sector", "interventionist", "quadrant",
          "migrant_entrepreneurs", "return_migrants", "entrepreneurs", "factor_count", "formation_expected",
          "taobao_villages", "has_formed", "rule_consistent")),
      Map.entry("formation_test", Set.of("factor_count", "counties", "counties_formed", "share_formed", "ci95_low",
          "ci95_high")),
      Map.entry("county_clusters", Set.of("model", "k", "cluster", "quadrant")),
      Map.entry("cluster_profiles", Set.of("model", "k", "cluster", "counties", "feature", "rank")),
      Map.entry("emergence_scores", Set.of("outcome_year", "split", "qualifies_next_year")),
      Map.entry("typology_evaluation", Set.of("measure", "subject", "against", "value", "detail")),
      Map.entry("ingest_quality", Set.of("run_outcome", "source_table", "source_file", "file_format", "file_status",
          "drift", "error", "rows_in_file", "lines_skipped", "rows_read", "accepted", "quarantined",
          "duplicates_skipped", "is_file_total", "reason", "reason_rows")));

  /** Exports with figures only from the named groups below (origin, change), beside the row's own basis. */
  static final Set<String> ORIGIN = Set.of("native_seller_share", "return_migrant_seller_share",
      "migrant_seller_share", "known_origin_sellers");
  static final Set<String> CHANGE = Set.of("seller_growth", "order_value_trend");
  static final Set<String> WATCHLIST_CHANGE = Set.of("sales_monthly_growth", "shops_monthly_growth",
      "households_monthly_growth", "sales_months", "shops_months", "households_months", "explanation");

  private static final class Rule {
    final SparkSession spark;
    final Run run;
    final Inputs in;
    final List<String> violations;
    final Map<String, String> summary;
    final long k;
    /** Village-years whose sales some village_status row publishes. */
    final Set<String> published = new HashSet<>();
    final Set<String> publishedTowns = new HashSet<>();
    final Map<String, Set<String>> publishedUnits = new HashMap<>();
    final Map<String, Dataset<Row>> data = new TreeMap<>();

    Rule(SparkSession spark, Run run, Inputs in, List<String> violations, Map<String, String> summary) {
      this.spark = spark;
      this.run = run;
      this.in = in;
      this.violations = violations;
      this.summary = summary;
      this.k = run.k();
    }

    boolean safe(long sellers) {
      return sellers == 0 || sellers >= k;
    }

    void check() throws IOException {
      for (var e : exports(run).entrySet()) {
        if (!NOT_FIGURES.containsKey(e.getKey())) {
          violations.add("export " + e.getKey() + " is not classified by the privacy check");
          continue;
        }
        Dataset<Row> rows = readExport(spark, e.getValue());
        if (rows != null) {
          data.put(e.getKey(), rows);
          summarise(e.getKey(), rows);
        }
      }
      modelAgreesWithThePipeline();
      rows("village_status").forEach(r -> {
        if (r.getAs("sales_rmb") != null) {
          published.add(r.<String>getAs("village_code") + "/" + r.<Integer>getAs("year"));
        }
      });
      villages("village_status", r -> YearMonth.of(r.<Integer>getAs("year"), 12));
      villages("village_nowcast", r -> YearMonth.from(r.<java.sql.Date>getAs("period_end").toLocalDate()));
      watchlist(rows("watchlist"));
      villages("hot_spot_years", r -> YearMonth.of(r.<Integer>getAs("year"), 12));
      towns(rows("town_status"));
      clusters(rows("cluster_status"), rows("cluster_villages"));
      countyFeatures(rows("county_features"));
      businessModels(rows("village_business_model"));
      countyTypology(rows("county_typology"));
      emergence(rows("emergence_scores"));
      clusterProfiles(rows("cluster_profiles"), rows("county_clusters"));
      for (String none : List.of("hot_spots", "county_status", "town_villages", "cluster_villages", "county_villages",
          "formation_test", "county_clusters", "typology_evaluation", "ingest_quality")) {
        for (Row r : rows(none)) {
          if (!figures(none, r).isEmpty()) {
            violations.add(none + ": figures without a seller basis in this check: " + figures(none, r));
            break;
          }
        }
      }
    }

    /** The non-null figures of a row: every column neither common nor declared for its export. */
    List<String> figures(String export, Row r) {
      List<String> out = new ArrayList<>();
      for (String c : r.schema().fieldNames()) {
        if (!COMMON.contains(c) && !NOT_FIGURES.get(export).contains(c) && !r.isNullAt(r.fieldIndex(c))) {
          out.add(c);
        }
      }
      return out;
    }

    /** An export's rows, read a partition at a time (the nowcast of a large world does not fit in memory). */
    Iterable<Row> rows(String export) {
      Dataset<Row> rows = data.get(export);
      return rows == null ? List.of() : rows::toLocalIterator;
    }

    /** Rows, rows with each flag set, and non-null figures of an export. */
    void summarise(String export, Dataset<Row> rows) {
      List<String> columns = List.of(rows.columns());
      List<String> flags = Stream.of("metrics_suppressed", "change_suppressed", "origin_suppressed")
          .filter(columns::contains).toList();
      List<org.apache.spark.sql.Column> sums = new ArrayList<>();
      flags.forEach(f -> sums.add(functions.coalesce(functions.sum(functions.when(functions.col(f), 1L)
          .otherwise(0L)), functions.lit(0L))));
      org.apache.spark.sql.Column figures = functions.lit(0L);
      for (String c : columns) {
        if (!COMMON.contains(c) && !NOT_FIGURES.get(export).contains(c)) {
          figures = figures.plus(functions.when(functions.col(c).isNotNull(), 1L).otherwise(0L));
        }
      }
      sums.add(functions.coalesce(functions.sum(figures), functions.lit(0L)));
      Row counts = rows.agg(functions.count(functions.lit(1)), sums.toArray(org.apache.spark.sql.Column[]::new))
          .first();
      StringBuilder line = new StringBuilder(counts.getLong(0) + " rows");
      for (int i = 0; i < flags.size(); i++) {
        line.append(", ").append(counts.getLong(i + 1)).append(" ").append(flags.get(i));
      }
      summary.put(export, line + ", " + counts.getLong(flags.size() + 1) + " figures published");
    }

    void fail(String export, Row r, String why) {
      if (violations.stream().filter(v -> v.startsWith(export + ":")).count() < 5) {
        violations.add(export + ": " + why + " in " + r);
      } else if (violations.stream().noneMatch(v -> v.equals(export + ": (more)"))) {
        violations.add(export + ": (more)");
      }
    }

    /** Village rows: every figure from at least k sellers of the village in the 12 months ending {@code end}. */
    void villages(String export, Function<Row, YearMonth> end) {
      for (Row r : rows(export)) {
        List<String> f = figures(export, r);
        YearMonth m = end.apply(r);
        long n = in.sellers(List.of(r.<String>getAs("village_code")), m.minusMonths(11), m).size();
        if (!f.isEmpty() && n < k) {
          fail(export, r, f + " from " + n + " sellers");
        }
      }
    }

    void watchlist(Iterable<Row> rows) {
      for (Row r : rows) {
        String v = r.getAs("village_code");
        YearMonth asOf = YearMonth.from(r.<java.sql.Date>getAs("as_of").toLocalDate());
        YearMonth base = asOf.minusMonths(run.growthMonths());
        long now = in.sellers(List.of(v), asOf.minusMonths(11), asOf).size();
        long before = in.sellers(List.of(v), base.minusMonths(11), base).size();
        List<String> f = figures("watchlist", r);
        if (!f.isEmpty() && now < k) {
          fail("watchlist", r, f + " from " + now + " sellers");
        }
        List<String> change = f.stream().filter(WATCHLIST_CHANGE::contains).toList();
        if (!change.isEmpty() && !safe(before)) {
          fail("watchlist", r, change + " measured from a period of " + before + " sellers");
        }
      }
    }

    /** A group of villages left over by subtraction: no seller, or at least k. */
    void residual(String export, Row r, String what, Collection<String> villages, int year) {
      long n = in.year(villages, year);
      if (!safe(n)) {
        fail(export, r, what + " leaves " + new TreeSet<>(villages) + " with " + n + " sellers");
      }
    }

    boolean pub(String village, int year) {
      return published.contains(village + "/" + year);
    }

    void towns(Iterable<Row> rows) {
      for (Row r : rows) {
        String town = r.getAs("town_code");
        int year = r.getAs("year");
        List<String> villages = in.in(0, town);
        List<String> f = figures("town_status", r);
        if (f.isEmpty()) {
          continue;
        }
        publishedTowns.add(town + "/" + year);
        long n = in.year(villages, year);
        if (n < k) {
          fail("town_status", r, f + " from " + n + " sellers");
        }
        residual("town_status", r, "the township minus its published villages",
            villages.stream().filter(v -> !pub(v, year)).toList(), year);
      }
    }

    void clusters(Iterable<Row> rows, Iterable<Row> members) {
      Map<String, List<String>> byCluster = new HashMap<>();
      for (Row m : members) {
        byCluster.computeIfAbsent(m.<String>getAs("rule_id") + "/" + m.<Integer>getAs("year") + "/"
            + m.<String>getAs("unit_id"), x -> new ArrayList<>()).add(m.getAs("village_code"));
      }
      for (Row r : rows) {
        int year = r.getAs("year");
        List<String> villages = byCluster.getOrDefault(r.<String>getAs("rule_id") + "/" + year + "/"
            + r.<String>getAs("cluster_id"), List.of());
        List<String> f = figures("cluster_status", r);
        if (f.isEmpty()) {
          continue;
        }
        long n = in.year(villages, year);
        if (n < k) {
          fail("cluster_status", r, f + " from " + n + " sellers");
        }
        residual("cluster_status", r, "the cluster minus its published villages",
            villages.stream().filter(v -> !pub(v, year)).toList(), year);
      }
    }

    static final String[] LEVELS = {"county", "prefecture", "province"};

    void countyFeatures(Iterable<Row> rows) {
      for (Row r : rows) {
        if (r.getAs("sales_rmb") != null) {
          publishedUnits.computeIfAbsent(r.getAs("level"), x -> new HashSet<>())
              .add(r.<String>getAs("unit_code") + "/" + r.<Integer>getAs("year"));
        }
      }
      for (Row r : rows) {
        String level = r.getAs("level");
        String unit = r.getAs("unit_code");
        int year = r.getAs("year");
        List<String> villages = in.in(List.of(LEVELS).indexOf(level) + 1, unit);
        List<String> f = figures("county_features", r);
        if (!f.isEmpty()) {
          unpublishable(level, unit, year).forEach(why -> fail("county_features", r, f + ": " + why));
        }
        List<String> origin = f.stream().filter(ORIGIN::contains).toList();
        long known = in.knownOrigin(villages, year);
        if (!origin.isEmpty() && known < k) {
          fail("county_features", r, origin + " from " + known + " sellers of known origin");
        }
        // Growth and trend give the previous year's figures back from this year's.
        List<String> change = f.stream().filter(CHANGE::contains).toList();
        if (!change.isEmpty() && in.year(villages, year - 1) > 0) {
          unpublishable(level, unit, year - 1).forEach(why -> fail("county_features", r, change
              + " measured from the previous year, whose figures cannot be published: " + why));
        }
      }
    }

    /**
     * Why a unit-year's figures could not be published: fewer than k sellers, or a group of villages with some but
     * fewer than k sellers left when every published part below it is subtracted (villages, townships, then the
     * levels below). Empty when they can be.
     */
    List<String> unpublishable(String level, String unit, int year) {
      int index = List.of(LEVELS).indexOf(level) + 1;
      List<String> villages = in.in(index, unit);
      List<String> why = new ArrayList<>();
      long n = in.year(villages, year);
      if (n < k) {
        why.add(level + " " + unit + " " + year + " has " + n + " sellers");
      }
      List<String> left = villages.stream().filter(v -> !pub(v, year)).toList();
      List<List<String>> residuals = new ArrayList<>(List.of(left));
      left = left.stream().filter(v -> !publishedTowns.contains(in.place.get(v)[0] + "/" + year)).toList();
      residuals.add(left);
      for (int below = 1; below < index; below++) {
        int b = below;
        Set<String> units = publishedUnits.getOrDefault(LEVELS[below - 1], Set.of());
        left = left.stream().filter(v -> !units.contains(in.place.get(v)[b] + "/" + year)).toList();
        residuals.add(left);
      }
      for (List<String> residual : residuals) {
        long m = in.year(residual, year);
        if (!safe(m)) {
          why.add(level + " " + unit + " " + year + " minus its published parts leaves " + new TreeSet<>(residual)
              + " with " + m + " sellers");
        }
      }
      return why;
    }

    void businessModels(Iterable<Row> rows) {
      for (Row r : rows) {
        List<String> villages = List.of(r.<String>getAs("village_code"));
        int year = r.getAs("year");
        List<String> f = figures("village_business_model", r);
        long n = in.year(villages, year);
        if (!f.isEmpty() && n < k) {
          fail("village_business_model", r, f + " from " + n + " sellers");
        }
        long known = in.knownOrigin(villages, year);
        if ((f.contains("migrant_seller_share") || f.contains("explanation")) && !safe(known)) {
          fail("village_business_model", r, "migrant share from " + known + " sellers of known origin");
        }
      }
    }

    void countyTypology(Iterable<Row> rows) {
      for (Row r : rows) {
        List<String> villages = in.in(1, r.getAs("county_code"));
        int year = r.getAs("year");
        List<String> f = figures("county_typology", r);
        long n = in.year(villages, year);
        long known = in.knownOrigin(villages, year);
        if (!f.isEmpty() && !(safe(n) && safe(known))) {
          fail("county_typology", r, f + " from " + n + " sellers, " + known + " of known origin");
        }
      }
    }

    void emergence(Iterable<Row> rows) {
      for (Row r : rows) {
        List<String> villages = List.of(r.<String>getAs("village_code"));
        int year = r.getAs("year");
        List<String> f = figures("emergence_scores", r);
        if (f.isEmpty()) {
          continue;
        }
        long n = in.year(villages, year);
        long one = in.year(villages, year - 1);
        long two = in.year(villages, year - 2);
        if (n < k || !safe(one) || !safe(two)) {
          fail("emergence_scores", r, f + " from " + n + " sellers (" + one + " and " + two + " the years before)");
        }
      }
    }

    void clusterProfiles(Iterable<Row> rows, Iterable<Row> countyClusters) {
      List<Row> clusters = new ArrayList<>();
      countyClusters.forEach(clusters::add);
      for (Row r : rows) {
        if (figures("cluster_profiles", r).isEmpty()) {
          continue;
        }
        for (Row c : clusters) {
          if (c.getAs("model").equals(r.getAs("model")) && c.<Integer>getAs("year").equals(r.getAs("year"))) {
            long n = in.year(in.in(1, c.getAs("county_code")), c.getAs("year"));
            if (n < k) {
              fail("cluster_profiles", r, "a clustered county with " + n + " sellers");
            }
          }
        }
      }
    }

    /**
     * The check's own model of the accepted orders against the pipeline's: the village-years' sellers counted here
     * equal village_period's active sellers under a definition that counts every seller with a sale (if they did
     * not, the counts above would test something else than what was exported).
     */
    void modelAgreesWithThePipeline() {
      Dataset<Row> periods = spark.read().format("delta").load(run.warehouse().resolve("village_period").toString())
          .where("period = 'year' and active_definition = 'paid orders >= 1 and sales_rmb >= 0'")
          .select("village_code", "year", "active_sellers");
      Map<String, Long> theirs = new HashMap<>();
      for (Row r : periods.collectAsList()) {
        theirs.put(r.getString(0) + "/" + r.getInt(1), r.getLong(2));
      }
      Map<String, Long> ours = new HashMap<>();
      in.sellers.forEach((v, months) -> months.keySet().stream().map(YearMonth::getYear).distinct()
          .forEach(y -> ours.put(v + "/" + y, in.year(List.of(v), y))));
      ours.values().removeIf(n -> n == 0);
      theirs.values().removeIf(n -> n == 0);
      Set<String> differ = new TreeSet<>();
      for (String key : union(ours.keySet(), theirs.keySet())) {
        if (!java.util.Objects.equals(ours.get(key), theirs.get(key))) {
          differ.add(key + " " + ours.get(key) + " vs " + theirs.get(key));
        }
      }
      if (!differ.isEmpty()) {
        violations.add("the check's seller counts differ from village_period's for " + differ.size()
            + " village-years, e.g. " + differ.stream().limit(5).collect(Collectors.toList()));
      }
      summary.put("(village-years with a sale, counted here)", String.valueOf(ours.size()));
    }

    static Set<String> union(Set<String> a, Set<String> b) {
      Set<String> u = new TreeSet<>(a);
      u.addAll(b);
      return u;
    }
  }
}
