package org.taobaovillages.export;

import static org.apache.spark.sql.functions.*;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.taobaovillages.table.ClusterProfiles;
import org.taobaovillages.table.ClusterStatus;
import org.taobaovillages.table.CountyClusters;
import org.taobaovillages.table.CountyFeatures;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.EmergenceScores;
import org.taobaovillages.table.HotSpots;
import org.taobaovillages.table.SmallCellFlags;
import org.taobaovillages.table.TownStatus;
import org.taobaovillages.table.UnitMembers;
import org.taobaovillages.table.VillageBusinessModel;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.Watchlist;

/**
 * The k-seller rule of the BI export (docs/data-model.md, "Small cells"): no exported figure comes from fewer than
 * k sellers, and no withheld village-year can be recovered by subtracting published figures from a published total.
 *
 * <p>A village-period's figures are published when one of its status rows has at least k active sellers (each row
 * is withheld below k, {@link StatusExport#suppress}); its sellers, for the rule, are the largest active-seller count
 * of its status rows: every definition counts a subset of the accounts with a sale in the period (rule A's counts
 * them all), so it is a lower bound. A village-period without orders has no seller behind it.
 *
 * <p>An aggregate (a township, a county, prefecture or province, a cluster) publishes its figures when its own
 * sellers are at least k and its <em>residual</em> comes from no seller or from at least k: the residual is what
 * subtracting every published part from the published total leaves, i.e. its withheld villages that lie in no
 * published part below it (a county: the withheld villages of its withheld townships; a prefecture: of those the
 * ones in withheld counties). Each level is decided after the one below, so a withheld aggregate's residual is
 * carried up to its parent. Everything here is a join or a group-by: nothing is collected to the driver.
 */
public final class SmallCells {
  private static final String SELLERS = "_cell_sellers";
  private static final String ORDERS = "_cell_orders";
  private static final String PUBLISHED = "_cell_published";
  private static final String RES_SELLERS = "_residual_sellers";
  private static final String RES_ORDERS = "_residual_orders";
  private static final String HIDDEN = "_hidden";
  private static final String N = "_n";

  private SmallCells() {}

  /**
   * One row per village, period and period end with status rows: {@code _cell_sellers} (the largest active-seller
   * count among them), {@code _cell_orders} and {@code _cell_published} (those sellers at least {@code k}).
   */
  public static Dataset<Row> cells(Dataset<Row> status, long k) {
    return status.groupBy(col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.PERIOD), col(VillagePeriod.PERIOD_END),
            col(VillagePeriod.YEAR))
        .agg(max(col(VillagePeriod.ACTIVE_SELLERS)).as(SELLERS), max(col(VillagePeriod.ORDERS)).as(ORDERS))
        .withColumn(PUBLISHED, col(SELLERS).geq(k));
  }

  /**
   * Sets {@code flag} to {@code withheld} (false where null) and {@code figures} (those present) to null where it
   * holds. Applied twice with two flags, a figure is null where either holds.
   */
  public static Dataset<Row> withhold(Dataset<Row> rows, String flag, Column withheld, List<String> figures) {
    Dataset<Row> out = rows.withColumn(flag, coalesce(withheld, lit(false)));
    List<String> columns = Arrays.asList(out.columns());
    for (String f : figures) {
      if (columns.contains(f)) {
        out = out.withColumn(f, when(not(col(flag)), col(f)));
      }
    }
    return out;
  }

  /** A residual is safe when it holds no order, or when at least k sellers are behind it. */
  static Column safe(Column sellers, Column orders, long k) {
    return coalesce(orders, lit(0L)).equalTo(0).or(coalesce(sellers, lit(0L)).geq(k));
  }

  /** Withheld or absent with some sale: figures that compare with this period would show a small cell. */
  private static Column smallWithSales(Column published, Column orders) {
    return not(coalesce(published, lit(false))).and(coalesce(orders, lit(0L)).gt(0));
  }

  /**
   * hot_spot_years: the value of a village-year is withheld when the year's row of the analysis's rule has fewer
   * than k active sellers (a village without sales has none).
   */
  public static Dataset<Row> hotSpotYears(Dataset<Row> years, Dataset<Row> status, long k) {
    Dataset<Row> sellers = status.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD))
        .select(col(VillageStatus.RULE_ID), col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.YEAR),
            col(VillagePeriod.ACTIVE_SELLERS).as(N));
    return withhold(years.join(sellers, new String[] {VillageStatus.RULE_ID, VillagePeriod.VILLAGE_CODE,
            VillagePeriod.YEAR}, "left"), SmallCellFlags.METRICS, coalesce(col(N), lit(0L)).lt(k), HotSpots.FIGURES)
        .drop(N);
  }

  /**
   * The watchlist: a row's figures are withheld when its trailing 12 months have fewer than k active sellers; its
   * growths (and the explanation, which quotes them) also when the trailing 12 months {@code growthMonths} earlier,
   * which they are measured from, had some sales from fewer than k active sellers.
   */
  public static Dataset<Row> watchlist(Dataset<Row> list, Dataset<Row> status, int growthMonths, long k) {
    String baseEnd = "_base_end";
    Dataset<Row> base = status.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.T12M_PERIOD))
        .select(col(VillageStatus.RULE_ID), col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.PERIOD_END).as(baseEnd),
            col(VillagePeriod.ACTIVE_SELLERS).as(N), col(VillagePeriod.ORDERS).as(ORDERS));
    Dataset<Row> joined = list.withColumn(baseEnd, last_day(add_months(col(Watchlist.AS_OF), -growthMonths)))
        .join(base, new String[] {VillageStatus.RULE_ID, VillagePeriod.VILLAGE_CODE, baseEnd}, "left");
    Dataset<Row> current = withhold(joined, SmallCellFlags.METRICS, col(VillagePeriod.ACTIVE_SELLERS).lt(k),
        Watchlist.FIGURES);
    return withhold(current, SmallCellFlags.CHANGE, smallWithSales(col(N).geq(k), col(ORDERS)),
        Watchlist.CHANGE_FIGURES).drop(baseEnd, N, ORDERS);
  }

  /**
   * town_status: withheld when the township's active sellers are fewer than k, or its residual (its withheld
   * village-years) has some sales from fewer than k sellers.
   *
   * @param places village_code, year, town_code, county_code, city_code, province_code of every village-year (in the
   *     registry version of the year, as detect placed it)
   */
  public static Dataset<Row> towns(Dataset<Row> towns, Dataset<Row> cells, Dataset<Row> places, long k) {
    Dataset<Row> residual = withheldYears(cells).join(places, new String[] {VillagePeriod.VILLAGE_CODE,
            VillagePeriod.YEAR})
        .groupBy(col(VillageRegistry.TOWN_CODE), col(VillagePeriod.YEAR))
        .agg(sum(col(SELLERS)).as(RES_SELLERS), sum(col(ORDERS)).as(RES_ORDERS));
    Dataset<Row> joined = towns.join(residual, new String[] {TownStatus.TOWN_CODE, VillagePeriod.YEAR}, "left");
    return withhold(joined, SmallCellFlags.METRICS, col(TownStatus.ACTIVE_SELLERS).lt(k)
        .or(not(safe(col(RES_SELLERS), col(RES_ORDERS), k))), TownStatus.FIGURES).drop(RES_SELLERS, RES_ORDERS);
  }

  /**
   * cluster_status: withheld when the sellers of the cluster's villages are fewer than k, or its withheld
   * villages have some sales from fewer than k sellers.
   *
   * @param members cluster_villages (rule_id, year, unit_id = cluster_id, village_code)
   */
  public static Dataset<Row> clusters(Dataset<Row> clusters, Dataset<Row> members, Dataset<Row> cells, long k) {
    Dataset<Row> sums = members.join(yearCells(cells), new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR},
            "left")
        .groupBy(col(UnitMembers.RULE_ID), col(UnitMembers.YEAR), col(UnitMembers.UNIT_ID).as(ClusterStatus.CLUSTER_ID))
        .agg(sum(col(SELLERS)).as(N),
            sum(when(not(col(PUBLISHED)), col(SELLERS))).as(RES_SELLERS),
            sum(when(not(col(PUBLISHED)), col(ORDERS))).as(RES_ORDERS));
    Dataset<Row> joined = clusters.join(sums, new String[] {VillageStatus.RULE_ID, VillagePeriod.YEAR,
        ClusterStatus.CLUSTER_ID}, "left");
    return withhold(joined, SmallCellFlags.METRICS, coalesce(col(N), lit(0L)).lt(k)
        .or(not(safe(col(RES_SELLERS), col(RES_ORDERS), k))), ClusterStatus.FIGURES).drop(N, RES_SELLERS, RES_ORDERS);
  }

  /**
   * county_features, level by level: counties, then prefectures, then provinces. A unit's figures are withheld when
   * its active sellers are fewer than k or its residual has some sales from fewer than k sellers: its withheld
   * village-years in withheld townships (no published town_status row for the year) and, above counties, in
   * withheld units of every level below. Growth and trend are withheld where the unit's previous year is
   * ({@link SmallCellFlags#CHANGE}); the origin shares where fewer than k (but some) sellers have a known origin
   * ({@link SmallCellFlags#ORIGIN}).
   *
   * @param publishedTowns town_code, year of the township-years with a published town_status row
   */
  public static Dataset<Row> countyFeatures(Dataset<Row> features, Dataset<Row> cells, Dataset<Row> places,
      Dataset<Row> publishedTowns, long k) {
    // The withheld village-years with their places, and whether their township's figures are withheld.
    Dataset<Row> withheld = withheldYears(cells).join(places, new String[] {VillagePeriod.VILLAGE_CODE,
            VillagePeriod.YEAR})
        .join(publishedTowns.select(col(VillageRegistry.TOWN_CODE), col(VillagePeriod.YEAR), lit(true).as("_town")),
            new String[] {VillageRegistry.TOWN_CODE, VillagePeriod.YEAR}, "left")
        .where(col("_town").isNull()).drop("_town");
    Dataset<Row> out = null;
    String[][] levels = {{CountyFeatures.COUNTY, VillageRegistry.COUNTY_CODE},
        {CountyFeatures.PREFECTURE, VillageRegistry.CITY_CODE},
        {CountyFeatures.PROVINCE, VillageRegistry.PROVINCE_CODE}};
    for (String[] level : levels) {
      Dataset<Row> units = features.where(col(CountyFeatures.LEVEL).equalTo(level[0]));
      Dataset<Row> residual = withheld.groupBy(col(level[1]).as(CountyFeatures.UNIT_CODE), col(VillagePeriod.YEAR))
          .agg(sum(col(SELLERS)).as(RES_SELLERS), sum(col(ORDERS)).as(RES_ORDERS));
      Dataset<Row> decided = withhold(units.join(residual, new String[] {CountyFeatures.UNIT_CODE,
              VillagePeriod.YEAR}, "left"), SmallCellFlags.METRICS, col(VillagePeriod.ACTIVE_SELLERS).lt(k)
              .or(not(safe(col(RES_SELLERS), col(RES_ORDERS), k))), List.of())
          .drop(RES_SELLERS, RES_ORDERS);
      out = out == null ? decided : out.unionByName(decided);
      // What the next level up cannot subtract: the withheld villages of this level's withheld units (and of
      // villages whose unit has no row: it sold nothing that year).
      Dataset<Row> published = decided.where(not(col(SmallCellFlags.METRICS)))
          .select(col(CountyFeatures.UNIT_CODE).as(level[1]), col(VillagePeriod.YEAR), lit(true).as("_unit"));
      withheld = withheld.join(published, new String[] {level[1], VillagePeriod.YEAR}, "left")
          .where(col("_unit").isNull()).drop("_unit");
    }
    if (out == null) {
      return features;
    }
    // The unit's flag of the year before (a window, not a join of the levels' plan with itself: it is deep).
    Dataset<Row> flagged = out.withColumn("_previous", max(col(SmallCellFlags.METRICS)).over(Window
        .partitionBy(CountyFeatures.LEVEL, CountyFeatures.UNIT_CODE).orderBy(VillagePeriod.YEAR).rangeBetween(-1, -1)));
    Column known = col(CountyFeatures.KNOWN_ORIGIN_SELLERS);
    return withhold(withhold(withhold(flagged, SmallCellFlags.METRICS, col(SmallCellFlags.METRICS),
                CountyFeatures.FIGURES),
            SmallCellFlags.CHANGE, coalesce(col("_previous"), lit(false)), CountyFeatures.CHANGE_FIGURES),
        SmallCellFlags.ORIGIN, known.gt(0).and(known.lt(k)), CountyFeatures.ORIGIN_FIGURES).drop("_previous");
  }

  /**
   * village_business_model: withheld below k active sellers (rows are labelled from typology's own minimum, so this
   * holds only for a minimum below k); the migrant share, and the explanation quoting it, where fewer than k (but
   * some) sellers have a known origin.
   */
  public static Dataset<Row> businessModels(Dataset<Row> models, long k) {
    Column known = col(VillageBusinessModel.KNOWN_ORIGIN_SELLERS);
    return withhold(withhold(models, SmallCellFlags.METRICS, col(VillagePeriod.ACTIVE_SELLERS).lt(k),
            VillageBusinessModel.FIGURES),
        SmallCellFlags.ORIGIN, known.gt(0).and(known.lt(k)), VillageBusinessModel.ORIGIN_FIGURES);
  }

  /**
   * county_typology: the explanation quotes the county's sellers of known origin and their return-migrant share,
   * so it is withheld where the county-year's features or origin shares are ({@code features}: the exported
   * county_features with their flags).
   */
  public static Dataset<Row> countyTypology(Dataset<Row> typology, Dataset<Row> features) {
    Dataset<Row> flags = features.where(col(CountyFeatures.LEVEL).equalTo(CountyFeatures.COUNTY))
        .select(col(CountyFeatures.UNIT_CODE).as(VillageRegistry.COUNTY_CODE), col(VillagePeriod.YEAR),
            col(SmallCellFlags.METRICS).or(col(SmallCellFlags.ORIGIN)).as(N));
    return withhold(typology.join(flags, new String[] {VillageRegistry.COUNTY_CODE, VillagePeriod.YEAR}, "left"),
        SmallCellFlags.METRICS, col(N), CountyTypology.FIGURES).drop(N);
  }

  /**
   * emergence_scores: the scores read the village's year and the two before it, so they are withheld when the
   * year's figures are, or when either earlier year had some sales from fewer than k sellers.
   */
  public static Dataset<Row> emergence(Dataset<Row> scores, Dataset<Row> cells) {
    Dataset<Row> years = yearCells(cells).select(VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR, PUBLISHED, ORDERS);
    Dataset<Row> joined = scores.join(years, new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR}, "left");
    Column withheld = not(coalesce(col(PUBLISHED), lit(false)));
    for (int back = 1; back <= 2; back++) {
      String p = "_published_" + back;
      String o = "_orders_" + back;
      joined = joined.join(years.select(col(VillagePeriod.VILLAGE_CODE), col(VillagePeriod.YEAR).plus(back)
              .as(VillagePeriod.YEAR), col(PUBLISHED).as(p), col(ORDERS).as(o)),
          new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR}, "left");
      withheld = withheld.or(smallWithSales(col(p), col(o)));
    }
    return withhold(joined, SmallCellFlags.METRICS, withheld, EmergenceScores.FIGURES)
        .drop(PUBLISHED, ORDERS, "_published_1", "_orders_1", "_published_2", "_orders_2");
  }

  /**
   * cluster_profiles: a cluster's mean of standardised features, with the standardisation's mean and spread, can
   * give back one county's features; the profiles of a model and year are withheld when any county it clustered
   * has figures withheld in county_features ({@code features}: exported, with flags).
   */
  public static Dataset<Row> clusterProfiles(Dataset<Row> profiles, Dataset<Row> countyClusters,
      Dataset<Row> features) {
    Dataset<Row> flagged = features.where(col(CountyFeatures.LEVEL).equalTo(CountyFeatures.COUNTY))
        .select(col(CountyFeatures.UNIT_CODE).as(VillageRegistry.COUNTY_CODE), col(VillagePeriod.YEAR),
            col(SmallCellFlags.METRICS).or(col(SmallCellFlags.CHANGE)).or(col(SmallCellFlags.ORIGIN)).as(N));
    Dataset<Row> models = countyClusters.join(flagged, new String[] {VillageRegistry.COUNTY_CODE, VillagePeriod.YEAR},
            "left")
        .groupBy(col(CountyClusters.MODEL), col(VillagePeriod.YEAR))
        .agg(max(coalesce(col(N), lit(true))).as(N));
    return withhold(profiles.join(models, new String[] {CountyClusters.MODEL, VillagePeriod.YEAR}, "left"),
        SmallCellFlags.METRICS, col(N), ClusterProfiles.FIGURES).drop(N);
  }

  /** The calendar-year cells. */
  private static Dataset<Row> yearCells(Dataset<Row> cells) {
    return cells.where(col(VillagePeriod.PERIOD).equalTo(VillagePeriod.YEAR_PERIOD))
        .select(VillagePeriod.VILLAGE_CODE, VillagePeriod.YEAR, SELLERS, ORDERS, PUBLISHED);
  }

  /** The withheld calendar-year cells with some order: what a total minus its published villages gives back. */
  private static Dataset<Row> withheldYears(Dataset<Row> cells) {
    return yearCells(cells).where(not(col(PUBLISHED)).and(col(ORDERS).gt(0)));
  }
}
