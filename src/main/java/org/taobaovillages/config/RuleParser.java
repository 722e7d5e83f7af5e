package org.taobaovillages.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.taobaovillages.table.SellerAccounts;

/** Parses {@code taobao-villages.rules} (conf/rules.conf) into {@link RuleSets}, checking every reference. */
final class RuleParser {
  static final List<String> VILLAGE_KINDS = List.of("taobao_village", "ecommerce_village");

  private RuleParser() {}

  static RuleSets parse(Config rules, String where) {
    Map<String, VillageRule> villages = new TreeMap<>();
    Map<String, TownRule> towns = new TreeMap<>();
    Map<String, ClusterRule> clusters = new TreeMap<>();
    Map<String, CountyRule> counties = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    for (var kind : List.of("villages", "towns", "clusters", "counties")) {
      if (!rules.hasPath(kind)) {
        continue;
      }
      Config group = rules.getConfig(kind);
      for (String id : group.root().keySet()) {
        String at = where + "." + kind + "." + id;
        if (!id.matches("[A-Za-z][A-Za-z0-9_]*")) {
          throw new ConfigError(at + ": a rule id is a letter followed by letters, digits or _");
        }
        if (!ids.add(id)) {
          throw new ConfigError(at + ": rule id " + id + " is used twice (ids are unique across rule kinds)");
        }
        Config r = group.getConfig(ConfigUtil.joinPath(id));
        switch (kind) {
          case "villages" -> villages.put(id, village(id, r, at));
          case "towns" -> towns.put(id, town(id, r, at));
          case "clusters" -> clusters.put(id, cluster(id, r, at));
          default -> counties.put(id, county(id, r, at));
        }
      }
    }
    if (villages.isEmpty()) {
      throw new ConfigError(where + ".villages: no village rule");
    }
    RuleSets sets = new RuleSets(villages, towns, clusters, counties);
    towns.forEach((id, t) -> checkVillageRule(sets, t.villageRule(), where + ".towns." + id));
    clusters.forEach((id, c) -> checkVillageRule(sets, c.villageRule(), where + ".clusters." + id));
    counties.forEach((id, c) -> checkVillageRule(sets, c.villageRule(), where + ".counties." + id));
    return sets;
  }

  private static void checkVillageRule(RuleSets sets, String villageRule, String at) {
    if (!sets.villages().containsKey(villageRule)) {
      throw new ConfigError(at + ".village-rule = " + villageRule + ": no such village rule (the village rules are "
          + String.join(", ", new TreeMap<>(sets.villages()).keySet()) + ")");
    }
  }

  static VillageRule village(String id, Config r, String at) {
    String kind = r.getString("kind");
    if (!VILLAGE_KINDS.contains(kind)) {
      throw new ConfigError(at + ".kind must be one of " + VILLAGE_KINDS + ", got " + kind);
    }
    Config a = r.getConfig("active-seller");
    var active = new ActiveSeller(a.getLong("min-paid-orders"), decimal(a, "min-sales-rmb", at + ".active-seller"));
    Criterion households = r.hasPath("household-share") ? criterion(r, "household-share", "threshold", at) : null;
    if (households != null && households.threshold().compareTo(BigDecimal.ONE) > 0) {
      throw new ConfigError(at + ".household-share.threshold is a share between 0 and 1, got "
          + households.threshold().toPlainString());
    }
    PlatformCondition platform = null;
    if (r.hasPath("platform")) {
      Config p = r.getConfig("platform");
      List<String> platforms = p.getStringList("platforms");
      for (String name : platforms) {
        if (!SellerAccounts.PLATFORMS.contains(name)) {
          throw new ConfigError(at + ".platform.platforms: '" + name + "' is not a platform (the platforms are "
              + String.join(", ", SellerAccounts.PLATFORMS) + ")");
        }
      }
      platform = new PlatformCondition(List.copyOf(platforms), new Criterion(
          Comparison.parse(p.getString("operator"), at + ".platform.operator"), decimal(p, "share", at + ".platform")));
    }
    return new VillageRule(id, r.getString("version"), kind, r.getString("description"), r.getString("source"), active,
        criterion(r, "sales", "threshold-rmb", at), criterion(r, "active-shops", "threshold", at), households, platform);
  }

  static TownRule town(String id, Config r, String at) {
    boolean widened = r.hasPath("sales") || r.hasPath("active-shops");
    if (widened && !(r.hasPath("sales") && r.hasPath("active-shops"))) {
      throw new ConfigError(at + ": the widened town definition needs both sales and active-shops");
    }
    return new TownRule(id, r.getString("version"), r.getString("description"), r.getString("source"),
        r.getString("village-rule"), positive(r, "min-villages", at),
        widened ? criterion(r, "sales", "threshold-rmb", at) : null,
        widened ? criterion(r, "active-shops", "threshold", at) : null);
  }

  static ClusterRule cluster(String id, Config r, String at) {
    double km = r.getDouble("distance-km");
    if (!(km > 0 && km <= 50)) {
      throw new ConfigError(at + ".distance-km must be above 0 and at most 50, got " + km);
    }
    int min = positive(r, "min-villages", at);
    int large = positive(r, "large-min-villages", at);
    if (large < min) {
      throw new ConfigError(at + ".large-min-villages (" + large + ") is below min-villages (" + min + ")");
    }
    return new ClusterRule(id, r.getString("version"), r.getString("description"), r.getString("source"),
        r.getString("village-rule"), km, min, large);
  }

  static CountyRule county(String id, Config r, String at) {
    return new CountyRule(id, r.getString("version"), r.getString("description"), r.getString("source"),
        r.getString("village-rule"), criterion(r, "villages", "threshold", at));
  }

  private static int positive(Config r, String key, String at) {
    int n = r.getInt(key);
    if (n < 1) {
      throw new ConfigError(at + "." + key + " must be at least 1, got " + n);
    }
    return n;
  }

  static Criterion criterion(Config r, String name, String thresholdKey, String at) {
    Config c = r.getConfig(name);
    Comparison op = Comparison.parse(c.getString("operator"), at + "." + name + ".operator");
    BigDecimal threshold = decimal(c, thresholdKey, at + "." + name);
    if (threshold.signum() < 0) {
      throw new ConfigError(at + "." + name + "." + thresholdKey + " must not be negative, got " + threshold);
    }
    return new Criterion(op, threshold);
  }

  /** Exact decimal from the number's text as written (HOCON keeps it), so 0.10 stays 0.10. */
  static BigDecimal decimal(Config c, String key, String at) {
    String text = c.getString(key);
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigError(at + "." + key + " = '" + text + "' is not a number");
    }
  }
}
