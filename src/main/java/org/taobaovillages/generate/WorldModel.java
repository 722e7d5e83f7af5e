package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;
import static org.taobaovillages.generate.ReferenceData.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.config.WorldConfig;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.table.VillageRegistry;

/**
 * The national world model, from the real reference data down to one design row per village and year:
 * county factors and the formation rule ({@link CountyFactors}), Taobao Village counts per county and year
 * calibrated to the published record ({@link CountyTrajectories}), the counties selected for generation, and
 * per village its rank in its county, business model, category and latent e-commerce intensity per year.
 *
 * <p>Intensity I is in units of the Taobao Village thresholds: a village-year's sales are I x RMB 10 M and its
 * shops about I x 100 x a (a between 1.1 and 1.8). Villages whose rank in their county is below the county's
 * count for the year are Taobao Villages by design, and their intensity is held at 1.05 or above; every other
 * village-year is held at 0.9 or below, so designed status and the rule agree on sales and shops (the platform
 * share still decides at the margin; the truth tables record the rule applied to the ledger). Around its growth
 * curve a village's intensity carries a yearly log-normal shock (world {@code sales-noise}), applied before those
 * holds, so the shocks never change a designed status.
 */
public final class WorldModel {
  static final int FIRST_YEAR = CountyTrajectories.FIRST_YEAR;
  static final int LAST_YEAR = CountyTrajectories.LAST_YEAR;

  // County view columns added here.
  public static final String TV_COUNTS = "tv_counts";
  public static final String STRATUM = "stratum";
  public static final String COUNTY_CATEGORY = "county_category";

  // Village design columns.
  public static final String RANK = "rank_in_county";
  public static final String DESIGNED_STATUS = "designed_status";
  public static final String DESIGNED_FIRST_YEAR = "designed_first_year";
  public static final String DECLINE_YEAR = "decline_year";
  public static final String BUSINESS_MODEL = "business_model";
  public static final String CATEGORY = "category";
  public static final String KIND = "village_kind";
  static final String PEAK = "_peak";
  static final String RATE = "_rate";
  static final String MIDPOINT = "_midpoint";
  static final String SHOPS_PER_UNIT = "_shops_per_unit";
  static final String START_YEAR = "_start_year";

  // Village-year design columns.
  public static final String YEAR = "year";
  public static final String INTENSITY = "intensity";
  public static final String SHOPS = "shops";
  public static final String PREVIOUS_SHOPS = "previous_shops";
  public static final String SALES_CENTS = "sales_cents";
  public static final String PRICE_RMB = "unit_price_rmb";
  /** Whether the village is a Taobao Village by design in the year (its planted truth; declined ones not). */
  public static final String DESIGNED = "designed_taobao_village";

  public static final String MERCHANT = "merchant";
  public static final String PRODUCER = "producer";
  public static final String LIVE_STREAM = "live_stream";

  /** Village kinds: designed Taobao Village, minor e-commerce below the thresholds, live-stream, none. */
  public static final String KIND_TAOBAO = "taobao_village";
  public static final String KIND_MINOR = "minor";
  public static final String KIND_LIVE = "live_stream";

  /** Main categories with a typical unit price in RMB (2015 prices). */
  static final Map<String, Double> CATEGORY_PRICES = new LinkedHashMap<>();

  static {
    CATEGORY_PRICES.put("furniture", 1500.0);
    CATEGORY_PRICES.put("home_textiles", 160.0);
    CATEGORY_PRICES.put("apparel", 120.0);
    CATEGORY_PRICES.put("shoes_bags", 140.0);
    CATEGORY_PRICES.put("toys", 80.0);
    CATEGORY_PRICES.put("ceramics", 220.0);
    CATEGORY_PRICES.put("crafts", 180.0);
    CATEGORY_PRICES.put("agri_food", 60.0);
    CATEGORY_PRICES.put("auto_parts", 260.0);
    CATEGORY_PRICES.put("outdoor", 200.0);
  }

  static final String[] STRATA = {"published", "allowed", "other"};

  private final SparkSession spark;
  private final ReferenceData reference;
  private final GenerateConfig cfg;
  private final WorldConfig world;
  private final HashRandom rnd;

  public WorldModel(SparkSession spark, String referenceRoot, GenerateConfig cfg, WorldConfig world) {
    this.spark = spark;
    this.reference = new ReferenceData(spark, referenceRoot);
    this.cfg = cfg;
    this.world = world;
    this.rnd = new HashRandom(cfg.seed());
  }

  public ReferenceData reference() {
    return reference;
  }

  /** The built model: every county (with factors and counts), the selected ones, and their villages. */
  public record Built(Dataset<Row> allCounties, Dataset<Row> selectedCounties, Dataset<Row> villages,
      Dataset<Row> villageYears) {}

  public Built build() {
    National national = NATIONAL.computeIfAbsent(reference.root() + "|" + cfg.seed() + "|" + world, k -> national());
    Set<String> selected = select(national.counties(), strata(national.counties()));
    Dataset<Row> all = spark.createDataFrame(national.rows(), national.schema());
    Dataset<Row> chosen = all.where(col(COUNTY_CODE).isin(selected.toArray())).cache();
    Dataset<Row> villageCommittees = reference.villageCommittees().where(col(COUNTY_CODE).isin(selected.toArray()));
    Dataset<Row> registry = Geography.villages(villageCommittees, chosen, cfg.seed());
    Dataset<Row> villages = design(registry, chosen).cache();
    return new Built(all, chosen, villages, villageYears(villages));
  }

  /**
   * The whole country at county level (about 2,900 rows, so held on the driver): factors, calibrated counts
   * per year, stratum and main category. The same for every selection, so computed once per reference, seed
   * and world configuration in a JVM.
   */
  record National(List<Row> rows, StructType schema, List<CountyTrajectories.County> counties) {}

  private static final Map<String, National> NATIONAL = new java.util.concurrent.ConcurrentHashMap<>();

  private National national() {
    Dataset<Row> committees = reference.villageCommittees();
    Dataset<Row> counties = CountyFactors.derive(Geography.counties(committees, reference.countyCensus()),
        reference.countyCounts().select(COUNTY_CODE), world, cfg.seed())
        .withColumn(COUNTY_CATEGORY, countyCategory())
        .orderBy(COUNTY_CODE);
    Dataset<Row> published = reference.countyCounts().groupBy(COUNTY_CODE).pivot(YEAR, List.of(2014, 2015, 2016))
        .agg(sum(TAOBAO_VILLAGES));
    List<Row> rows = counties.collectAsList();
    StructType schema = counties.schema();
    Map<String, long[]> publishedCounts = new HashMap<>();
    for (Row r : published.collectAsList()) {
      publishedCounts.put(r.getString(0), new long[] {r.isNullAt(1) ? 0 : r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2),
          r.isNullAt(3) ? 0 : r.getLong(3)});
    }
    List<CountyTrajectories.County> list = new ArrayList<>();
    for (Row r : rows) {
      long[] p = publishedCounts.getOrDefault(r.<String>getAs(COUNTY_CODE), new long[3]);
      int villages = (int) r.<Long>getAs(Geography.VILLAGE_COUNT).longValue();
      double industry = r.<Double>getAs(CountyFactors.INDUSTRY_INDEX);
      boolean allowed = r.<Boolean>getAs(CountyFactors.FORMATION_ALLOWED);
      Integer programme = r.getAs(CountyFactors.PROGRAMME_START_YEAR);
      list.add(new CountyTrajectories.County(r.getAs(COUNTY_CODE), r.getAs(CITY_CODE), r.getAs(PROVINCE_CODE),
          villages, allowed, world.capacityShare().get(r.<String>getAs(CountyFactors.QUADRANT)), industry,
          programme == null ? 0 : programme, (int) p[0], (int) p[1], (int) p[2]));
    }
    Map<String, int[]> counts = CountyTrajectories.compute(list, nationalTargets(), cityTargets(),
        new CountyTrajectories.Diffusion(world.imitationRate(), world.imitationExponent(), world.citySpillover(),
            world.provinceSpillover(), world.industryElasticity(), world.maxCapacityShare(), world.programmeBoost(),
            world.neighbourBoost()),
        cfg.seed());
    Map<String, String> strata = strata(list);
    List<Row> withCounts = new ArrayList<>();
    for (Row r : rows) {
      String code = r.getAs(COUNTY_CODE);
      List<Integer> values = new ArrayList<>();
      for (int v : counts.get(code)) {
        values.add(v);
      }
      Object[] fields = new Object[r.size() + 2];
      for (int i = 0; i < r.size(); i++) {
        fields[i] = r.get(i);
      }
      fields[r.size()] = scala.jdk.javaapi.CollectionConverters.asScala(values).toSeq();
      fields[r.size() + 1] = strata.get(code);
      withCounts.add(RowFactory.create(fields));
    }
    StructType full = schema.add(TV_COUNTS, DataTypes.createArrayType(DataTypes.IntegerType))
        .add(STRATUM, DataTypes.StringType);
    return new National(withCounts, full, list);
  }

  /** Published national counts by year (a few rows). */
  Map<Integer, Integer> nationalTargets() {
    Map<Integer, Integer> t = new HashMap<>();
    for (Row r : reference.nationalCounts().collectAsList()) {
      t.put(r.getInt(0), r.getInt(1));
    }
    return t;
  }

  /** Published numbers of prefecture-level cities with Taobao Villages, by year (a few rows). */
  Map<Integer, Integer> cityTargets() {
    Map<Integer, Integer> t = new HashMap<>();
    for (Row r : reference.coverage().where(col(ReferenceData.CITIES).isNotNull()).collectAsList()) {
      t.put(r.getInt(0), r.getInt(2));
    }
    return t;
  }

  static Map<String, String> strata(List<CountyTrajectories.County> counties) {
    Map<String, String> s = new HashMap<>();
    for (var c : counties) {
      boolean published = c.published2014() + c.published2015() + c.published2016() > 0;
      s.put(c.code(), published ? STRATA[0] : c.formationAllowed() ? STRATA[1] : STRATA[2]);
    }
    return s;
  }

  /**
   * Whole counties: the configured list, or per stratum the counties in a fixed random order until the
   * stratum's share of villages reaches {@code scale} (at least one county per stratum).
   */
  Set<String> select(List<CountyTrajectories.County> counties, Map<String, String> strata) {
    Set<String> known = new HashSet<>();
    counties.forEach(c -> known.add(c.code()));
    if (!cfg.counties().isEmpty()) {
      for (String code : cfg.counties()) {
        if (!known.contains(code)) {
          throw new UserError("generate.counties: " + code + " is not a county with village committees in the "
              + "reference registry");
        }
      }
      return new HashSet<>(cfg.counties());
    }
    Set<String> chosen = new HashSet<>();
    for (String stratum : STRATA) {
      List<CountyTrajectories.County> members = new ArrayList<>(counties.stream()
          .filter(c -> strata.get(c.code()).equals(stratum)).toList());
      members.sort(Comparator.comparingLong(c -> HashRandom.plainHash(cfg.seed(), "select", c.code())));
      long total = members.stream().mapToLong(CountyTrajectories.County::villages).sum();
      long taken = 0;
      for (var c : members) {
        if (taken > 0 && taken >= cfg.scale() * total) {
          break;
        }
        chosen.add(c.code());
        taken += c.villages();
      }
    }
    return chosen;
  }

  private Column pick(String salt, Column key) {
    return pick(salt, key, List.copyOf(CATEGORY_PRICES.keySet()));
  }

  private Column pick(String salt, Column key, List<String> categories) {
    List<Column> names = categories.stream().map(name -> lit(name)).toList();
    return element_at(array(names.toArray(Column[]::new)),
        floor(rnd.uniform(salt, key).multiply(names.size())).cast("int").plus(1));
  }

  /** Categories made by manufacturing: what a county with a robust sector sells. */
  static final List<String> MANUFACTURED = List.of("furniture", "home_textiles", "apparel", "shoes_bags", "toys",
      "ceramics", "auto_parts", "outdoor");

  /**
   * A county's main category: a manufactured one where the county has a robust sector (sellers source from or
   * produce in its factories and markets); elsewhere farm produce in half the counties, crafts in a fifth, any
   * category in the rest (domain.md section 4: producer villages process what the place has).
   */
  private Column countyCategory() {
    Column county = col(COUNTY_CODE);
    Column u = rnd.uniform("county-category-kind", county);
    return when(col(CountyFactors.ROBUST_SECTOR), pick("county-category", county, MANUFACTURED))
        .when(u.lt(0.5), lit("agri_food")).when(u.lt(0.7), lit("crafts"))
        .otherwise(pick("county-category", county));
  }

  /**
   * A village with e-commerce in a county where villages do not form but one factor is present: a robust
   * sector's factory shops or a government programme's shops (world {@code single-factor-village-share}).
   */
  public static Column singleFactorVillage() {
    return col(KIND).equalTo(KIND_MINOR).and(not(col(CountyFactors.FORMATION_ALLOWED)));
  }

  /** The county columns {@link #design} reads: the county's counts, main category and factors. */
  static final StructType DESIGN_COUNTY = new StructType().add(COUNTY_CODE, DataTypes.StringType)
      .add(TV_COUNTS, DataTypes.createArrayType(DataTypes.IntegerType))
      .add(COUNTY_CATEGORY, DataTypes.StringType)
      .add(CountyFactors.FORMATION_ALLOWED, DataTypes.BooleanType)
      .add(CountyFactors.QUADRANT, DataTypes.StringType)
      .add(CountyFactors.ROBUST_SECTOR, DataTypes.BooleanType)
      .add(CountyFactors.MIGRANT_ENTREPRENEURS, DataTypes.BooleanType)
      .add(CountyFactors.RETURN_MIGRANTS, DataTypes.BooleanType)
      .add(CountyFactors.INTERVENTIONIST, DataTypes.BooleanType)
      .add(CountyFactors.PROGRAMME_START_YEAR, DataTypes.IntegerType);

  /**
   * Per village: rank in its county (an exponential race weighted by its township's attractiveness, so Taobao
   * Villages cluster in townships), designed status per year, kind, business model, category and the
   * parameters of its intensity curve.
   */
  Dataset<Row> design(Dataset<Row> registry, Dataset<Row> counties) {
    Column v = col(VillageRegistry.VILLAGE_CODE);
    Column townHot = exp(rnd.normal("town-attractiveness", col(VillageRegistry.TOWN_CODE))
        .multiply(world.townConcentration()));
    Column race = log(lit(1.0).minus(rnd.uniform("race", v))).multiply(-1).divide(townHot);
    Column rank = row_number().over(Window.partitionBy(VillageRegistry.COUNTY_CODE).orderBy(race, v)).minus(1);
    Column status = transform(col(TV_COUNTS), c -> c.gt(col(RANK)));
    Column firstPosition = array_position(col(DESIGNED_STATUS), true);
    Column isTaobao = firstPosition.gt(0);
    Column kind = when(isTaobao, lit(KIND_TAOBAO))
        .when(col(CountyFactors.FORMATION_ALLOWED).and(rnd.uniform("minor", v).lt(world.minorVillageShare())),
            lit(KIND_MINOR))
        .when(not(col(CountyFactors.FORMATION_ALLOWED))
            .and(col(CountyFactors.ROBUST_SECTOR).or(col(CountyFactors.INTERVENTIONIST)))
            .and(rnd.uniform("minor", v).lt(world.singleFactorVillageShare())), lit(KIND_MINOR))
        .when(not(col(CountyFactors.FORMATION_ALLOWED)).and(rnd.uniform("live", v).lt(world.liveStreamVillageShare())),
            lit(KIND_LIVE));
    Column q = col(CountyFactors.QUADRANT);
    Column pMerchant = when(q.equalTo(CountyFactors.PRD_TYPE), lit(0.8)).when(q.equalTo(CountyFactors.YRD_TYPE), lit(0.5))
        .when(q.equalTo(CountyFactors.COASTAL_INTERIOR), lit(0.15)).otherwise(lit(0.3));
    // Factory and programme shops make or process what they sell.
    Column model = when(col(KIND).equalTo(KIND_LIVE), lit(LIVE_STREAM))
        .when(singleFactorVillage(), lit(PRODUCER))
        .when(rnd.uniform("business-model", v).lt(pMerchant), lit(MERCHANT)).otherwise(lit(PRODUCER));
    Column category = when(rnd.uniform("own-category", v).lt(0.3), pick("village-category", v))
        .otherwise(col(COUNTY_CATEGORY));
    Column first = when(isTaobao, firstPosition.plus(FIRST_YEAR - 1)).cast("int");
    Column decline = when(col(KIND).equalTo(KIND_TAOBAO).and(col(BUSINESS_MODEL).equalTo(MERCHANT))
            .and(col(DESIGNED_FIRST_YEAR).leq(2018)).and(rnd.uniform("decline", v).lt(world.declineProbability())),
        col(DESIGNED_FIRST_YEAR).plus(3).plus(floor(rnd.uniform("decline-year", v).multiply(4))).cast("int"));
    // Peak intensity: Taobao Villages lognormal around 2.2 x the thresholds (heavy-tailed: the median village
    // sells far above RMB 10 M), minor villages 0.05-0.6, live-stream villages 0.01-0.15.
    Column peak = when(col(KIND).equalTo(KIND_TAOBAO),
            greatest(lit(1.3), rnd.logNormal("peak", lit(2.2), 0.6, v)))
        .when(col(KIND).equalTo(KIND_MINOR), rnd.between("peak-minor", 0.05, 0.6, v))
        .otherwise(rnd.between("peak-live", 0.01, 0.15, v));
    Column rate = when(col(KIND).equalTo(KIND_LIVE), lit(1.5)).otherwise(rnd.between("rate", 0.5, 1.1, v));
    // A Taobao Village's logistic curve crosses 1 in its designed first year: t0 = first + ln(L - 1) / r.
    Column midpoint = when(col(KIND).equalTo(KIND_TAOBAO),
            col(DESIGNED_FIRST_YEAR).plus(log(col(PEAK).minus(1)).divide(col(RATE))))
        .when(singleFactorVillage().and(not(col(CountyFactors.ROBUST_SECTOR))),
            col(CountyFactors.PROGRAMME_START_YEAR).plus(rnd.between("midpoint-programme", 0, 3, v)))
        .when(col(KIND).equalTo(KIND_MINOR), rnd.between("midpoint-minor", 2012, 2021, v))
        .otherwise(rnd.between("midpoint-live", 2018, 2022, v));

    return registry
        .join(counties.select(columnsOf(DESIGN_COUNTY)), COUNTY_CODE)
        .withColumn(RANK, rank)
        .withColumn(DESIGNED_STATUS, status)
        .withColumn(KIND, kind)
        .withColumn(BUSINESS_MODEL, model)
        .withColumn(CATEGORY, category)
        .withColumn(DESIGNED_FIRST_YEAR, first)
        .withColumn(DECLINE_YEAR, when(decline.leq(LAST_YEAR), decline))
        .withColumn(PEAK, peak)
        .withColumn(RATE, rate)
        .withColumn(MIDPOINT, midpoint)
        .withColumn(SHOPS_PER_UNIT, rnd.between("shops-per-unit", 1.1, 1.8, v))
        .drop(TV_COUNTS, COUNTY_CATEGORY);
  }

  /**
   * One row per village and year with e-commerce (at least one shop): intensity, shops, sales in cents and the
   * typical unit price (category price, 2 % inflation a year, falling 7 % a year in merchant villages after
   * they form: price wars).
   */
  Dataset<Row> villageYears(Dataset<Row> villages) {
    Column y = col(YEAR);
    // The growth curve times a yearly shock (log-normal, median 1): growth is not smooth from one year to the next.
    Column logistic = col(PEAK).divide(lit(1).plus(exp(col(RATE).multiply(y.minus(col(MIDPOINT))).multiply(-1))))
        .multiply(exp(rnd.normal("sales-noise", col(VillageRegistry.VILLAGE_CODE), y).multiply(world.salesNoise())));
    Column designed = element_at(col(DESIGNED_STATUS), y.minus(FIRST_YEAR - 1))
        .and(col(DECLINE_YEAR).isNull().or(y.lt(col(DECLINE_YEAR))));
    Column declined = col(DECLINE_YEAR).isNotNull().and(y.geq(col(DECLINE_YEAR)));
    Column intensity = when(designed, greatest(logistic, lit(1.05)))
        .when(declined, least(logistic, lit(0.9)).multiply(pow(lit(0.8), y.minus(col(DECLINE_YEAR)))))
        .otherwise(least(logistic, lit(0.9)));
    // At most two shops per registered household: small villages reach the rule by their household share.
    Column shops = least(round(col(INTENSITY).multiply(100).multiply(col(SHOPS_PER_UNIT))),
        greatest(lit(1), col(VillageRegistry.HOUSEHOLDS).multiply(2))).cast("int");
    Column basePrice = lit(0.0);
    for (var e : CATEGORY_PRICES.entrySet()) {
      basePrice = when(col(CATEGORY).equalTo(e.getKey()), lit(e.getValue())).otherwise(basePrice);
    }
    Column priceWar = when(col(BUSINESS_MODEL).equalTo(MERCHANT).and(col(DESIGNED_FIRST_YEAR).isNotNull())
        .and(y.gt(col(DESIGNED_FIRST_YEAR))), pow(lit(0.93), y.minus(col(DESIGNED_FIRST_YEAR)))).otherwise(lit(1.0));
    Column price = basePrice.multiply(pow(lit(1.02), y.minus(2015))).multiply(priceWar).multiply(cfg.priceScale());
    Column previous = lag(col(SHOPS), 1).over(Window.partitionBy(VillageRegistry.VILLAGE_CODE).orderBy(YEAR));

    return villages
        .where(col(KIND).isNotNull())
        .withColumn(YEAR, explode(sequence(lit(FIRST_YEAR), lit(LAST_YEAR))))
        .withColumn(DESIGNED, coalesce(designed, lit(false)))
        .withColumn(INTENSITY, intensity)
        .withColumn(SHOPS, shops)
        .withColumn(PREVIOUS_SHOPS, coalesce(previous, lit(0)))
        .where(col(SHOPS).geq(1))
        // I x RMB 10 M, in cents.
        .withColumn(SALES_CENTS, round(col(INTENSITY).multiply(1e9)).cast("long"))
        .withColumn(PRICE_RMB, price);
  }

  /** The columns of a table schema, for a final select in schema order. */
  public static Column[] columnsOf(StructType schema) {
    return java.util.Arrays.stream(schema.fieldNames()).map(f -> col(f)).toArray(Column[]::new);
  }
}
