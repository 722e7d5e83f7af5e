package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** Seller accounts (online shops) and the village they are registered in. Input and Delta table. */
public final class SellerAccounts {
  public static final String NAME = "seller_accounts";

  /** Personal data: pseudonymised at ingest. */
  public static final String SELLER_ID = "seller_id";
  /** 12-digit administrative code of the registered / ship-from village. */
  public static final String VILLAGE_CODE = "village_code";
  /** Personal data: the household that runs the shop; pseudonymised at ingest. */
  public static final String HOUSEHOLD_ID = "household_id";
  public static final String OPENED_DATE = "opened_date";
  public static final String PLATFORM = "platform";
  public static final String ACCOUNT_TYPE = "account_type";
  /** Personal data (origin of the owner): native, return_migrant, migrant; null when unknown. */
  public static final String OWNER_ORIGIN = "owner_origin";

  public static final StructType SCHEMA = new StructType()
      .add(SELLER_ID, StringType, false)
      .add(VILLAGE_CODE, StringType, false)
      .add(HOUSEHOLD_ID, StringType, false)
      .add(OPENED_DATE, DateType, false)
      .add(PLATFORM, StringType, false)
      .add(ACCOUNT_TYPE, StringType, false)
      .add(OWNER_ORIGIN, StringType, true);

  /**
   * Keys and values normalised at ingest (trimmed, full-width ASCII folded: {@link org.taobaovillages.ingest.Keys}):
   * codes, and the values checked against lists ({@link #LISTED}). Seller and household ids are normalised by
   * their pseudonymisation.
   */
  public static final List<String> NORMALISED = List.of(VILLAGE_CODE, PLATFORM, ACCOUNT_TYPE, OWNER_ORIGIN);
  /** Values checked against lists: bytes that are not text make them unknown values. */
  public static final List<String> LISTED = List.of(PLATFORM, ACCOUNT_TYPE, OWNER_ORIGIN);
  /** Columns pseudonymised at ingest. */
  public static final List<String> PERSONAL_IDS = List.of(SELLER_ID, HOUSEHOLD_ID);

  public static final List<String> PLATFORMS =
      List.of("taobao", "tmall", "pinduoduo", "jd", "douyin", "kuaishou", "other");
  public static final List<String> ACCOUNT_TYPES = List.of("individual", "enterprise");
  public static final List<String> OWNER_ORIGINS = List.of("native", "return_migrant", "migrant");

  private SellerAccounts() {}
}
