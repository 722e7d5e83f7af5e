package org.taobaovillages.table;

import static org.apache.spark.sql.functions.*;
import static org.apache.spark.sql.types.DataTypes.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The dimension tables ingest keeps ({@code village_registry}, {@code seller_accounts}, {@code county_attributes})
 * hold every version of each key (type 2 slowly changing dimension): a delivery adds a version for a key only
 * when its values differ from the version before; a key absent from a delivery keeps its version. Readers that
 * want today's values take {@link #current}.
 *
 * <p>History stays where it happened: a fact (an order, a village's period) is read with the version that was in
 * force on its day ({@link #timeline}, {@link #inForceOn}), not with today's. A version is in force from its
 * {@code valid_from} to the next version's; the first version of a key is also in force for every day before it
 * (nothing earlier is known of the key), so an account's orders placed before its first delivery count where
 * that delivery put it.
 */
public final class DimensionColumns {
  /** Run date of the delivery that brought this version. */
  public static final String VALID_FROM = "valid_from";
  /** Run date of the next version of the key (exclusive); null while this version is current. */
  public static final String VALID_TO = "valid_to";

  /** Column of a {@link #timeline}: first day the version is in force; null for the key's first version. */
  public static final String IN_FORCE_FROM = "_in_force_from";
  /** Column of a {@link #timeline}: the day the next version takes over (exclusive); null while in force. */
  public static final String IN_FORCE_TO = "_in_force_to";
  private static final String TIMELINE_KEY = "_timeline_key";

  private DimensionColumns() {}

  /**
   * Every version of every key brought on or before {@code date}, in the input's columns plus {@link #VALID_FROM}
   * (which tells the versions of a key apart), {@link #IN_FORCE_FROM} and {@link #IN_FORCE_TO}: what a job for
   * that run date knows of the key's history, whatever later deliveries brought.
   */
  public static Dataset<Row> timeline(Dataset<Row> dimension, String key, java.time.LocalDate date) {
    java.sql.Date day = java.sql.Date.valueOf(date);
    Column first = min(col(VALID_FROM)).over(org.apache.spark.sql.expressions.Window.partitionBy(col(key)));
    return dimension.where(col(VALID_FROM).leq(day))
        .withColumn(IN_FORCE_FROM, when(col(VALID_FROM).gt(first), col(VALID_FROM)))
        .withColumn(IN_FORCE_TO, when(col(VALID_TO).leq(day), col(VALID_TO)))
        .drop(VALID_TO, RunColumns.RUN_ID);
  }

  /**
   * {@code rows} with the {@code columns} of the {@code timeline} version of their {@code key} in force on
   * {@code day} (a date column of {@code rows}): an equi-join on the key whose versions are told apart by the day.
   * Every day before a key's first version falls to that version, so each row of a known key finds exactly one
   * version. {@code joinType}: {@code inner} drops rows of unknown keys, {@code left} keeps them with nulls.
   */
  public static Dataset<Row> inForceOn(Dataset<Row> rows, Column day, Dataset<Row> timeline, String key,
      List<String> columns, String joinType) {
    List<Column> picked = new ArrayList<>(List.of(col(key).as(TIMELINE_KEY), col(IN_FORCE_FROM), col(IN_FORCE_TO)));
    columns.forEach(c -> picked.add(col(c)));
    Dataset<Row> versions = timeline.select(picked.toArray(Column[]::new));
    Column inForce = inForce(day, versions.col(IN_FORCE_FROM), versions.col(IN_FORCE_TO));
    return rows.join(versions, rows.col(key).equalTo(versions.col(TIMELINE_KEY)).and(inForce), joinType)
        .drop(TIMELINE_KEY, IN_FORCE_FROM, IN_FORCE_TO);
  }

  /**
   * The dimension as it stood at the end of each year of {@code years} (a column {@code yearColumn} of ints): per
   * year, the {@code timeline} version of every key in force on 31 December, or on the run date while the year runs
   * past it ({@link #periodDay}), in the timeline's columns without its validity, plus {@code yearColumn}. A year's
   * figures read with it do not change when a later delivery brings a new version: the new version is in force
   * from its run date on. {@code years} is small (one row a year) and joined to every version.
   */
  public static Dataset<Row> atYearEnds(Dataset<Row> timeline, Dataset<Row> years, String yearColumn,
      java.time.LocalDate runDate) {
    Column day = periodDay(make_date(col(yearColumn), lit(12), lit(31)), runDate);
    return timeline.crossJoin(broadcast(years.select(col(yearColumn))))
        .where(inForce(day, col(IN_FORCE_FROM), col(IN_FORCE_TO)))
        .drop(IN_FORCE_FROM, IN_FORCE_TO, VALID_FROM);
  }

  /** A timeline version with these bounds is in force on {@code day}: from its first day (none: always before). */
  private static Column inForce(Column day, Column from, Column to) {
    return from.isNull().or(day.geq(from)).and(to.isNull().or(day.lt(to)));
  }

  /**
   * The day whose version a period is read with: its last day, or the run date while the period runs past it
   * (a later version is not known yet).
   */
  public static Column periodDay(Column periodEnd, java.time.LocalDate runDate) {
    return least(periodEnd, lit(java.sql.Date.valueOf(runDate)));
  }

  /** The Delta table schema of a dimension input: its columns, extra columns, the validity and the run id. */
  public static StructType tableSchema(StructType inputSchema) {
    return IngestColumns.tableSchema(inputSchema)
        .add(VALID_FROM, DateType, false)
        .add(VALID_TO, DateType, true)
        .add(RunColumns.RUN_ID, StringType, false);
  }

  /**
   * The version of every key valid on {@code date} (brought on or before it, not replaced by then), in the
   * input's columns: what a job for that run date sees, whatever later deliveries brought.
   */
  public static Dataset<Row> asOf(Dataset<Row> dimension, java.time.LocalDate date) {
    java.sql.Date day = java.sql.Date.valueOf(date);
    return dimension.where(col(VALID_FROM).leq(day).and(col(VALID_TO).isNull().or(col(VALID_TO).gt(day))))
        .drop(VALID_FROM, VALID_TO, RunColumns.RUN_ID);
  }

  /** The current version of every key, in the input's columns (validity and lineage left out). */
  public static Dataset<Row> current(Dataset<Row> dimension) {
    return dimension.where(col(VALID_TO).isNull()).drop(VALID_FROM, VALID_TO, RunColumns.RUN_ID);
  }
}
