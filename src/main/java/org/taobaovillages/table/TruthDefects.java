package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Truth table written by {@code generate} next to (never inside) the input: every planted dirty or late row,
 * with what ingest is expected to do with it. Used only to score ingest; the pipeline never reads it.
 */
public final class TruthDefects {
  public static final String NAME = "defects";

  /** transactions or seller_accounts. */
  public static final String FILE_SET = "file_set";
  public static final String TRANSACTION_ID = "transaction_id";
  public static final String SELLER_ID = "seller_id";
  /** Defect kind, e.g. duplicate_transaction_id, null_seller_id, malformed_village_code, late_arrival. */
  public static final String KIND = "kind";
  /** quarantine, skip_duplicate (one copy kept) or accept (late but valid). */
  public static final String EXPECTED = "expected";
  public static final String DELIVERY_MONTH = "delivery_month";

  public static final String QUARANTINE = "quarantine";
  public static final String SKIP_DUPLICATE = "skip_duplicate";
  public static final String ACCEPT = "accept";

  public static final StructType SCHEMA = new StructType()
      .add(FILE_SET, StringType, false)
      .add(TRANSACTION_ID, StringType, true)
      .add(SELLER_ID, StringType, true)
      .add(KIND, StringType, false)
      .add(EXPECTED, StringType, false)
      .add(DELIVERY_MONTH, StringType, true);

  private TruthDefects() {}
}
