package org.taobaovillages.config;

/**
 * A versioned cluster rule: villages qualifying under {@code villageRule} are linked when their registry points
 * are at most {@code distanceKm} apart; a connected group of at least {@code minVillages} is a cluster, of at
 * least {@code largeMinVillages} a large one.
 */
public record ClusterRule(String id, String version, String description, String source, String villageRule,
    double distanceKm, int minVillages, int largeMinVillages) {

  public String describe() {
    return "connected qualifying villages (links <= " + distanceKm + " km) >= " + minVillages + ", large >= "
        + largeMinVillages + "; villages under rule " + villageRule;
  }
}
