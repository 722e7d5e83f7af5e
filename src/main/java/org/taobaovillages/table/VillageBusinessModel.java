package org.taobaovillages.table;

import static org.apache.spark.sql.types.DataTypes.*;

import org.apache.spark.sql.types.StructType;

/** {@code village_business_model}: business model and embeddedness per village-year, with the values behind them. */
public final class VillageBusinessModel {
  public static final String NAME = "village_business_model";

  public static final String TYPOLOGY_VERSION = "typology_version";
  /** merchant, producer or live_stream (null: no category data). */
  public static final String BUSINESS_MODEL = "business_model";
  /** governed, hypo, hyper, or not_applicable (live-stream villages). */
  public static final String EMBEDDEDNESS = "embeddedness";
  /** Herfindahl index of the year's sale orders by category (order counts), 0..1. */
  public static final String CATEGORY_HHI = "category_hhi";
  /** Share of the year's sales on the live-stream platforms. */
  public static final String LIVE_STREAM_SHARE = "live_stream_share";
  /** Share of the village's sellers of known origin who are migrants from elsewhere. */
  public static final String MIGRANT_SELLER_SHARE = "migrant_seller_share";
  /** The county's e-commerce programme runs in the year. */
  public static final String PROGRAMME_ACTIVE = "programme_active";
  public static final String EXPLANATION = "explanation";
  /** Sellers of the village-year whose origin is known: the base of {@link #MIGRANT_SELLER_SHARE}. */
  public static final String KNOWN_ORIGIN_SELLERS = "known_origin_sellers";

  public static final String MERCHANT = "merchant";
  public static final String PRODUCER = "producer";
  public static final String LIVE_STREAM = "live_stream";
  public static final String GOVERNED = "governed";
  public static final String HYPO = "hypo";
  public static final String HYPER = "hyper";
  public static final String NOT_APPLICABLE = "not_applicable";

  public static final StructType SCHEMA = new StructType()
      .add(TYPOLOGY_VERSION, StringType, false)
      .add(VillagePeriod.VILLAGE_CODE, StringType, false)
      .add(VillageRegistry.COUNTY_CODE, StringType, false)
      .add(VillagePeriod.YEAR, IntegerType, false)
      .add(VillagePeriod.ACTIVE_SELLERS, LongType, false)
      .add(CATEGORY_HHI, DoubleType, true)
      .add(LIVE_STREAM_SHARE, DoubleType, true)
      .add(MIGRANT_SELLER_SHARE, DoubleType, true)
      .add(KNOWN_ORIGIN_SELLERS, LongType, true)
      .add(PROGRAMME_ACTIVE, BooleanType, false)
      .add(BUSINESS_MODEL, StringType, true)
      .add(EMBEDDEDNESS, StringType, true)
      .add(EXPLANATION, StringType, false)
      .add(RunColumns.RUN_ID, StringType, false)
      .add(RunColumns.RUN_DATE, DateType, false);

  /** Figures withheld by {@link SmallCellFlags#METRICS}; the labels stay. */
  public static final java.util.List<String> FIGURES = java.util.List.of(VillagePeriod.ACTIVE_SELLERS, CATEGORY_HHI,
      LIVE_STREAM_SHARE, MIGRANT_SELLER_SHARE, EXPLANATION);
  /** Figures withheld by {@link SmallCellFlags#ORIGIN}. */
  public static final java.util.List<String> ORIGIN_FIGURES = java.util.List.of(MIGRANT_SELLER_SHARE, EXPLANATION);

  private VillageBusinessModel() {}
}
