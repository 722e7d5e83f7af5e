package org.taobaovillages.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rule for column types (docs/data-model.md, conventions): money is never floating point, nor is a count.
 *
 * <ul>
 *   <li>A money column (its name's last word is {@code rmb}) is a DECIMAL with 2 decimals, unless it is one of the
 *       declared {@link #MONEY_STATISTICS} (a median, a mean, a per-capita ratio: not an amount);
 *   <li>a count column (a word of its name is one of {@link #COUNT_WORDS}, and none is a ratio word such as
 *       {@code share} or {@code growth}) is never DOUBLE or FLOAT;
 *   <li>every other DOUBLE or FLOAT column must be declared in {@link #FLOATING}, with what it is: a new floating
 *       column fails until it is classified.
 * </ul>
 * Keys are a column name, or {@code table.column} where one name means different things in different tables.
 */
public final class ColumnTypes {
  static final Set<String> COUNT_WORDS = Set.of("sellers", "households", "orders", "villages", "counties", "shops",
      "population", "neighbours", "rows", "accepted", "quarantined", "skipped", "formed", "years", "months");
  static final Set<String> RATIO_WORDS = Set.of("share", "density", "rate", "growth", "trend", "ratio", "score",
      "breadth", "hhi", "capita", "z", "p", "tau");

  /** Money columns that are statistics of amounts, not amounts: DOUBLE like any ratio. */
  public static final Map<String, String> MONEY_STATISTICS = Map.of(
      "median_order_rmb", "median of a month's order amounts (the mean of the middle two for an even count)",
      "order_value_rmb", "order-weighted mean of monthly medians",
      "sales_per_capita_rmb", "sales divided by population");

  /** Every other floating column, with what it is. */
  public static final Map<String, String> FLOATING = new TreeMap<>(Map.ofEntries(
      Map.entry("longitude", "coordinate, degrees"),
      Map.entry("latitude", "coordinate, degrees"),
      Map.entry("centre_longitude", "coordinate, degrees"),
      Map.entry("centre_latitude", "coordinate, degrees"),
      Map.entry("household_share", "share"),
      Map.entry("taobao_share", "share"),
      Map.entry("platform_share", "share"),
      Map.entry("manufacturing_share", "share"),
      Map.entry("wholesale_retail_share", "share"),
      Map.entry("migrant_share", "share"),
      Map.entry("census_migrant_share", "share"),
      Map.entry("ecommerce_village_share", "share"),
      Map.entry("taobao_village_density", "ratio of village counts"),
      Map.entry("native_seller_share", "share"),
      Map.entry("return_migrant_seller_share", "share"),
      Map.entry("migrant_seller_share", "share"),
      Map.entry("enterprise_seller_share", "share"),
      Map.entry("farm_produce_share", "share"),
      Map.entry("new_platform_share", "share"),
      Map.entry("live_stream_share", "share"),
      Map.entry("producer_village_share", "share"),
      Map.entry("merchant_village_share", "share"),
      Map.entry("live_stream_village_share", "share"),
      Map.entry("share_formed", "share"),
      Map.entry("category_hhi", "Herfindahl index, 0..1"),
      Map.entry("category_breadth", "1 / Herfindahl index"),
      Map.entry("churn_rate", "ratio"),
      Map.entry("seller_growth", "log ratio"),
      Map.entry("order_value_trend", "log ratio"),
      Map.entry("sales_monthly_growth", "compound monthly growth rate"),
      Map.entry("shops_monthly_growth", "compound monthly growth rate"),
      Map.entry("households_monthly_growth", "compound monthly growth rate"),
      Map.entry("gi_star", "z-score"),
      Map.entry("p_value", "probability"),
      Map.entry("trend_z", "z-score"),
      Map.entry("trend_p", "probability"),
      Map.entry("trend_tau", "Kendall's tau"),
      Map.entry("mean_z", "mean of z-scores"),
      Map.entry("ci95_low", "interval bound of a share"),
      Map.entry("ci95_high", "interval bound of a share"),
      Map.entry("model_score", "probability"),
      Map.entry("naive_growth_score", "ratio to the rule's thresholds"),
      Map.entry("watchlist_score", "1 / months"),
      Map.entry("evaluation.value", "a measure: a ratio, or a count of at most 2^53 (exact in a double)"),
      Map.entry("typology_evaluation.value", "a measure: a ratio, or a count of at most 2^53 (exact in a double)")));

  private ColumnTypes() {}

  /** What breaks the rule in {@code schema} of {@code table}, one line per column; empty when nothing does. */
  public static List<String> problems(String table, StructType schema) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      check(table, f.name(), f.dataType(), out);
    }
    return out;
  }

  private static void check(String table, String column, DataType type, List<String> out) {
    if (type instanceof StructType s) {
      for (StructField f : s.fields()) {
        check(table, column + "." + f.name(), f.dataType(), out);
      }
      return;
    }
    if (type instanceof ArrayType a) {
      check(table, column, a.elementType(), out);
      return;
    }
    if (type instanceof MapType m) {
      check(table, column, m.valueType(), out);
      return;
    }
    String name = column.substring(column.lastIndexOf('.') + 1);
    List<String> words = Arrays.asList(name.split("_"));
    boolean floating = type instanceof DoubleType || type instanceof FloatType;
    boolean money = words.get(words.size() - 1).equals("rmb");
    boolean count = words.stream().anyMatch(COUNT_WORDS::contains) && words.stream().noneMatch(RATIO_WORDS::contains);
    String where = table + "." + column + " (" + type.simpleString() + ")";
    if (money && !MONEY_STATISTICS.containsKey(name)) {
      if (!(type instanceof DecimalType d && d.scale() == 2)) {
        out.add(where + ": money must be DECIMAL with 2 decimals");
      }
    } else if (count && floating) {
      out.add(where + ": a count must not be floating point");
    } else if (floating && !money && !FLOATING.containsKey(name) && !FLOATING.containsKey(table + "." + name)) {
      out.add(where + ": floating point column not classified in ColumnTypes.FLOATING (a share, ratio, score, "
          + "coordinate...); money and counts must not be floating point");
    }
  }
}
