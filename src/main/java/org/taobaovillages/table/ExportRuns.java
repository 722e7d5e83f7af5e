package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * One row per {@code export} run and export directory: which Delta table versions the directory now reflects,
 * what the run rewrote of it and why. The next run rewrites only what changed in those tables since (see
 * {@code export.ExportPlan}). Delta table; a re-run of a run date replaces its rows for that export root.
 */
public final class ExportRuns {
  public static final String NAME = "export_runs";

  /** The export root URI the directory is under. */
  public static final String EXPORT_ROOT = "export_root";
  /** The export directory's name under the root (e.g. {@code village_status}). */
  public static final String DIRECTORY = "directory";
  /** The export settings the directory was written with; a change rewrites it whole. */
  public static final String SETTINGS = "settings";
  /** Each source table's Delta version the directory reflects after this run. */
  public static final String SOURCE_VERSIONS = "source_versions";
  /** What the run did: {@code whole}, {@code partitions} or {@code unchanged}. */
  public static final String ACTION = "action";
  /** The partitions rewritten (e.g. {@code year >= 2021 OR year IN (2019)}); null unless partitions. */
  public static final String SCOPE = "scope";
  /** Why: the first export, {@code --full}, a source that changed whole, the partitions that changed. */
  public static final String REASON = "reason";
  /** Rows written by this run (0 when unchanged). */
  public static final String ROWS_WRITTEN = "rows_written";
  /** When the run recorded the row; the latest row of a root and directory is its state. */
  public static final String RECORDED_AT = "recorded_at";

  public static final String WHOLE = "whole";
  public static final String PARTITIONS = "partitions";
  public static final String UNCHANGED = "unchanged";

  public static final StructType SCHEMA = new StructType()
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false)
      .add(EXPORT_ROOT, StringType, false)
      .add(DIRECTORY, StringType, false)
      .add(SETTINGS, StringType, false)
      .add(SOURCE_VERSIONS, createMapType(StringType, LongType, false), false)
      .add(ACTION, StringType, false)
      .add(SCOPE, StringType, true)
      .add(REASON, StringType, false)
      .add(ROWS_WRITTEN, LongType, false)
      .add(RECORDED_AT, TimestampType, false);

  private ExportRuns() {}
}
