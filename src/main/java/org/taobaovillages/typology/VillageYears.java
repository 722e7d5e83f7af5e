package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillageBusinessModel;
import org.taobaovillages.table.VillageMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;

/**
 * What the orders and accounts show per village and complete calendar year: the behaviour every typology output
 * is built from (an intermediate view, not a table). One row per village-year with sales.
 */
public final class VillageYears {
  public static final String VILLAGE_CODE = VillagePeriod.VILLAGE_CODE;
  public static final String YEAR = VillagePeriod.YEAR;
  public static final String SALES_RMB = VillagePeriod.SALES_RMB;
  /** The same sales as DECIMAL (SALES_RMB is a double for the statistics): what money sums add up. */
  public static final String EXACT_SALES_RMB = "exact_sales_rmb";
  public static final String ACTIVE_SELLERS = VillagePeriod.ACTIVE_SELLERS;
  public static final String HOUSEHOLD_SHARE = VillagePeriod.HOUSEHOLD_SHARE;
  public static final String ORDERS = VillagePeriod.ORDERS;
  public static final String TAOBAO_SHARE = VillagePeriod.TAOBAO_SHARE;
  /** Share of sales on the live-stream platforms. */
  public static final String LIVE_STREAM_SHARE = VillageBusinessModel.LIVE_STREAM_SHARE;
  /** Share of sales on the newer platforms. */
  public static final String NEW_PLATFORM_SHARE = "new_platform_share";
  public static final String NEW_SHOPS = VillageMonth.NEW_SHOPS;
  public static final String CLOSED_SHOPS = VillageMonth.CLOSED_SHOPS;
  /** Order-weighted mean of the monthly median order amounts, RMB. */
  public static final String ORDER_VALUE_RMB = "order_value_rmb";
  /** Herfindahl index of the year's sale orders by category (order counts), 0..1. */
  public static final String CATEGORY_HHI = VillageBusinessModel.CATEGORY_HHI;
  /** Share of the year's sale orders in the farm-produce categories. */
  public static final String FARM_PRODUCE_SHARE = "farm_produce_share";
  /** Sellers with a sale order in the year, and how many of them are of known origin, native, ... */
  public static final String SELLERS = "sellers";
  public static final String KNOWN_ORIGIN = "known_origin_sellers";
  public static final String NATIVE = "native_sellers";
  public static final String RETURN_MIGRANT = "return_migrant_sellers";
  public static final String MIGRANT = "migrant_sellers";
  public static final String ENTERPRISE = "enterprise_sellers";
  /** Qualifies under the primary village rule in the year. */
  public static final String QUALIFIES = VillageStatus.QUALIFIES;
  /** Sales and active sellers of the year before (null when it had none). */
  public static final String PREVIOUS_SALES = "previous_sales_rmb";
  public static final String PREVIOUS_SELLERS = "previous_active_sellers";
  public static final String PREVIOUS_ORDER_VALUE = "previous_order_value_rmb";
  public static final String PREVIOUS_HOUSEHOLD_SHARE = "previous_household_share";
  /**
   * Sales and active sellers two years before (null when that year or the year between had no sales: only
   * consecutive years count, and the emergence inputs then fall back to one year's growth).
   */
  public static final String SALES_TWO_YEARS_BEFORE = "sales_two_years_before_rmb";
  public static final String SELLERS_TWO_YEARS_BEFORE = "active_sellers_two_years_before";
  /** Years with sales up to this one. */
  public static final String YEARS_WITH_SALES = "years_with_sales";

  private static final String CATEGORY_ORDERS = "_category_orders";
  private static final String VILLAGE_ORDERS = "_village_orders";
  private static final String SQUARED_ORDERS = "_squared_orders";
  private static final String FARM_ORDERS = "_farm_orders";

  private VillageYears() {}

  /** The warehouse tables this view reads, already restricted to what the run sees. */
  public record Inputs(Dataset<Row> yearPeriods, Dataset<Row> villageMonths, Dataset<Row> sellerMonths,
      Dataset<Row> accounts, Dataset<Row> status, Dataset<Row> registry, java.time.LocalDate runDate) {}

  /**
   * @param in {@code yearPeriods}: village_period rows of complete calendar years under one active-seller
   *     definition; {@code villageMonths}: village_month under the same definition; {@code status}: village_status
   *     rows of the primary rule for calendar years; {@code accounts}, {@code registry}: their
   *     {@link DimensionColumns#timeline} as of the run date (an order counts to its village when placed, a
   *     village-year to the county, prefecture and province of the registry version at the year's end, a seller
   *     to the origin and account type of its version at the year's end)
   */
  public static Dataset<Row> build(Inputs in, TypologyConfig cfg) {
    Dataset<Row> periods = in.yearPeriods().select(col(VILLAGE_CODE), col(YEAR),
        col(SALES_RMB).cast("double").as(SALES_RMB), col(SALES_RMB).as(EXACT_SALES_RMB), col(ACTIVE_SELLERS),
        col(HOUSEHOLD_SHARE), col(ORDERS),
        col(TAOBAO_SHARE),
        platformShare(cfg.liveStreamPlatforms()).as(LIVE_STREAM_SHARE),
        platformShare(cfg.newPlatforms()).as(NEW_PLATFORM_SHARE))
        .where(col(SALES_RMB).gt(0));
    Dataset<Row> months = in.villageMonths().groupBy(col(VILLAGE_CODE), col(VillageMonth.YEAR))
        .agg(sum(col(NEW_SHOPS)).as(NEW_SHOPS), sum(col(CLOSED_SHOPS)).as(CLOSED_SHOPS),
            sum(col(VillageMonth.MEDIAN_ORDER_RMB).multiply(col(VillageMonth.ORDERS)))
                .divide(sum(when(col(VillageMonth.MEDIAN_ORDER_RMB).isNotNull(), col(VillageMonth.ORDERS))))
                .as(ORDER_VALUE_RMB));
    Dataset<Row> status = in.status().select(col(VILLAGE_CODE), col(YEAR), col(QUALIFIES));
    WindowSpec history = Window.partitionBy(VILLAGE_CODE).orderBy(YEAR);
    Column previousYear = lag(col(YEAR), 1).over(history);
    Column yearBefore = lag(col(YEAR), 2).over(history).equalTo(col(YEAR).minus(2));
    return periods
        .join(months, new String[] {VILLAGE_CODE, YEAR}, "left")
        .join(categories(in.villageMonths(), cfg.farmProduceCategories()),
            new String[] {VILLAGE_CODE, YEAR}, "left")
        .join(sellerMix(in.sellerMonths(), in.accounts(), in.runDate()), new String[] {VILLAGE_CODE, YEAR}, "left")
        .join(status, new String[] {VILLAGE_CODE, YEAR}, "left")
        .transform(rows -> DimensionColumns.inForceOn(rows, DimensionColumns.periodDay(
                make_date(col(YEAR), lit(12), lit(31)), in.runDate()), in.registry(), VillageRegistry.VILLAGE_CODE,
            List.of(VillageRegistry.COUNTY_CODE, VillageRegistry.CITY_CODE, VillageRegistry.PROVINCE_CODE), "inner"))
        .withColumn(QUALIFIES, coalesce(col(QUALIFIES), lit(false)))
        .withColumn(PREVIOUS_SALES, when(previousYear.equalTo(col(YEAR).minus(1)), lag(col(SALES_RMB), 1).over(history)))
        .withColumn(PREVIOUS_SELLERS, when(previousYear.equalTo(col(YEAR).minus(1)),
            lag(col(ACTIVE_SELLERS), 1).over(history)))
        .withColumn(PREVIOUS_ORDER_VALUE, when(previousYear.equalTo(col(YEAR).minus(1)),
            lag(col(ORDER_VALUE_RMB), 1).over(history)))
        .withColumn(PREVIOUS_HOUSEHOLD_SHARE, when(previousYear.equalTo(col(YEAR).minus(1)),
            lag(col(HOUSEHOLD_SHARE), 1).over(history)))
        .withColumn(SALES_TWO_YEARS_BEFORE, when(yearBefore, lag(col(SALES_RMB), 2).over(history)))
        .withColumn(SELLERS_TWO_YEARS_BEFORE, when(yearBefore, lag(col(ACTIVE_SELLERS), 2).over(history)))
        .withColumn(YEARS_WITH_SALES, row_number().over(history));
  }

  /** Share of the period's sales on the given platforms (0 when it sold nothing on them). */
  private static Column platformShare(List<String> platforms) {
    Column sum = lit(0.0);
    for (String p : platforms) {
      sum = sum.plus(coalesce(col(VillagePeriod.PLATFORM_SALES_RMB).getItem(p).cast("double"), lit(0.0)));
    }
    return sum.divide(col(SALES_RMB).cast("double"));
  }

  /**
   * Herfindahl index of sale orders by category per village-year (a missing category counts as one), and the share
   * of those orders in the farm-produce categories, from the months' category rollup ({@link
   * VillageMonth#CATEGORY_ORDERS}: each order in the village of its account when placed, as {@code aggregate}
   * placed it).
   *
   * @param villageMonths village_month rows of the years under one active-seller definition (each village-month
   *     once)
   */
  static Dataset<Row> categories(Dataset<Row> villageMonths, List<String> farmProduce) {
    Column orders = col(CATEGORY_ORDERS);
    // HHI = sum_c n_c^2 / (sum_c n_c)^2 over the categories' order counts n_c: whole numbers, summed exactly.
    return villageMonths
        .select(col(VILLAGE_CODE), col(VillageMonth.YEAR).as(YEAR), explode(col(VillageMonth.CATEGORY_ORDERS))
            .as(new String[] {"_category", "_month_orders"}))
        .groupBy(col(VILLAGE_CODE), col(YEAR), col("_category"))
        .agg(sum(col("_month_orders")).as(CATEGORY_ORDERS))
        .groupBy(VILLAGE_CODE, YEAR)
        .agg(sum(orders.multiply(orders)).as(SQUARED_ORDERS), sum(orders).as(VILLAGE_ORDERS),
            sum(when(col("_category").isin(farmProduce.toArray()), orders).otherwise(lit(0L))).as(FARM_ORDERS))
        .select(col(VILLAGE_CODE), col(YEAR),
            col(SQUARED_ORDERS).divide(col(VILLAGE_ORDERS).multiply(col(VILLAGE_ORDERS))).as(CATEGORY_HHI),
            col(FARM_ORDERS).divide(col(VILLAGE_ORDERS)).as(FARM_PRODUCE_SHARE));
  }

  /**
   * Sellers with a sale in the year per village (in each village it sold from): how many, and of which origin and
   * account type, as the account's version in force at the year's end says (who ran the shop that year; a version
   * delivered later is in force from its run date and leaves the years before it as they were).
   *
   * @param accounts seller_accounts' {@link DimensionColumns#timeline} as of the run date
   */
  static Dataset<Row> sellerMix(Dataset<Row> sellerMonths, Dataset<Row> accounts, java.time.LocalDate runDate) {
    Column origin = col(SellerAccounts.OWNER_ORIGIN);
    Dataset<Row> sellerYears = sellerMonths.where(col(SellerMonth.ORDERS).gt(0))
        .select(col(SellerMonth.SELLER_ID), col(SellerMonth.VILLAGE_CODE), year(col(SellerMonth.MONTH)).as(YEAR))
        .distinct();
    return DimensionColumns.inForceOn(sellerYears, DimensionColumns.periodDay(make_date(col(YEAR), lit(12), lit(31)),
            runDate), accounts, SellerAccounts.SELLER_ID, List.of(SellerAccounts.OWNER_ORIGIN,
            SellerAccounts.ACCOUNT_TYPE), "inner")
        .groupBy(VILLAGE_CODE, YEAR)
        .agg(count(lit(1)).as(SELLERS),
            count(origin).as(KNOWN_ORIGIN),
            count(when(origin.equalTo("native"), lit(1))).as(NATIVE),
            count(when(origin.equalTo("return_migrant"), lit(1))).as(RETURN_MIGRANT),
            count(when(origin.equalTo("migrant"), lit(1))).as(MIGRANT),
            count(when(col(SellerAccounts.ACCOUNT_TYPE).equalTo("enterprise"), lit(1))).as(ENTERPRISE));
  }
}
