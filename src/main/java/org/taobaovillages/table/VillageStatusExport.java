package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The BI export of village status: one Parquet row per village, rule and period with the village's names and
 * place. {@link #NAME}: calendar years, partitioned by rule and year; {@link #NOWCAST}: the trailing 12 months at
 * every month-end, partitioned by rule and year. Periods with few active sellers have their metrics suppressed
 * (null) and {@link #SUPPRESSED} true. No seller or household id is exported.
 */
public final class VillageStatusExport {
  public static final String NAME = "village_status";
  public static final String NOWCAST = "village_nowcast";
  public static final String SUPPRESSED = "metrics_suppressed";

  /** Metrics that could reveal a single shop's business when few shops are active. */
  public static final List<String> SUPPRESSIBLE = List.of(VillagePeriod.ACTIVE_SELLERS,
      VillagePeriod.ACTIVE_HOUSEHOLDS, VillagePeriod.HOUSEHOLD_SHARE, VillagePeriod.ORDERS, VillagePeriod.SALES_RMB,
      VillagePeriod.TAOBAO_SHARE, VillageStatus.PLATFORM_SHARE, VillageStatus.DECIDING);

  public static final StructType PLACE = new StructType()
      .add(VillageRegistry.VILLAGE_NAME, StringType, true)
      .add(VillageRegistry.TOWN_CODE, StringType, true)
      .add(VillageRegistry.TOWN_NAME, StringType, true)
      .add(VillageRegistry.COUNTY_CODE, StringType, true)
      .add(VillageRegistry.COUNTY_NAME, StringType, true)
      .add(VillageRegistry.CITY_NAME, StringType, true)
      .add(VillageRegistry.PROVINCE_CODE, StringType, true)
      .add(VillageRegistry.PROVINCE_NAME, StringType, true)
      .add(VillageRegistry.LONGITUDE, DoubleType, true)
      .add(VillageRegistry.LATITUDE, DoubleType, true);

  public static final StructType SCHEMA = new StructType()
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(PLACE.fields()[0]).add(PLACE.fields()[1]).add(PLACE.fields()[2]).add(PLACE.fields()[3])
      .add(PLACE.fields()[4]).add(PLACE.fields()[5]).add(PLACE.fields()[6]).add(PLACE.fields()[7])
      .add(PLACE.fields()[8]).add(PLACE.fields()[9])
      .add(VillageStatus.RULE_ID, StringType, false)
      .add(VillageStatus.RULE_VERSION, StringType, false)
      .add(VillageStatus.RULE_KIND, StringType, false)
      .add(VillageStatus.RULE_TEXT, StringType, false)
      .add(VillagePeriod.PERIOD, StringType, false)
      .add(VillagePeriod.PERIOD_END, DateType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(VillageStatus.QUALIFIES, BooleanType, false)
      .add(VillageStatus.TRANSITION, StringType, false)
      .add(VillageStatus.FIRST_QUALIFIED, DateType, true)
      .add(VillageStatus.PERIODS_HELD, IntegerType, false)
      .add(VillageStatus.MEETS_SALES, BooleanType, false)
      .add(VillageStatus.MEETS_SHOPS, BooleanType, false)
      .add(VillageStatus.MEETS_HOUSEHOLDS, BooleanType, true)
      .add(VillageStatus.MEETS_PLATFORM, BooleanType, true)
      .add(VillageStatus.DECIDING, StringType, true)
      .add(VillagePeriod.ACTIVE_SELLERS, LongType, true)
      .add(VillagePeriod.ACTIVE_HOUSEHOLDS, LongType, true)
      .add(VillagePeriod.HOUSEHOLDS, IntegerType, true)
      .add(VillagePeriod.HOUSEHOLD_SHARE, DoubleType, true)
      .add(VillagePeriod.ORDERS, LongType, true)
      .add(VillagePeriod.SALES_RMB, SellerMonth.MONEY, true)
      .add(VillagePeriod.TAOBAO_SHARE, DoubleType, true)
      .add(VillageStatus.PLATFORM_SHARE, DoubleType, true)
      .add(SUPPRESSED, BooleanType, false)
      .add(VillagePeriod.PERIOD_COMPLETE, BooleanType, false)
      .add(VillagePeriod.ACTIVE_DEFINITION, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private VillageStatusExport() {}
}
