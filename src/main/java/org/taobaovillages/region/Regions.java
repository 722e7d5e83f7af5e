package org.taobaovillages.region;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Reporting regions (domain.md section 6): NBS macro-regions by province code, and the two deltas of the
 * typology (domain.md section 4).
 */
public final class Regions {
  public static final String EAST = "East";
  public static final String CENTRAL = "Central";
  public static final String WEST = "West";
  public static final String NORTHEAST = "Northeast";

  static final List<String> EAST_PROVINCES = List.of("11", "12", "13", "31", "32", "33", "35", "37", "44", "46");
  static final List<String> CENTRAL_PROVINCES = List.of("14", "34", "36", "41", "42", "43");
  static final List<String> NORTHEAST_PROVINCES = List.of("21", "22", "23");
  /** Guangzhou, Shenzhen, Zhuhai, Foshan, Jiangmen, Zhaoqing, Huizhou, Dongguan, Zhongshan. */
  static final List<String> PEARL_RIVER_DELTA_CITIES =
      List.of("4401", "4403", "4404", "4406", "4407", "4412", "4413", "4419", "4420");
  /** Shanghai, Jiangsu, Zhejiang (the narrow definition; Anhui joins in the 2019 plan's wider one). */
  static final List<String> YANGTZE_RIVER_DELTA_PROVINCES = List.of("31", "32", "33");

  private Regions() {}

  /** East, Central, West or Northeast from a 2-digit province code; all other codes are West. */
  public static Column macroRegion(Column provinceCode) {
    return when(provinceCode.isin(EAST_PROVINCES.toArray()), lit(EAST))
        .when(provinceCode.isin(CENTRAL_PROVINCES.toArray()), lit(CENTRAL))
        .when(provinceCode.isin(NORTHEAST_PROVINCES.toArray()), lit(NORTHEAST))
        .otherwise(lit(WEST));
  }

  public static Column isPearlRiverDelta(Column cityCode) {
    return cityCode.isin(PEARL_RIVER_DELTA_CITIES.toArray());
  }

  public static Column isYangtzeRiverDelta(Column provinceCode) {
    return provinceCode.isin(YANGTZE_RIVER_DELTA_PROVINCES.toArray());
  }

  /** Plain Java form for reports and tests. */
  public static String macroRegion(String provinceCode) {
    if (EAST_PROVINCES.contains(provinceCode)) {
      return EAST;
    }
    if (CENTRAL_PROVINCES.contains(provinceCode)) {
      return CENTRAL;
    }
    return NORTHEAST_PROVINCES.contains(provinceCode) ? NORTHEAST : WEST;
  }
}
