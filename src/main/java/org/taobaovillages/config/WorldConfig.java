package org.taobaovillages.config;

import java.util.List;
import java.util.Map;

/**
 * The world model's parameters (domain.md sections 4 and 5). County factors: sector and migrant entrepreneurs
 * come from census thresholds; governance and return migrants have no public indicator and are drawn per
 * county with probabilities by region (keys: yrd, prd, east, central, west, northeast). Dynamics: capacity per
 * quadrant, diffusion rates after 2016, concentration in townships, minor and declining villages, churn; how
 * capacity follows the industry index; entry of counties without Taobao Villages (programme and neighbour boosts).
 */
public record WorldConfig(
    double sectorManufacturingShare,
    double sectorWholesaleRetailShare,
    double migrantHukouOtherProvinceShare,
    Map<String, Double> interventionistProbability,
    Map<String, Double> returnMigrantProbability,
    double formationLeak,
    Map<String, Double> capacityShare,
    double imitationRate,
    double citySpillover,
    double provinceSpillover,
    double townConcentration,
    double minorVillageShare,
    double liveStreamVillageShare,
    double declineProbability,
    double churnRate,
    double imitationExponent,
    double industryElasticity,
    double maxCapacityShare,
    double programmeBoost,
    double neighbourBoost,
    double singleFactorVillageShare,
    double salesNoise) {

  public static final List<String> REGION_KEYS = List.of("yrd", "prd", "east", "central", "west", "northeast");
  public static final List<String> QUADRANTS = List.of("yrd_type", "prd_type", "coastal_interior", "periphery");
  /**
   * Churn multiplier by the county's quadrant (domain.md section 5): hypo-embedded migrant merchants of the Pearl
   * River Delta type move on when costs rise, live-stream sellers of the periphery come and go, governed markets of
   * the Yangtze River Delta type keep their shops, and hyper-embedded co-villagers of the coastal interiors stay most.
   */
  public static final Map<String, Double> CHURN_FACTORS = Map.of("prd_type", 1.6, "periphery", 1.3, "yrd_type", 0.8,
      "coastal_interior", 0.6);

  public WorldConfig {
    interventionistProbability = Map.copyOf(interventionistProbability);
    returnMigrantProbability = Map.copyOf(returnMigrantProbability);
    capacityShare = Map.copyOf(capacityShare);
    for (String region : REGION_KEYS) {
      if (!interventionistProbability.containsKey(region) || !returnMigrantProbability.containsKey(region)) {
        throw new ConfigError("generate.world: probabilities need every region key " + String.join(", ", REGION_KEYS)
            + "; missing " + region);
      }
    }
    for (String quadrant : QUADRANTS) {
      if (!capacityShare.containsKey(quadrant)) {
        throw new ConfigError("generate.world.capacity-share needs every quadrant " + String.join(", ", QUADRANTS)
            + "; missing " + quadrant);
      }
    }
    share("formation-leak", formationLeak);
    share("minor-village-share", minorVillageShare);
    share("live-stream-village-share", liveStreamVillageShare);
    share("decline-probability", declineProbability);
    share("churn-rate", churnRate);
    double maxChurnFactor = CHURN_FACTORS.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    if (churnRate * maxChurnFactor > 1) {
      throw new ConfigError("generate.world.churn-rate must be at most " + 1 / maxChurnFactor + " (x "
          + maxChurnFactor + " in the county type that churns most must stay a probability), got " + churnRate);
    }
    share("single-factor-village-share", singleFactorVillageShare);
    if (!(salesNoise >= 0 && salesNoise <= 1)) {
      throw new ConfigError("generate.world.sales-noise must be within 0..1 (a log-scale spread), got " + salesNoise);
    }
    share("max-capacity-share", maxCapacityShare);
    if (!(imitationExponent > 0 && imitationExponent <= 1)) {
      throw new ConfigError("generate.world.imitation-exponent must be within (0, 1], got " + imitationExponent);
    }
    if (industryElasticity < 0 || programmeBoost < 1 || neighbourBoost < 1) {
      throw new ConfigError("generate.world: industry-elasticity must not be negative, entry.programme-boost and "
          + "entry.neighbour-boost must be at least 1");
    }
    if (imitationRate < 0 || citySpillover < 0 || provinceSpillover < 0 || townConcentration < 0) {
      throw new ConfigError("generate.world: imitation-rate, city-spillover, province-spillover and "
          + "town-concentration must not be negative");
    }
  }

  /** The same world with another spread of township attractiveness. */
  public WorldConfig withTownConcentration(double sigma) {
    return new WorldConfig(sectorManufacturingShare, sectorWholesaleRetailShare, migrantHukouOtherProvinceShare,
        interventionistProbability, returnMigrantProbability, formationLeak, capacityShare, imitationRate,
        citySpillover, provinceSpillover, sigma, minorVillageShare, liveStreamVillageShare, declineProbability,
        churnRate, imitationExponent, industryElasticity, maxCapacityShare, programmeBoost, neighbourBoost,
        singleFactorVillageShare, salesNoise);
  }

  private static void share(String key, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new ConfigError("generate.world." + key + " must be within 0..1, got " + value);
    }
  }
}
