package org.taobaovillages.config;

/** Size and shape of the synthetic world written by {@code generate}. */
public record GenerateConfig(
    long seed,
    int counties,
    int villagesPerCounty,
    int villagesPerTown,
    int firstYear,
    int lastYear,
    double meanOrderRmb) {

  public GenerateConfig {
    if (counties < 1 || counties > 99) {
      throw new ConfigError("generate.counties must be between 1 and 99, got " + counties);
    }
    if (villagesPerTown < 1 || villagesPerTown > 199) {
      throw new ConfigError("generate.villages-per-town must be between 1 and 199, got " + villagesPerTown);
    }
    if (villagesPerCounty < 1 || villagesPerCounty > villagesPerTown * 999L) {
      throw new ConfigError("generate.villages-per-county must be between 1 and 999 x villages-per-town, got "
          + villagesPerCounty);
    }
    if (firstYear < 2003 || lastYear < firstYear) {
      throw new ConfigError("generate years must satisfy 2003 <= first-year <= last-year, got "
          + firstYear + ".." + lastYear);
    }
    if (meanOrderRmb <= 0) {
      throw new ConfigError("generate.mean-order-rmb must be positive, got " + meanOrderRmb);
    }
  }

  public GenerateConfig withSeed(long newSeed) {
    return new GenerateConfig(newSeed, counties, villagesPerCounty, villagesPerTown, firstYear, lastYear,
        meanOrderRmb);
  }
}
