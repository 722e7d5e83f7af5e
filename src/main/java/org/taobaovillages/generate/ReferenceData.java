package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;

/**
 * The real reference data under {@code reference/} (see its README): read with Spark from any URI, columns
 * selected by name and typed here, never inferred. Census shares are fractions 0..1. A few census cells hold
 * spreadsheet errors ('#DIV/0!' for Kinmen and the South China Sea islands); they are read as null.
 */
public final class ReferenceData {
  // Column names of the reference views, used by the world model.
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
  public static final String LON = "lon";
  public static final String LAT = "lat";
  public static final String AREA_KM2 = "area_km2";
  public static final String POPULATION = "population";
  public static final String URBANISATION = "urbanisation";
  public static final String HOUSEHOLD_SIZE = "household_size";
  public static final String HUKOU_OTHER_PROVINCE = "hukou_other_province";
  public static final String HUKOU_SAME_PROVINCE = "hukou_same_province";
  public static final String MANUFACTURING = "manufacturing";
  public static final String WHOLESALE_RETAIL = "wholesale_retail";
  public static final String DENSITY = "density";
  public static final String YEAR = "year";
  public static final String TAOBAO_VILLAGES = "taobao_villages";
  public static final String TAOBAO_TOWNS = "taobao_towns";
  public static final String PROVINCES = "provinces";
  public static final String CITIES = "cities";

  private final SparkSession spark;
  private final String root;

  public ReferenceData(SparkSession spark, String root) {
    this.spark = spark;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  /** The reference folder's URI, without a trailing slash. */
  public String root() {
    return root;
  }

  private Dataset<Row> csv(String file) {
    String path = root + "/" + file;
    if (!Warehouse.pathExists(spark, path)) {
      throw new UserError("reference file not found: " + path + " (taobao-villages.generate.reference, a path "
          + "relative to the working directory by default, must point at the repository's reference/ folder or a "
          + "copy of it: run from the repository's top folder or set it in --conf)");
    }
    // Every column read as text (no inference); the views below select and cast by name.
    return spark.read().option("header", true).option("inferSchema", false).csv(path);
  }

  /** A numeric column; text that is not a number (spreadsheet errors) becomes null. */
  private static org.apache.spark.sql.Column number(String column, String type) {
    return col(column).try_cast(type);
  }

  /** The 488,991 village committees (administrative villages): the candidate rural villages. */
  public Dataset<Row> villageCommittees() {
    return csv("admin-divisions-2021/villages.csv.gz")
        .where(col("committee_type").equalTo("village_committee"))
        .select(VILLAGE_CODE, VILLAGE_NAME, TOWN_CODE, TOWN_NAME, COUNTY_CODE, COUNTY_NAME, CITY_CODE, CITY_NAME,
            PROVINCE_CODE, PROVINCE_NAME);
  }

  /** One row per census county: centroid, area, population, households and the typology's raw factors. */
  public Dataset<Row> countyCensus() {
    Dataset<Row> centroids = csv("county-census-2020/county_centroids.csv.gz").select(
        col("county_code").as(COUNTY_CODE), number("lon", "double").as(LON), number("lat", "double").as(LAT),
        col("area_km2").cast("double").as(AREA_KM2));
    Dataset<Row> population = csv("county-census-2020/population.csv.gz").select(col("CODE").as(COUNTY_CODE),
        number("POPU", "long").as(POPULATION), number("POPU_URB", "double").as(URBANISATION),
        number("POPU_REG_O", "double").as(HUKOU_OTHER_PROVINCE),
        number("POPU_REG_P", "double").as(HUKOU_SAME_PROVINCE));
    Dataset<Row> households = csv("county-census-2020/households.csv.gz").select(col("CODE").as(COUNTY_CODE),
        number("HHLD_S", "double").as(HOUSEHOLD_SIZE));
    Dataset<Row> employment = csv("county-census-2020/employment.csv.gz").select(col("CODE").as(COUNTY_CODE),
        number("EMPL_INDU_MANU", "double").as(MANUFACTURING), number("EMPL_INDU_SALE", "double").as(WHOLESALE_RETAIL));
    Dataset<Row> ghsl = csv("county-census-2020/ghsl.csv.gz").select(col("CODE").as(COUNTY_CODE),
        number("GHSL_POP_DENS", "double").as(DENSITY));
    return centroids.join(population, COUNTY_CODE, "left").join(households, COUNTY_CODE, "left")
        .join(employment, COUNTY_CODE, "left").join(ghsl, COUNTY_CODE, "left");
  }

  /** Published national counts: year, taobao_villages, taobao_towns (null where not published). */
  public Dataset<Row> nationalCounts() {
    return csv("taobao-village-counts/national_by_year.csv").select(number("year", "int").as(YEAR),
        number("taobao_villages", "int").as(TAOBAO_VILLAGES), number("taobao_towns", "int").as(TAOBAO_TOWNS));
  }

  /**
   * Published numbers of provinces and prefecture-level cities with Taobao Villages: year, provinces, cities
   * (null where not published).
   */
  public Dataset<Row> coverage() {
    return csv("taobao-village-counts/coverage_by_year.csv").select(number("year", "int").as(YEAR),
        number("provinces", "int").as(PROVINCES), number("cities", "int").as(CITIES));
  }

  /** Published Taobao Villages per county (2021 codes) for 2014-2016; rows without a code are dropped. */
  public Dataset<Row> countyCounts() {
    return csv("taobao-village-counts/county_counts_2014_2016.csv")
        .where(col("county_code_2021").isNotNull())
        .select(number("year", "int").as(YEAR), col("province_code").as(PROVINCE_CODE),
            col("county_code_2021").as(COUNTY_CODE), number("n_taobao_villages", "int").as(TAOBAO_VILLAGES));
  }

  /** Published Taobao Villages per province for 2014-2016. */
  public Dataset<Row> provinceCounts() {
    return csv("taobao-village-counts/province_counts_2014_2016.csv").select(number("year", "int").as(YEAR),
        col("province_code").as(PROVINCE_CODE), col("province_name").as(PROVINCE_NAME),
        number("n_taobao_villages", "int").as(TAOBAO_VILLAGES));
  }
}
