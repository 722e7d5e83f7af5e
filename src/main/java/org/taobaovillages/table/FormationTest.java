package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * {@code formation_test}: per year and number of factors present (0-3), the counties and the share with at least one
 * Taobao Village so far, with a 95 % Wilson score interval: the two-of-three rule checked, not assumed.
 */
public final class FormationTest {
  public static final String NAME = "formation_test";

  public static final String COUNTIES = "counties";
  public static final String FORMED = "counties_formed";
  public static final String SHARE = "share_formed";
  public static final String CI_LOW = "ci95_low";
  public static final String CI_HIGH = "ci95_high";

  public static final StructType SCHEMA = new StructType()
      .add(CountyTypology.TYPOLOGY_VERSION, StringType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(CountyTypology.FACTOR_COUNT, IntegerType, false)
      .add(COUNTIES, LongType, false)
      .add(FORMED, LongType, false)
      .add(SHARE, DoubleType, false)
      .add(CI_LOW, DoubleType, false)
      .add(CI_HIGH, DoubleType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private FormationTest() {}
}
