package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;

/**
 * Row checks as data: each {@link Check} is a reason code and a condition under which a row fails. Applying
 * them adds a {@link #REASONS} column (every failed check, not only the first). Then duplicates are resolved
 * among the rows without a reason: the first row of a key is kept, an exact copy of it is skipped
 * ({@link #SKIPPED}), a different row with the same key is a {@link Reason#DUPLICATE_KEY}. Every row ends up
 * accepted, quarantined or skipped; nothing is dropped silently.
 */
public final class Validation {
  public static final String REASONS = Quarantine.REASONS;
  /** True for an exact copy of a row kept in this delivery or stored by an earlier run: counted, not loaded. */
  public static final String SKIPPED = "_skipped";

  private static final String RANK = "_rank";
  private static final String FIRST = "_first";
  private static final String STORED_KEY = "_stored_key";
  private static final String STORED = "_stored";

  /** A named failure condition; a null condition counts as not failed. */
  public record Check(Reason reason, Column fails) {}

  private Validation() {}

  /**
   * Adds the reasons of the failed checks. A line that could not be split into columns or decoded gets its
   * problem ({@link Reason#MALFORMED_RECORD}, {@link Reason#MALFORMED_ENCODING}, {@link Reason#DUPLICATE_FIELD})
   * alone: its other values are unreliable, so the other checks are not reported.
   */
  public static Dataset<Row> withReasons(Dataset<Row> rows, List<Check> checks) {
    Column problem = col(InputFiles.PROBLEM);
    return rows.withColumn(REASONS, when(problem.isNotNull(), array(problem)).otherwise(reasons(checks)));
  }

  /**
   * The checks every input gets from reading it (besides the line problems, see {@link #withReasons}): a value
   * that could not be read as its type (except in {@code parsedElsewhere}, which a more specific check reports),
   * a null or blank key, a null required value.
   */
  public static List<Check> readChecks(StructType schema, Set<String> keys, Set<String> parsedElsewhere) {
    List<Check> checks = new ArrayList<>();
    Column malformed = col(InputFiles.MALFORMED);
    checks.add(new Check(Reason.MALFORMED_VALUE, size(map_filter(malformed,
        (k, v) -> not(k.isin(parsedElsewhere.toArray())))).gt(0)));
    Column missingKey = lit(false);
    Column missingValue = lit(false);
    for (StructField f : schema.fields()) {
      Column c = col(f.name());
      if (keys.contains(f.name())) {
        missingKey = missingKey.or(c.isNull().or(trim(c.cast("string")).equalTo("")));
      } else if (!f.nullable()) {
        missingValue = missingValue.or(c.isNull().and(malformed.getItem(f.name()).isNull()));
      }
    }
    checks.add(new Check(Reason.MISSING_KEY, missingKey));
    checks.add(new Check(Reason.MISSING_VALUE, missingValue));
    return checks;
  }

  /**
   * Resolves duplicate keys among the rows that passed every check, within this delivery and, when
   * {@code stored} is given, against the rows an earlier run stored: an exact copy (all {@code content} columns
   * equal, nulls equal) is skipped, a different row is quarantined as {@link Reason#DUPLICATE_KEY} (within the
   * delivery; the first by source file and values is kept) or {@link Reason#STORED_KEY_CONFLICT} (the stored
   * row stands). Adds {@link #SKIPPED}.
   */
  public static Dataset<Row> resolveDuplicates(Dataset<Row> checked, String key, List<String> content,
      Dataset<Row> stored) {
    Column clean = size(col(REASONS)).equalTo(0);
    Column values = struct(content.stream().map(c -> col(c)).toArray(Column[]::new));
    // Clean rows first, so that among them rank and first value are those of the clean rows alone (the only
    // ones they are read for); partitioned by the key alone, so that the join with the stored rows on the key
    // needs no second shuffle of the delivery.
    List<Column> order = new ArrayList<>();
    order.add(clean.desc());
    order.add(col(InputFiles.SOURCE_FILE));
    content.forEach(c -> order.add(col(c).asc_nulls_first()));
    WindowSpec byKey = Window.partitionBy(col(key)).orderBy(order.toArray(Column[]::new));
    Dataset<Row> ranked = checked
        .withColumn(RANK, row_number().over(byKey))
        .withColumn(FIRST, first(values).over(byKey));
    Column later = clean.and(col(RANK).gt(1));
    Column copy = later.and(values.eqNullSafe(col(FIRST)));
    List<Check> duplicates = new ArrayList<>();
    duplicates.add(new Check(Reason.DUPLICATE_KEY, later.and(not(values.eqNullSafe(col(FIRST))))));
    if (stored != null) {
      Dataset<Row> storedValues = stored.select(col(key).as(STORED_KEY), values.as(STORED));
      ranked = ranked.join(storedValues, ranked.col(key).equalTo(storedValues.col(STORED_KEY)), "left");
      Column kept = clean.and(col(RANK).equalTo(1)).and(col(STORED).isNotNull());
      duplicates.add(new Check(Reason.STORED_KEY_CONFLICT, kept.and(not(values.eqNullSafe(col(STORED))))));
      copy = copy.or(kept.and(values.eqNullSafe(col(STORED))));
    }
    return ranked
        .withColumn(SKIPPED, copy)
        .withColumn(REASONS, concat(col(REASONS), reasons(duplicates)))
        .drop(RANK, FIRST, STORED_KEY, STORED);
  }

  public static Dataset<Row> accepted(Dataset<Row> resolved) {
    return resolved.where(size(col(REASONS)).equalTo(0).and(not(col(SKIPPED)))).drop(REASONS, SKIPPED);
  }

  public static Dataset<Row> rejected(Dataset<Row> resolved) {
    return resolved.where(size(col(REASONS)).gt(0));
  }

  /**
   * Quarantine rows: original values as text (column name to value), the reasons and the lineage, with the
   * row's place in its file. Of a line that could not be split into columns or decoded nothing is kept but its
   * place: its fields may be shifted, a raw seller id in any of them.
   */
  public static Dataset<Row> toQuarantine(Dataset<Row> rejected, StructType inputSchema, String sourceTable,
      String runId, java.time.LocalDate runDate) {
    List<Column> kv = new ArrayList<>();
    Column malformed = col(InputFiles.MALFORMED);
    for (String name : inputSchema.fieldNames()) {
      kv.add(lit(name));
      kv.add(coalesce(malformed.getItem(name), col(name).cast("string")));
    }
    return rejected.select(
        lit(sourceTable).as(Quarantine.SOURCE_TABLE),
        col(InputFiles.SOURCE_FILE).as(Quarantine.SOURCE_FILE),
        col(InputFiles.SOURCE_LINE).as(Quarantine.SOURCE_LINE),
        when(col(InputFiles.PROBLEM).isNull(), map(kv.toArray(Column[]::new)))
            .otherwise(map().cast(Quarantine.SCHEMA.apply(Quarantine.RECORD).dataType())).as(Quarantine.RECORD),
        col(REASONS),
        lit(runId).as(RunColumns.RUN_ID),
        lit(java.sql.Date.valueOf(runDate)).as(RunColumns.RUN_DATE));
  }

  private static Column reasons(List<Check> checks) {
    Column[] flags = checks.stream()
        .map(c -> when(coalesce(c.fails(), lit(false)), lit(c.reason().name())))
        .toArray(Column[]::new);
    return array_distinct(filter(array(flags), x -> x.isNotNull()));
  }
}
