package org.taobaovillages.typology;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.TypologyRuns;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.spark.ChangedYears;
import org.taobaovillages.spark.DeltaChanges;

/** When typology recomputes its tables and when a run finds nothing of the complete years changed. */
class TypologyRecomputeTest {
  static final Map<String, Long> VERSIONS = Map.of("village_period", 20L, "transactions", 30L, "seller_accounts", 7L);
  static final Row PREVIOUS = RowFactory.create(2015, 2021, "settings v1", VERSIONS);

  static ChangedYears.Result changes(DeltaChanges.Changes period, DeltaChanges.Changes orders,
      DeltaChanges.Changes accounts) {
    // A null: the log no longer holds the table's changes (Map.of takes no null).
    Map<String, DeltaChanges.Changes> changes = new java.util.HashMap<>();
    changes.put("village_period", period);
    changes.put("transactions", orders);
    changes.put("seller_accounts", accounts);
    return ChangedYears.of(VERSIONS, changes, Set.of("seller_accounts"));
  }

  static DeltaChanges.Changes none(long version) {
    return new DeltaChanges.Changes(version, false, new TreeSet<>(), List.of());
  }

  static DeltaChanges.Changes partitions(long version, String... values) {
    return new DeltaChanges.Changes(version, true, new TreeSet<>(Arrays.asList(values)), Arrays.asList((String) null));
  }

  static DeltaChanges.Changes delivered(long version, String runDate) {
    return new DeltaChanges.Changes(version, true, null,
        List.of("taobao-villages ingest run_date=" + runDate + " run_id=r"));
  }

  @Test
  void aDayOfTheRunningYearChangesNoCompleteYear() {
    // The day's orders (order month 2022-03), its village periods (year 2022), an account version from 2022-03-14.
    assertNull(TypologyJob.whyRecompute(PREVIOUS, 2015, 2021, "settings v1",
        changes(partitions(21, "2022"), partitions(31, "2022-03"), delivered(8, "2022-03-14"))));
    assertNull(TypologyJob.whyRecompute(PREVIOUS, 2015, 2021, "settings v1", changes(none(20), none(30), none(7))));
  }

  @Test
  void aLateOrderOrAnAccountVersionInACompleteYearRecomputes() {
    String late = TypologyJob.whyRecompute(PREVIOUS, 2015, 2021, "settings v1",
        changes(partitions(21, "2021", "2022"), partitions(31, "2021-12"), none(7)));
    assertTrue(late.startsWith("inputs of complete years changed"), late);
    assertTrue(late.contains("transactions versions 31-31 (2021-12)"), late);
    // An account version delivered on the last day of a complete year is in force in it.
    assertNotNull(TypologyJob.whyRecompute(PREVIOUS, 2015, 2021, "settings v1",
        changes(none(20), none(30), delivered(8, "2021-12-31"))));
  }

  @Test
  void aNewCompleteYearOtherSettingsOrAnUnplaceableChangeRecompute() {
    ChangedYears.Result nothing = changes(none(20), none(30), none(7));
    assertEquals("complete years now 2015-2022 (were 2015-2021)",
        TypologyJob.whyRecompute(PREVIOUS, 2015, 2022, "settings v1", nothing));
    assertEquals("settings changed", TypologyJob.whyRecompute(PREVIOUS, 2015, 2021, "settings v2", nothing));
    assertEquals("no typology run before", TypologyJob.whyRecompute(null, 2015, 2021, "settings v1", nothing));
    assertNotNull(TypologyJob.whyRecompute(PREVIOUS, 2015, 2021, "settings v1",
        changes(new DeltaChanges.Changes(21, true, null, Arrays.asList((String) null)), none(30), none(7))));
    assertNotNull(TypologyJob.whyRecompute(PREVIOUS, 2015, 2021, "settings v1", changes(null, none(30), none(7))));
  }

  /**
   * A warehouse without a complete year yet (started within a year; the DAG runs typology daily): the run models
   * nothing, writes no table and does not fail.
   */
  @Test
  void aWarehouseWithoutACompleteYearModelsNothingAndDoesNotFail(@TempDir Path dir) {
    SparkSession spark = TestSpark.get();
    Warehouse wh = new Warehouse(spark, dir.toUri().toString());
    for (var table : Map.of(VillagePeriod.NAME, VillagePeriod.SCHEMA, VillageStatus.NAME, VillageStatus.SCHEMA,
        CountyAttributes.NAME, CountyAttributes.SCHEMA).entrySet()) {
      wh.overwrite(spark.createDataFrame(List.of(), table.getValue()), table.getKey(), table.getValue());
    }
    TypologyJob.Outcome outcome = TypologyJob.run(wh, AppConfig.load(null),
        new RunContext("r1", LocalDate.of(2022, 6, 30)), null, false);
    assertEquals(TypologyRuns.NO_YEAR, outcome.action());
    assertTrue(outcome.reason().contains("no complete calendar year"), outcome.reason());
    assertFalse(wh.exists(TypologyRuns.NAME));
    assertFalse(wh.exists(CountyTypology.NAME));
  }
}

