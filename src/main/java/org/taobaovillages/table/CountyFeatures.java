package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * {@code county_features}: what the orders and accounts show per county and year, with prefecture and province
 * rollups ({@code level}), and the county attributes behind the typology. Every column is described in
 * docs/typology.md.
 */
public final class CountyFeatures {
  public static final String NAME = "county_features";

  /** county, prefecture or province. */
  public static final String LEVEL = "level";
  public static final String UNIT_CODE = "unit_code";
  public static final String UNIT_NAME = "unit_name";
  public static final String COUNTY = "county";
  public static final String PREFECTURE = "prefecture";
  public static final String PROVINCE = "province";

  public static final String VILLAGES = "villages";
  public static final String VILLAGES_WITH_SALES = "villages_with_sales";
  public static final String TAOBAO_VILLAGES = "taobao_villages";
  public static final String TAOBAO_VILLAGE_DENSITY = "taobao_village_density";
  public static final String ECOMMERCE_VILLAGE_SHARE = "ecommerce_village_share";
  public static final String POPULATION = "population";
  public static final String SALES_PER_CAPITA = "sales_per_capita_rmb";
  public static final String SELLER_GROWTH = "seller_growth";
  public static final String NATIVE_SHARE = "native_seller_share";
  public static final String RETURN_MIGRANT_SHARE = "return_migrant_seller_share";
  public static final String MIGRANT_SHARE = "migrant_seller_share";
  public static final String ENTERPRISE_SHARE = "enterprise_seller_share";
  /** Sellers with a sale in the year whose origin is known: the base of the three origin shares. */
  public static final String KNOWN_ORIGIN_SELLERS = VillageBusinessModel.KNOWN_ORIGIN_SELLERS;
  public static final String CATEGORY_HHI = "category_hhi";
  public static final String CATEGORY_BREADTH = "category_breadth";
  public static final String FARM_PRODUCE_SHARE = "farm_produce_share";
  public static final String ORDER_VALUE = "order_value_rmb";
  public static final String ORDER_VALUE_TREND = "order_value_trend";
  public static final String TAOBAO_SHARE = "taobao_share";
  public static final String NEW_PLATFORM_SHARE = "new_platform_share";
  public static final String LIVE_STREAM_SHARE = "live_stream_share";
  public static final String CHURN_RATE = "churn_rate";
  public static final String PRODUCER_SHARE = "producer_village_share";
  public static final String MERCHANT_SHARE = "merchant_village_share";
  public static final String LIVE_STREAM_VILLAGE_SHARE = "live_stream_village_share";
  public static final String CENSUS_MIGRANT_SHARE = "census_migrant_share";

  public static final StructType SCHEMA = new StructType()
      .add(CountyTypology.TYPOLOGY_VERSION, StringType, false)
      .add(LEVEL, StringType, false)
      .add(UNIT_CODE, StringType, false)
      .add(UNIT_NAME, StringType, true)
      .add(CountyAttributes.PROVINCE_CODE, StringType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(VILLAGES, LongType, false)
      .add(VILLAGES_WITH_SALES, LongType, false)
      .add(TAOBAO_VILLAGES, LongType, false)
      .add(TAOBAO_VILLAGE_DENSITY, DoubleType, false)
      .add(ECOMMERCE_VILLAGE_SHARE, DoubleType, false)
      .add(POPULATION, LongType, true)
      .add(VillagePeriod.SALES_RMB, SellerMonth.MONEY, false)
      .add(SALES_PER_CAPITA, DoubleType, true)
      .add(VillagePeriod.ACTIVE_SELLERS, LongType, false)
      .add(SELLER_GROWTH, DoubleType, true)
      .add(NATIVE_SHARE, DoubleType, true)
      .add(RETURN_MIGRANT_SHARE, DoubleType, true)
      .add(MIGRANT_SHARE, DoubleType, true)
      .add(KNOWN_ORIGIN_SELLERS, LongType, true)
      .add(ENTERPRISE_SHARE, DoubleType, true)
      .add(CATEGORY_HHI, DoubleType, true)
      .add(CATEGORY_BREADTH, DoubleType, true)
      .add(FARM_PRODUCE_SHARE, DoubleType, true)
      .add(ORDER_VALUE, DoubleType, true)
      .add(ORDER_VALUE_TREND, DoubleType, true)
      .add(TAOBAO_SHARE, DoubleType, true)
      .add(NEW_PLATFORM_SHARE, DoubleType, true)
      .add(LIVE_STREAM_SHARE, DoubleType, true)
      .add(CHURN_RATE, DoubleType, true)
      .add(PRODUCER_SHARE, DoubleType, true)
      .add(MERCHANT_SHARE, DoubleType, true)
      .add(LIVE_STREAM_VILLAGE_SHARE, DoubleType, true)
      .add(CountyAttributes.MANUFACTURING_SHARE, DoubleType, true)
      .add(CountyAttributes.WHOLESALE_RETAIL_SHARE, DoubleType, true)
      .add(CENSUS_MIGRANT_SHARE, DoubleType, true)
      .add(CountyAttributes.ECOMMERCE_PROGRAMME, BooleanType, true)
      .add(CountyAttributes.PROGRAMME_START_YEAR, IntegerType, true)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** The behavioural features the clustering uses (orders and accounts only, no county attribute). */
  public static final java.util.List<String> BEHAVIOURAL = java.util.List.of(TAOBAO_VILLAGE_DENSITY,
      ECOMMERCE_VILLAGE_SHARE, SALES_PER_CAPITA, SELLER_GROWTH, NATIVE_SHARE, RETURN_MIGRANT_SHARE, MIGRANT_SHARE,
      ENTERPRISE_SHARE, CATEGORY_HHI, FARM_PRODUCE_SHARE, ORDER_VALUE, ORDER_VALUE_TREND, NEW_PLATFORM_SHARE,
      LIVE_STREAM_SHARE, CHURN_RATE, PRODUCER_SHARE);

  /**
   * What the unit's orders and accounts show: withheld by {@link SmallCellFlags#METRICS}. The counts and shares of
   * villages, population and the census attributes stay.
   */
  public static final java.util.List<String> FIGURES = java.util.List.of(VillagePeriod.SALES_RMB, SALES_PER_CAPITA,
      VillagePeriod.ACTIVE_SELLERS, SELLER_GROWTH, NATIVE_SHARE, RETURN_MIGRANT_SHARE, MIGRANT_SHARE,
      KNOWN_ORIGIN_SELLERS, ENTERPRISE_SHARE, CATEGORY_HHI, CATEGORY_BREADTH, FARM_PRODUCE_SHARE, ORDER_VALUE,
      ORDER_VALUE_TREND, TAOBAO_SHARE, NEW_PLATFORM_SHARE, LIVE_STREAM_SHARE, CHURN_RATE);
  /** Comparisons with the unit's previous year: withheld by {@link SmallCellFlags#CHANGE}. */
  public static final java.util.List<String> CHANGE_FIGURES = java.util.List.of(SELLER_GROWTH, ORDER_VALUE_TREND);
  /** The sellers' origin: withheld by {@link SmallCellFlags#ORIGIN}. */
  public static final java.util.List<String> ORIGIN_FIGURES = java.util.List.of(NATIVE_SHARE, RETURN_MIGRANT_SHARE,
      MIGRANT_SHARE, KNOWN_ORIGIN_SELLERS);

  private CountyFeatures() {}
}
