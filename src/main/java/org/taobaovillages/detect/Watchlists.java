package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.taobaovillages.config.Comparison;
import org.taobaovillages.config.VillageRule;
import org.taobaovillages.config.WatchlistConfig;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.Watchlist;

/**
 * The watchlist of emerging villages ({@link Watchlist}). For a village that does not qualify at a month-end,
 * each unmet criterion's trailing 12-month value v is projected at its own compound monthly growth over the last
 * g months, r = (v / v_g)^(1/g) (v_g: the value g months earlier); it is met after the first whole number of
 * months t with v r^t beyond the threshold T, t = ln(T / v) / ln r rounded up (one more for "exceeds" when exact).
 * A criterion that is not growing gets no projection. The village would qualify after the months of its sales
 * criterion or of its scale criterion (shops, or households when sooner), whichever is later, provided the
 * platform condition holds now (it is not projected). Listed when that is within the horizon.
 */
public final class Watchlists {
  private static final String PAST = "_past_";

  private Watchlists() {}

  /**
   * @param status this run's trailing 12-month status rows of {@code rule} (with their metrics)
   * @param past trailing 12-month village-period rows under the rule's active-seller definition from g months
   *     before the first of those month-ends on
   */
  public static Dataset<Row> build(Dataset<Row> status, Dataset<Row> past, VillageRule rule, WatchlistConfig cfg) {
    int g = cfg.growthMonths();
    Dataset<Row> earlier = past.select(col(VillagePeriod.VILLAGE_CODE),
        last_day(add_months(col(VillagePeriod.PERIOD_END), g)).as(VillagePeriod.PERIOD_END),
        col(VillagePeriod.SALES_RMB).cast("double").as(PAST + "sales"),
        col(VillagePeriod.ACTIVE_SELLERS).cast("double").as(PAST + "shops"),
        col(VillagePeriod.ACTIVE_HOUSEHOLDS).cast("double").as(PAST + "households"));
    Column households = col(VillagePeriod.HOUSEHOLDS).cast("double");
    Column salesMonths = months(col(VillageStatus.MEETS_SALES), col(VillagePeriod.SALES_RMB).cast("double"),
        col(PAST + "sales"), lit(rule.sales().threshold().doubleValue()), rule.sales().operator(), g);
    Column shopsMonths = months(col(VillageStatus.MEETS_SHOPS), col(VillagePeriod.ACTIVE_SELLERS).cast("double"),
        col(PAST + "shops"), lit(rule.activeShops().threshold().doubleValue()), rule.activeShops().operator(), g);
    Column householdsMonths = rule.hasHouseholdShare()
        ? months(col(VillageStatus.MEETS_HOUSEHOLDS), col(VillagePeriod.ACTIVE_HOUSEHOLDS).cast("double"),
            col(PAST + "households"), households.multiply(rule.householdShare().threshold().doubleValue()),
            rule.householdShare().operator(), g)
        : lit(null).cast("int");
    // least/greatest skip nulls: the sooner of shops and households; both needed for the whole rule.
    Column scale = least(col(Watchlist.SHOPS_MONTHS), col(Watchlist.HOUSEHOLDS_MONTHS));
    Column toQualify = when(col(Watchlist.SALES_MONTHS).isNotNull().and(scale.isNotNull()),
        greatest(col(Watchlist.SALES_MONTHS), scale));
    Column platformOk = rule.hasPlatform() ? col(VillageStatus.MEETS_PLATFORM) : lit(true);
    return status.where(not(col(VillageStatus.QUALIFIES)).and(col(VillagePeriod.SALES_RMB).gt(0)))
        .join(earlier, new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.PERIOD_END}, "left")
        .withColumn(Watchlist.SALES_GROWTH, growth(col(VillagePeriod.SALES_RMB).cast("double"), col(PAST + "sales"), g))
        .withColumn(Watchlist.SHOPS_GROWTH, growth(col(VillagePeriod.ACTIVE_SELLERS).cast("double"), col(PAST + "shops"),
            g))
        .withColumn(Watchlist.HOUSEHOLDS_GROWTH, rule.hasHouseholdShare() ? growth(
            col(VillagePeriod.ACTIVE_HOUSEHOLDS).cast("double"), col(PAST + "households"), g) : lit(null).cast("double"))
        .withColumn(Watchlist.SALES_MONTHS, salesMonths)
        .withColumn(Watchlist.SHOPS_MONTHS, shopsMonths)
        .withColumn(Watchlist.HOUSEHOLDS_MONTHS, householdsMonths)
        .withColumn(Watchlist.MONTHS_TO_QUALIFY, toQualify)
        .where(platformOk.and(col(Watchlist.MONTHS_TO_QUALIFY).isNotNull())
            .and(col(Watchlist.MONTHS_TO_QUALIFY).leq(cfg.horizonMonths())))
        .withColumn(Watchlist.AS_OF, col(VillagePeriod.PERIOD_END))
        .withColumn(Watchlist.EXPECTED_QUALIFYING, last_day(add_months(col(Watchlist.AS_OF),
            col(Watchlist.MONTHS_TO_QUALIFY))))
        .withColumn(Watchlist.RANK, row_number().over(Window.partitionBy(Watchlist.AS_OF).orderBy(
            col(Watchlist.MONTHS_TO_QUALIFY), col(VillagePeriod.SALES_RMB).desc(), col(VillagePeriod.VILLAGE_CODE))))
        .withColumn(Watchlist.EXPLANATION, explanation(rule))
        .withColumn(Watchlist.WATCHLIST_VERSION, lit(cfg.version()));
  }

  /** Compound monthly growth rate over g months, r - 1; null when either value is not positive. */
  static Column growth(Column now, Column before, int g) {
    return when(now.gt(0).and(before.gt(0)), pow(now.divide(before), 1.0 / g).minus(1));
  }

  /**
   * Months until {@code value} growing at its g-month compound rate meets {@code target}: 0 if met now, null if
   * it does not grow (or has no earlier value).
   */
  static Column months(Column meets, Column value, Column before, Column target, Comparison op, int g) {
    Column rate = pow(value.divide(before), 1.0 / g);
    Column x = log(target.divide(value)).divide(log(rate));
    Column t = op == Comparison.GREATER_THAN ? floor(x).plus(1) : ceil(x);
    return when(meets, lit(0))
        .when(value.gt(0).and(before.gt(0)).and(value.gt(before)).and(target.isNotNull()), greatest(t, lit(1)))
        .cast("int");
  }

  private static Column explanation(VillageRule rule) {
    return concat_ws("; ",
        criterion(VillagePeriod.SALES_RMB, col(VillagePeriod.SALES_RMB).cast("string"),
            rule.sales().threshold().toPlainString(), Watchlist.SALES_GROWTH, Watchlist.SALES_MONTHS),
        criterion(VillagePeriod.ACTIVE_SELLERS, col(VillagePeriod.ACTIVE_SELLERS).cast("string"),
            rule.activeShops().threshold().toPlainString(), Watchlist.SHOPS_GROWTH, Watchlist.SHOPS_MONTHS),
        rule.hasHouseholdShare() ? criterion(VillagePeriod.ACTIVE_HOUSEHOLDS,
            concat(col(VillagePeriod.ACTIVE_HOUSEHOLDS).cast("string"), lit(" of "),
                coalesce(col(VillagePeriod.HOUSEHOLDS).cast("string"), lit("unknown"))),
            rule.householdShare().threshold().toPlainString() + " of households", Watchlist.HOUSEHOLDS_GROWTH,
            Watchlist.HOUSEHOLDS_MONTHS) : lit(null),
        rule.hasPlatform() ? lit("platform condition met now") : lit(null));
  }

  private static Column criterion(String name, Column value, String threshold, String growth, String months) {
    return concat(lit(name + " " ), value, lit(" (threshold " + threshold + ", growth "),
        coalesce(format_number(col(growth).multiply(100), 1), lit("n/a")), lit(" %/month): "),
        when(col(months).equalTo(0), lit("met"))
            .when(col(months).isNotNull(), concat(lit("in "), col(months).cast("string"), lit(" months")))
            .otherwise(lit("not growing")));
  }
}
