package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.config.WorldConfig;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.VillageRegistry;

/**
 * The seller-year ledger: who sells how much in each village and year, from which orders are drawn.
 *
 * <p>A village with S shops in a year has shop slots 0..S-1. A slot keeps its seller from one year to the next
 * unless it churns (probability {@code churn-rate} times its county type's factor, {@link #churnFactor}) or was
 * empty the year before; then a new seller (the slot's
 * next generation) takes it. So the count of active sellers is exactly S every year, sellers open and close,
 * and a seller's id is a hash of (village, slot, generation).
 *
 * <p>The village's sales (cents) are split exactly: every active seller gets RMB 100, and the rest is shared
 * in proportion to lognormal weights (a persistent seller size, sigma 1, times a yearly factor, sigma 0.3:
 * heavy-tailed) by cumulative rounding, so the seller-years add up to the village-year to the cent.
 */
public final class Sellers {
  public static final String SLOT = "slot";
  public static final String GENERATION = "generation";
  public static final String OPENED_YEAR = "opened_year";
  public static final String SALES_CENTS = "seller_sales_cents";
  static final long FLOOR_CENTS = 10_000;
  static final String PEAK_SHOPS = "_peak_shops";
  private static final String EVENT = "_new_seller";
  private static final String WEIGHT = "_weight";

  private Sellers() {}

  public static Dataset<Row> sellerYears(Dataset<Row> villageYears, GenerateConfig cfg, WorldConfig world) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column v = col(VillageRegistry.VILLAGE_CODE);
    Column slot = col(SLOT);
    Column y = col(WorldModel.YEAR);
    WindowSpec slotHistory = Window.partitionBy(VillageRegistry.VILLAGE_CODE, SLOT).orderBy(WorldModel.YEAR)
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column event = slot.geq(col(WorldModel.PREVIOUS_SHOPS))
        .or(rnd.uniform("churn", v, slot, y).lt(churnFactor().multiply(world.churnRate())));
    Column seller = sellerKey();

    Column weight = exp(rnd.normal("seller-size", seller).plus(rnd.normal("seller-year", seller, y).multiply(0.3)));
    WindowSpec villageYear = Window.partitionBy(VillageRegistry.VILLAGE_CODE, WorldModel.YEAR);
    Column running = sum(col(WEIGHT)).over(villageYear.orderBy(SLOT)
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
    Column pool = col(WorldModel.SALES_CENTS).minus(col(WorldModel.SHOPS).multiply(FLOOR_CENTS));
    Column cumulative = floor(pool.multiply(running.divide(sum(col(WEIGHT)).over(villageYear))).plus(0.5)).cast("long");
    Column isLast = slot.equalTo(col(WorldModel.SHOPS).minus(1));
    Column cumulativeExact = when(isLast, pool).otherwise(cumulative);

    Dataset<Row> slots = villageYears
        .withColumn(PEAK_SHOPS, max(col(WorldModel.SHOPS)).over(Window.partitionBy(VillageRegistry.VILLAGE_CODE)))
        .withColumn(SLOT, explode(sequence(lit(0), col(WorldModel.SHOPS).minus(1))))
        .withColumn(EVENT, event.cast("int"))
        .withColumn(GENERATION, sum(col(EVENT)).over(slotHistory))
        .withColumn(OPENED_YEAR, max(when(col(EVENT).equalTo(1), y)).over(slotHistory))
        .withColumn(WEIGHT, weight)
        .withColumn("_cumulative", cumulativeExact);
    return slots
        .withColumn(SALES_CENTS, col("_cumulative")
            .minus(coalesce(lag(col("_cumulative"), 1).over(villageYear.orderBy(SLOT)), lit(0L))).plus(FLOOR_CENTS))
        .drop("_cumulative", WEIGHT, EVENT)
        .transform(d -> withAccount(d, rnd));
  }

  /** Churn multiplier of the county's type ({@link WorldConfig#CHURN_FACTORS}); the coastal interior's otherwise. */
  static Column churnFactor() {
    Column q = col(CountyFactors.QUADRANT);
    Column factor = lit(WorldConfig.CHURN_FACTORS.get(CountyFactors.COASTAL_INTERIOR));
    for (var e : WorldConfig.CHURN_FACTORS.entrySet()) {
      factor = when(q.equalTo(e.getKey()), lit(e.getValue())).otherwise(factor);
    }
    return factor;
  }

  /** The seller within the world: (village, slot, generation). */
  static Column sellerKey() {
    return concat(col(VillageRegistry.VILLAGE_CODE), lit("-"), col(SLOT).cast("string"), lit("-"),
        col(GENERATION).cast("string"));
  }

  /** Seller account attributes: a function of the seller (village, slot, generation) and its opening year. */
  static Dataset<Row> withAccount(Dataset<Row> sellerYears, HashRandom rnd) {
    Column v = col(VillageRegistry.VILLAGE_CODE);
    Column seller = sellerKey();
    Column opened = col(OPENED_YEAR);
    Column p = rnd.uniform("platform", seller);
    Column live = col(WorldModel.BUSINESS_MODEL).equalTo(WorldModel.LIVE_STREAM);
    // Taobao and Tmall first; Pinduoduo and live-stream apps after 2017 (from 2015 outside the two deltas'
    // types: the periphery and coastal interiors), and mostly live-stream in live-stream villages.
    Column q0 = col(CountyFactors.QUADRANT);
    Column newPlatformsFrom = when(q0.isin(CountyFactors.PERIPHERY, CountyFactors.COASTAL_INTERIOR), lit(2015))
        .otherwise(lit(2017));
    // Single-factor shops: a factory's flagship stores on Tmall and JD; a programme's cooperatives on Taobao, on
    // Pinduoduo's farm-produce channel and, from 2018, in officials' poverty-alleviation live streams.
    Column singleFactor = WorldModel.singleFactorVillage();
    Column factory = singleFactor.and(col(CountyFactors.ROBUST_SECTOR));
    Column platform = when(live, when(p.lt(0.40), lit("douyin")).when(p.lt(0.60), lit("kuaishou"))
            .when(p.lt(0.85), lit("taobao")).otherwise(lit("pinduoduo")))
        .when(factory, when(p.lt(0.40), lit("tmall")).when(p.lt(0.60), lit("jd")).when(p.lt(0.90), lit("taobao"))
            .otherwise(lit("pinduoduo")))
        .when(singleFactor, when(p.lt(0.40), lit("taobao")).when(p.lt(0.70), lit("pinduoduo"))
            .when(p.lt(0.85), lit("jd")).when(opened.geq(2018), lit("douyin")).otherwise(lit("taobao")))
        .when(opened.lt(newPlatformsFrom), when(p.lt(0.72), lit("taobao")).when(p.lt(0.87), lit("tmall"))
            .when(p.lt(0.95), lit("jd")).otherwise(lit("other")))
        .otherwise(when(p.lt(0.52), lit("taobao")).when(p.lt(0.67), lit("tmall")).when(p.lt(0.85), lit("pinduoduo"))
            .when(p.lt(0.90), lit("jd")).when(p.lt(0.97), lit("douyin")).otherwise(lit("kuaishou")));
    // About 1.3 shops per household at the village's peak: shops map onto a pool of its households.
    Column pool = greatest(lit(1), least(col(VillageRegistry.HOUSEHOLDS), ceil(col(PEAK_SHOPS).divide(1.3)).cast("int")));
    Column household = floor(rnd.uniform("household", seller).multiply(pool)).cast("int");
    // Owners (domain.md section 4, the entrepreneur factor): where the county has migrant entrepreneurs about half
    // the owners come from other provinces, where return migrants matter about 40 % are villagers back from
    // the cities, elsewhere most are natives; merchant villages draw more migrants than producer villages.
    // The rest of the accounts (about 3 %) leave the origin unknown.
    Column merchant = col(WorldModel.BUSINESS_MODEL).equalTo(WorldModel.MERCHANT);
    Column migrantShare = when(col(CountyFactors.MIGRANT_ENTREPRENEURS), when(merchant, lit(0.60)).otherwise(lit(0.40)))
        .otherwise(when(merchant, lit(0.12)).otherwise(lit(0.04)));
    Column returnShare = when(col(CountyFactors.RETURN_MIGRANTS), lit(0.40)).otherwise(lit(0.08));
    Column q = rnd.uniform("origin", seller);
    Column origin = when(q.lt(migrantShare), lit("migrant"))
        .when(q.lt(migrantShare.plus(returnShare)), lit("return_migrant"))
        .when(q.lt(0.97), lit("native"));
    // Governance (the "governed" market, ch. 6): from the first year of the county's e-commerce programme, its
    // training and parks register a third of the new shops as enterprises and brand them; elsewhere one in ten;
    // single-factor shops (factories, cooperatives) are mostly enterprises.
    Column programmeShop = col(CountyFactors.PROGRAMME_START_YEAR).isNotNull()
        .and(opened.geq(col(CountyFactors.PROGRAMME_START_YEAR)));
    Column enterpriseShare = when(singleFactor, lit(0.60)).when(programmeShop, lit(0.35)).otherwise(lit(0.10));
    // Opened some time in the half year before its first year of sales.
    Column openedDate = date_sub(make_date(opened, lit(1), lit(1)),
        floor(rnd.uniform("opened-day", seller).multiply(180)).cast("int"));
    return sellerYears
        .withColumn(SellerAccounts.SELLER_ID, concat(lit("tb"), lower(hex(rnd.hash("seller-id", seller)))))
        .withColumn(SellerAccounts.HOUSEHOLD_ID, concat(lit("hh"), v, lit("-"), household.cast("string")))
        .withColumn(SellerAccounts.OPENED_DATE, openedDate)
        .withColumn(SellerAccounts.PLATFORM, platform)
        .withColumn(SellerAccounts.ACCOUNT_TYPE, when(platform.equalTo("tmall")
            .or(rnd.uniform("enterprise", seller).lt(enterpriseShare)), lit("enterprise")).otherwise(lit("individual")))
        .withColumn(SellerAccounts.OWNER_ORIGIN, origin);
  }
}
