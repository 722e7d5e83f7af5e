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
  void spillOverReachesCountiesWithoutVillagesOfTheirOwn() {
    List<County> country = new ArrayList<>(country());
    // A formation-allowed county with no published villages, in a city that has them.
    country.add(new County("330111", "3301", "33", 600, true, 0.45, 0, 0, 0));
    Map<String, int[]> counts = CountyTrajectories.compute(country, national(), DIFFUSION, 1);
    assertEquals(0, counts.get("330111")[2016 - 2009]);
    assertTrue(counts.get("330111")[2022 - 2009] > 0, "neighbours' villages spill over");
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
