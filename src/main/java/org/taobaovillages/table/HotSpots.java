package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * Emerging hot spot analysis. {@link #YEARS}: Getis-Ord Gi* per village and calendar year on the analysed
 * metric, with its p-value and significance after the false-discovery-rate correction. {@link #NAME}: per
 * village, the Mann-Kendall trend of its Gi* series and its category (new, consecutive, intensifying,
 * persistent, diminishing, sporadic, oscillating, historical hot or cold spot, or no pattern). Delta tables
 * written by {@code detect}.
 */
public final class HotSpots {
  public static final String NAME = "hot_spots";
  public static final String YEARS = "hot_spot_years";

  public static final String VERSION = "analysis_version";
  public static final String METRIC = "metric";
  /**
   * The analysed metric's exact value, 0 without sales: DECIMAL(28,2) for either metric (RMB for sales_rmb, a whole
   * number for active_sellers), so money is never floating point; Gi* is computed in double from its exact sums.
   */
  public static final String VALUE = "value";
  /** Neighbours within the band (the village itself not counted). */
  public static final String NEIGHBOURS = "neighbours";
  public static final String GI_STAR = "gi_star";
  public static final String P_VALUE = "p_value";
  /** Significant at alpha after the Benjamini-Hochberg correction over the year's villages (if configured). */
  public static final String SIGNIFICANT = "significant";
  /** 3, 2, 1 for hot at 99, 95, 90 % confidence on the raw p-value, negative for cold, 0 otherwise (ArcGIS's Gi_Bin). */
  public static final String GI_BIN = "gi_bin";
  public static final String FIRST_YEAR = "first_year";
  public static final String LAST_YEAR = "last_year";
  public static final String HOT_YEARS = "hot_years";
  public static final String COLD_YEARS = "cold_years";
  public static final String TREND_S = "trend_s";
  public static final String TREND_Z = "trend_z";
  public static final String TREND_P = "trend_p";
  public static final String TREND_TAU = "trend_tau";
  public static final String CATEGORY = "category";

  public static final StructType YEARS_SCHEMA = new StructType()
      .add(VERSION, StringType, false)
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(METRIC, StringType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(VALUE, SellerMonth.MONEY, false)
      .add(NEIGHBOURS, LongType, false)
      .add(GI_STAR, DoubleType, true)
      .add(P_VALUE, DoubleType, true)
      .add(SIGNIFICANT, BooleanType, false)
      .add(GI_BIN, IntegerType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  public static final StructType SCHEMA = new StructType()
      .add(VERSION, StringType, false)
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(METRIC, StringType, false)
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(FIRST_YEAR, IntegerType, false)
      .add(LAST_YEAR, IntegerType, false)
      .add(HOT_YEARS, IntegerType, false)
      .add(COLD_YEARS, IntegerType, false)
      .add(TREND_S, LongType, false)
      .add(TREND_Z, DoubleType, false)
      .add(TREND_P, DoubleType, false)
      .add(TREND_TAU, DoubleType, false)
      .add(CATEGORY, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /**
   * The figure of {@link #YEARS} withheld by {@link SmallCellFlags#METRICS}. Gi*, its p-value and bins, and the
   * categories stay: they are statistics of every village's value within the band (docs/data-model.md says what
   * that leaves open).
   */
  public static final java.util.List<String> FIGURES = java.util.List.of(VALUE);

  private HotSpots() {}
}
