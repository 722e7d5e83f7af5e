package org.taobaovillages.table;

/** Lineage columns that every table we write carries: which run wrote the row, for which run date. */
public final class RunColumns {
  public static final String RUN_ID = "run_id";
  public static final String RUN_DATE = "run_date";

  private RunColumns() {}
}
