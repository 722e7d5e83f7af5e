package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.CountyRule;
import org.taobaovillages.config.TownRule;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.UnitMembers;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;

/**
 * Taobao Towns and super-sized counties per calendar year (domain.md section 2, higher-level units), from the
 * yearly status rows of their village rule and the registry's township and county of each village in that year
 * ({@link #placed}: a village that moves to another township counts to the old one for the years before).
 */
public final class Units {
  private Units() {}

  /** One row per township with a village with a status row in the year ({@link TownStatus}). */
  /** @param yearStatus yearly status rows {@link #placed} in their township and county */
  public static Dataset<Row> towns(Dataset<Row> yearStatus, TownRule rule) {
    Column qualifying = col(TownStatus.QUALIFYING_VILLAGES);
    Column byVillages = qualifying.geq(rule.minVillages());
    Column bySales = rule.widened()
        ? rule.sales().operator().apply(col(TownStatus.SALES_RMB), rule.sales().threshold())
            .and(rule.activeShops().operator().apply(col(TownStatus.ACTIVE_SELLERS), rule.activeShops().threshold()))
        : lit(false);
    Column deciding = concat(lit("qualifying villages "), qualifying.cast("string"), lit(" >= " + rule.minVillages()),
        when(byVillages, lit(" yes")).otherwise(lit(" no")),
        rule.widened() ? concat(lit(" OR (sales_rmb "), col(TownStatus.SALES_RMB).cast("string"),
            lit(" " + rule.sales().operator().symbol() + " " + rule.sales().threshold().toPlainString()
                + " AND active_sellers "), col(TownStatus.ACTIVE_SELLERS).cast("string"),
            lit(" " + rule.activeShops().operator().symbol() + " " + rule.activeShops().threshold().toPlainString()
                + ")"), when(bySales, lit(" yes")).otherwise(lit(" no"))) : lit(""));
    return yearStatus
        .groupBy(col(VillageRegistry.TOWN_CODE), col(VillagePeriod.YEAR))
        .agg(first(col(VillageRegistry.TOWN_NAME)).as(TownStatus.TOWN_NAME),
            first(col(VillageRegistry.COUNTY_CODE)).as(TownStatus.COUNTY_CODE),
            count_if(col(VillageStatus.QUALIFIES)).as(TownStatus.QUALIFYING_VILLAGES),
            count_if(col(VillagePeriod.SALES_RMB).gt(0)).as(TownStatus.VILLAGES_WITH_SALES),
            sum(col(VillagePeriod.ACTIVE_SELLERS)).as(TownStatus.ACTIVE_SELLERS),
            sum(col(VillagePeriod.SALES_RMB)).cast(org.taobaovillages.table.SellerMonth.MONEY).as(TownStatus.SALES_RMB),
            min(col(VillagePeriod.PERIOD_COMPLETE)).as(VillagePeriod.PERIOD_COMPLETE))
        .withColumn(TownStatus.QUALIFIES, byVillages.or(bySales))
        .withColumn(TownStatus.QUALIFIES_BY, when(byVillages, lit("villages")).when(bySales, lit("sales")))
        .withColumn(TownStatus.DECIDING, deciding)
        .withColumn(VillageStatus.RULE_ID, lit(rule.id()))
        .withColumn(VillageStatus.RULE_VERSION, lit(rule.version()))
        .withColumn(VillageStatus.RULE_TEXT, lit(rule.describe()))
        .withColumn(TownStatus.VILLAGE_RULE_ID, lit(rule.villageRule()));
  }

  /** One row per county with a qualifying village in the year. */
  /** @param yearStatus yearly status rows {@link #placed} in their township and county */
  public static Dataset<Row> counties(Dataset<Row> yearStatus, CountyRule rule) {
    Column qualifying = col(TownStatus.QUALIFYING_VILLAGES);
    Column qualifies = rule.villages().operator().apply(qualifying, rule.villages().threshold());
    return yearStatus.where(col(VillageStatus.QUALIFIES))
        .groupBy(col(VillageRegistry.COUNTY_CODE), col(VillagePeriod.YEAR))
        .agg(first(col(VillageRegistry.COUNTY_NAME)).as(VillageRegistry.COUNTY_NAME),
            count(lit(1)).as(TownStatus.QUALIFYING_VILLAGES),
            min(col(VillagePeriod.PERIOD_COMPLETE)).as(VillagePeriod.PERIOD_COMPLETE))
        .withColumn(VillageStatus.QUALIFIES, qualifies)
        .withColumn(VillageStatus.DECIDING, concat(lit("qualifying villages "), qualifying.cast("string"),
            lit(" " + rule.villages().operator().symbol() + " " + rule.villages().threshold().toPlainString()),
            when(qualifies, lit(" yes")).otherwise(lit(" no"))))
        .withColumn(VillageStatus.RULE_ID, lit(rule.id()))
        .withColumn(VillageStatus.RULE_VERSION, lit(rule.version()))
        .withColumn(VillageStatus.RULE_TEXT, lit(rule.describe()))
        .withColumn(TownStatus.VILLAGE_RULE_ID, lit(rule.villageRule()));
  }

  /**
   * The qualifying villages of the qualifying units: {@code units} has the unit's id in {@code unitColumn}, a
   * year and whether it qualifies; {@code villages} the qualifying villages with their unit in {@code unitColumn}.
   */
  public static Dataset<Row> members(Dataset<Row> units, Dataset<Row> villages, String unitColumn, String ruleId,
      String ruleVersion) {
    return villages.join(units.where(col(VillageStatus.QUALIFIES)).select(unitColumn, VillagePeriod.YEAR),
            new String[] {unitColumn, VillagePeriod.YEAR})
        .select(lit(ruleId).as(UnitMembers.RULE_ID), lit(ruleVersion).as(UnitMembers.RULE_VERSION),
            col(VillagePeriod.YEAR), col(unitColumn).as(UnitMembers.UNIT_ID), col(VillagePeriod.VILLAGE_CODE));
  }

  /** The registry columns {@link #placed} adds. */
  public static final List<String> PLACE = List.of(VillageRegistry.TOWN_CODE, VillageRegistry.TOWN_NAME,
      VillageRegistry.COUNTY_CODE, VillageRegistry.COUNTY_NAME, VillageRegistry.PROVINCE_CODE,
      VillageRegistry.LONGITUDE, VillageRegistry.LATITUDE);

  /**
   * Status rows with their village's township, county, province and point from the registry version in force at
   * the end of their period ({@link DimensionColumns#periodDay}); rows of villages the registry does not know are
   * left out.
   *
   * @param registry the registry's {@link DimensionColumns#timeline} as of the run date
   */
  public static Dataset<Row> placed(Dataset<Row> status, Dataset<Row> registry, LocalDate runDate) {
    return DimensionColumns.inForceOn(status, DimensionColumns.periodDay(col(VillagePeriod.PERIOD_END), runDate),
        registry, VillageRegistry.VILLAGE_CODE, PLACE, "inner");
  }
}
