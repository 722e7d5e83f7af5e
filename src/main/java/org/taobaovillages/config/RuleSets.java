package org.taobaovillages.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every rule of {@code conf/rules.conf}, by id: village rules (domain.md section 2), Taobao Town rules,
 * cluster rules and super-sized county rules (section 3). Ids are unique across the four kinds, so
 * {@code --rules A,T1,K} names rules of any kind.
 */
public record RuleSets(Map<String, VillageRule> villages, Map<String, TownRule> towns,
    Map<String, ClusterRule> clusters, Map<String, CountyRule> counties) {

  public RuleSets {
    villages = Map.copyOf(new TreeMap<>(villages));
    towns = Map.copyOf(new TreeMap<>(towns));
    clusters = Map.copyOf(new TreeMap<>(clusters));
    counties = Map.copyOf(new TreeMap<>(counties));
  }

  /** Every rule id, sorted within each kind: village rules first. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>();
    for (Map<String, ?> kind : List.of(villages, towns, clusters, counties)) {
      ids.addAll(new TreeMap<>(kind).keySet());
    }
    return ids;
  }

  public VillageRule village(String id) {
    VillageRule rule = villages.get(id);
    if (rule == null) {
      throw new ConfigError("no village rule " + id + " (the village rules are " + String.join(", ",
          new TreeMap<>(villages).keySet()) + ")");
    }
    return rule;
  }

  /** The village rules in id order. */
  public List<VillageRule> villageRules() {
    return new TreeMap<>(villages).values().stream().toList();
  }

  public List<TownRule> townRules() {
    return new TreeMap<>(towns).values().stream().toList();
  }

  public List<ClusterRule> clusterRules() {
    return new TreeMap<>(clusters).values().stream().toList();
  }

  public List<CountyRule> countyRules() {
    return new TreeMap<>(counties).values().stream().toList();
  }

  /**
   * The rules named (all when {@code ids} is empty), with the village rules the named town, cluster and county
   * rules are built on. An unknown id is an error naming the known ones.
   */
  public RuleSets select(List<String> ids) {
    if (ids.isEmpty()) {
      return this;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String raw : ids) {
      String id = raw.strip();
      if (!ids().contains(id)) {
        throw new ConfigError("no rule " + id + " (the rules are " + String.join(", ", ids()) + ")");
      }
      wanted.add(id);
    }
    Map<String, VillageRule> v = new TreeMap<>();
    Map<String, TownRule> t = new TreeMap<>();
    Map<String, ClusterRule> k = new TreeMap<>();
    Map<String, CountyRule> c = new TreeMap<>();
    for (String id : wanted) {
      if (villages.containsKey(id)) {
        v.put(id, villages.get(id));
      } else if (towns.containsKey(id)) {
        t.put(id, towns.get(id));
        v.put(towns.get(id).villageRule(), village(towns.get(id).villageRule()));
      } else if (clusters.containsKey(id)) {
        k.put(id, clusters.get(id));
        v.put(clusters.get(id).villageRule(), village(clusters.get(id).villageRule()));
      } else {
        c.put(id, counties.get(id));
        v.put(counties.get(id).villageRule(), village(counties.get(id).villageRule()));
      }
    }
    return new RuleSets(v, t, k, c);
  }

  /** The distinct active-seller definitions of the village rules: village metrics are computed once under each. */
  public List<ActiveSeller> activeSellerDefinitions() {
    return villageRules().stream().map(VillageRule::activeSeller).distinct().toList();
  }
}
