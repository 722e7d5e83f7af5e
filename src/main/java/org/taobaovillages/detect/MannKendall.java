package org.taobaovillages.detect;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Mann-Kendall test for a monotonic trend in a series (Mann 1945; Kendall 1975), as used by emerging hot
 * spot analysis on each location's Gi* series:
 *
 * <pre>
 *   S = sum over k &lt; j of sign(x_j - x_k)
 *   Var(S) = [n(n-1)(2n+5) - sum over tie groups of t(t-1)(2t+5)] / 18
 *   Z = (S - 1) / sqrt(Var(S)) if S &gt; 0;  0 if S = 0;  (S + 1) / sqrt(Var(S)) if S &lt; 0
 *   p = 2 (1 - Phi(|Z|)),  tau = S / (n(n-1)/2)
 * </pre>
 */
public final class MannKendall {
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  /** The test's statistics: S, its variance, Z, the two-sided p-value and Kendall's tau. */
  public record Result(long s, double variance, double z, double p, double tau) {}

  private MannKendall() {}

  /** The test on a series in time order; a series of fewer than 3 values has no trend (Z 0, p 1). */
  public static Result test(double[] x) {
    int n = x.length;
    if (n < 3) {
      return new Result(0, 0, 0, 1, 0);
    }
    long s = 0;
    for (int k = 0; k < n - 1; k++) {
      for (int j = k + 1; j < n; j++) {
        s += Double.compare(x[j], x[k]) > 0 ? 1 : Double.compare(x[j], x[k]) < 0 ? -1 : 0;
      }
    }
    Map<Double, Integer> ties = new HashMap<>();
    for (double v : x) {
      ties.merge(v, 1, Integer::sum);
    }
    double tieTerm = 0;
    for (int t : ties.values()) {
      tieTerm += (double) t * (t - 1) * (2 * t + 5);
    }
    double variance = ((double) n * (n - 1) * (2 * n + 5) - tieTerm) / 18.0;
    double z = variance <= 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
    return new Result(s, variance, z, twoSidedP(z), s / (n * (n - 1) / 2.0));
  }

  /** Two-sided p-value of a standard normal score. */
  public static double twoSidedP(double z) {
    return 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z)));
  }
}
