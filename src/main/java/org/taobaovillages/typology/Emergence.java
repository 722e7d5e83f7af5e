package org.taobaovillages.typology;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.config.VillageRule;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.EmergenceScores;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.Watchlist;

/**
 * Which villages that do not qualify yet will qualify next year. Each village-year with sales that does not qualify
 * under the primary rule, and whose next year is complete, is one row; its outcome is whether it qualifies the next
 * year. Rows whose outcome year is at most {@code train-until} train MLlib gradient-boosted trees; the later ones
 * are held out (no row's features come from a year after its outcome year, and no held-out outcome is seen in
 * training). Two other scorers on the same rows: the naive growth baseline (each criterion grown by last year's
 * growth once more, as a fraction of its threshold) and the watchlist's (1 / months to qualify at 31 December).
 * The trees see the baseline's projections among their inputs, so they can only add to what growth alone says.
 */
public final class Emergence {
  static final String LABEL = "_label";
  static final String FEATURES = "_features";
  static final String PROBABILITY = "_probability";
  static final String RAW = "_raw";
  static final String PREDICTION = "_prediction";

  static final String SALES_RATIO = "sales_ratio";
  static final String SHOPS_RATIO = "shops_ratio";
  static final String HOUSEHOLD_RATIO = "household_ratio";
  static final String SALES_GROWTH = "sales_growth";
  static final String SELLER_GROWTH = "seller_growth";
  static final String HOUSEHOLD_GROWTH = "household_growth";
  static final String SALES_GROWTH_TWO_YEARS = "sales_growth_two_years";
  static final String SELLER_GROWTH_TWO_YEARS = "seller_growth_two_years";
  static final String YEARS_WITH_SALES = "years_with_sales";
  static final String CATEGORY_HHI = "category_hhi";
  static final String LIVE_STREAM_SHARE = "live_stream_share";
  static final String ENTERPRISE_SHARE = "enterprise_share";
  static final String MIGRANT_SHARE = "migrant_share";
  static final String COUNTY_DENSITY = "county_taobao_village_density";
  static final String COUNTY_ECOMMERCE_SHARE = "county_ecommerce_village_share";
  static final String PROJECTED_SALES_RATIO = "projected_sales_ratio";
  static final String PROJECTED_SCALE_RATIO = "projected_scale_ratio";

  /** The model's inputs, in the order of the feature vector (and of the importances). */
  public static final List<String> INPUTS = List.of(SALES_RATIO, SHOPS_RATIO, HOUSEHOLD_RATIO, SALES_GROWTH,
      SELLER_GROWTH, HOUSEHOLD_GROWTH, SALES_GROWTH_TWO_YEARS, SELLER_GROWTH_TWO_YEARS, YEARS_WITH_SALES, CATEGORY_HHI,
      LIVE_STREAM_SHARE, ENTERPRISE_SHARE, MIGRANT_SHARE, COUNTY_DENSITY, COUNTY_ECOMMERCE_SHARE, PROJECTED_SALES_RATIO,
      PROJECTED_SCALE_RATIO, EmergenceScores.NAIVE_SCORE);

  private Emergence() {}

  /**
   * One row per village-year at risk: village_code, county_code, year, outcome_year, split, label, the inputs and
   * the two rule-based scores.
   */
  public static Dataset<Row> rows(Dataset<Row> villageYears, Dataset<Row> countyFeatures, Dataset<Row> watchlist,
      VillageRule rule, int lastYear, TypologyConfig cfg) {
    double salesThreshold = rule.sales().threshold().doubleValue();
    double shopsThreshold = rule.activeShops().threshold().doubleValue();
    Double householdThreshold = rule.hasHouseholdShare() ? rule.householdShare().threshold().doubleValue() : null;
    Dataset<Row> next = villageYears.select(col(VillageYears.VILLAGE_CODE),
        col(VillageYears.YEAR).minus(1).as(VillageYears.YEAR), col(VillageYears.QUALIFIES).as(LABEL));
    Dataset<Row> county = countyFeatures.where(col(CountyFeatures.LEVEL).equalTo(CountyFeatures.COUNTY))
        .select(col(CountyFeatures.UNIT_CODE).as(VillageRegistry.COUNTY_CODE),
            col(VillagePeriod.YEAR), col(CountyFeatures.TAOBAO_VILLAGE_DENSITY).as(COUNTY_DENSITY),
            col(CountyFeatures.ECOMMERCE_VILLAGE_SHARE).as(COUNTY_ECOMMERCE_SHARE));
    Dataset<Row> listed = watchlist.where(month(col(Watchlist.AS_OF)).equalTo(12)
            .and(dayofmonth(col(Watchlist.AS_OF)).equalTo(31)))
        .select(col(VillagePeriod.VILLAGE_CODE), year(col(Watchlist.AS_OF)).as(VillagePeriod.YEAR),
            lit(1.0).divide(greatest(lit(1), col(Watchlist.MONTHS_TO_QUALIFY))).as(EmergenceScores.WATCHLIST_SCORE));
    Column sales = col(VillageYears.SALES_RMB);
    Column sellers = col(VillageYears.ACTIVE_SELLERS).cast("double");
    Column share = coalesce(col(VillageYears.HOUSEHOLD_SHARE), lit(0.0));
    Column previousShare = col(VillageYears.PREVIOUS_HOUSEHOLD_SHARE);
    Column salesGrowth = coalesce(log(sales.plus(1).divide(col(VillageYears.PREVIOUS_SALES).plus(1))), lit(0.0));
    Column sellerGrowth = coalesce(log(sellers.plus(1).divide(col(VillageYears.PREVIOUS_SELLERS).plus(1))),
        lit(0.0));
    Column householdGrowth = coalesce(log(share.plus(0.001).divide(previousShare.plus(0.001))), lit(0.0));
    // Mean yearly log growth over two years (steadier than one year's when sales are noisy); one year's without.
    Column salesGrowthTwoYears = coalesce(log(sales.plus(1).divide(col(VillageYears.SALES_TWO_YEARS_BEFORE).plus(1)))
        .divide(2), col(SALES_GROWTH));
    Column sellerGrowthTwoYears = coalesce(log(sellers.plus(1).divide(col(VillageYears.SELLERS_TWO_YEARS_BEFORE)
        .plus(1))).divide(2), col(SELLER_GROWTH));
    // Naive growth: next year's value = this year's x (this year's / last year's); no last year: no growth.
    Column projectedSales = sales.multiply(exp(col(SALES_GROWTH)));
    Column projectedShops = sellers.multiply(exp(col(SELLER_GROWTH)));
    Column projectedShare = share.multiply(exp(col(HOUSEHOLD_GROWTH)));
    Column scale = householdThreshold == null ? projectedShops.divide(shopsThreshold)
        : greatest(projectedShops.divide(shopsThreshold), projectedShare.divide(householdThreshold));
    Column known = col(VillageYears.KNOWN_ORIGIN);
    return villageYears
        .where(not(col(VillageYears.QUALIFIES)).and(col(VillageYears.YEAR).lt(lastYear)))
        .join(next, new String[] {VillageYears.VILLAGE_CODE, VillageYears.YEAR}, "left")
        .join(county, new String[] {VillageRegistry.COUNTY_CODE, VillagePeriod.YEAR}, "left")
        .join(listed, new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR}, "left")
        .withColumn(LABEL, coalesce(col(LABEL), lit(false)))
        .withColumn(EmergenceScores.OUTCOME_YEAR, col(VillageYears.YEAR).plus(1))
        .withColumn(EmergenceScores.SPLIT, when(col(EmergenceScores.OUTCOME_YEAR).leq(cfg.trainUntil()),
            lit(EmergenceScores.TRAIN)).otherwise(lit(EmergenceScores.TEST)))
        .withColumn(SALES_RATIO, sales.divide(salesThreshold))
        .withColumn(SHOPS_RATIO, sellers.divide(shopsThreshold))
        .withColumn(HOUSEHOLD_RATIO, householdThreshold == null ? lit(0.0) : share.divide(householdThreshold))
        .withColumn(SALES_GROWTH, salesGrowth)
        .withColumn(SELLER_GROWTH, sellerGrowth)
        .withColumn(HOUSEHOLD_GROWTH, householdGrowth)
        .withColumn(SALES_GROWTH_TWO_YEARS, salesGrowthTwoYears)
        .withColumn(SELLER_GROWTH_TWO_YEARS, sellerGrowthTwoYears)
        .withColumn(YEARS_WITH_SALES, col(VillageYears.YEARS_WITH_SALES).cast("double"))
        .withColumn(CATEGORY_HHI, coalesce(col(VillageYears.CATEGORY_HHI), lit(0.0)))
        .withColumn(LIVE_STREAM_SHARE, coalesce(col(VillageYears.LIVE_STREAM_SHARE), lit(0.0)))
        .withColumn(ENTERPRISE_SHARE, when(col(VillageYears.SELLERS).gt(0),
            col(VillageYears.ENTERPRISE).divide(col(VillageYears.SELLERS))).otherwise(lit(0.0)))
        .withColumn(MIGRANT_SHARE, when(known.gt(0), col(VillageYears.MIGRANT).divide(known)).otherwise(lit(0.0)))
        .withColumn(COUNTY_DENSITY, coalesce(col(COUNTY_DENSITY), lit(0.0)))
        .withColumn(COUNTY_ECOMMERCE_SHARE, coalesce(col(COUNTY_ECOMMERCE_SHARE), lit(0.0)))
        .withColumn(PROJECTED_SALES_RATIO, projectedSales.divide(salesThreshold))
        .withColumn(PROJECTED_SCALE_RATIO, scale)
        .withColumn(EmergenceScores.NAIVE_SCORE, least(col(PROJECTED_SALES_RATIO), col(PROJECTED_SCALE_RATIO)))
        .withColumn(EmergenceScores.WATCHLIST_SCORE, coalesce(col(EmergenceScores.WATCHLIST_SCORE), lit(0.0)))
        .withColumn(EmergenceScores.QUALIFIES_NEXT, col(LABEL));
  }

  /** Gradient-boosted trees on the training rows; null when they hold no positive or no negative row. */
  public static PipelineModel train(Dataset<Row> rows, TypologyConfig cfg) {
    Dataset<Row> training = rows.where(col(EmergenceScores.SPLIT).equalTo(EmergenceScores.TRAIN))
        .withColumn(LABEL, col(LABEL).cast("double"));
    Row classes = training.agg(count(when(col(LABEL).equalTo(1.0), lit(1))), count(when(col(LABEL).equalTo(0.0),
        lit(1)))).first();
    if (classes.getLong(0) == 0 || classes.getLong(1) == 0) {
      return null;
    }
    return new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(INPUTS.toArray(String[]::new)).setOutputCol(FEATURES),
        new GBTClassifier().setLabelCol(LABEL).setFeaturesCol(FEATURES).setMaxIter(cfg.maxIter())
            .setMaxDepth(cfg.maxDepth()).setSeed(cfg.seed()).setProbabilityCol(PROBABILITY)
            .setRawPredictionCol(RAW).setPredictionCol(PREDICTION)}).fit(training);
  }

  /** The rows with the model's probability of qualifying next year ({@code model_score}; null without a model). */
  public static Dataset<Row> score(PipelineModel model, Dataset<Row> rows) {
    if (model == null) {
      return rows.withColumn(EmergenceScores.MODEL_SCORE, lit(null).cast("double"));
    }
    return model.transform(rows.withColumn(LABEL, col(LABEL).cast("double")))
        .withColumn(EmergenceScores.MODEL_SCORE,
            element_at(vector_to_array(col(PROBABILITY), "float64"), 2))
        .drop(FEATURES, PROBABILITY, RAW, PREDICTION)
        .withColumn(LABEL, col(LABEL).equalTo(1.0));
  }

  /** The trees' feature importances, in the order of {@link #INPUTS}. */
  public static double[] importances(PipelineModel model) {
    return ((GBTClassificationModel) model.stages()[1]).featureImportances().toArray();
  }
}
