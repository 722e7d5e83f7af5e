package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.RunColumns;

/**
 * Dimension deliveries are merged, never replace what is stored (type 2 slowly changing dimension, as in Delta
 * Lake's SCD2 example): a delivered row whose values differ from the key's version before the run date becomes a
 * new version valid from the run date; an unchanged row adds nothing; a key the delivery does not have keeps its
 * versions. An empty or partial delivery therefore leaves the table as it was for every key it does not name.
 *
 * <p>A re-run of the same run date replaces exactly that date's versions: they are recomputed from the
 * versions of other dates and the delivery, so the result does not depend on how often the date ran. Runs may
 * come out of order (a backfill): each key's versions are ordered by their date, and each is valid until the
 * next one.
 */
public final class Dimensions {
  private static final String PREVIOUS = "_previous";
  private static final String RANK = "_rank";
  private static final String TOUCHED = "_touched";

  private Dimensions() {}

  /**
   * The versions of every key this run date touches (a key delivered with other values than its previous
   * version, or a key that had a version of this run date), with their validity recomputed; the rows to merge
   * into the table on (key, valid_from). With no table yet, the delivered rows are the first versions.
   *
   * @param stored the table, or null when there is none
   * @param delivered the accepted rows of this delivery, one per key, in the table's input columns
   * @param content the columns compared to tell a change (the declared input columns)
   */
  public static Dataset<Row> versions(Dataset<Row> stored, Dataset<Row> delivered, StructType tableSchema,
      String key, List<String> content, LocalDate runDate, String runId) {
    Dataset<Row> changed = changed(stored, delivered, key, content, runDate, runId);
    if (stored == null) {
      return select(changed, tableSchema);
    }
    Column validFrom = col(DimensionColumns.VALID_FROM);
    Column date = lit(java.sql.Date.valueOf(runDate));
    Dataset<Row> touched = changed.select(col(key).as(TOUCHED))
        .union(stored.where(validFrom.equalTo(date)).select(col(key).as(TOUCHED)))
        .distinct();
    Dataset<Row> others = stored.where(not(validFrom.eqNullSafe(date)));
    Dataset<Row> kept = others.join(touched, others.col(key).equalTo(touched.col(TOUCHED)), "left_semi");
    Dataset<Row> all = select(kept, tableSchema).unionByName(select(changed, tableSchema));
    return all.withColumn(DimensionColumns.VALID_TO,
        lead(validFrom, 1).over(Window.partitionBy(key).orderBy(validFrom)));
  }

  /**
   * The delivered rows whose values differ from their key's version before the run date (all of them when
   * nothing is stored), stamped as versions of the run date (valid_to not yet set).
   */
  static Dataset<Row> changed(Dataset<Row> stored, Dataset<Row> delivered, String key, List<String> content,
      LocalDate runDate, String runId) {
    Column date = lit(java.sql.Date.valueOf(runDate));
    Dataset<Row> stamped = delivered
        .withColumn(DimensionColumns.VALID_FROM, date)
        .withColumn(DimensionColumns.VALID_TO, lit(null).cast("date"))
        .withColumn(RunColumns.RUN_ID, lit(runId));
    if (stored == null) {
      return stamped;
    }
    Column values = values(content);
    Column validFrom = col(DimensionColumns.VALID_FROM);
    Dataset<Row> previous = stored.where(validFrom.lt(date))
        .withColumn(RANK, row_number().over(Window.partitionBy(key).orderBy(validFrom.desc())))
        .where(col(RANK).equalTo(1))
        .select(col(key).as(PREVIOUS + key), values.as(PREVIOUS));
    return stamped
        .join(previous, stamped.col(key).equalTo(previous.col(PREVIOUS + key)), "left")
        .where(not(values.eqNullSafe(col(PREVIOUS))))
        .drop(PREVIOUS + key, PREVIOUS);
  }

  /**
   * Rows (one column, {@code label}) if merging this delivery would change the table, none if it would not: the
   * run date's versions to be written are exactly those stored for it (a full snapshot delivered again on a new
   * date has none to write and none stored; a run date re-run with the same delivery writes what it wrote). The
   * validity of other versions follows from the dates, so it cannot differ. Lazy, so that the checks of several
   * tables run as one job.
   */
  public static Dataset<Row> differences(Dataset<Row> stored, Dataset<Row> delivered, String key, List<String> content,
      LocalDate runDate, String label) {
    Column values = values(content).as(PREVIOUS);
    Dataset<Row> toWrite = changed(stored, delivered, key, content, runDate, "").select(values);
    Dataset<Row> written = stored.where(col(DimensionColumns.VALID_FROM).equalTo(lit(java.sql.Date.valueOf(runDate))))
        .select(values);
    return toWrite.exceptAll(written).union(written.exceptAll(toWrite)).limit(1).select(lit(label).as(TOUCHED));
  }

  private static Column values(List<String> content) {
    return struct(content.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  private static Dataset<Row> select(Dataset<Row> rows, StructType schema) {
    return rows.select(Arrays.stream(schema.fieldNames()).map(c -> col(c)).toArray(Column[]::new));
  }
}
