package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;
import static org.taobaovillages.generate.ReferenceData.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.WorldConfig;
import org.taobaovillages.region.Regions;

/**
 * The three factors of the typology per county (dissertation ch. 5, Figure 5.1, l.5507-5627; domain.md
 * section 4), its 2x2 quadrant and the formation rule (l.6694-6720): e-commerce villages form only where at
 * least two of the three factors are present, except for a configurable leak.
 *
 * <ul>
 *   <li>robust economic sector: census manufacturing or wholesale/retail employment share over a threshold;
 *   <li>entrepreneurs: migrant entrepreneurs where the share of residents with hukou in another province is
 *       over a threshold, or return migrants (drawn: no public indicator);
 *   <li>interventionist governance: drawn with a probability by region (no public indicator; synthetic).
 * </ul>
 */
public final class CountyFactors {
  public static final String MACRO_REGION = "macro_region";
  public static final String REGION_KEY = "region_key";
  public static final String ROBUST_SECTOR = "robust_sector";
  public static final String MIGRANT_ENTREPRENEURS = "migrant_entrepreneurs";
  public static final String RETURN_MIGRANTS = "return_migrants";
  public static final String ENTREPRENEURS = "entrepreneurs";
  public static final String INTERVENTIONIST = "interventionist";
  public static final String FACTOR_COUNT = "factor_count";
  public static final String QUADRANT = "quadrant";
  public static final String FORMATION_ALLOWED = "formation_allowed";
  public static final String FORMATION_LEAK = "formation_leak";
  /** First year of an interventionist county's e-commerce programme (2014-2018), null for the others. */
  public static final String PROGRAMME_START_YEAR = "programme_start_year";
  /** Census manufacturing or wholesale/retail share over its robust-sector threshold (1 at it), in 0.25..4. */
  public static final String INDUSTRY_INDEX = "industry_index";

  /** The 2x2 typology: (robust sector?) x (interventionist?). Named after the region each type describes. */
  public static final String PERIPHERY = "periphery";
  public static final String COASTAL_INTERIOR = "coastal_interior";
  public static final String PRD_TYPE = "prd_type";
  public static final String YRD_TYPE = "yrd_type";

  private CountyFactors() {}

  /** True for counties known to have formed e-commerce villages (published Taobao Villages 2014-2016). */
  public static final String KNOWN_FORMED = "known_formed";

  /**
   * Adds the factor columns to a county view from {@link Geography#counties}. Counties in {@code knownFormed}
   * (one column of county codes) really had Taobao Villages; where their observed factors and draws give
   * fewer than two factors, the unobserved ones are imputed (interventionist first, then return migrants),
   * since the formation rule says at least two were present.
   */
  public static Dataset<Row> derive(Dataset<Row> counties, Dataset<Row> knownFormed, WorldConfig cfg, long seed) {
    Dataset<Row> known = knownFormed.toDF(COUNTY_CODE).distinct().withColumn(KNOWN_FORMED, lit(true));
    Dataset<Row> flagged = counties.join(known, COUNTY_CODE, "left")
        .withColumn(KNOWN_FORMED, coalesce(col(KNOWN_FORMED), lit(false)));
    return derive(flagged, cfg, seed);
  }

  private static Dataset<Row> derive(Dataset<Row> counties, WorldConfig cfg, long seed) {
    HashRandom rnd = new HashRandom(seed);
    Column county = col(COUNTY_CODE);
    Column regionKey = when(Regions.isYangtzeRiverDelta(col(PROVINCE_CODE)), lit("yrd"))
        .when(Regions.isPearlRiverDelta(col(CITY_CODE)), lit("prd"))
        .otherwise(lower(Regions.macroRegion(col(PROVINCE_CODE))));
    Column sector = coalesce(col(MANUFACTURING).geq(cfg.sectorManufacturingShare())
        .or(col(WHOLESALE_RETAIL).geq(cfg.sectorWholesaleRetailShare())), lit(false));
    Column migrants = coalesce(col(HUKOU_OTHER_PROVINCE).geq(cfg.migrantHukouOtherProvinceShare()), lit(false));
    Column drawnReturn = rnd.uniform("return-migrants", county).lt(byRegion(cfg.returnMigrantProbability()));
    Column drawnGovernance = rnd.uniform("governance", county).lt(byRegion(cfg.interventionistProbability()));
    Column drawnCount = col(ROBUST_SECTOR).cast("int").plus(col(MIGRANT_ENTREPRENEURS).or(drawnReturn).cast("int"))
        .plus(drawnGovernance.cast("int"));
    Column short1 = col(KNOWN_FORMED).and(drawnCount.lt(2));
    Column interventionist = drawnGovernance.or(short1);
    Column withGovernance = col(ROBUST_SECTOR).cast("int").plus(col(MIGRANT_ENTREPRENEURS).or(drawnReturn).cast("int"))
        .plus(lit(1));
    Column returnMigrants = drawnReturn.or(short1.and(withGovernance.lt(2)));
    Column factorCount = col(ROBUST_SECTOR).cast("int").plus(col(ENTREPRENEURS).cast("int"))
        .plus(col(INTERVENTIONIST).cast("int"));
    Column leak = col(FACTOR_COUNT).lt(2).and(rnd.uniform("formation-leak", county).lt(cfg.formationLeak()));
    Column quadrant = when(col(ROBUST_SECTOR), when(col(INTERVENTIONIST), lit(YRD_TYPE)).otherwise(lit(PRD_TYPE)))
        .otherwise(when(col(INTERVENTIONIST), lit(COASTAL_INTERIOR)).otherwise(lit(PERIPHERY)));

    return counties
        .withColumn(MACRO_REGION, Regions.macroRegion(col(PROVINCE_CODE)))
        .withColumn(REGION_KEY, regionKey)
        .withColumn(ROBUST_SECTOR, sector)
        .withColumn(MIGRANT_ENTREPRENEURS, migrants)
        .withColumn(RETURN_MIGRANTS, returnMigrants)
        .withColumn(ENTREPRENEURS, col(MIGRANT_ENTREPRENEURS).or(col(RETURN_MIGRANTS)))
        .withColumn(INTERVENTIONIST, interventionist)
        .withColumn(FACTOR_COUNT, factorCount)
        .withColumn(QUADRANT, quadrant)
        .withColumn(FORMATION_LEAK, leak)
        .withColumn(FORMATION_ALLOWED, col(FACTOR_COUNT).geq(2).or(col(FORMATION_LEAK)))
        // The state's "e-commerce into villages" years.
        .withColumn(PROGRAMME_START_YEAR, when(col(INTERVENTIONIST),
            floor(rnd.between("programme-year", 2014, 2019, county)).cast("int")))
        .withColumn(INDUSTRY_INDEX, least(lit(4.0), greatest(lit(0.25), coalesce(greatest(
            col(MANUFACTURING).divide(cfg.sectorManufacturingShare()),
            col(WHOLESALE_RETAIL).divide(cfg.sectorWholesaleRetailShare())), lit(0.25)))));
  }

  /** The probability of the county's region key, from a per-region map. */
  private static Column byRegion(java.util.Map<String, Double> probabilities) {
    Column result = lit(0.0);
    for (var e : probabilities.entrySet()) {
      result = when(col(REGION_KEY).equalTo(e.getKey()), lit(e.getValue())).otherwise(result);
    }
    return result;
  }
}
