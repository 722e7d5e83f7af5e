package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;
import static org.taobaovillages.generate.ReferenceData.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.taobaovillages.table.VillageRegistry;

/**
 * The real geography of the world model: China's village committees with their real codes and names, placed
 * inside their county, with households and population drawn so that county totals match the 2020 census.
 *
 * <p>Only county centroids and areas are public, so village coordinates are synthetic: a township's centre
 * falls within 60 % of the county's radius (radius of the disc with the county's area) around the centroid,
 * and its villages around that centre, within the radius a township would have if the county were split into
 * equal discs. Villages of one township therefore lie near each other.
 *
 * <p>Village committees hold the rural population: a county's rural residents are its census population
 * times (1 - urbanisation rate), at least {@link #MIN_VILLAGE_POPULATION} per village, shared among its
 * villages by lognormal weights (sigma 0.5) and rounded cumulatively so the shares add up to the total
 * exactly. Households are the rural population over the census household size, shared the same way.
 */
public final class Geography {
  /** Floor on the mean rural population per village (urban districts with a few villages left). */
  static final int MIN_VILLAGE_POPULATION = 200;
  static final double KM_PER_DEGREE = 111.32;

  // Columns of the county view.
  public static final String VILLAGE_COUNT = "village_count";
  public static final String TOWN_COUNT = "town_count";
  public static final String RURAL_POPULATION = "rural_population";
  public static final String RURAL_HOUSEHOLDS = "rural_households";
  /** True when the county has no census row (e.g. a district created in 2021) and city means stand in. */
  public static final String CENSUS_IMPUTED = "census_imputed";

  private static final String WEIGHT = "_weight";

  private Geography() {}

  /**
   * Counties that have village committees, with their census values; where the census has no row for a
   * county, the mean of its city's other counties (else its province's) stands in.
   */
  public static Dataset<Row> counties(Dataset<Row> villageCommittees, Dataset<Row> census) {
    Dataset<Row> counted = villageCommittees
        .groupBy(COUNTY_CODE, COUNTY_NAME, CITY_CODE, CITY_NAME, PROVINCE_CODE, PROVINCE_NAME)
        .agg(count(lit(1)).as(VILLAGE_COUNT), count_distinct(col(TOWN_CODE)).as(TOWN_COUNT));
    Dataset<Row> joined = counted.join(census, COUNTY_CODE, "left")
        .withColumn(CENSUS_IMPUTED, col(POPULATION).isNull());
    WindowSpec city = Window.partitionBy(CITY_CODE);
    WindowSpec province = Window.partitionBy(PROVINCE_CODE);
    for (String c : new String[] {LON, LAT, AREA_KM2, URBANISATION, HOUSEHOLD_SIZE, HUKOU_OTHER_PROVINCE,
        HUKOU_SAME_PROVINCE, MANUFACTURING, WHOLESALE_RETAIL, DENSITY}) {
      joined = joined.withColumn(c, coalesce(col(c), avg(col(c)).over(city), avg(col(c)).over(province)));
    }
    // A county without a census row gets the rural population per village of its city.
    Column perVillage = col(POPULATION).multiply(lit(1).minus(col(URBANISATION))).divide(col(VILLAGE_COUNT));
    Column imputedPopulation = coalesce(col(POPULATION).cast("double"),
        avg(perVillage).over(city).multiply(col(VILLAGE_COUNT)).divide(lit(1).minus(col(URBANISATION))));
    Column rural = greatest(round(imputedPopulation.multiply(lit(1).minus(col(URBANISATION)))),
        col(VILLAGE_COUNT).multiply(MIN_VILLAGE_POPULATION)).cast("long");
    return joined
        .withColumn(RURAL_POPULATION, rural)
        .withColumn(RURAL_HOUSEHOLDS, greatest(round(col(RURAL_POPULATION).divide(col(HOUSEHOLD_SIZE))),
            col(VILLAGE_COUNT)).cast("long"));
  }

  /** The village registry (schema {@link VillageRegistry}) of the given village committees. */
  public static Dataset<Row> villages(Dataset<Row> villageCommittees, Dataset<Row> counties, long seed) {
    HashRandom rnd = new HashRandom(seed);
    Column village = col(VILLAGE_CODE);
    Column town = col(TOWN_CODE);
    Column countyRadiusKm = sqrt(col(AREA_KM2).divide(Math.PI));
    Column townRadiusKm = countyRadiusKm.divide(sqrt(col(TOWN_COUNT))).multiply(0.8);
    Column townAngle = rnd.uniform("town-angle", town).multiply(2 * Math.PI);
    Column townDistance = sqrt(rnd.uniform("town-distance", town)).multiply(countyRadiusKm).multiply(0.6);
    Column villageAngle = rnd.uniform("village-angle", village).multiply(2 * Math.PI);
    Column villageDistance = sqrt(rnd.uniform("village-distance", village)).multiply(townRadiusKm);
    Column northKm = townDistance.multiply(sin(townAngle)).plus(villageDistance.multiply(sin(villageAngle)));
    Column eastKm = townDistance.multiply(cos(townAngle)).plus(villageDistance.multiply(cos(villageAngle)));
    Column latitude = col(LAT).plus(northKm.divide(KM_PER_DEGREE));
    Column longitude = col(LON).plus(eastKm.divide(cos(radians(col(LAT))).multiply(KM_PER_DEGREE)));

    Dataset<Row> placed = villageCommittees
        .join(counties.select(COUNTY_CODE, LON, LAT, AREA_KM2, TOWN_COUNT, RURAL_POPULATION, RURAL_HOUSEHOLDS),
            COUNTY_CODE)
        .withColumn(VillageRegistry.LONGITUDE, longitude)
        .withColumn(VillageRegistry.LATITUDE, latitude)
        .withColumn(WEIGHT, exp(rnd.normal("village-size", village).multiply(0.5)));
    Dataset<Row> withPopulation = withShare(placed, RURAL_POPULATION, VillageRegistry.POPULATION);
    return withShare(withPopulation, RURAL_HOUSEHOLDS, VillageRegistry.HOUSEHOLDS)
        .select(WorldModel.columnsOf(VillageRegistry.SCHEMA));
  }

  /**
   * Adds {@code output}: this village's part of its county's {@code total}, in proportion to its weight, by
   * cumulative rounding (part = rounded running total minus the previous village's rounded running total), so
   * the parts are whole numbers that add up to the total exactly.
   */
  static Dataset<Row> withShare(Dataset<Row> villages, String total, String output) {
    WindowSpec byCounty = Window.partitionBy(COUNTY_CODE);
    WindowSpec ordered = byCounty.orderBy(VILLAGE_CODE);
    Column runningWeight = sum(col(WEIGHT)).over(ordered.rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
    Column isLast = row_number().over(ordered).equalTo(count(lit(1)).over(byCounty));
    Column rounded = when(isLast, col(total))
        .otherwise(floor(col(total).multiply(runningWeight.divide(sum(col(WEIGHT)).over(byCounty))).plus(0.5)))
        .cast("long");
    String running = "_running_" + output;
    return villages
        .withColumn(running, rounded)
        .withColumn(output, col(running).minus(coalesce(lag(col(running), 1).over(ordered), lit(0L))).cast("int"))
        .drop(running);
  }
}
