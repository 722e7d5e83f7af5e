package org.taobaovillages.config;

import java.util.List;

/**
 * What {@code generate} writes: which counties (a share of the country by {@code scale}, or an explicit list),
 * which years, and the knobs of the order feed (price scale, refunds, dirty rows). The world model's own
 * parameters are in {@link WorldConfig}.
 *
 * @param scale share of the country's villages to generate, 0 < scale <= 1, as whole counties
 * @param counties explicit 6-digit county codes; when not empty they replace {@code scale}
 * @param priceScale multiplies every unit price: the same sales in fewer, larger orders (small test worlds)
 * @param refundRate refunded or cancelled orders per sale order (they carry no sales)
 * @param dirtyRate planted defective rows per clean row (duplicates, bad keys, bad values)
 * @param lateRate clean orders delivered one to three months after their order month
 */
public record GenerateConfig(
    long seed,
    int firstYear,
    int lastYear,
    double scale,
    List<String> counties,
    double priceScale,
    double refundRate,
    double dirtyRate,
    double lateRate) {

  public static final int MODEL_FIRST_YEAR = 2009;
  public static final int MODEL_LAST_YEAR = 2022;

  public GenerateConfig {
    counties = List.copyOf(counties);
    if (firstYear < MODEL_FIRST_YEAR || lastYear > MODEL_LAST_YEAR || lastYear < firstYear) {
      throw new ConfigError("generate years must satisfy " + MODEL_FIRST_YEAR + " <= first-year <= last-year <= "
          + MODEL_LAST_YEAR + " (the years the world model covers), got " + firstYear + ".." + lastYear);
    }
    if (!(scale > 0 && scale <= 1)) {
      throw new ConfigError("generate.scale must be within (0, 1], got " + scale);
    }
    for (String c : counties) {
      if (!c.matches("\\d{6}")) {
        throw new ConfigError("generate.counties: '" + c + "' is not a 6-digit county code");
      }
    }
    if (!(priceScale > 0)) {
      throw new ConfigError("generate.price-scale must be positive, got " + priceScale);
    }
    for (double rate : new double[] {refundRate, dirtyRate, lateRate}) {
      if (!(rate >= 0 && rate <= 0.5)) {
        throw new ConfigError("generate rates (refund-rate, dirty-rate, late-rate) must be within 0..0.5, got " + rate);
      }
    }
  }

  public GenerateConfig withSeed(long newSeed) {
    return new GenerateConfig(newSeed, firstYear, lastYear, scale, counties, priceScale, refundRate, dirtyRate,
        lateRate);
  }

  public GenerateConfig withScale(double newScale) {
    return new GenerateConfig(seed, firstYear, lastYear, newScale, List.of(), priceScale, refundRate, dirtyRate,
        lateRate);
  }

  public GenerateConfig withCounties(List<String> codes) {
    return new GenerateConfig(seed, firstYear, lastYear, scale, codes, priceScale, refundRate, dirtyRate, lateRate);
  }
}
