package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Planted truth per generated village (written by {@code generate} to the truth location, never read by the
 * pipeline): its county's factors and quadrant, its business model and the years it is a Taobao Village by
 * design (the world model's own statuses, never a detection rule's verdict).
 */
public final class TruthVillages {
  public static final String NAME = "villages";

  public static final String VILLAGE_CODE = "village_code";
  public static final String TOWN_CODE = "town_code";
  public static final String COUNTY_CODE = "county_code";
  public static final String PROVINCE_CODE = "province_code";
  public static final String MACRO_REGION = "macro_region";
  public static final String QUADRANT = "quadrant";
  public static final String ROBUST_SECTOR = "robust_sector";
  public static final String MIGRANT_ENTREPRENEURS = "migrant_entrepreneurs";
  public static final String RETURN_MIGRANTS = "return_migrants";
  public static final String INTERVENTIONIST = "interventionist";
  public static final String FORMATION_ALLOWED = "formation_allowed";
  public static final String FORMATION_LEAK = "formation_leak";
  /** taobao_village (designed), minor (below the thresholds), live_stream, or null (no e-commerce). */
  public static final String VILLAGE_KIND = "village_kind";
  /** merchant, producer or live_stream. */
  public static final String BUSINESS_MODEL = "business_model";
  public static final String CATEGORY = "category";
  /** First year the world model designs the village as a Taobao Village. */
  public static final String DESIGNED_FIRST_YEAR = "designed_first_year";
  /** Year a declining village drops below the thresholds (price wars), if it does. */
  public static final String DECLINE_YEAR = "decline_year";
  /** Years in which the village is a Taobao Village by design (after a decline, no longer). */
  public static final String DESIGNED_YEARS = "designed_years";

  public static final StructType SCHEMA = new StructType()
      .add(VILLAGE_CODE, StringType, false)
      .add(TOWN_CODE, StringType, false)
      .add(COUNTY_CODE, StringType, false)
      .add(PROVINCE_CODE, StringType, false)
      .add(MACRO_REGION, StringType, false)
      .add(QUADRANT, StringType, false)
      .add(ROBUST_SECTOR, BooleanType, false)
      .add(MIGRANT_ENTREPRENEURS, BooleanType, false)
      .add(RETURN_MIGRANTS, BooleanType, false)
      .add(INTERVENTIONIST, BooleanType, false)
      .add(FORMATION_ALLOWED, BooleanType, false)
      .add(FORMATION_LEAK, BooleanType, false)
      .add(VILLAGE_KIND, StringType, true)
      .add(BUSINESS_MODEL, StringType, false)
      .add(CATEGORY, StringType, false)
      .add(DESIGNED_FIRST_YEAR, IntegerType, true)
      .add(DECLINE_YEAR, IntegerType, true)
      .add(DESIGNED_YEARS, createArrayType(IntegerType), true);

  private TruthVillages() {}
}
