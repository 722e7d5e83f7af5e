package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.Criterion;
import org.taobaovillages.config.VillageRule;
import org.taobaovillages.table.SellerMonth;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.village.SellerMonths;

/**
 * Applies a village rule (domain.md section 2) to village-period metrics computed under the rule's
 * active-seller definition: sales criterion AND (shops OR household share, when the rule has one) AND the
 * platform condition (when it has one). Each criterion's result is kept, and the deciding condition is written
 * out with the values, so that every status can be explained.
 */
public final class VillageRules {
  private VillageRules() {}

  public static Dataset<Row> evaluate(Dataset<Row> periods, VillageRule rule) {
    Column sales = col(VillagePeriod.SALES_RMB);
    Column shops = col(VillagePeriod.ACTIVE_SELLERS);
    Column meetsSales = coalesce(rule.sales().operator().apply(sales, rule.sales().threshold()), lit(false));
    Column meetsShops = coalesce(rule.activeShops().operator().apply(shops, rule.activeShops().threshold()), lit(false));
    // Compared as active_households OP threshold x households in exact decimals, so that exactly 10 % is 10 %.
    Column meetsHouseholds = rule.hasHouseholdShare() ? coalesce(rule.householdShare().operator().apply(
        col(VillagePeriod.ACTIVE_HOUSEHOLDS).cast("decimal(20,0)"),
        lit(rule.householdShare().threshold()).multiply(col(VillagePeriod.HOUSEHOLDS).cast("decimal(20,0)"))),
        lit(false)) : lit(null).cast("boolean");
    Column share = rule.hasPlatform() ? SellerMonths.platformShare(col(VillagePeriod.PLATFORM_SALES_RMB), sales,
        rule.platform().platforms()) : lit(null).cast("double");
    Column meetsPlatform = rule.hasPlatform() ? coalesce(rule.platform().share().operator().apply(share,
        rule.platform().share().threshold().doubleValue()), lit(false)) : lit(null).cast("boolean");
    Column scale = rule.hasHouseholdShare() ? col(VillageStatus.MEETS_SHOPS).or(col(VillageStatus.MEETS_HOUSEHOLDS))
        : col(VillageStatus.MEETS_SHOPS);
    Column qualifies = col(VillageStatus.MEETS_SALES).and(scale)
        .and(rule.hasPlatform() ? col(VillageStatus.MEETS_PLATFORM) : lit(true));
    return periods
        .withColumn(VillageStatus.PLATFORM_SHARE, share)
        .withColumn(VillageStatus.MEETS_SALES, meetsSales)
        .withColumn(VillageStatus.MEETS_SHOPS, meetsShops)
        .withColumn(VillageStatus.MEETS_HOUSEHOLDS, meetsHouseholds)
        .withColumn(VillageStatus.MEETS_PLATFORM, meetsPlatform)
        .withColumn(VillageStatus.QUALIFIES, qualifies)
        .withColumn(VillageStatus.DECIDING, deciding(rule));
  }

  /**
   * "qualifies: sales_rmb 12345678.90 > 10000000 yes; active_sellers 95 >= 100 no OR household_share
   * 0.1234 (120 of 972 households) >= 0.10 yes; share on taobao/tmall 0.9100 >= 0.5 yes".
   */
  static Column deciding(VillageRule rule) {
    Column text = concat_ws("; ",
        clause(VillagePeriod.SALES_RMB, col(VillagePeriod.SALES_RMB).cast("string"), rule.sales(),
            VillageStatus.MEETS_SALES),
        rule.hasHouseholdShare()
            ? concat_ws(" OR ", shopsClause(rule), clause(VillagePeriod.HOUSEHOLD_SHARE,
                concat(coalesce(format_number(col(VillagePeriod.HOUSEHOLD_SHARE), 4), lit("n/a")), lit(" ("),
                    col(VillagePeriod.ACTIVE_HOUSEHOLDS).cast("string"), lit(" of "),
                    coalesce(col(VillagePeriod.HOUSEHOLDS).cast("string"), lit("unknown")), lit(" households)")),
                rule.householdShare(), VillageStatus.MEETS_HOUSEHOLDS))
            : shopsClause(rule),
        rule.hasPlatform()
            ? clause("share on " + String.join("/", rule.platform().platforms()),
                coalesce(format_number(col(VillageStatus.PLATFORM_SHARE), 4), lit("n/a")), rule.platform().share(),
                VillageStatus.MEETS_PLATFORM)
            : lit(null));
    return concat(when(col(VillageStatus.QUALIFIES), lit("qualifies: ")).otherwise(lit("does not qualify: ")), text);
  }

  private static Column shopsClause(VillageRule rule) {
    return clause(VillagePeriod.ACTIVE_SELLERS, col(VillagePeriod.ACTIVE_SELLERS).cast("string"), rule.activeShops(),
        VillageStatus.MEETS_SHOPS);
  }

  private static Column clause(String name, Column value, Criterion c, String result) {
    return concat(lit(name + " "), value, lit(" " + c.operator().symbol() + " " + c.threshold().toPlainString() + " "),
        when(col(result), lit("yes")).otherwise(lit("no")));
  }

  /** The metrics of a village with no sales in a period (it has a row because it had sales before). */
  static Dataset<Row> zeroMetrics(Dataset<Row> rows) {
    return rows
        .withColumn(VillagePeriod.ACTIVE_SELLERS, coalesce(col(VillagePeriod.ACTIVE_SELLERS), lit(0L)))
        .withColumn(VillagePeriod.ACTIVE_HOUSEHOLDS, coalesce(col(VillagePeriod.ACTIVE_HOUSEHOLDS), lit(0L)))
        .withColumn(VillagePeriod.ORDERS, coalesce(col(VillagePeriod.ORDERS), lit(0L)))
        .withColumn(VillagePeriod.SALES_RMB, coalesce(col(VillagePeriod.SALES_RMB), lit(0).cast(SellerMonth.MONEY)))
        .withColumn(VillagePeriod.PLATFORM_SALES_RMB, coalesce(col(VillagePeriod.PLATFORM_SALES_RMB),
            map().cast(SellerMonth.PLATFORM_MONEY)));
  }
}
