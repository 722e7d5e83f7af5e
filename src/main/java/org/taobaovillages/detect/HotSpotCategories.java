package org.taobaovillages.detect;

/**
 * The categories of emerging hot spot analysis, as ArcGIS Pro defines them ("How Emerging Hot Spot Analysis
 * works"; R's sfdep follows it), for one location's series of Gi* scores in time order, each with whether it is
 * significant and the Mann-Kendall trend of the scores. "Hot" at a step: significant with a positive score;
 * "cold": significant with a negative one. With the final step hot:
 *
 * <ul>
 *   <li>new: never hot before;
 *   <li>consecutive: a run of at least two hot steps at the end, never hot before it, under 90 % of steps hot;
 *   <li>intensifying / persistent / diminishing: at least 90 % of steps hot, and a significant upward trend / no
 *       significant trend / a significant downward trend;
 *   <li>sporadic: under 90 % hot, on and off, never cold; oscillating: under 90 % hot, cold at some earlier step.
 * </ul>
 *
 * The same for cold with the signs swapped. With the final step not significant: historical (at least 90 % of
 * steps hot, or cold), else no pattern detected.
 */
public final class HotSpotCategories {
  public static final String NO_PATTERN = "no pattern detected";

  private HotSpotCategories() {}

  /**
   * @param z Gi* scores in time order
   * @param significant whether each score is significant (after the false-discovery-rate correction)
   * @param trend the Mann-Kendall test of the scores
   * @param alpha significance level of the trend
   */
  public static String classify(double[] z, boolean[] significant, MannKendall.Result trend, double alpha) {
    int n = z.length;
    if (n == 0) {
      return NO_PATTERN;
    }
    int last = n - 1;
    boolean lastHot = significant[last] && z[last] > 0;
    boolean lastCold = significant[last] && z[last] < 0;
    if (lastHot || lastCold) {
      String kind = lastHot ? "hot spot" : "cold spot";
      int sign = lastHot ? 1 : -1;
      int same = count(z, significant, sign);
      boolean opposite = count(z, significant, -sign) > 0;
      boolean mostly = same >= 0.9 * n;
      if (mostly) {
        boolean trendSignificant = trend.p() < alpha && trend.z() != 0;
        // Intensifying: clustering of high values growing (hot, upward) or of low values deepening (cold, downward).
        if (trendSignificant && Math.signum(trend.z()) == sign) {
          return "intensifying " + kind;
        }
        if (trendSignificant) {
          return "diminishing " + kind;
        }
        return "persistent " + kind;
      }
      if (same == 1) {
        return "new " + kind;
      }
      int run = 0;
      while (run < n && is(z, significant, last - run, sign)) {
        run++;
      }
      if (run >= 2 && run == same) {
        return "consecutive " + kind;
      }
      return (opposite ? "oscillating " : "sporadic ") + kind;
    }
    if (count(z, significant, 1) >= 0.9 * n) {
      return "historical hot spot";
    }
    if (count(z, significant, -1) >= 0.9 * n) {
      return "historical cold spot";
    }
    return NO_PATTERN;
  }

  private static boolean is(double[] z, boolean[] significant, int i, int sign) {
    return significant[i] && Math.signum(z[i]) == sign;
  }

  private static int count(double[] z, boolean[] significant, int sign) {
    int c = 0;
    for (int i = 0; i < z.length; i++) {
      c += is(z, significant, i, sign) ? 1 : 0;
    }
    return c;
  }
}
