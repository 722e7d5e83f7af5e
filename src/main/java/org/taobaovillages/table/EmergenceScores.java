package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * {@code emergence_scores}: every village-year that does not qualify (primary rule) and whose next year is complete,
 * with the outcome (qualifies the next year), whether it trained the model or was held out, and three scores:
 * the model's probability, the naive growth baseline and the watchlist's.
 */
public final class EmergenceScores {
  public static final String NAME = "emergence_scores";

  public static final String OUTCOME_YEAR = "outcome_year";
  /** train or test. */
  public static final String SPLIT = "split";
  public static final String QUALIFIES_NEXT = "qualifies_next_year";
  public static final String MODEL_SCORE = "model_score";
  /** min(projected sales / threshold, max(projected shops / threshold, projected household share / threshold)). */
  public static final String NAIVE_SCORE = "naive_growth_score";
  /** 1 / months to qualify on the watchlist at 31 December of the year; 0 when not listed. */
  public static final String WATCHLIST_SCORE = "watchlist_score";

  public static final String TRAIN = "train";
  public static final String TEST = "test";

  public static final StructType SCHEMA = new StructType()
      .add(CountyTypology.TYPOLOGY_VERSION, StringType, false)
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(VillageRegistry.COUNTY_CODE, StringType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(OUTCOME_YEAR, IntegerType, false)
      .add(SPLIT, StringType, false)
      .add(QUALIFIES_NEXT, BooleanType, false)
      .add(MODEL_SCORE, DoubleType, true)
      .add(NAIVE_SCORE, DoubleType, false)
      .add(WATCHLIST_SCORE, DoubleType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** Figures withheld by {@link SmallCellFlags#METRICS}. */
  public static final java.util.List<String> FIGURES = java.util.List.of(MODEL_SCORE, NAIVE_SCORE, WATCHLIST_SCORE);

  private EmergenceScores() {}
}
