package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.table.Quarantine;
import org.taobaovillages.table.RunColumns;

/**
 * Row checks as data: each {@link Check} is a reason code and a condition under which a row fails. Applying
 * them adds a {@link #REASONS} column (every failed check, not only the first); rows with no reason are
 * accepted, the others go to the quarantine with their original values. Nothing is dropped silently.
 */
public final class Validation {
  public static final String REASONS = Quarantine.REASONS;

  /** A named failure condition; a null condition counts as not failed. */
  public record Check(Reason reason, Column fails) {}

  private Validation() {}

  public static Dataset<Row> withReasons(Dataset<Row> rows, List<Check> checks) {
    Column[] flags = checks.stream()
        .map(c -> when(coalesce(c.fails(), lit(false)), lit(c.reason().name())))
        .toArray(Column[]::new);
    return rows.withColumn(REASONS, filter(array(flags), x -> x.isNotNull()));
  }

  public static Dataset<Row> accepted(Dataset<Row> validated) {
    return validated.where(size(col(REASONS)).equalTo(0)).drop(REASONS);
  }

  public static Dataset<Row> rejected(Dataset<Row> validated) {
    return validated.where(size(col(REASONS)).gt(0));
  }

  /** Marks every row after the first of a key as a duplicate (first by {@code orderBy}, deterministic). */
  public static Check duplicateOf(String key, Column... orderBy) {
    Column rank = row_number().over(Window.partitionBy(col(key)).orderBy(orderBy));
    return new Check(Reason.DUPLICATE_KEY, col(key).isNotNull().and(rank.gt(1)));
  }

  /** Quarantine rows: original values as text (column name to value), the reasons and the lineage. */
  public static Dataset<Row> toQuarantine(Dataset<Row> rejected, StructType inputSchema, String sourceTable,
      String runId, java.time.LocalDate runDate) {
    List<Column> kv = new ArrayList<>();
    for (String name : inputSchema.fieldNames()) {
      kv.add(lit(name));
      kv.add(col(name).cast("string"));
    }
    return rejected.select(
        lit(sourceTable).as(Quarantine.SOURCE_TABLE),
        col(InputFiles.SOURCE_FILE).as(Quarantine.SOURCE_FILE),
        map(kv.toArray(Column[]::new)).as(Quarantine.RECORD),
        col(REASONS),
        lit(runId).as(RunColumns.RUN_ID),
        lit(java.sql.Date.valueOf(runDate)).as(RunColumns.RUN_DATE));
  }
}
