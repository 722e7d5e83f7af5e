package org.taobaovillages.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How many Taobao Villages each county has in each year: the calibration core of the world model. Plain Java on
 * the driver over one record per county (China has about 2,900 counties with village committees, a bounded
 * set), so it is unit-testable and identical however Spark is laid out.
 *
 * <ul>
 *   <li><b>2014-2016</b>: the published per-county counts (AliResearch rosters), capped at the county's villages.
 *   <li><b>Before 2014</b>: the first villages (3 in 2009, 20 in 2013; 2010-2012 interpolated geometrically) are
 *       a nested subset of the 2014 roster: the 2014 slots (county, k) are ordered once by a random key that
 *       favours the larger 2014 counties, and year y takes the first T(y) slots.
 *   <li><b>From 2017</b>: diffusion, not a list. In every county the formation rule allows, the count x grows by
 *       {@code m_y [ r x (1 - x/K) + K (s_city c + s_prov p) ]}: logistic imitation inside the county up to a
 *       capacity K (its villages times the quadrant's capacity share) plus spill-over from the share of the
 *       villages of its city (c) and province (p) that are already Taobao Villages. One multiplier m_y per year
 *       is found by bisection so the national total meets the published count; whole villages are
 *       {@code floor(x + u)} with a fixed uniform u per county, so a county never loses villages by rounding.
 * </ul>
 */
public final class CountyTrajectories {
  public static final int FIRST_YEAR = 2009;
  public static final int LAST_YEAR = 2022;
  static final int FIRST_PUBLISHED_COUNTY_YEAR = 2014;
  static final int LAST_PUBLISHED_COUNTY_YEAR = 2016;

  /** One county: its place, size, whether villages may form there, its capacity share and published counts. */
  public record County(String code, String city, String province, int villages, boolean formationAllowed,
      double capacityShare, int published2014, int published2015, int published2016) {
    int published(int year) {
      return switch (year) {
        case 2014 -> published2014;
        case 2015 -> published2015;
        case 2016 -> published2016;
        default -> throw new IllegalArgumentException("no published county counts for " + year);
      };
    }
  }

  /** Diffusion parameters after 2016. */
  public record Diffusion(double imitationRate, double citySpillover, double provinceSpillover) {}

  private CountyTrajectories() {}

  /**
   * Counts per county code and year ({@code result.get(code)[year - FIRST_YEAR]}). {@code nationalTargets} holds
   * the published national count for every year; the pre-2014 ones scale the 2014 roster, the post-2016 ones
   * are met by the diffusion multiplier.
   */
  public static Map<String, int[]> compute(List<County> counties, Map<Integer, Integer> nationalTargets,
      Diffusion diffusion, long seed) {
    int years = LAST_YEAR - FIRST_YEAR + 1;
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (County c : counties) {
      int[] n = new int[years];
      for (int y = FIRST_PUBLISHED_COUNTY_YEAR; y <= LAST_PUBLISHED_COUNTY_YEAR; y++) {
        n[y - FIRST_YEAR] = Math.min(c.villages(), c.published(y));
      }
      counts.put(c.code(), n);
    }
    earlyYears(counties, counts, nationalTargets, seed);
    diffusionYears(counties, counts, nationalTargets, diffusion, seed);
    return counts;
  }

  /** National target for a year: published, or geometric interpolation between the published neighbours. */
  public static int target(Map<Integer, Integer> published, int year) {
    if (published.containsKey(year)) {
      return published.get(year);
    }
    int before = year;
    while (!published.containsKey(before)) {
      before--;
      if (before < FIRST_YEAR) {
        throw new IllegalArgumentException("no published count at or before " + year);
      }
    }
    int after = year;
    while (!published.containsKey(after)) {
      after++;
      if (after > LAST_YEAR) {
        throw new IllegalArgumentException("no published count at or after " + year);
      }
    }
    double a = published.get(before);
    double b = published.get(after);
    return (int) Math.round(a * Math.pow(b / a, (double) (year - before) / (after - before)));
  }

  private static void earlyYears(List<County> counties, Map<String, int[]> counts, Map<Integer, Integer> targets,
      long seed) {
    record Slot(String county, double key) {}
    List<Slot> slots = new ArrayList<>();
    for (County c : counties) {
      int n = counts.get(c.code())[FIRST_PUBLISHED_COUNTY_YEAR - FIRST_YEAR];
      SplittableRandom r = random(seed, "early", c.code());
      for (int k = 0; k < n; k++) {
        // Exponential race: a county with n slots holds its first slot earlier the larger n is.
        slots.add(new Slot(c.code(), -Math.log(1 - r.nextDouble()) / n * (k + 1)));
      }
    }
    slots.sort(Comparator.comparingDouble(Slot::key).thenComparing(Slot::county));
    int roster2014 = slots.size();
    int published2014 = target(targets, FIRST_PUBLISHED_COUNTY_YEAR);
    for (int y = FIRST_YEAR; y < FIRST_PUBLISHED_COUNTY_YEAR; y++) {
      // Scaled to the counties given (the whole country, or the part that is generated).
      int take = (int) Math.round(target(targets, y) * (double) roster2014 / Math.max(1, published2014));
      for (Slot s : slots.subList(0, Math.min(take, slots.size()))) {
        counts.get(s.county())[y - FIRST_YEAR]++;
      }
    }
  }

  private static void diffusionYears(List<County> counties, Map<String, int[]> counts, Map<Integer, Integer> targets,
      Diffusion d, long seed) {
    Map<String, Double> x = new HashMap<>();
    Map<String, Double> u = new HashMap<>();
    for (County c : counties) {
      x.put(c.code(), (double) counts.get(c.code())[LAST_PUBLISHED_COUNTY_YEAR - FIRST_YEAR]);
      u.put(c.code(), random(seed, "rounding", c.code()).nextDouble());
    }
    Map<String, Integer> cityVillages = totals(counties, County::city);
    Map<String, Integer> provinceVillages = totals(counties, County::province);
    for (int y = LAST_PUBLISHED_COUNTY_YEAR + 1; y <= LAST_YEAR; y++) {
      Map<String, Double> city = new HashMap<>();
      Map<String, Double> province = new HashMap<>();
      for (County c : counties) {
        city.merge(c.city(), x.get(c.code()), Double::sum);
        province.merge(c.province(), x.get(c.code()), Double::sum);
      }
      Map<String, Double> growth = new HashMap<>();
      for (County c : counties) {
        if (!c.formationAllowed()) {
          continue;
        }
        double k = capacity(c);
        double xc = x.get(c.code());
        double g = d.imitationRate() * xc * Math.max(0, 1 - xc / k)
            + k * (d.citySpillover() * city.get(c.city()) / cityVillages.get(c.city())
                + d.provinceSpillover() * province.get(c.province()) / provinceVillages.get(c.province()));
        growth.put(c.code(), g);
      }
      int target = target(targets, y);
      int previous = total(counties, counts, y - 1);
      // Bisection on the multiplier: the rounded national total is non-decreasing in m.
      double lo = 0;
      double hi = 1;
      while (hi < 1e6 && rounded(counties, x, growth, u, hi) < target) {
        hi *= 2;
      }
      for (int i = 0; i < 60 && target > previous; i++) {
        double mid = (lo + hi) / 2;
        if (rounded(counties, x, growth, u, mid) < target) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      double m = target > previous ? hi : 0;
      for (County c : counties) {
        double next = next(c, x, growth, m);
        x.put(c.code(), next);
        counts.get(c.code())[y - FIRST_YEAR] = whole(next, u.get(c.code()), c);
      }
    }
  }

  static double capacity(County c) {
    return Math.max(1.0, c.villages() * c.capacityShare());
  }

  private static double next(County c, Map<String, Double> x, Map<String, Double> growth, double m) {
    double xc = x.get(c.code());
    Double g = growth.get(c.code());
    return g == null ? xc : Math.max(xc, Math.min(capacity(c), xc + m * g));
  }

  private static int whole(double x, double u, County c) {
    return (int) Math.min(c.villages(), Math.floor(x + u * Math.min(1, x)));
  }

  private static long rounded(List<County> counties, Map<String, Double> x, Map<String, Double> growth,
      Map<String, Double> u, double m) {
    long sum = 0;
    for (County c : counties) {
      sum += whole(next(c, x, growth, m), u.get(c.code()), c);
    }
    return sum;
  }

  private static int total(List<County> counties, Map<String, int[]> counts, int year) {
    int sum = 0;
    for (County c : counties) {
      sum += counts.get(c.code())[year - FIRST_YEAR];
    }
    return sum;
  }

  private static Map<String, Integer> totals(List<County> counties, java.util.function.Function<County, String> key) {
    Map<String, Integer> totals = new HashMap<>();
    for (County c : counties) {
      totals.merge(key.apply(c), c.villages(), Integer::sum);
    }
    return totals;
  }

  private static SplittableRandom random(long seed, String salt, String key) {
    return new SplittableRandom(seed * 31 + (salt + ":" + key).hashCode() * 0x9E3779B97F4A7C15L);
  }
}
