package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillageBusinessModel;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * The county feature table: village-years summed to county, prefecture and province per year. Shares are ratios of
 * sums (sales-weighted for platform shares, order-weighted for the category index and order value, seller counts
 * for the seller mix); growth and trends are log ratios to the unit's previous year. Sales are summed exactly, as
 * DECIMAL(28,2) (money is never floating point); the ratios are doubles.
 */
public final class Rollups {
  private static final String ORDER_WEIGHTED_HHI = "_hhi_orders";
  private static final String HHI_ORDERS = "_orders_with_hhi";
  private static final String FARM_ORDERS = "_farm_produce_orders";
  private static final String ORDER_WEIGHTED_VALUE = "_value_orders";
  private static final String VALUE_ORDERS = "_orders_with_value";
  private static final String TAOBAO_SALES = "_taobao_sales";
  private static final String LIVE_SALES = "_live_sales";
  private static final String NEW_SALES = "_new_sales";
  private static final String LABELLED = "_labelled";
  private static final String PRODUCERS = "_producers";
  private static final String MERCHANTS = "_merchants";
  private static final String LIVE_VILLAGES = "_live_villages";

  private Rollups() {}

  /**
   * @param labels from {@link VillageLabels#label} (village, year, business model)
   * @param villageYears from {@link VillageYears#build}, each village-year with its county, prefecture and province
   *     of that year
   * @param registry the village registry at each year's end ({@link
   *     org.taobaovillages.table.DimensionColumns#atYearEnds}: units' names, villages and population of that year);
   *     {@code counties} the county attributes at each year's end, the same way
   */
  public static Dataset<Row> features(Dataset<Row> villageYears, Dataset<Row> labels, Dataset<Row> registry,
      Dataset<Row> counties, String version) {
    Dataset<Row> rows = villageYears
        .join(labels.select(col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.YEAR),
            col(VillageBusinessModel.BUSINESS_MODEL)), new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR},
            "left");
    Dataset<Row> county = level(rows, registry, CountyFeatures.COUNTY, VillageRegistry.COUNTY_CODE,
        VillageRegistry.COUNTY_NAME)
        .join(counties.select(col(CountyAttributes.COUNTY_CODE).as(CountyFeatures.UNIT_CODE),
            col(CountyAttributes.MANUFACTURING_SHARE), col(CountyAttributes.WHOLESALE_RETAIL_SHARE),
            col(CountyAttributes.MIGRANT_SHARE).as(CountyFeatures.CENSUS_MIGRANT_SHARE),
            col(CountyAttributes.ECOMMERCE_PROGRAMME), col(CountyAttributes.PROGRAMME_START_YEAR),
            col(VillagePeriod.YEAR)), new String[] {CountyFeatures.UNIT_CODE, VillagePeriod.YEAR}, "left");
    Dataset<Row> prefecture = level(rows, registry, CountyFeatures.PREFECTURE, VillageRegistry.CITY_CODE,
        VillageRegistry.CITY_NAME);
    Dataset<Row> province = level(rows, registry, CountyFeatures.PROVINCE, VillageRegistry.PROVINCE_CODE,
        VillageRegistry.PROVINCE_NAME);
    return county.unionByName(prefecture, true).unionByName(province, true)
        .withColumn(CountyTypology.TYPOLOGY_VERSION, lit(version));
  }

  private static Dataset<Row> level(Dataset<Row> rows, Dataset<Row> registry, String level, String code, String name) {
    Column orders = col(VillageYears.ORDERS);
    Column sales = col(VillageYears.SALES_RMB);
    Column model = col(VillageBusinessModel.BUSINESS_MODEL);
    Dataset<Row> sums = rows.groupBy(col(code).as(CountyFeatures.UNIT_CODE), col(VillagePeriod.YEAR))
        .agg(count(lit(1)).as(CountyFeatures.VILLAGES_WITH_SALES),
            count(when(col(VillageYears.QUALIFIES), lit(1))).as(CountyFeatures.TAOBAO_VILLAGES),
            sum(col(VillageYears.EXACT_SALES_RMB)).cast(SellerMonth.MONEY).as(VillagePeriod.SALES_RMB),
            sum(col(VillageYears.ACTIVE_SELLERS)).as(VillagePeriod.ACTIVE_SELLERS),
            sum(col(VillageYears.SELLERS)).as(VillageYears.SELLERS),
            sum(col(VillageYears.KNOWN_ORIGIN)).as(VillageYears.KNOWN_ORIGIN),
            sum(col(VillageYears.NATIVE)).as(VillageYears.NATIVE),
            sum(col(VillageYears.RETURN_MIGRANT)).as(VillageYears.RETURN_MIGRANT),
            sum(col(VillageYears.MIGRANT)).as(VillageYears.MIGRANT),
            sum(col(VillageYears.ENTERPRISE)).as(VillageYears.ENTERPRISE),
            sum(col(VillageYears.CATEGORY_HHI).multiply(orders)).as(ORDER_WEIGHTED_HHI),
            sum(when(col(VillageYears.CATEGORY_HHI).isNotNull(), orders)).as(HHI_ORDERS),
            sum(col(VillageYears.FARM_PRODUCE_SHARE).multiply(orders)).as(FARM_ORDERS),
            sum(col(VillageYears.ORDER_VALUE_RMB).multiply(orders)).as(ORDER_WEIGHTED_VALUE),
            sum(when(col(VillageYears.ORDER_VALUE_RMB).isNotNull(), orders)).as(VALUE_ORDERS),
            sum(col(VillageYears.TAOBAO_SHARE).multiply(sales)).as(TAOBAO_SALES),
            sum(col(VillageYears.LIVE_STREAM_SHARE).multiply(sales)).as(LIVE_SALES),
            sum(col(VillageYears.NEW_PLATFORM_SHARE).multiply(sales)).as(NEW_SALES),
            sum(col(VillageYears.CLOSED_SHOPS)).as(VillageYears.CLOSED_SHOPS),
            count(model).as(LABELLED),
            count(when(model.equalTo(VillageBusinessModel.PRODUCER), lit(1))).as(PRODUCERS),
            count(when(model.equalTo(VillageBusinessModel.MERCHANT), lit(1))).as(MERCHANTS),
            count(when(model.equalTo(VillageBusinessModel.LIVE_STREAM), lit(1))).as(LIVE_VILLAGES));
    Dataset<Row> units = registry.groupBy(col(code).as(CountyFeatures.UNIT_CODE), col(VillagePeriod.YEAR))
        .agg(first(col(name), true).as(CountyFeatures.UNIT_NAME),
            first(col(VillageRegistry.PROVINCE_CODE), true).as(CountyAttributes.PROVINCE_CODE),
            count(lit(1)).as(CountyFeatures.VILLAGES),
            sum(col(VillageRegistry.POPULATION)).cast("long").as(CountyFeatures.POPULATION));
    WindowSpec history = Window.partitionBy(CountyFeatures.UNIT_CODE).orderBy(VillagePeriod.YEAR);
    Column consecutive = lag(col(VillagePeriod.YEAR), 1).over(history).equalTo(col(VillagePeriod.YEAR).minus(1));
    Column orderValue = col(ORDER_WEIGHTED_VALUE).divide(col(VALUE_ORDERS));
    Column hhi = col(ORDER_WEIGHTED_HHI).divide(col(HHI_ORDERS));
    Column known = col(VillageYears.KNOWN_ORIGIN);
    // Ratios of the exact sum are taken in double, like every other statistic here.
    Column money = col(VillagePeriod.SALES_RMB).cast("double");
    return sums.join(units, new String[] {CountyFeatures.UNIT_CODE, VillagePeriod.YEAR})
        .withColumn(CountyFeatures.LEVEL, lit(level))
        .withColumn(CountyFeatures.TAOBAO_VILLAGE_DENSITY,
            col(CountyFeatures.TAOBAO_VILLAGES).divide(col(CountyFeatures.VILLAGES)))
        .withColumn(CountyFeatures.ECOMMERCE_VILLAGE_SHARE,
            col(CountyFeatures.VILLAGES_WITH_SALES).divide(col(CountyFeatures.VILLAGES)))
        .withColumn(CountyFeatures.SALES_PER_CAPITA, when(col(CountyFeatures.POPULATION).gt(0),
            money.divide(col(CountyFeatures.POPULATION))))
        .withColumn(CountyFeatures.SELLER_GROWTH, when(consecutive, log(col(VillagePeriod.ACTIVE_SELLERS).plus(1)
            .divide(lag(col(VillagePeriod.ACTIVE_SELLERS), 1).over(history).plus(1)))))
        .withColumn(CountyFeatures.NATIVE_SHARE, when(known.gt(0), col(VillageYears.NATIVE).divide(known)))
        .withColumn(CountyFeatures.RETURN_MIGRANT_SHARE, when(known.gt(0),
            col(VillageYears.RETURN_MIGRANT).divide(known)))
        .withColumn(CountyFeatures.MIGRANT_SHARE, when(known.gt(0), col(VillageYears.MIGRANT).divide(known)))
        .withColumn(CountyFeatures.ENTERPRISE_SHARE, when(col(VillageYears.SELLERS).gt(0),
            col(VillageYears.ENTERPRISE).divide(col(VillageYears.SELLERS))))
        .withColumn(CountyFeatures.CATEGORY_HHI, hhi)
        .withColumn(CountyFeatures.CATEGORY_BREADTH, when(hhi.gt(0), lit(1.0).divide(hhi)))
        .withColumn(CountyFeatures.FARM_PRODUCE_SHARE, col(FARM_ORDERS).divide(col(HHI_ORDERS)))
        .withColumn(CountyFeatures.ORDER_VALUE, orderValue)
        .withColumn(CountyFeatures.ORDER_VALUE_TREND, when(consecutive,
            log(orderValue.divide(lag(orderValue, 1).over(history)))))
        .withColumn(CountyFeatures.TAOBAO_SHARE, col(TAOBAO_SALES).divide(money))
        .withColumn(CountyFeatures.NEW_PLATFORM_SHARE, col(NEW_SALES).divide(money))
        .withColumn(CountyFeatures.LIVE_STREAM_SHARE, col(LIVE_SALES).divide(money))
        .withColumn(CountyFeatures.CHURN_RATE, when(col(VillagePeriod.ACTIVE_SELLERS).gt(0),
            col(VillageYears.CLOSED_SHOPS).divide(col(VillagePeriod.ACTIVE_SELLERS))))
        .withColumn(CountyFeatures.PRODUCER_SHARE, when(col(LABELLED).gt(0), col(PRODUCERS).divide(col(LABELLED))))
        .withColumn(CountyFeatures.MERCHANT_SHARE, when(col(LABELLED).gt(0), col(MERCHANTS).divide(col(LABELLED))))
        .withColumn(CountyFeatures.LIVE_STREAM_VILLAGE_SHARE, when(col(LABELLED).gt(0),
            col(LIVE_VILLAGES).divide(col(LABELLED))));
  }
}
