package org.taobaovillages.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The dimension tables ingest keeps ({@code village_registry}, {@code seller_accounts}, {@code county_attributes})
 * hold every version of each key (type 2 slowly changing dimension): a delivery adds a version for a key only
 * when its values differ from the version before; a key absent from a delivery keeps its version. Readers that
 * want today's values take {@link #current}.
 */
public final class DimensionColumns {
  /** Run date of the delivery that brought this version. */
  public static final String VALID_FROM = "valid_from";
  /** Run date of the next version of the key (exclusive); null while this version is current. */
  public static final String VALID_TO = "valid_to";

  private DimensionColumns() {}

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
