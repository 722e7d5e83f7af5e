package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * County attributes behind the typology (domain.md section 4): robust economic sector (industry shares),
 * migration, and the local government's e-commerce programme. Input and Delta table.
 */
public final class CountyAttributes {
  public static final String NAME = "county_attributes";

  public static final String COUNTY_CODE = "county_code";
  public static final String COUNTY_NAME = "county_name";
  public static final String PROVINCE_CODE = "province_code";
  /** Share of employed residents working in manufacturing (census EMPL_INDU_MANU), 0..1. */
  public static final String MANUFACTURING_SHARE = "manufacturing_share";
  /** Share of employed residents in wholesale and retail (census EMPL_INDU_SALE), 0..1. */
  public static final String WHOLESALE_RETAIL_SHARE = "wholesale_retail_share";
  /** Share of residents whose hukou is registered outside the township (census POPU_REG_*), 0..1. */
  public static final String MIGRANT_SHARE = "migrant_share";
  /** Whether the county runs a government e-commerce programme (parks, training, logistics subsidies). */
  public static final String ECOMMERCE_PROGRAMME = "ecommerce_programme";
  public static final String PROGRAMME_START_YEAR = "programme_start_year";

  public static final StructType SCHEMA = new StructType()
      .add(COUNTY_CODE, StringType, false)
      .add(COUNTY_NAME, StringType, false)
      .add(PROVINCE_CODE, StringType, false)
      .add(MANUFACTURING_SHARE, DoubleType, true)
      .add(WHOLESALE_RETAIL_SHARE, DoubleType, true)
      .add(MIGRANT_SHARE, DoubleType, true)
      .add(ECOMMERCE_PROGRAMME, BooleanType, true)
      .add(PROGRAMME_START_YEAR, IntegerType, true);

  /** Codes normalised at ingest (trimmed, full-width ASCII folded: {@link org.taobaovillages.ingest.Keys}). */
  public static final java.util.List<String> NORMALISED = java.util.List.of(COUNTY_CODE, PROVINCE_CODE);

  private CountyAttributes() {}
}
