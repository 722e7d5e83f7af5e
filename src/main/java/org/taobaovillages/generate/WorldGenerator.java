package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * A first synthetic world: counties of villages whose shops grow along a logistic adoption curve, with
 * heavy-tailed shop sales, churn and a platform mix that shifts after 2016. Everything is a Spark
 * transformation over {@code spark.range}, exploded village to sellers to seller-years to orders, so it
 * runs distributed and in bounded memory per task; randomness is {@link HashRandom}, so the same seed
 * always gives the same world.
 *
 * <p>Villages take one of four archetypes in turn ({@code index mod 4}), so every world, however small,
 * has villages above and below the Taobao Village thresholds and villages that cross them during the period:
 * a <em>cluster</em> (early, large), an <em>emerging</em> village (adoption midpoint past the middle of the
 * period), a <em>small</em> one and a <em>dormant</em> one. The calibrated world model replaces this later.
 *
 * <p>Codes use the real 12-digit shape with the synthetic prefecture {@code 3399} (no real city has
 * code 99), so synthetic villages can never be mistaken for real ones.
 */
public final class WorldGenerator {
  static final String SYNTHETIC_CITY = "3399";
  static final String[] ARCHETYPES = {"cluster", "emerging", "small", "dormant"};
  static final String[] CATEGORIES = {"furniture", "home_textiles", "apparel", "toys", "ceramics", "agri_food"};
  /** Taobao opened in May 2003: no account is older. */
  static final double TAOBAO_LAUNCH = 2003.4;

  // Latent columns of the intermediate datasets (never written to the inputs).
  private static final String ID = "id";
  private static final String ARCHETYPE = "archetype";
  private static final String POTENTIAL = "potential";
  private static final String MIDPOINT = "midpoint";
  private static final String GROWTH = "growth";
  private static final String SELLER_MEDIAN = "seller_median_rmb";
  private static final String MAIN_CATEGORY = "main_category";
  private static final String SELLER_INDEX = "seller_index";
  private static final String OPEN_T = "open_t";
  private static final String CLOSE_T = "close_t";
  private static final String SCALE = "scale_rmb";
  private static final String YEAR = "year";
  private static final String ORDER_COUNT = "order_count";
  private static final String ORDER_INDEX = "order_index";

  private final GenerateConfig cfg;
  private final HashRandom rnd;

  public WorldGenerator(GenerateConfig cfg) {
    this.cfg = cfg;
    this.rnd = new HashRandom(cfg.seed());
  }

  /** Villages with their registry attributes and latent e-commerce parameters. */
  Dataset<Row> villagesWithParameters(SparkSession spark) {
    long n = (long) cfg.counties() * cfg.villagesPerCounty();
    int vpc = cfg.villagesPerCounty();
    int vpt = cfg.villagesPerTown();
    Column countyIdx = col(ID).divide(vpc).cast("int");
    Column villageIdx = pmod(col(ID), lit(vpc)).cast("int");
    Column townIdx = villageIdx.divide(vpt).cast("int");
    Column posInTown = pmod(villageIdx, lit(vpt));
    Column countyCode = concat(lit(SYNTHETIC_CITY), lpad(countyIdx.plus(1).cast("string"), 2, "0"));
    Column townCode = concat(countyCode, lpad(townIdx.plus(1).cast("string"), 3, "0"));
    // 201..399: the NBS range of village committees (administrative villages).
    Column villageCode = concat(townCode, posInTown.plus(201).cast("string"));

    Dataset<Row> base = spark.range(0, n, 1, Math.max(1, (int) Math.min(n / 50_000 + 1, 2000)))
        .toDF()
        .withColumn("county_idx", countyIdx)
        .withColumn("town_idx", townIdx)
        .withColumn("pos_in_town", posInTown)
        .withColumn(VillageRegistry.VILLAGE_CODE, villageCode)
        .withColumn(VillageRegistry.TOWN_CODE, townCode)
        .withColumn(VillageRegistry.COUNTY_CODE, countyCode)
        .withColumn(ARCHETYPE, element_at(array(lit(ARCHETYPES[0]), lit(ARCHETYPES[1]), lit(ARCHETYPES[2]),
            lit(ARCHETYPES[3])), pmod(villageIdx, lit(4)).plus(1)));

    Column code = col(VillageRegistry.VILLAGE_CODE);
    Column households = greatest(lit(60), round(rnd.logNormal("households", lit(420.0), 0.35, code)).cast("int"));
    double span = cfg.lastYear() - cfg.firstYear() + 1;
    Column a = col(ARCHETYPE);
    Column u = rnd.uniform("shape", code);
    Column potential = when(a.equalTo("cluster"), lit(220).plus(u.multiply(120)))
        .when(a.equalTo("emerging"), lit(150).plus(u.multiply(80)))
        .when(a.equalTo("small"), lit(15).plus(u.multiply(30)))
        .otherwise(lit(2).plus(u.multiply(4)));
    Column midpoint = when(a.equalTo("cluster"), lit(cfg.firstYear() + 1.0).plus(u.multiply(1.5)))
        .when(a.equalTo("emerging"), lit(cfg.firstYear() + span * 0.55).plus(u))
        .otherwise(lit((double) cfg.firstYear()).plus(u.multiply(span)));
    Column sellerMedian = when(a.equalTo("cluster"), lit(70_000.0))
        .when(a.equalTo("emerging"), lit(80_000.0))
        .when(a.equalTo("small"), lit(30_000.0))
        .otherwise(lit(10_000.0))
        .multiply(exp(rnd.normal("village-sales", code).multiply(0.2)));
    Column mainCategory = element_at(array(java.util.Arrays.stream(CATEGORIES).map(c -> lit(c))
        .toArray(Column[]::new)), pmod(xxhash64(lit(cfg.seed()), lit("category"), code), lit(CATEGORIES.length))
        .cast("int").plus(1));

    return base
        .withColumn(VillageRegistry.VILLAGE_NAME, concat(lit("Synthetic village "),
            col("town_idx").plus(1).cast("string"), lit("-"), col("pos_in_town").plus(1).cast("string")))
        .withColumn(VillageRegistry.TOWN_NAME, concat(lit("Synthetic town "), col("town_idx").plus(1).cast("string")))
        .withColumn(VillageRegistry.COUNTY_NAME, concat(lit("Synthetic county "), col("county_idx").plus(1).cast("string")))
        .withColumn(VillageRegistry.CITY_CODE, lit(SYNTHETIC_CITY))
        .withColumn(VillageRegistry.CITY_NAME, lit("Synthetic city"))
        .withColumn(VillageRegistry.PROVINCE_CODE, lit("33"))
        .withColumn(VillageRegistry.PROVINCE_NAME, lit("Zhejiang"))
        // Counties 0.4 degrees apart, towns spread within the county, villages of a town close together.
        .withColumn(VillageRegistry.LONGITUDE, lit(119.5).plus(col("county_idx").multiply(0.4))
            .plus(rnd.normal("town-lon", col(VillageRegistry.TOWN_CODE)).multiply(0.08))
            .plus(rnd.normal("lon", code).multiply(0.01)))
        .withColumn(VillageRegistry.LATITUDE, lit(29.3)
            .plus(rnd.normal("town-lat", col(VillageRegistry.TOWN_CODE)).multiply(0.08))
            .plus(rnd.normal("lat", code).multiply(0.01)))
        .withColumn(VillageRegistry.HOUSEHOLDS, households)
        .withColumn(VillageRegistry.POPULATION,
            round(col(VillageRegistry.HOUSEHOLDS).multiply(rnd.between("hh-size", 2.6, 3.4, code))).cast("int"))
        .withColumn(POTENTIAL, potential.cast("int"))
        .withColumn(MIDPOINT, midpoint)
        .withColumn(GROWTH, rnd.between("growth", 0.9, 1.5, code))
        .withColumn(SELLER_MEDIAN, sellerMedian)
        .withColumn(MAIN_CATEGORY, mainCategory);
  }

  public Dataset<Row> villageRegistry(Dataset<Row> villages) {
    return villages.select(columnsOf(VillageRegistry.SCHEMA));
  }

  public Dataset<Row> countyAttributes(Dataset<Row> villages) {
    Column county = col(CountyAttributes.COUNTY_CODE);
    Column programme = rnd.uniform("programme", county).lt(0.5);
    return villages
        .groupBy(col(VillageRegistry.COUNTY_CODE), col(VillageRegistry.COUNTY_NAME), col(VillageRegistry.PROVINCE_CODE))
        .count()
        .withColumn(CountyAttributes.MANUFACTURING_SHARE, rnd.between("manu", 0.15, 0.45, county))
        .withColumn(CountyAttributes.WHOLESALE_RETAIL_SHARE, rnd.between("sale", 0.08, 0.20, county))
        .withColumn(CountyAttributes.MIGRANT_SHARE, rnd.between("migrant", 0.05, 0.30, county))
        .withColumn(CountyAttributes.ECOMMERCE_PROGRAMME, programme)
        .withColumn(CountyAttributes.PROGRAMME_START_YEAR,
            when(programme, floor(rnd.between("programme-year", 2014, 2018, county)).cast("int")))
        .select(columnsOf(CountyAttributes.SCHEMA));
  }

  /**
   * Sellers of each village. Seller i opens at the time where the village's logistic adoption curve
   * K / (1 + exp(-r (t - t0))) reaches its share: inverting the logistic CDF at a uniform draw u gives
   * t = t0 + ln(u / (1 - u)) / r, so the count of opened shops follows the curve. Shops close after an
   * exponential lifetime (mean 8 years): churn.
   */
  Dataset<Row> sellersWithParameters(Dataset<Row> villages) {
    Column code = col(VillageRegistry.VILLAGE_CODE);
    Column idx = col(SELLER_INDEX);
    Column u = least(greatest(rnd.uniform("open", code, idx), lit(1e-9)), lit(1 - 1e-9));
    Column openT = greatest(lit(TAOBAO_LAUNCH),
        col(MIDPOINT).plus(log(u.divide(lit(1.0).minus(u))).divide(col(GROWTH))));
    Column openYear = floor(col(OPEN_T)).cast("int");
    Column openedDate = date_add(make_date(openYear, lit(1), lit(1)),
        col(OPEN_T).minus(openYear).multiply(365).cast("int"));
    Column pPlatform = rnd.uniform("platform", code, idx);
    Column before2016 = col(OPEN_T).lt(2016);
    Column platform = when(before2016, when(pPlatform.lt(0.75), lit("taobao"))
            .when(pPlatform.lt(0.90), lit("tmall")).otherwise(lit("jd")))
        .otherwise(when(pPlatform.lt(0.50), lit("taobao")).when(pPlatform.lt(0.65), lit("tmall"))
            .when(pPlatform.lt(0.85), lit("pinduoduo")).when(pPlatform.lt(0.90), lit("jd"))
            .otherwise(lit("douyin")));
    Column pOrigin = rnd.uniform("origin", code, idx);
    Column origin = when(pOrigin.lt(0.6), lit("native")).when(pOrigin.lt(0.8), lit("return_migrant"))
        .when(pOrigin.lt(0.9), lit("migrant"));
    // Households running shops: on average about 1.3 shops per household, never more households than exist.
    Column householdSlots = greatest(lit(1), least(col(VillageRegistry.HOUSEHOLDS),
        ceil(col(POTENTIAL).divide(1.3)).cast("int")));
    Column householdIdx = floor(rnd.uniform("household", code, idx).multiply(householdSlots)).cast("int");

    return villages
        .withColumn(SELLER_INDEX, explode(sequence(lit(0), greatest(col(POTENTIAL), lit(1)).minus(1))))
        .withColumn(OPEN_T, openT)
        .where(col(OPEN_T).lt(cfg.lastYear() + 1))
        .withColumn(CLOSE_T, col(OPEN_T).plus(rnd.exponential("life", 8.0, code, idx)))
        .withColumn(SellerAccounts.SELLER_ID, concat(lit("tb"), lower(hex(xxhash64(lit(cfg.seed()), lit("seller"), code, idx)))))
        .withColumn(SellerAccounts.HOUSEHOLD_ID, concat(lit("hh"), code, lit("-"), householdIdx.cast("string")))
        .withColumn(SellerAccounts.OPENED_DATE, openedDate)
        .withColumn(SellerAccounts.PLATFORM, platform)
        .withColumn(SellerAccounts.ACCOUNT_TYPE, when(platform.equalTo("tmall")
            .or(rnd.uniform("enterprise", code, idx).lt(0.1)), lit("enterprise")).otherwise(lit("individual")))
        .withColumn(SellerAccounts.OWNER_ORIGIN, origin)
        // Heavy-tailed shop size: lognormal, sigma 1 (90th percentile 3.6x the median, 99th 10x).
        .withColumn(SCALE, rnd.logNormal("scale", col(SELLER_MEDIAN), 1.0, code, idx));
  }

  public Dataset<Row> sellerAccounts(Dataset<Row> sellers) {
    return sellers.select(columnsOf(SellerAccounts.SCHEMA));
  }

  /**
   * Seller-years: in every year a shop is open, its expected sales are its scale times the open fraction
   * of the year, turned into a count of orders at the configured mean order value.
   */
  Dataset<Row> sellerYears(Dataset<Row> sellers) {
    Column first = greatest(lit(cfg.firstYear()), floor(col(OPEN_T)).cast("int"));
    Column last = least(lit(cfg.lastYear()), floor(col(CLOSE_T)).cast("int"));
    Column years = when(first.leq(last), sequence(first, last)).otherwise(array().cast("array<int>"));
    Column y = col(YEAR);
    Column openFraction = least(col(CLOSE_T), y.plus(1)).minus(greatest(col(OPEN_T), y));
    Column orders = round(col(SCALE).multiply(openFraction).divide(cfg.meanOrderRmb())).cast("int");
    return sellers
        .withColumn(YEAR, explode(years))
        .withColumn(ORDER_COUNT, orders)
        .where(col(ORDER_COUNT).gt(0));
  }

  /**
   * Orders of every seller-year, spread uniformly over the part of the year the shop was open; laid out in
   * {@code files} partitions by village, each sorted by village and time (good Parquet compression).
   */
  public Dataset<Row> transactions(Dataset<Row> sellerYears, int files) {
    Column sellerKey = col(SellerAccounts.SELLER_ID);
    Column y = col(YEAR);
    Column n = col(ORDER_INDEX);
    Column yearStart = unix_seconds(make_timestamp(y, lit(1), lit(1), lit(0), lit(0), lit(0), lit(Sessions.TIME_ZONE)));
    Column yearEnd = unix_seconds(make_timestamp(y.plus(1), lit(1), lit(1), lit(0), lit(0), lit(0), lit(Sessions.TIME_ZONE)));
    Column from = greatest(col(OPEN_T), y).minus(y);
    Column to = least(col(CLOSE_T), y.plus(1)).minus(y);
    Column fraction = from.plus(to.minus(from).multiply(rnd.uniform("time", sellerKey, y, n)));
    Column seconds = yearStart.plus(fraction.multiply(yearEnd.minus(yearStart)).cast("long"));
    Column quantity = lit(1).plus(floor(rnd.exponential("quantity", 0.25, sellerKey, y, n))).cast("int");
    // Lognormal unit price with mean equal to the configured order value: exp(sigma N - sigma^2 / 2).
    Column price = exp(rnd.normal("price", sellerKey, y, n).multiply(0.5).minus(0.125)).multiply(cfg.meanOrderRmb());
    Column pStatus = rnd.uniform("status", sellerKey, y, n);
    Column status = when(pStatus.lt(0.03), lit("refunded")).when(pStatus.lt(0.04), lit("cancelled"))
        .otherwise(lit("completed"));
    Column category = when(rnd.uniform("category", sellerKey, y, n).lt(0.85), col(MAIN_CATEGORY))
        .otherwise(element_at(array(java.util.Arrays.stream(CATEGORIES).map(c -> lit(c)).toArray(Column[]::new)),
            floor(rnd.uniform("other-category", sellerKey, y, n).multiply(CATEGORIES.length)).cast("int").plus(1)));
    // Unique by construction (village, seller index, year, order number); carries no seller id.
    Column transactionId = concat(col(VillageRegistry.VILLAGE_CODE), lpad(col(SELLER_INDEX).cast("string"), 5, "0"),
        y.cast("string"), lpad(n.cast("string"), 7, "0"));

    return sellerYears
        .withColumn(ORDER_INDEX, explode(sequence(lit(1), col(ORDER_COUNT))))
        .withColumn(Transactions.TRANSACTION_ID, transactionId)
        .withColumn(Transactions.ORDER_TS, timestamp_seconds(seconds))
        .withColumn(Transactions.QUANTITY, quantity)
        .withColumn(Transactions.AMOUNT_RMB, round(price.multiply(quantity), 2).cast(Transactions.AMOUNT_TYPE))
        .withColumn(Transactions.CATEGORY, category)
        .withColumn(Transactions.ORDER_STATUS, status)
        .repartition(files, col(VillageRegistry.VILLAGE_CODE))
        .sortWithinPartitions(VillageRegistry.VILLAGE_CODE, Transactions.ORDER_TS, Transactions.TRANSACTION_ID)
        .select(columnsOf(Transactions.INPUT_SCHEMA));
  }

  /** Expected number of order rows, from the seller-year ledger (one aggregate row to the driver). */
  long expectedOrders(Dataset<Row> sellerYears) {
    Row r = sellerYears.agg(sum(col(ORDER_COUNT))).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  static Column[] columnsOf(org.apache.spark.sql.types.StructType schema) {
    return java.util.Arrays.stream(schema.fieldNames()).map(f -> col(f)).toArray(Column[]::new);
  }
}
