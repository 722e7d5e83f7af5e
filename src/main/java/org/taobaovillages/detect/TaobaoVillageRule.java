package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.taobaovillages.config.RuleSet;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.VillageYear;

/**
 * Applies a Taobao Village rule set to village-year metrics (domain.md section 2):
 * sales criterion AND Taobao as primary platform AND (active shops criterion OR household share criterion).
 * Every criterion's result is kept next to the status, so each status can be explained.
 */
public final class TaobaoVillageRule {
  private TaobaoVillageRule() {}

  public static Dataset<Row> apply(Dataset<Row> villageYears, RuleSet rule) {
    Column meetsSales = rule.sales().operator().apply(col(VillageYear.SALES_RMB), rule.sales().threshold());
    Column meetsShops = rule.activeShops().operator().apply(col(VillageYear.ACTIVE_SELLERS),
        rule.activeShops().threshold());
    // Compared as active_households OP threshold * households, in exact decimals, so that exactly 10 % is 10 %.
    Column meetsHouseholds = coalesce(rule.householdShare().operator().apply(
        col(VillageYear.ACTIVE_HOUSEHOLDS).cast("decimal(20,0)"),
        lit(rule.householdShare().threshold()).multiply(col(VillageYear.HOUSEHOLDS).cast("decimal(20,0)"))), lit(false));
    Column meetsPlatform = coalesce(rule.taobaoShare().operator().apply(col(VillageYear.TAOBAO_SHARE),
        rule.taobaoShare().threshold().doubleValue()), lit(false));
    Column isTaobaoVillage = col(VillageStatus.MEETS_SALES).and(col(VillageStatus.MEETS_PRIMARY_PLATFORM))
        .and(col(VillageStatus.MEETS_SHOPS).or(col(VillageStatus.MEETS_HOUSEHOLDS)));

    return villageYears
        .withColumn(VillageStatus.RULE_ID, lit(rule.id()))
        .withColumn(VillageStatus.RULE_VERSION, lit(rule.version()))
        .withColumn(VillageStatus.RULE_TEXT, lit(describe(rule)))
        .withColumn(VillageStatus.MEETS_SALES, coalesce(meetsSales, lit(false)))
        .withColumn(VillageStatus.MEETS_SHOPS, coalesce(meetsShops, lit(false)))
        .withColumn(VillageStatus.MEETS_HOUSEHOLDS, meetsHouseholds)
        .withColumn(VillageStatus.MEETS_PRIMARY_PLATFORM, meetsPlatform)
        .withColumn(VillageStatus.IS_TAOBAO_VILLAGE, isTaobaoVillage)
        .withColumn(VillageStatus.STATUS_CHANGE, statusChange());
  }

  /**
   * gained / kept / lost / none against the village's previous calendar year. A year without any sales has
   * no village_year row, so the previous row only counts when it is exactly the year before.
   */
  static Column statusChange() {
    WindowSpec byVillage = Window.partitionBy(VillageYear.VILLAGE_CODE).orderBy(VillageYear.YEAR);
    Column now = col(VillageStatus.IS_TAOBAO_VILLAGE);
    Column before = coalesce(when(lag(col(VillageYear.YEAR), 1).over(byVillage).equalTo(col(VillageYear.YEAR).minus(1)),
        lag(now, 1).over(byVillage)), lit(false));
    return when(now.and(before), lit("kept")).when(now, lit("gained")).when(before, lit("lost")).otherwise(lit("none"));
  }

  /** The rule as one readable line, stored with every status row. */
  public static String describe(RuleSet rule) {
    return rule.sales().describe(VillageYear.SALES_RMB)
        + " AND " + rule.taobaoShare().describe(VillageYear.TAOBAO_SHARE)
        + " AND (" + rule.activeShops().describe(VillageYear.ACTIVE_SELLERS)
        + " OR " + rule.householdShare().describe(VillageYear.HOUSEHOLD_SHARE) + ")";
  }
}
