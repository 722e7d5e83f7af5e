package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.region.Regions;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;

/**
 * The rule-based typology after the dissertation's Figure 5.1 (domain.md section 4): per county and year,
 *
 * <ul>
 *   <li>robust economic sector: census manufacturing share, or wholesale/retail share, at least its threshold;
 *   <li>interventionist governance: the county runs an e-commerce programme that has started by the year;
 *   <li>quadrant: sector x governance (prd_type, yrd_type, coastal_interior, periphery), named after the region
 *       each type describes, and the county's actual region next to it;
 *   <li>entrepreneurs: migrant entrepreneurs from the census (residents with hukou in another province), return
 *       migrants from the sellers (at least a share of the county's sellers of known origin came back);
 *   <li>the formation rule: at least two of the three factors, set against whether a Taobao Village has formed.
 * </ul>
 * Every row carries the values that produced it. Return migrants can only be seen where there are sellers, so a
 * county without e-commerce never counts them: docs/typology.md discusses what this does to the formation test.
 */
public final class RuleTypology {
  public static final String PEARL_RIVER_DELTA = "pearl_river_delta";
  public static final String YANGTZE_RIVER_DELTA = "yangtze_river_delta";
  public static final String COASTAL_INTERIOR = "coastal_interior";
  public static final String PERIPHERY = "central_western_periphery";

  private RuleTypology() {}

  /**
   * @param counties the county attributes at the end of each complete year covered ({@link
   *     org.taobaovillages.table.DimensionColumns#atYearEnds}): one row per county and year
   * @param registry the village registry at each year's end, the same way (a county's city that year)
   * @param countyFeatures the county rows of {@link Rollups#features}
   */
  public static Dataset<Row> classify(Dataset<Row> counties, Dataset<Row> registry, Dataset<Row> countyFeatures,
      TypologyConfig cfg) {
    Dataset<Row> cities = registry.groupBy(col(VillageRegistry.COUNTY_CODE), col(VillagePeriod.YEAR))
        .agg(first(col(VillageRegistry.CITY_CODE), true).as(VillageRegistry.CITY_CODE));
    Dataset<Row> observed = countyFeatures.where(col(CountyFeatures.LEVEL).equalTo(CountyFeatures.COUNTY))
        .select(col(CountyFeatures.UNIT_CODE).as(CountyAttributes.COUNTY_CODE), col(VillagePeriod.YEAR),
            col(CountyFeatures.TAOBAO_VILLAGES), col(CountyFeatures.RETURN_MIGRANT_SHARE),
            col(CountyFeatures.NATIVE_SHARE), col(VillageYears.KNOWN_ORIGIN));
    Dataset<Row> countyYears = counties.join(cities, new String[] {CountyAttributes.COUNTY_CODE, VillagePeriod.YEAR})
        .join(observed, new String[] {CountyAttributes.COUNTY_CODE, VillagePeriod.YEAR}, "left")
        .withColumn(CountyTypology.TAOBAO_VILLAGES, coalesce(col(CountyTypology.TAOBAO_VILLAGES), lit(0L)));
    return derive(countyYears, cfg);
  }

  /**
   * The labels from one row per county-year holding the county attributes, city_code, year, taobao_villages,
   * return_migrant_seller_share and known_origin_sellers (null where the county had no sellers).
   */
  static Dataset<Row> derive(Dataset<Row> countyYears, TypologyConfig cfg) {
    Column manufacturing = col(CountyAttributes.MANUFACTURING_SHARE);
    Column wholesale = col(CountyAttributes.WHOLESALE_RETAIL_SHARE);
    Column sector = coalesce(manufacturing.geq(cfg.sectorManufacturingShare()), lit(false))
        .or(coalesce(wholesale.geq(cfg.sectorWholesaleRetailShare()), lit(false)));
    Column start = col(CountyAttributes.PROGRAMME_START_YEAR);
    Column interventionist = coalesce(col(CountyAttributes.ECOMMERCE_PROGRAMME), lit(false))
        .and(start.isNull().or(start.leq(col(VillagePeriod.YEAR))));
    Column migrantShare = col(CountyAttributes.MIGRANT_SHARE);
    Column migrants = coalesce(migrantShare.geq(cfg.migrantShare()), lit(false));
    Column returnShare = col(CountyFeatures.RETURN_MIGRANT_SHARE);
    Column known = coalesce(col(VillageYears.KNOWN_ORIGIN), lit(0L));
    Column returns = known.geq(cfg.minSellersForOrigin()).and(coalesce(returnShare, lit(0.0))
        .geq(cfg.returnMigrantSellerShare()));
    Column quadrant = when(col(CountyTypology.ROBUST_SECTOR), when(col(CountyTypology.INTERVENTIONIST),
            lit(CountyTypology.YRD_TYPE)).otherwise(lit(CountyTypology.PRD_TYPE)))
        .otherwise(when(col(CountyTypology.INTERVENTIONIST), lit(CountyTypology.COASTAL_INTERIOR))
            .otherwise(lit(CountyTypology.PERIPHERY)));
    Column region = when(Regions.isPearlRiverDelta(col(VillageRegistry.CITY_CODE)), lit(PEARL_RIVER_DELTA))
        .when(Regions.isYangtzeRiverDelta(col(CountyAttributes.PROVINCE_CODE)), lit(YANGTZE_RIVER_DELTA))
        .when(Regions.macroRegion(col(CountyAttributes.PROVINCE_CODE)).equalTo(Regions.EAST), lit(COASTAL_INTERIOR))
        .otherwise(lit(PERIPHERY));
    Column count = col(CountyTypology.ROBUST_SECTOR).cast("int").plus(col(CountyTypology.ENTREPRENEURS).cast("int"))
        .plus(col(CountyTypology.INTERVENTIONIST).cast("int"));
    Column formed = max(col(CountyTypology.TAOBAO_VILLAGES).gt(0).cast("int"))
        .over(Window.partitionBy(CountyAttributes.COUNTY_CODE).orderBy(VillagePeriod.YEAR)).equalTo(1);
    Column why = concat_ws("; ",
        concat(format_string("manufacturing %s, wholesale/retail %s (sector at >= %s or >= %s) -> ",
            fmt(manufacturing), fmt(wholesale), lit(cfg.sectorManufacturingShare()),
            lit(cfg.sectorWholesaleRetailShare())), when(col(CountyTypology.ROBUST_SECTOR), lit("robust sector"))
            .otherwise(lit("no robust sector"))),
        when(col(CountyTypology.INTERVENTIONIST), concat(lit("e-commerce programme since "),
                coalesce(start.cast("string"), lit("an unknown year")), lit(" -> interventionist")))
            .when(coalesce(col(CountyAttributes.ECOMMERCE_PROGRAMME), lit(false)),
                concat(lit("programme from "), start.cast("string"), lit(", not yet -> noninterventionist")))
            .otherwise(lit("no e-commerce programme -> noninterventionist")),
        concat(format_string("hukou from another province %s (migrant entrepreneurs at >= %s)", fmt(migrantShare),
            lit(cfg.migrantShare())), when(migrants, lit(" yes")).otherwise(lit(" no"))),
        concat(when(known.geq(cfg.minSellersForOrigin()), format_string("return-migrant sellers %.2f of %d",
                coalesce(returnShare, lit(0.0)), known))
            .otherwise(format_string("%d sellers of known origin (< %d: return migrants not observed)", known,
                lit(cfg.minSellersForOrigin()))),
            when(returns, lit(" -> return migrants")).otherwise(lit(""))),
        format_string("%d of 3 factors -> formation %s", col(CountyTypology.FACTOR_COUNT),
            when(col(CountyTypology.FORMATION_EXPECTED), lit("expected")).otherwise(lit("not expected"))),
        format_string("%d Taobao Villages%s", col(CountyTypology.TAOBAO_VILLAGES),
            when(col(CountyTypology.HAS_FORMED).and(not(col(CountyTypology.FORMATION_EXPECTED))),
                lit(": breaks the rule")).otherwise(lit(""))));
    return countyYears
        .withColumn(CountyTypology.ROBUST_SECTOR, sector)
        .withColumn(CountyTypology.INTERVENTIONIST, interventionist)
        .withColumn(CountyTypology.QUADRANT, quadrant)
        .withColumn(CountyTypology.REGION, region)
        .withColumn(CountyTypology.MIGRANT_ENTREPRENEURS, migrants)
        .withColumn(CountyTypology.RETURN_MIGRANTS, returns)
        .withColumn(CountyTypology.ENTREPRENEURS, migrants.or(returns))
        .withColumn(CountyTypology.FACTOR_COUNT, count)
        .withColumn(CountyTypology.FORMATION_EXPECTED, col(CountyTypology.FACTOR_COUNT).geq(2))
        .withColumn(CountyTypology.HAS_FORMED, formed)
        .withColumn(CountyTypology.RULE_CONSISTENT, not(col(CountyTypology.HAS_FORMED))
            .or(col(CountyTypology.FORMATION_EXPECTED)))
        .withColumn(CountyTypology.EXPLANATION, why)
        .withColumn(CountyTypology.TYPOLOGY_VERSION, lit(cfg.version()));
  }

  private static Column fmt(Column share) {
    return coalesce(format_number(share, 3), lit("unknown"));
  }
}
