package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * {@code county_typology}: each county-year in the 2x2 of governance x robust economic sector (dissertation
 * Figure 5.1), with its region, the entrepreneur factor and the two-of-three formation rule, explained.
 */
public final class CountyTypology {
  public static final String NAME = "county_typology";

  public static final String TYPOLOGY_VERSION = VillageBusinessModel.TYPOLOGY_VERSION;
  /** pearl_river_delta, yangtze_river_delta, coastal_interior or central_western_periphery. */
  public static final String REGION = "region";
  public static final String ROBUST_SECTOR = "robust_sector";
  public static final String INTERVENTIONIST = "interventionist";
  /** prd_type (sector, noninterventionist), yrd_type (both), coastal_interior (programme only), periphery. */
  public static final String QUADRANT = "quadrant";
  public static final String MIGRANT_ENTREPRENEURS = "migrant_entrepreneurs";
  public static final String RETURN_MIGRANTS = "return_migrants";
  public static final String ENTREPRENEURS = "entrepreneurs";
  public static final String FACTOR_COUNT = "factor_count";
  /** At least two of the three factors: the rule says e-commerce villages can form. */
  public static final String FORMATION_EXPECTED = "formation_expected";
  public static final String TAOBAO_VILLAGES = "taobao_villages";
  /** The county has had a Taobao Village (primary rule) in this year or before. */
  public static final String HAS_FORMED = "has_formed";
  /** has_formed implies formation_expected (false: the county breaks the rule). */
  public static final String RULE_CONSISTENT = "rule_consistent";
  public static final String EXPLANATION = "explanation";

  public static final String PRD_TYPE = "prd_type";
  public static final String YRD_TYPE = "yrd_type";
  public static final String COASTAL_INTERIOR = "coastal_interior";
  public static final String PERIPHERY = "periphery";

  public static final StructType SCHEMA = new StructType()
      .add(TYPOLOGY_VERSION, StringType, false)
      .add(CountyAttributes.COUNTY_CODE, StringType, false)
      .add(CountyAttributes.COUNTY_NAME, StringType, true)
      .add(CountyAttributes.PROVINCE_CODE, StringType, true)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(REGION, StringType, false)
      .add(ROBUST_SECTOR, BooleanType, false)
      .add(INTERVENTIONIST, BooleanType, false)
      .add(QUADRANT, StringType, false)
      .add(MIGRANT_ENTREPRENEURS, BooleanType, false)
      .add(RETURN_MIGRANTS, BooleanType, false)
      .add(ENTREPRENEURS, BooleanType, false)
      .add(FACTOR_COUNT, IntegerType, false)
      .add(FORMATION_EXPECTED, BooleanType, false)
      .add(TAOBAO_VILLAGES, LongType, false)
      .add(HAS_FORMED, BooleanType, false)
      .add(RULE_CONSISTENT, BooleanType, false)
      .add(EXPLANATION, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** Figures withheld by {@link SmallCellFlags#METRICS}: the explanation quotes the county's sellers by origin. */
  public static final java.util.List<String> FIGURES = java.util.List.of(EXPLANATION);

  private CountyTypology() {}
}
