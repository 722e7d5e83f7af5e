package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Village registry: administrative villages keyed by the 12-digit statistical division code
 * {@code PP CC DD TTT VVV} (domain.md section 1). Input and Delta table.
 */
public final class VillageRegistry {
  public static final String NAME = "village_registry";

  public static final String VILLAGE_CODE = "village_code";
  public static final String VILLAGE_NAME = "village_name";
  public static final String TOWN_CODE = "town_code";
  public static final String TOWN_NAME = "town_name";
  public static final String COUNTY_CODE = "county_code";
  public static final String COUNTY_NAME = "county_name";
  public static final String CITY_CODE = "city_code";
  public static final String CITY_NAME = "city_name";
  public static final String PROVINCE_CODE = "province_code";
  public static final String PROVINCE_NAME = "province_name";
  public static final String LONGITUDE = "longitude";
  public static final String LATITUDE = "latitude";
  public static final String HOUSEHOLDS = "households";
  public static final String POPULATION = "population";

  public static final StructType SCHEMA = new StructType()
      .add(VILLAGE_CODE, StringType, false)
      .add(VILLAGE_NAME, StringType, false)
      .add(TOWN_CODE, StringType, false)
      .add(TOWN_NAME, StringType, false)
      .add(COUNTY_CODE, StringType, false)
      .add(COUNTY_NAME, StringType, false)
      .add(CITY_CODE, StringType, false)
      .add(CITY_NAME, StringType, false)
      .add(PROVINCE_CODE, StringType, false)
      .add(PROVINCE_NAME, StringType, false)
      .add(LONGITUDE, DoubleType, true)
      .add(LATITUDE, DoubleType, true)
      .add(HOUSEHOLDS, IntegerType, true)
      .add(POPULATION, IntegerType, true);

  /** Codes normalised at ingest (trimmed, full-width ASCII folded: {@link org.taobaovillages.ingest.Keys}). */
  public static final java.util.List<String> NORMALISED =
      java.util.List.of(VILLAGE_CODE, TOWN_CODE, COUNTY_CODE, CITY_CODE, PROVINCE_CODE);

  private VillageRegistry() {}
}
