package org.taobaovillages.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import com.typesafe.config.ConfigUtil;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The whole configuration, parsed once at start-up; jobs hand each transformation the record it needs. */
public record AppConfig(
    String localMaster,
    int localShufflePartitions,
    GenerateConfig generate,
    String referenceRoot,
    WorldConfig world,
    IngestConfig ingest,
    MetricsConfig metrics,
    RuleSets rules,
    DetectConfig detect,
    ExportConfig export,
    OptimizeConfig optimize,
    TypologyConfig typology) {

  static final String ROOT = "taobao-villages";
  static final String DEFAULTS = "taobao-villages.conf";

  /** The defaults shipped in the jar (a copy of conf/taobao-villages.conf), overlaid by {@code file} if given. */
  public static AppConfig load(File file) {
    Config defaults = ConfigFactory.parseResourcesAnySyntax(DEFAULTS, ConfigParseOptions.defaults().setAllowMissing(false));
    Config merged = defaults;
    if (file != null) {
      if (!file.isFile()) {
        throw new ConfigError("config file not found: " + file);
      }
      try {
        merged = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false))
            .withFallback(defaults);
      } catch (ConfigException e) {
        throw new ConfigError("cannot parse config file " + file + ": " + e.getMessage());
      }
    }
    try {
      return from(merged.resolve().getConfig(ROOT));
    } catch (ConfigException e) {
      throw new ConfigError("configuration" + (file == null ? "" : " (" + file + ")") + ": " + e.getMessage());
    }
  }

  static AppConfig from(Config c) {
    Config g = c.getConfig("generate");
    var generate = new GenerateConfig(g.getLong("seed"), g.getInt("first-year"), g.getInt("last-year"),
        g.getDouble("scale"), g.getStringList("counties"), g.getDouble("price-scale"), g.getDouble("refund-rate"),
        g.getDouble("dirty-rate"), g.getDouble("late-rate"));
    Config w = g.getConfig("world");
    var world = new WorldConfig(w.getDouble("sector-manufacturing-share"), w.getDouble("sector-wholesale-retail-share"),
        w.getDouble("migrant-hukou-other-province-share"), probabilities(w, "interventionist-probability"),
        probabilities(w, "return-migrant-probability"), w.getDouble("formation-leak"),
        probabilities(w, "capacity-share"), w.getDouble("imitation-rate"), w.getDouble("city-spillover"),
        w.getDouble("province-spillover"), w.getDouble("town-concentration"), w.getDouble("minor-village-share"),
        w.getDouble("live-stream-village-share"), w.getDouble("decline-probability"), w.getDouble("churn-rate"),
        w.getDouble("imitation-exponent"), w.getDouble("industry-elasticity"), w.getDouble("max-capacity-share"),
        w.getDouble("entry.programme-boost"), w.getDouble("entry.neighbour-boost"),
        w.getDouble("single-factor-village-share"), w.getDouble("sales-noise"));
    Config i = c.getConfig("ingest");
    var ingest = ingest(i, ROOT + ".ingest");
    Config m = c.getConfig("metrics");
    var metrics = new MetricsConfig(m.getLong("active-seller.min-paid-orders"),
        decimal(m, "active-seller.min-sales-rmb"), m.getStringList("taobao-platforms"));
    var rules = RuleParser.parse(c.getConfig("rules"), ROOT + ".rules");
    var detect = detect(c.getConfig("detect"), rules, ROOT + ".detect");
    var export = new ExportConfig(c.getLong("export.min-active-sellers"));
    return new AppConfig(c.getString("spark.local-master"), c.getInt("spark.local-shuffle-partitions"),
        generate, g.getString("reference"), world, ingest, metrics, rules, detect, export,
        new OptimizeConfig(c.getDuration("optimize.vacuum-retention"),
        c.getDuration("optimize.vacuum-interval")), typology(c.getConfig("typology")));
  }

  static TypologyConfig typology(Config t) {
    Config e = t.getConfig("entrepreneurs");
    Config v = t.getConfig("village");
    Config k = t.getConfig("clustering");
    Config m = t.getConfig("emergence");
    return new TypologyConfig(t.getString("version"), t.getDouble("sector.manufacturing-share"),
        t.getDouble("sector.wholesale-retail-share"), e.getDouble("census-migrant-share"),
        e.getDouble("return-migrant-seller-share"), e.getLong("min-sellers"), v.getDouble("producer-min-hhi"),
        v.getDouble("live-stream-share"), v.getDouble("hypo-min-migrant-share"), v.getLong("min-active-sellers"),
        v.getStringList("live-stream-platforms"), v.getStringList("new-platforms"),
        v.getStringList("farm-produce-categories"), k.getInt("k-min"),
        k.getInt("k-max"), k.getLong("min-active-sellers"), k.getLong("seed"), m.getInt("train-until"),
        m.getInt("max-iter"), m.getInt("max-depth"), m.getIntList("precision-at"));
  }

  static IngestConfig ingest(Config i, String where) {
    Map<String, Map<String, String>> renames = new TreeMap<>();
    Config r = i.getConfig("renames");
    for (String fileSet : r.root().keySet()) {
      Map<String, String> columns = new TreeMap<>();
      r.getConfig(ConfigUtil.joinPath(fileSet)).root().unwrapped()
          .forEach((from, to) -> columns.put(from, String.valueOf(to)));
      renames.put(fileSet, Map.copyOf(columns));
    }
    double maxShare = i.getDouble("max-bad-row-share");
    if (maxShare < 0 || maxShare > 1) {
      throw new ConfigError(where + ".max-bad-row-share must be between 0 and 1, got " + maxShare);
    }
    String format = i.getString("default-format");
    if (!java.util.List.of("parquet", "csv", "json").contains(format)) {
      throw new ConfigError(where + ".default-format must be parquet, csv or json, got " + format);
    }
    Map<String, IngestConfig.Text> textByFileSet = new TreeMap<>();
    Config sets = i.getConfig("file-sets");
    for (String fileSet : sets.root().keySet()) {
      String path = ConfigUtil.joinPath(fileSet);
      textByFileSet.put(fileSet, text(sets.getConfig(path).withFallback(i), where + ".file-sets." + path));
    }
    Config ranges = i.getConfig("ranges");
    return new IngestConfig(i.getString("pseudonym-key-env"), i.getString("pseudonym-key-file"), format,
        text(i, where), Map.copyOf(textByFileSet), Map.copyOf(renames),
        choice(i, "extra-columns", IngestConfig.ExtraColumns.class, where),
        choice(i, "bad-files", IngestConfig.BadFiles.class, where), maxShare, decimal(i, "max-order-amount-rmb"),
        date(i, "earliest-order-date", where),
        new IngestConfig.Ranges(range(ranges, "longitude", where, 0), range(ranges, "longitude", where, 1),
            range(ranges, "latitude", where, 0), range(ranges, "latitude", where, 1),
            ranges.getInt("earliest-programme-year")),
        i.getInt("commit-retries"), i.getDuration("commit-retry-wait"),
        choice(i, "duplicate-scope", IngestConfig.DuplicateScope.class, where), i.getLong("broadcast-max-sellers"),
        i.getLong("redaction-max-ids"));
  }

  /** Encoding and CSV dialect of text files, checked: one character each, an ASCII-compatible charset. */
  static IngestConfig.Text text(Config c, String where) {
    String encoding = c.getString("encoding");
    java.nio.charset.Charset charset;
    try {
      charset = java.nio.charset.Charset.forName(encoding);
    } catch (IllegalArgumentException e) {
      throw new ConfigError(where + ".encoding: unknown character set '" + encoding + "'");
    }
    // Lines are split on the ASCII line break bytes, so the charset must write ASCII as ASCII (not UTF-16/32).
    String ascii = "\n\r,;\t\"'#{}:[]0123456789azAZ";
    if (!charset.canEncode() || !java.util.Arrays.equals(ascii.getBytes(charset),
        ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      throw new ConfigError(where + ".encoding: " + charset.name() + " is not supported: text files must use a "
          + "charset that writes ASCII as single bytes (UTF-8, GB18030, GBK, Big5, ISO-8859-1, ...); convert "
          + "UTF-16 or UTF-32 files to UTF-8");
    }
    String comment = c.getString("csv.comment");
    if (comment.length() > 1 || (comment.length() == 1 && comment.charAt(0) > 127)) {
      throw new ConfigError(where + ".csv.comment must be empty or one ASCII character, got '" + comment + "'");
    }
    long maxLine = c.getBytes("max-line-size");
    if (maxLine < 1024 || maxLine > 64L << 20) {
      throw new ConfigError(where + ".max-line-size must be between 1 KiB and 64 MiB, got " + maxLine + " bytes");
    }
    return new IngestConfig.Text(charset.name(), oneChar(c, "csv.delimiter", where), oneChar(c, "csv.quote", where),
        oneChar(c, "csv.escape", where), comment, (int) maxLine);
  }

  private static char oneChar(Config c, String path, String where) {
    String value = c.getString(path);
    if (value.length() != 1 || value.charAt(0) > 127 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
      throw new ConfigError(where + "." + path + " must be one ASCII character other than a line break, got '"
          + value + "'");
    }
    return value.charAt(0);
  }

  /** Bound {@code index} (0 = low, 1 = high) of a two-number list, e.g. longitude = [73, 136]. */
  private static double range(Config c, String path, String where, int index) {
    java.util.List<Double> bounds = c.getDoubleList(path);
    if (bounds.size() != 2 || !(bounds.get(0) < bounds.get(1))) {
      throw new ConfigError(where + ".ranges." + path + " must be [low, high] with low < high, got " + bounds);
    }
    return bounds.get(index);
  }

  /** A lower-case enum value (drop, keep, ...), with the allowed values in the error. */
  private static <E extends Enum<E>> E choice(Config c, String path, Class<E> type, String where) {
    String value = c.getString(path);
    for (E e : type.getEnumConstants()) {
      if (e.name().replace('_', '-').equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new ConfigError(where + "." + path + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().replace('_', '-').toLowerCase(java.util.Locale.ROOT)).toList() + ", got " + value);
  }

  private static java.time.LocalDate date(Config c, String path, String where) {
    try {
      return java.time.LocalDate.parse(c.getString(path));
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigError(where + "." + path + " must be a date YYYY-MM-DD, got " + c.getString(path));
    }
  }

  static DetectConfig detect(Config d, RuleSets rules, String where) {
    String primary = d.getString("primary-rule");
    if (!rules.villages().containsKey(primary)) {
      throw new ConfigError(where + ".primary-rule = " + primary + " but there is no village rule " + primary
          + " in taobao-villages.rules.villages");
    }
    List<String> selected = d.getStringList("rules");
    try {
      rules.select(selected);
    } catch (ConfigError e) {
      throw new ConfigError(where + ".rules: " + e.getMessage());
    }
    Config w = d.getConfig("watchlist");
    String watchRule = w.getString("rule");
    if (!rules.villages().containsKey(watchRule)) {
      throw new ConfigError(where + ".watchlist.rule = " + watchRule + ": no such village rule");
    }
    int growth = w.getInt("growth-months");
    int horizon = w.getInt("horizon-months");
    if (growth < 1 || growth > 24 || horizon < 1 || horizon > 120) {
      throw new ConfigError(where + ".watchlist: growth-months must be 1..24 and horizon-months 1..120, got "
          + growth + " and " + horizon);
    }
    var watchlist = new WatchlistConfig(w.getString("version"), watchRule, growth, horizon);
    Config h = d.getConfig("hot-spots");
    String metric = h.getString("metric");
    if (!List.of("sales_rmb", "active_sellers").contains(metric)) {
      throw new ConfigError(where + ".hot-spots.metric must be sales_rmb or active_sellers, got " + metric);
    }
    String hotRule = h.getString("rule");
    if (!rules.villages().containsKey(hotRule)) {
      throw new ConfigError(where + ".hot-spots.rule = " + hotRule + ": no such village rule");
    }
    double km = h.getDouble("distance-km");
    double alpha = h.getDouble("alpha");
    int k = h.getInt("k-nearest");
    if (!(km > 0 && km <= 50) || !(alpha > 0 && alpha < 1) || k < 0) {
      throw new ConfigError(where + ".hot-spots: distance-km must be in (0, 50], alpha in (0, 1) and k-nearest >= 0, "
          + "got " + km + ", " + alpha + " and " + k);
    }
    var hotSpots = new HotSpotConfig(h.getString("version"), hotRule, metric, km, k, alpha, h.getBoolean("fdr"));
    return new DetectConfig(List.copyOf(selected), primary, watchlist, hotSpots);
  }

  private static java.util.Map<String, Double> probabilities(Config c, String key) {
    java.util.Map<String, Double> m = new java.util.HashMap<>();
    for (String region : c.getConfig(key).root().keySet()) {
      m.put(region, c.getConfig(key).getDouble(region));
    }
    return m;
  }

  /** Exact decimal from the number's text as written (HOCON keeps it), so 0.10 stays 0.10. */
  private static BigDecimal decimal(Config c, String key) {
    String text = c.getString(key);
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigError(c.origin().description() + ": " + key + " = '" + text + "' is not a number");
    }
  }


}
