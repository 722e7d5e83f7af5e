package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** Columns that ingest adds to every table it loads, next to the input's declared columns. */
public final class IngestColumns {
  /**
   * Columns of the input file that the schema does not declare, name to value as text; empty unless
   * {@code ingest.extra-columns = keep}.
   */
  public static final String EXTRA_COLUMNS = "extra_columns";
  public static final DataType EXTRA_COLUMNS_TYPE = createMapType(StringType, StringType, true);

  private IngestColumns() {}

  /** The Delta table schema of an input: its declared columns, then {@link #EXTRA_COLUMNS}. */
  public static StructType tableSchema(StructType inputSchema) {
    return inputSchema.add(EXTRA_COLUMNS, EXTRA_COLUMNS_TYPE, false);
  }
}
