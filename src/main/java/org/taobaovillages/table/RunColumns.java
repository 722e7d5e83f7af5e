package org.taobaovillages.table;

import org.apache.spark.sql.types.StructType;

/** Lineage columns that every table we write carries: which run wrote the row, for which run date. */
public final class RunColumns {
  public static final String RUN_ID = "run_id";
  public static final String RUN_DATE = "run_date";

  private RunColumns() {}

  /**
   * A table's schema without the lineage columns, every field nullable: the rows a job builds on the driver before
   * the write adds the lineage (and conforms them to the table's schema).
   */
  public static StructType without(StructType schema) {
    StructType out = new StructType();
    for (var f : schema.fields()) {
      if (!f.name().equals(RUN_ID) && !f.name().equals(RUN_DATE)) {
        out = out.add(f.name(), f.dataType(), true);
      }
    }
    return out;
  }
}
