package org.taobaovillages.config;

import java.util.Map;

/**
 * The county factors of the world model (domain.md section 4). Sector and migrant entrepreneurs come from
 * census thresholds; governance and return migrants have no public indicator and are drawn per county with
 * probabilities by region (keys: yrd, prd, east, central, west, northeast).
 */
public record WorldConfig(
    double sectorManufacturingShare,
    double sectorWholesaleRetailShare,
    double migrantHukouOtherProvinceShare,
    Map<String, Double> interventionistProbability,
    Map<String, Double> returnMigrantProbability,
    double formationLeak) {

  public WorldConfig {
    interventionistProbability = Map.copyOf(interventionistProbability);
    returnMigrantProbability = Map.copyOf(returnMigrantProbability);
    for (String region : WorldConfig.REGION_KEYS) {
      if (!interventionistProbability.containsKey(region) || !returnMigrantProbability.containsKey(region)) {
        throw new ConfigError("generate.world: probabilities need every region key " + String.join(", ", REGION_KEYS)
            + "; missing " + region);
      }
    }
    if (formationLeak < 0 || formationLeak > 1) {
      throw new ConfigError("generate.world.formation-leak must be within 0..1, got " + formationLeak);
    }
  }

  public static final java.util.List<String> REGION_KEYS = java.util.List.of("yrd", "prd", "east", "central", "west", "northeast");
}
