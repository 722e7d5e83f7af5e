package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.CountyClusters;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.TruthVillages;
import org.taobaovillages.table.VillageBusinessModel;
import org.taobaovillages.table.VillagePeriod;

/**
 * The typology scored against a generated world's truth ({@code generate --truth}): the planted quadrant of each
 * county ({@code <truth>/counties}) and the planted business model of each village ({@code <truth>/villages}).
 * The planted embeddedness is derived from the planted design the way domain.md section 5 describes it:
 * live-stream villages none, villages of counties whose programme has started governed, merchant villages of
 * counties with migrant entrepreneurs hypo-embedded, the others hyper-embedded. Nothing here is computed by the
 * code under test: only its output tables are read.
 */
public final class TruthScores {
  static final String PLANTED = "_planted";
  static final String FORMATION = "_planted_formation";

  private TruthScores() {}

  public static List<Row> score(SparkSession spark, String truthRoot, Dataset<Row> typology, Dataset<Row> labels,
      Dataset<Row> clusters, int lastYear, TypologyConfig cfg) {
    for (String table : List.of("counties", TruthVillages.NAME)) {
      if (!Warehouse.pathExists(spark, truthRoot + "/" + table)) {
        throw new UserError("typology --truth " + truthRoot + ": no " + table
            + "/ there (expected the truth directory that generate wrote, with counties/ and villages/)");
      }
    }
    Dataset<Row> counties = spark.read().parquet(truthRoot + "/counties");
    Dataset<Row> villages = spark.read().parquet(truthRoot + "/" + TruthVillages.NAME);
    Dataset<Row> planted = counties.select(col(CountyAttributes.COUNTY_CODE), col(CountyTypology.QUADRANT).as(PLANTED),
        col(TruthVillages.FORMATION_ALLOWED).as(FORMATION));
    List<Row> out = new ArrayList<>();

    Dataset<Row> last = typology.where(col(VillagePeriod.YEAR).equalTo(lastYear))
        .join(planted, CountyAttributes.COUNTY_CODE);
    agreement(out, cfg, "quadrant_recovered", "rule_quadrant", "planted_quadrant, all counties, " + lastYear, last,
        col(CountyTypology.QUADRANT).equalTo(col(PLANTED)));
    agreement(out, cfg, "quadrant_recovered", "rule_quadrant", "planted_quadrant, counties with a Taobao Village, "
        + lastYear, last.where(col(CountyTypology.HAS_FORMED)), col(CountyTypology.QUADRANT).equalTo(col(PLANTED)));
    out.add(TypologyJob.measure(cfg, "adjusted_rand_index", "rule_quadrant", "planted_quadrant",
        Scores.adjustedRand(last, CountyTypology.QUADRANT, PLANTED), last.count() + " counties, " + lastYear));

    Dataset<Row> clustered = clusters.join(planted, CountyAttributes.COUNTY_CODE);
    for (String model : List.of(BehaviourClusters.KMEANS, BehaviourClusters.BISECTING)) {
      Dataset<Row> one = clustered.where(col(CountyClusters.MODEL).equalTo(model));
      long n = one.count();
      out.add(TypologyJob.measure(cfg, "adjusted_rand_index", model, "planted_quadrant",
          n == 0 ? Double.NaN : Scores.adjustedRand(one, CountyClusters.CLUSTER, PLANTED), n + " counties clustered"));
      // The other partition the world plants: counties where villages may form (two of three factors, or the leak).
      out.add(TypologyJob.measure(cfg, "adjusted_rand_index", model, "planted_formation_allowed",
          n == 0 ? Double.NaN : Scores.adjustedRand(one, CountyClusters.CLUSTER, FORMATION), n + " counties clustered"));
    }

    Dataset<Row> design = villages.select(col(TruthVillages.VILLAGE_CODE),
        col(TruthVillages.BUSINESS_MODEL).as(PLANTED + "_model"));
    Dataset<Row> programme = counties.select(col(CountyAttributes.COUNTY_CODE).as("_county"),
        col(TruthVillages.INTERVENTIONIST).as("_interventionist"),
        col(CountyAttributes.PROGRAMME_START_YEAR).as("_programme"),
        col(TruthVillages.MIGRANT_ENTREPRENEURS).as("_migrants"));
    Dataset<Row> labelled = labels.join(design, VillagePeriod.VILLAGE_CODE)
        .join(programme, col(CountyAttributes.COUNTY_CODE).equalTo(col("_county")));
    Column plantedModel = col(PLANTED + "_model");
    agreement(out, cfg, "business_model_accuracy", "village_rule", "planted_business_model, labelled village-years",
        labelled, col(VillageBusinessModel.BUSINESS_MODEL).equalTo(plantedModel));
    for (String m : List.of(VillageBusinessModel.MERCHANT, VillageBusinessModel.PRODUCER,
        VillageBusinessModel.LIVE_STREAM)) {
      agreement(out, cfg, "business_model_recall", "village_rule", "planted " + m, labelled.where(plantedModel
          .equalTo(m)), col(VillageBusinessModel.BUSINESS_MODEL).equalTo(plantedModel));
    }
    Column plantedEmbeddedness = when(plantedModel.equalTo(VillageBusinessModel.LIVE_STREAM),
            lit(VillageBusinessModel.NOT_APPLICABLE))
        .when(col("_interventionist").and(col("_programme").isNull().or(col("_programme").leq(col(VillagePeriod.YEAR)))),
            lit(VillageBusinessModel.GOVERNED))
        .when(plantedModel.equalTo(VillageBusinessModel.MERCHANT).and(col("_migrants")), lit(VillageBusinessModel.HYPO))
        .otherwise(lit(VillageBusinessModel.HYPER));
    Dataset<Row> embedded = labelled.withColumn(PLANTED + "_embeddedness", plantedEmbeddedness);
    agreement(out, cfg, "embeddedness_accuracy", "village_rule", "planted embeddedness, labelled village-years",
        embedded, col(VillageBusinessModel.EMBEDDEDNESS).equalTo(col(PLANTED + "_embeddedness")));
    for (String e : List.of(VillageBusinessModel.GOVERNED, VillageBusinessModel.HYPO, VillageBusinessModel.HYPER)) {
      agreement(out, cfg, "embeddedness_recall", "village_rule", "planted " + e,
          embedded.where(col(PLANTED + "_embeddedness").equalTo(e)),
          col(VillageBusinessModel.EMBEDDEDNESS).equalTo(col(PLANTED + "_embeddedness")));
    }
    return out;
  }

  /** Share of rows where {@code agree} holds, with the counts. */
  private static void agreement(List<Row> out, TypologyConfig cfg, String measure, String subject, String against,
      Dataset<Row> rows, Column agree) {
    Row r = rows.agg(count(lit(1)), count(when(agree, lit(1)))).first();
    long n = r.getLong(0);
    out.add(TypologyJob.measure(cfg, measure, subject, against, n == 0 ? Double.NaN : (double) r.getLong(1) / n,
        r.getLong(1) + " of " + n));
  }
}
