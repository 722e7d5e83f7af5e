package org.taobaovillages.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

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
 *   <li><b>From 2017</b>: diffusion, not a list, in two parts.
 *       <ul>
 *         <li><b>Entry.</b> A county without Taobao Villages gets its first one when its cumulative hazard
 *             {@code sum_t e_t h_c(t)} passes a fixed exponential draw. The hazard {@code h_c(t)} is zero where the
 *             formation rule does not allow villages; elsewhere it is {@code sqrt(V / 100) I^a} (its size and
 *             industrial base), times the programme boost from the year its government's e-commerce programme
 *             starts, times the neighbour boost when its city already has Taobao Villages. So a county with
 *             strong factors can start with no neighbours, and one without them cannot. One scale {@code e_t}
 *             per year is found by bisection so the number of prefecture-level cities with Taobao Villages meets
 *             the published record (interpolated geometrically between published years).
 *         <li><b>Growth.</b> In a county that has them, the count x grows by
 *             {@code m_y (1 - x/K) [ r x^b K^(1-b) + K (s_city c + s_prov p) ]}: imitation inside the county
 *             plus spill-over from the share of the villages of its city (c) and province (p) that are already
 *             Taobao Villages, both filling the capacity K that is left. With b below 1 an old cluster grows
 *             more slowly for its size than a young one, so later provinces catch up. Capacity follows the
 *             county's industrial base: {@code K = V min(k_max, k_q I^a)}, with V its villages, k_q the
 *             quadrant's capacity share and I the census industry index (manufacturing or wholesale/retail
 *             employment share over the robust-sector threshold). One multiplier m_y per year is found by
 *             bisection so the national total, entries included, meets the published count.
 *       </ul>
 *       Whole villages are {@code floor(x + u)} with a fixed uniform u per county, so a county never loses
 *       villages by rounding.
 * </ul>
 */
public final class CountyTrajectories {
  public static final int FIRST_YEAR = 2009;
  public static final int LAST_YEAR = 2022;
  static final int FIRST_PUBLISHED_COUNTY_YEAR = 2014;
  static final int LAST_PUBLISHED_COUNTY_YEAR = 2016;

  /**
   * One county: its place, size, whether villages may form there, its quadrant's capacity share, its industry
   * index (1 at the robust-sector threshold), the first year of its government's e-commerce programme (0 for
   * none) and its published counts.
   */
  public record County(String code, String city, String province, int villages, boolean formationAllowed,
      double capacityShare, double industry, int programmeYear, int published2014, int published2015,
      int published2016) {
    /** A county at the robust-sector threshold, with no programme. */
    public County(String code, String city, String province, int villages, boolean formationAllowed,
        double capacityShare, int published2014, int published2015, int published2016) {
      this(code, city, province, villages, formationAllowed, capacityShare, 1.0, 0, published2014, published2015,
          published2016);
    }

    int published(int year) {
      return switch (year) {
        case 2014 -> published2014;
        case 2015 -> published2015;
        case 2016 -> published2016;
        default -> throw new IllegalArgumentException("no published county counts for " + year);
      };
    }
  }

  /**
   * Diffusion parameters after 2016: growth (imitation rate and exponent, spill-over from city and province, how
   * strongly capacity and the entry hazard follow the industry index, the largest share of a county's villages
   * that can qualify) and entry (boosts once the county's programme runs and once its city has Taobao Villages).
   */
  public record Diffusion(double imitationRate, double imitationExponent, double citySpillover,
      double provinceSpillover, double industryElasticity, double maxCapacityShare, double programmeBoost,
      double neighbourBoost) {
    /** Logistic growth with capacity from villages alone, entry by size alone. */
    public Diffusion(double imitationRate, double citySpillover, double provinceSpillover) {
      this(imitationRate, 1, citySpillover, provinceSpillover, 0, 1, 1, 1);
    }
  }

  private CountyTrajectories() {}

  /**
   * Counts per county code and year ({@code result.get(code)[year - FIRST_YEAR]}). {@code nationalTargets} holds
   * the published national count for every year; the pre-2014 ones scale the 2014 roster, the post-2016 ones
   * are met by the diffusion multiplier.
   */
  public static Map<String, int[]> compute(List<County> counties, Map<Integer, Integer> nationalTargets,
      Diffusion diffusion, long seed) {
    return compute(counties, nationalTargets, Map.of(), diffusion, seed);
  }

  /**
   * As {@link #compute(List, Map, Diffusion, long)}, with published numbers of prefecture-level cities that have
   * Taobao Villages ({@code cityTargets}, by year): the entry scale of each year after 2016 meets them
   * (interpolated geometrically from the 2016 roster's cities to the next published year). Without a published
   * year after 2016 no county enters.
   */
  public static Map<String, int[]> compute(List<County> counties, Map<Integer, Integer> nationalTargets,
      Map<Integer, Integer> cityTargets, Diffusion diffusion, long seed) {
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
    diffusionYears(counties, counts, nationalTargets, cityTargets, diffusion, seed);
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
      Map<Integer, Integer> cityTargets, Diffusion d, long seed) {
    Map<String, Double> x = new HashMap<>();
    Map<String, Double> u = new HashMap<>();
    Map<String, Double> threshold = new HashMap<>();
    Map<String, Double> hazard = new HashMap<>();
    for (County c : counties) {
      x.put(c.code(), (double) counts.get(c.code())[LAST_PUBLISHED_COUNTY_YEAR - FIRST_YEAR]);
      u.put(c.code(), random(seed, "rounding", c.code()).nextDouble());
      threshold.put(c.code(), -Math.log(1 - random(seed, "entry", c.code()).nextDouble()));
      hazard.put(c.code(), 0.0);
    }
    Map<String, Integer> cityVillages = totals(counties, County::city);
    Map<String, Integer> provinceVillages = totals(counties, County::province);
    Map<Integer, Integer> cities = new HashMap<>(cityTargets);
    cities.putIfAbsent(LAST_PUBLISHED_COUNTY_YEAR, citiesWith(counties, x, List.of()));
    for (int y = LAST_PUBLISHED_COUNTY_YEAR + 1; y <= LAST_YEAR; y++) {
      Map<String, Double> city = new HashMap<>();
      Map<String, Double> province = new HashMap<>();
      for (County c : counties) {
        city.merge(c.city(), x.get(c.code()), Double::sum);
        province.merge(c.province(), x.get(c.code()), Double::sum);
      }
      List<County> entrants = entrants(counties, x, hazard, threshold, city, y,
          cityTarget(cities, y), d);
      Map<String, Double> growth = new HashMap<>();
      for (County c : counties) {
        double xc = x.get(c.code());
        if (!c.formationAllowed() || xc <= 0) {
          continue;
        }
        double k = capacity(c, d);
        // Imitation and spill-over both fill the capacity that is left: a saturated county stops growing.
        double g = Math.max(0, 1 - xc / k) * (d.imitationRate() * Math.pow(xc, d.imitationExponent())
            * Math.pow(k, 1 - d.imitationExponent())
            + k * (d.citySpillover() * city.get(c.city()) / cityVillages.get(c.city())
                + d.provinceSpillover() * province.get(c.province()) / provinceVillages.get(c.province())));
        growth.put(c.code(), g);
      }
      for (County c : entrants) {
        x.put(c.code(), 1.0);
      }
      int target = target(targets, y);
      int previous = total(counties, counts, y - 1) + entrants.size();
      // Bisection on the multiplier: the rounded national total is non-decreasing in m.
      double lo = 0;
      double hi = 1;
      while (hi < 1e6 && rounded(counties, x, growth, u, hi, d) < target) {
        hi *= 2;
      }
      for (int i = 0; i < 60 && target > previous; i++) {
        double mid = (lo + hi) / 2;
        if (rounded(counties, x, growth, u, mid, d) < target) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      double m = target > previous ? hi : 0;
      for (County c : counties) {
        double next = next(c, x, growth, m, d);
        x.put(c.code(), next);
        counts.get(c.code())[y - FIRST_YEAR] = whole(next, u.get(c.code()), c);
      }
    }
  }

  /** Target number of cities with Taobao Villages in a year, or -1 when no later year is published. */
  private static int cityTarget(Map<Integer, Integer> cities, int year) {
    for (int later = year; later <= LAST_YEAR; later++) {
      if (cities.containsKey(later)) {
        return target(cities, year);
      }
    }
    return -1;
  }

  /**
   * The counties that get their first Taobao Village in {@code year}: the smallest entry scale whose entrants
   * bring the cities with Taobao Villages to the target, found by bisection (the count is non-decreasing in the
   * scale). Each county's cumulative hazard is advanced by the chosen scale.
   */
  private static List<County> entrants(List<County> counties, Map<String, Double> x, Map<String, Double> hazard,
      Map<String, Double> threshold, Map<String, Double> city, int year, int cityTarget, Diffusion d) {
    Map<String, Double> h = new HashMap<>();
    for (County c : counties) {
      if (x.get(c.code()) <= 0) {
        h.put(c.code(), hazard(c, year, city.get(c.city()) > 0, d));
      }
    }
    // A target no entry can reach (no allowed county in a new city) is met as far as it can be.
    List<County> possible = counties.stream().filter(c -> h.getOrDefault(c.code(), 0.0) > 0).toList();
    int reachable = Math.min(cityTarget, citiesWith(counties, x, possible));
    double scale = 0;
    if (reachable > citiesWith(counties, x, List.of())) {
      double lo = 0;
      double hi = 1;
      while (citiesWith(counties, x, entering(counties, h, hazard, threshold, hi)) < reachable) {
        hi *= 2;
      }
      for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (citiesWith(counties, x, entering(counties, h, hazard, threshold, mid)) < reachable) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      scale = hi;
    }
    List<County> in = entering(counties, h, hazard, threshold, scale);
    for (var e : h.entrySet()) {
      hazard.merge(e.getKey(), scale * e.getValue(), Double::sum);
    }
    return in;
  }

  private static List<County> entering(List<County> counties, Map<String, Double> h, Map<String, Double> hazard,
      Map<String, Double> threshold, double scale) {
    List<County> in = new ArrayList<>();
    for (County c : counties) {
      Double hc = h.get(c.code());
      if (hc != null && hc > 0 && hazard.get(c.code()) + scale * hc >= threshold.get(c.code())) {
        in.add(c);
      }
    }
    return in;
  }

  private static int citiesWith(List<County> counties, Map<String, Double> x, List<County> entrants) {
    Set<String> cities = new HashSet<>();
    for (County c : counties) {
      if (x.get(c.code()) > 0) {
        cities.add(c.city());
      }
    }
    entrants.forEach(c -> cities.add(c.city()));
    return cities.size();
  }

  /**
   * A county's entry hazard in a year, before the year's scale: zero where formation is not allowed, else its
   * entry weight (the square root of its villages over 100: more villages, more chances that one starts; times
   * its industry index to the elasticity: a base to source from or produce in), times the programme boost from
   * its programme's first year, times the neighbour boost when its city already has Taobao Villages.
   */
  static double hazard(County c, int year, boolean cityHasTaobaoVillages, Diffusion d) {
    if (!c.formationAllowed()) {
      return 0;
    }
    double h = Math.sqrt(c.villages() / 100.0) * Math.pow(c.industry(), d.industryElasticity());
    if (c.programmeYear() > 0 && year >= c.programmeYear()) {
      h *= d.programmeBoost();
    }
    return cityHasTaobaoVillages ? h * d.neighbourBoost() : h;
  }

  /** Capacity: the quadrant's share of the county's villages scaled by its industry index, within bounds. */
  static double capacity(County c, Diffusion d) {
    double share = Math.min(d.maxCapacityShare(), c.capacityShare() * Math.pow(c.industry(), d.industryElasticity()));
    return Math.max(1.0, c.villages() * share);
  }

  private static double next(County c, Map<String, Double> x, Map<String, Double> growth, double m, Diffusion d) {
    double xc = x.get(c.code());
    Double g = growth.get(c.code());
    return g == null ? xc : Math.max(xc, Math.min(capacity(c, d), xc + m * g));
  }

  private static int whole(double x, double u, County c) {
    return (int) Math.min(c.villages(), Math.floor(x + u * Math.min(1, x)));
  }

  private static long rounded(List<County> counties, Map<String, Double> x, Map<String, Double> growth,
      Map<String, Double> u, double m, Diffusion d) {
    long sum = 0;
    for (County c : counties) {
      sum += whole(next(c, x, growth, m, d), u.get(c.code()), c);
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

  private static Map<String, Integer> totals(List<County> counties, Function<County, String> key) {
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
