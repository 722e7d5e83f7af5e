package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/**
 * {@code typology_evaluation}: the typology's figures, one row per measure: the clustering's silhouette per k and
 * its adjusted Rand index against the rule-based quadrants, the emergence scorers' PR-AUC and precision at k on
 * the held-out years, the model's feature importances, and (with {@code --truth}) agreement with the planted
 * world.
 */
public final class TypologyEvaluation {
  public static final String NAME = "typology_evaluation";

  /** What is measured, e.g. silhouette, adjusted_rand_index, pr_auc, precision_at_50, feature_importance. */
  public static final String MEASURE = "measure";
  /** Which model or scorer (kmeans, gbt, naive_growth, watchlist, rule_quadrant, ...). */
  public static final String SUBJECT = "subject";
  /** Against what (rule_quadrant, planted_quadrant, held_out_years, ...) or the feature's name. */
  public static final String AGAINST = "against";
  public static final String VALUE = "value";
  /** Counts behind the value, in words. */
  public static final String DETAIL = "detail";

  public static final StructType SCHEMA = new StructType()
      .add(CountyTypology.TYPOLOGY_VERSION, StringType, false)
      .add(MEASURE, StringType, false)
      .add(SUBJECT, StringType, false)
      .add(AGAINST, StringType, false)
      .add(VALUE, DoubleType, true)
      .add(DETAIL, StringType, true)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  private TypologyEvaluation() {}
}
