package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.TypologyConfig;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.VillageBusinessModel;

/**
 * Business model and embeddedness per village-year (domain.md sections 4-5), from rules on what the orders and
 * accounts show, each label with the values that produced it:
 *
 * <ul>
 *   <li>live-stream: at least {@code live-stream-share} of sales on live-stream platforms; else producer-based:
 *       the orders concentrate on one category (Herfindahl index at least {@code producer-min-hhi}: villagers make
 *       their own product); else merchant-based (goods sourced from wholesale markets and factories, wide mix);
 *   <li>embeddedness (ch. 6): governed where the county's e-commerce programme runs that year (the local state
 *       shapes the market); else hypo-embedded for a merchant village whose sellers are mostly migrants from
 *       elsewhere (at least {@code hypo-min-migrant-share}: no village ties, they move when costs rise); else
 *       hyper-embedded (co-villager networks, imitation spreads a product). Live-stream villages: not applicable.
 * </ul>
 * Village-years with fewer than {@code min-active-sellers} active sellers are not labelled.
 */
public final class VillageLabels {
  private VillageLabels() {}

  /**
   * {@code villageYears} from {@link VillageYears#build}; {@code counties}: county_attributes at each year's end
   * ({@link org.taobaovillages.table.DimensionColumns#atYearEnds}), one row per county and year.
   */
  public static Dataset<Row> label(Dataset<Row> villageYears, Dataset<Row> counties, TypologyConfig cfg) {
    Column live = col(VillageYears.LIVE_STREAM_SHARE);
    Column hhi = col(VillageYears.CATEGORY_HHI);
    Column model = when(live.geq(cfg.liveStreamMinShare()), lit(VillageBusinessModel.LIVE_STREAM))
        .when(hhi.isNull(), lit(null).cast("string"))
        .when(hhi.geq(cfg.producerMinHhi()), lit(VillageBusinessModel.PRODUCER))
        .otherwise(lit(VillageBusinessModel.MERCHANT));
    Column migrantShare = when(col(VillageYears.KNOWN_ORIGIN).gt(0),
        col(VillageYears.MIGRANT).divide(col(VillageYears.KNOWN_ORIGIN)));
    Column programme = col(CountyAttributes.PROGRAMME_START_YEAR);
    Column programmeActive = coalesce(col(CountyAttributes.ECOMMERCE_PROGRAMME), lit(false))
        .and(programme.isNull().or(programme.leq(col(VillageYears.YEAR))));
    Column m = col(VillageBusinessModel.BUSINESS_MODEL);
    Column embeddedness = when(m.isNull(), lit(null).cast("string"))
        .when(m.equalTo(VillageBusinessModel.LIVE_STREAM), lit(VillageBusinessModel.NOT_APPLICABLE))
        .when(col(VillageBusinessModel.PROGRAMME_ACTIVE), lit(VillageBusinessModel.GOVERNED))
        .when(m.equalTo(VillageBusinessModel.MERCHANT)
            .and(coalesce(col(VillageBusinessModel.MIGRANT_SELLER_SHARE), lit(0.0)).geq(cfg.hypoMinMigrantShare())),
            lit(VillageBusinessModel.HYPO))
        .otherwise(lit(VillageBusinessModel.HYPER));
    Column why = concat_ws("; ",
        format_string("live-stream share %.2f %s %s", live, when(live.geq(cfg.liveStreamMinShare()), lit(">="))
            .otherwise(lit("<")), lit(cfg.liveStreamMinShare())),
        when(hhi.isNull(), lit("no category data")).otherwise(format_string("category HHI %.2f %s %s", hhi,
            when(hhi.geq(cfg.producerMinHhi()), lit(">=")).otherwise(lit("<")), lit(cfg.producerMinHhi()))),
        concat(lit("-> "), coalesce(m, lit("unknown"))),
        when(col(VillageBusinessModel.PROGRAMME_ACTIVE), concat(lit("county programme since "),
            coalesce(programme.cast("string"), lit("an unknown year"))))
            .otherwise(lit("no county programme")),
        format_string("migrant sellers %.2f (hypo at >= %s)", coalesce(col(VillageBusinessModel.MIGRANT_SELLER_SHARE),
            lit(0.0)), lit(cfg.hypoMinMigrantShare())),
        concat(lit("-> "), coalesce(embeddedness, lit("unknown"))));
    return villageYears
        .where(col(VillageYears.ACTIVE_SELLERS).geq(cfg.minVillageSellers()))
        .join(counties.select(col(CountyAttributes.COUNTY_CODE), col(CountyAttributes.ECOMMERCE_PROGRAMME),
            col(CountyAttributes.PROGRAMME_START_YEAR), col(VillageYears.YEAR)),
            new String[] {CountyAttributes.COUNTY_CODE, VillageYears.YEAR}, "left")
        .withColumn(VillageBusinessModel.PROGRAMME_ACTIVE, programmeActive)
        .withColumn(VillageBusinessModel.MIGRANT_SELLER_SHARE, migrantShare)
        .withColumn(VillageBusinessModel.BUSINESS_MODEL, model)
        .withColumn(VillageBusinessModel.EMBEDDEDNESS, embeddedness)
        .withColumn(VillageBusinessModel.EXPLANATION, why)
        .withColumn(VillageBusinessModel.TYPOLOGY_VERSION, lit(cfg.version()));
  }
}
