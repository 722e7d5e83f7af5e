package org.taobaovillages.export;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.taobaovillages.spark.DeltaChanges;
import org.taobaovillages.table.ExportRuns;

/** What an export run rewrites of a directory, from the changes of its tables since it was last written. */
class ExportPlanTest {
  static final String SETTINGS = "min-active-sellers=3";
  static final ExportPlan.Previous PREVIOUS = new ExportPlan.Previous(SETTINGS,
      Map.of("village_status", 10L, "village_registry", 4L));

  static DeltaChanges.Changes none(long version) {
    return new DeltaChanges.Changes(version, false, new TreeSet<>(), List.of());
  }

  static DeltaChanges.Changes years(long version, String... years) {
    List<String> tags = new ArrayList<>();
    tags.add(null);
    return new DeltaChanges.Changes(version, true, new TreeSet<>(Arrays.asList(years)), tags);
  }

  static DeltaChanges.Changes tagged(long version, String... tags) {
    return new DeltaChanges.Changes(version, true, null, Arrays.asList(tags));
  }

  static ExportPlan.Decision decide(String column, DeltaChanges.Changes status, DeltaChanges.Changes registry) {
    Map<String, DeltaChanges.Changes> changes = new LinkedHashMap<>();
    changes.put("village_status", status);
    changes.put("village_registry", registry);
    return ExportPlan.decide(column, changes, Set.of("village_registry"), false, PREVIOUS, SETTINGS, true);
  }

  @Test
  void nothingChangedRewritesNothing() {
    ExportPlan.Decision d = decide("year", none(10), none(4));
    assertEquals(ExportRuns.UNCHANGED, d.action());
    assertNull(d.scope());
  }

  @Test
  void changedYearsOfAPartitionedSourceRewriteThoseYears() {
    ExportPlan.Decision d = decide("year", years(12, "2019", "2021"), none(4));
    assertEquals(ExportRuns.PARTITIONS, d.action());
    assertEquals("year IN (2019, 2021)", d.description());
    assertEquals("village_status versions 11-12 (2019, 2021)", d.reason());
  }

  @Test
  void aRegistryVersionRewritesTheYearsFromItsRunDate() {
    ExportPlan.Decision d = decide("year", years(12, "2019", "2021"),
        tagged(6, "taobao-villages ingest run_date=2020-06-01 run_id=r2",
            "taobao-villages ingest run_date=2020-03-31 run_id=r1"));
    assertEquals(ExportRuns.PARTITIONS, d.action());
    // 2021 falls in "2020 and later".
    assertEquals("year IN (2019) OR year >= 2020", d.description());
  }

  @Test
  void aRegistryCommitWithoutItsRunDateRewritesWhole() {
    ExportPlan.Decision d = decide("year", none(10), tagged(5, (String) null));
    assertEquals(ExportRuns.WHOLE, d.action());
    assertTrue(d.reason().contains("village_registry versions 5-5 include a commit without its run date"), d.reason());
  }

  @Test
  void anUnpartitionedDirectoryIsRewrittenWholeOnAnyChange() {
    assertEquals(ExportRuns.WHOLE, decide(null, years(11, "2019"), none(4)).action());
    assertEquals(ExportRuns.UNCHANGED, decide(null, none(10), none(4)).action());
  }

  @Test
  void aChangeThatNoPartitionHoldsRewritesWhole() {
    assertEquals(ExportRuns.WHOLE, decide("year", new DeltaChanges.Changes(11, true, null, List.of()), none(4))
        .action());
  }

  @Test
  void lostLogSettingsFirstRunIncompleteOrFullRewriteWhole() {
    assertEquals(ExportRuns.WHOLE, decide("year", null, none(4)).action());
    Map<String, DeltaChanges.Changes> unchanged = Map.of("village_status", none(10));
    assertEquals("--full", ExportPlan.decide("year", unchanged, Set.of(), true, PREVIOUS, SETTINGS, true).reason());
    assertEquals(ExportRuns.WHOLE, ExportPlan.decide("year", unchanged, Set.of(), false, null, SETTINGS, true)
        .action());
    assertEquals(ExportRuns.WHOLE, ExportPlan.decide("year", unchanged, Set.of(), false, PREVIOUS, SETTINGS, false)
        .action());
    assertEquals(ExportRuns.WHOLE, ExportPlan.decide("year", unchanged, Set.of(), false, PREVIOUS,
        "min-active-sellers=5", true).action());
    assertEquals(ExportRuns.WHOLE, ExportPlan.decide("year", Map.of("watchlist", none(3)), Set.of(), false,
        PREVIOUS, SETTINGS, true).action());
  }
}
