package org.taobaovillages.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taobaovillages.generate.CountyTrajectories.County;
import org.taobaovillages.generate.CountyTrajectories.Diffusion;

/** The calibration core in plain Java, on a made-up country whose expected figures are worked out by hand. */
class CountyTrajectoriesTest {
  static final Diffusion DIFFUSION = new Diffusion(0.5, 0.6, 0.15);

  /** Published national series of the reference data (national_by_year.csv). */
  static Map<Integer, Integer> national() {
    Map<Integer, Integer> m = new HashMap<>();
    int[][] rows = {{2009, 3}, {2013, 20}, {2014, 212}, {2015, 780}, {2016, 1311}, {2017, 2118}, {2018, 3202},
        {2019, 4310}, {2020, 5425}, {2021, 7023}, {2022, 7780}};
    for (int[] r : rows) {
      m.put(r[0], r[1]);
    }
    return m;
  }

  /**
   * A country of 60 counties in 6 cities of 2 provinces: province 33 has Taobao Villages (published counts
   * adding up to the national 212 / 780 / 1311), province 62 has none and its counties may not form.
   */
  static List<County> country() {
    List<County> counties = new ArrayList<>();
    int[] p2014 = new int[30];
    int[] p2015 = new int[30];
    int[] p2016 = new int[30];
    // 212 = 10 counties x 20 + 12 in county 10; 780 = 26 x 30; 1311 = 30 x 43 + 21.
    for (int i = 0; i < 10; i++) {
      p2014[i] = 20;
    }
    p2014[10] = 12;
    for (int i = 0; i < 26; i++) {
      p2015[i] = 30;
    }
    for (int i = 0; i < 30; i++) {
      p2016[i] = 43;
    }
    p2016[0] += 21;
    for (int i = 0; i < 30; i++) {
      String code = String.format("33%02d%02d", i / 10 + 1, i % 10 + 1);
      counties.add(new County(code, code.substring(0, 4), "33", 600, true, 0.45, p2014[i], p2015[i], p2016[i]));
    }
    for (int i = 0; i < 30; i++) {
      String code = String.format("62%02d%02d", i / 10 + 1, i % 10 + 1);
      counties.add(new County(code, code.substring(0, 4), "62", 300, false, 0.10, 0, 0, 0));
    }
    return counties;
  }

  static int total(Map<String, int[]> counts, int year) {
    return counts.values().stream().mapToInt(c -> c[year - CountyTrajectories.FIRST_YEAR]).sum();
  }

  @Test
  void interpolatesTheUnpublishedEarlyYearsGeometrically() {
    // 3 x (20/3)^(k/4): 4.82, 7.75, 12.45.
    assertEquals(5, CountyTrajectories.target(national(), 2010));
    assertEquals(8, CountyTrajectories.target(national(), 2011));
    assertEquals(12, CountyTrajectories.target(national(), 2012));
    assertEquals(20, CountyTrajectories.target(national(), 2013));
  }

  @Test
  void publishedYearsAreTheRosterAndEarlyYearsANestedPart() {
    List<County> country = country();
    Map<String, int[]> counts = CountyTrajectories.compute(country, national(), DIFFUSION, 1);
    for (County c : country) {
      int[] n = counts.get(c.code());
      assertEquals(c.published2014(), n[2014 - 2009], c.code());
      assertEquals(c.published2015(), n[2015 - 2009], c.code());
      assertEquals(c.published2016(), n[2016 - 2009], c.code());
      for (int y = 2009; y < 2014; y++) {
        assertTrue(n[y - 2009] <= n[y + 1 - 2009], c.code() + " grows to its 2014 count");
      }
    }
    // The whole country's roster is the published 212, so the early years are the national figures.
    assertEquals(3, total(counts, 2009));
    assertEquals(5, total(counts, 2010));
    assertEquals(20, total(counts, 2013));
    assertEquals(212, total(counts, 2014));
    assertEquals(1311, total(counts, 2016));
  }

  @Test
  void laterYearsMeetTheNationalSeriesByDiffusionWhereFormationIsAllowed() {
    List<County> country = country();
    Map<String, int[]> counts = CountyTrajectories.compute(country, national(), DIFFUSION, 1);
    int[] published = {2118, 3202, 4310, 5425, 7023, 7780};
    for (int y = 2017; y <= 2022; y++) {
      int t = total(counts, y);
      // Whole villages per county: the bisection stops at the first total reaching the target, a county's step
      // can add a few at once.
      assertTrue(t >= published[y - 2017] && t <= published[y - 2017] + 10, y + ": " + t);
    }
    for (County c : country) {
      int[] n = counts.get(c.code());
      for (int y = 2017; y <= 2022; y++) {
        assertTrue(n[y - 2009] >= n[y - 1 - 2009], c.code() + " never loses villages by diffusion");
        assertTrue(n[y - 2009] <= 600 * 0.45 + 1, c.code() + " stays within its capacity");
      }
      if (!c.formationAllowed()) {
        assertEquals(0, n[2022 - 2009], c.code() + ": formation not allowed");
      }
    }
  }

  @Test
  void withoutPublishedCitiesNoCountyStartsAfter2016() {
    List<County> country = new ArrayList<>(country());
    // A formation-allowed county with no published villages, in a city that has them.
    country.add(new County("330111", "3301", "33", 600, true, 0.45, 0, 0, 0));
    Map<String, int[]> counts = CountyTrajectories.compute(country, national(), DIFFUSION, 1);
    assertEquals(0, counts.get("330111")[2022 - 2009], "growth only where villages are; entry needs city targets");
  }

  /** Entry parameters: programme boost 3, neighbour boost 2 (growth as {@link #DIFFUSION}). */
  static final Diffusion ENTRY = new Diffusion(0.5, 1, 0.6, 0.15, 0, 1, 3, 2);

  @Test
  void theEntryHazardIsTheWeightTimesTheProgrammeAndNeighbourBoosts() {
    County strong = new County("650101", "6501", "65", 400, true, 0.25, 1.0, 2018, 0, 0, 0);
    // By hand: weight sqrt(400 / 100) x 1.0^0 = 2; x3 from the programme's first year 2018; x2 once the city
    // has Taobao Villages.
    assertEquals(2.0, CountyTrajectories.hazard(strong, 2017, false, ENTRY), 1e-12);
    assertEquals(6.0, CountyTrajectories.hazard(strong, 2018, false, ENTRY), 1e-12);
    assertEquals(4.0, CountyTrajectories.hazard(strong, 2017, true, ENTRY), 1e-12);
    assertEquals(12.0, CountyTrajectories.hazard(strong, 2019, true, ENTRY), 1e-12);
    County barred = new County("620101", "6201", "62", 400, false, 0.10, 1.0, 2016, 0, 0, 0);
    assertEquals(0.0, CountyTrajectories.hazard(barred, 2019, true, ENTRY), "formation not allowed: no entry at all");
  }

  @Test
  void aCountyWithStrongFactorsAndNoNeighboursStartsWhenThePublishedCitiesNeedIt() {
    List<County> country = new ArrayList<>(country());
    // Alone in its city and province (no neighbour has Taobao Villages), formation allowed, with a programme.
    country.add(new County("650101", "6501", "65", 400, true, 0.25, 1.0, 2017, 0, 0, 0));
    // The 2016 roster has 3 cities (3301-3303); the published 2022 figure asks for 5, but the only other county
    // that could add a city lies in province 62, where formation is not allowed.
    Map<String, int[]> counts = CountyTrajectories.compute(country, national(), Map.of(2022, 5), ENTRY, 1);
    assertEquals(0, counts.get("650101")[2016 - 2009]);
    // Geometric interpolation 3 -> 5 over six years: 3.27, 3.56, 3.87, 4.22, 4.59, 5 rounds to 3, 4, 4, 4, 5, 5:
    // one new city is needed in 2018, and only 650101 can give it.
    assertEquals(0, counts.get("650101")[2017 - 2009]);
    assertEquals(1, counts.get("650101")[2018 - 2009], "the entry gives the county its first Taobao Village");
    assertTrue(counts.get("650101")[2022 - 2009] >= 1);
    for (County c : country) {
      if (!c.formationAllowed()) {
        assertEquals(0, counts.get(c.code())[2022 - 2009], c.code() + ": no factors, no entry, though cities lack");
      }
    }
    // Entries count towards the national series, which is still met.
    assertTrue(total(counts, 2022) >= 7780 && total(counts, 2022) <= 7790, "national 2022: " + total(counts, 2022));
  }

  @Test
  void capacityFollowsTheIndustryIndexWithinItsBounds() {
    Diffusion industrial = new Diffusion(0.5, 0.5, 0.6, 0.02, 1.5, 0.9, 1, 1);
    // By hand: 100 villages x min(0.9, 0.40 x I^1.5); I = 1: 40; I = 0.5: 0.40 x 0.35355 = 14.14; I = 2:
    // 0.40 x 2.8284 = 1.131, capped at 0.9: 90. Elasticity 0 ignores the index: 40.
    assertEquals(40.0, CountyTrajectories.capacity(withIndustry(1.0), industrial), 1e-9);
    assertEquals(100 * 0.40 * Math.pow(0.5, 1.5), CountyTrajectories.capacity(withIndustry(0.5), industrial), 1e-9);
    assertEquals(90.0, CountyTrajectories.capacity(withIndustry(2.0), industrial), 1e-9);
    assertEquals(40.0, CountyTrajectories.capacity(withIndustry(2.0), DIFFUSION), 1e-9);
  }

  static County withIndustry(double industry) {
    return new County("440101", "4401", "44", 100, true, 0.40, industry, 0, 0, 0, 0);
  }

  @Test
  void anIndustrialDistrictKeepsGrowingWhereAnEqualRuralOneStops() {
    List<County> country = new ArrayList<>(country());
    // Two small PRD-type districts in the same city with the same 2016 count (38 of 100 villages, near the
    // quadrant's share of 0.40): one with the industry index 3, one at 0.8.
    country.add(new County("440101", "4401", "44", 100, true, 0.40, 3.0, 0, 0, 0, 38));
    country.add(new County("440102", "4401", "44", 100, true, 0.40, 0.8, 0, 0, 0, 38));
    Diffusion industrial = new Diffusion(0.5, 0.5, 0.6, 0.02, 1.5, 0.9, 1, 1);
    Map<String, int[]> counts = CountyTrajectories.compute(country, national(), industrial, 1);
    int districtGrowth = counts.get("440101")[2022 - 2009] - 38;
    int ruralGrowth = counts.get("440102")[2022 - 2009] - 38;
    // Capacities by hand: 100 x 0.9 = 90 against 100 x 0.40 x 0.8^1.5 = 28.6 (already passed: it cannot grow).
    assertEquals(0, ruralGrowth, "the rural district is beyond its capacity");
    assertTrue(districtGrowth >= 20 && counts.get("440101")[2022 - 2009] <= 91, "industrial: +" + districtGrowth);
  }

  @Test
  void withSublinearImitationTheOldestProvincesShareFalls() {
    // Province 33 holds 1,311 - 60 of the 2016 villages, province 35 the other 60 in six young counties.
    List<County> country = new ArrayList<>();
    for (County c : country()) {
      if (c.code().equals("330101")) {
        country.add(new County(c.code(), c.city(), c.province(), c.villages(), true, 0.45, c.published2014(),
            c.published2015(), c.published2016() - 60));
      } else {
        country.add(c);
      }
    }
    for (int i = 1; i <= 6; i++) {
      country.add(new County("35010" + i, "3501", "35", 600, true, 0.45, 0, 0, 10));
    }
    Diffusion linear = new Diffusion(0.5, 1, 0.6, 0.02, 0, 1, 1, 1);
    Diffusion sublinear = new Diffusion(0.5, 0.5, 0.6, 0.02, 0, 1, 1, 1);
    double linearShare = share(CountyTrajectories.compute(country, national(), linear, 1), "33", 2022);
    double sublinearShare = share(CountyTrajectories.compute(country, national(), sublinear, 1), "33", 2022);
    double share2016 = share(CountyTrajectories.compute(country, national(), sublinear, 1), "33", 2016);
    assertEquals(1251.0 / 1311, share2016, 1e-9);
    assertTrue(sublinearShare < share2016 - 0.02, "the old province's share falls: " + sublinearShare);
    assertTrue(sublinearShare < linearShare - 0.02, "more than with logistic imitation: " + linearShare);
  }

  static double share(Map<String, int[]> counts, String province, int year) {
    double in = 0;
    for (var e : counts.entrySet()) {
      if (e.getKey().startsWith(province)) {
        in += e.getValue()[year - CountyTrajectories.FIRST_YEAR];
      }
    }
    return in / total(counts, year);
  }

  @Test
  void sameSeedSameCountsAndSeedsChangeTheEarlyOrder() {
    Map<String, int[]> a = CountyTrajectories.compute(country(), national(), DIFFUSION, 1);
    Map<String, int[]> b = CountyTrajectories.compute(country(), national(), DIFFUSION, 1);
    Map<String, int[]> c = CountyTrajectories.compute(country(), national(), DIFFUSION, 2);
    boolean differs = false;
    for (String code : a.keySet()) {
      assertArrayEquals(a.get(code), b.get(code));
      differs |= a.get(code)[2012 - 2009] != c.get(code)[2012 - 2009];
    }
    assertTrue(differs, "another seed picks other first villages");
  }
}
