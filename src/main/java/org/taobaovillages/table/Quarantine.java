package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Input rows that ingest refused, with their original values (as strings, so that a value that could not be
 * typed survives), the reason codes and where they came from. A line that could not be split into columns or
 * decoded keeps nothing but its place (it may hold a raw seller id in any position). Delta table partitioned by
 * run date.
 */
public final class Quarantine {
  public static final String NAME = "quarantine";

  public static final String SOURCE_TABLE = "source_table";
  public static final String SOURCE_FILE = "source_file";
  /**
   * Column name to original value, as text. Seller and household ids are pseudonymised like accepted rows; any
   * other value that is a seller or household id (a shifted row) is written as "[a seller or household id]".
   */
  public static final String RECORD = "record";
  public static final String REASONS = "reasons";
  /**
   * Where the row is in its file: the line number in a text file, the row number in a Parquet file (both from
   * 1); null for a bad file left out whole.
   */
  public static final String SOURCE_LINE = "source_line";

  public static final StructType SCHEMA = new StructType()
      .add(SOURCE_TABLE, StringType, false)
      .add(SOURCE_FILE, StringType, false)
      .add(SOURCE_LINE, LongType, true)
      .add(RECORD, createMapType(StringType, StringType, true), false)
      .add(REASONS, createArrayType(StringType, true), false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private Quarantine() {}
}
