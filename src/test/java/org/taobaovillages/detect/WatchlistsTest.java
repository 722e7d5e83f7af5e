package org.taobaovillages.detect;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.ActiveSeller;
import org.taobaovillages.config.Comparison;
import org.taobaovillages.config.Criterion;
import org.taobaovillages.config.PlatformCondition;
import org.taobaovillages.config.VillageRule;
import org.taobaovillages.config.WatchlistConfig;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.Watchlist;

/** The watchlist's projection on three villages worked out by hand (comments). */
class WatchlistsTest {
  static final VillageRule A = new VillageRule("A", "A.t", "taobao_village", "", "", new ActiveSeller(1, BigDecimal.ZERO),
      new Criterion(Comparison.GREATER_THAN, new BigDecimal("10000000")),
      new Criterion(Comparison.AT_LEAST, new BigDecimal("100")),
      new Criterion(Comparison.AT_LEAST, new BigDecimal("0.10")),
      new PlatformCondition(List.of("taobao", "tmall"), new Criterion(Comparison.AT_LEAST, new BigDecimal("0.5"))));

  static Row period(String code, String end, String sales, long shops, long households, int registered) {
    return RowFactory.create(code, VillagePeriod.T12M_PERIOD, Date.valueOf(end), Integer.parseInt(end.substring(0, 4)),
        A.activeSeller().describe(), shops, households, registered, (double) households / registered, 100L,
        new BigDecimal(sales), Map.of("taobao", new BigDecimal(sales)), 1.0, true);
  }

  @Test
  void monthsUntilEachCriterionIsMetAtItsTrailingGrowth() {
    var spark = TestSpark.get();
    // V1: sales 4 M -> 8 M and shops 40 -> 80 over 12 months (doubling: r = 2^(1/12) a month). Sales must exceed
    // 10 M: 12 ln(10/8) / ln 2 = 3.86, so 4 months; shops at least 100: 12 ln(100/80) / ln 2 = 3.86, so 4.
    // Households 20 of 1000 (2 %) grow the same way: 12 ln(100/20)/ln 2 = 27.9, 28 months, later than the shops.
    // V2: sales flat at 9 M: never (not listed). V3: sales 12 M (met); shops 30 -> 60: 12 ln(100/60)/ln 2 = 8.84,
    // 9 months; households 22 -> 33 of 400 (10 % = 40): 12 ln(40/33)/ln 1.5 = 5.69, 6 months: the sooner, 6.
    List<Row> now = List.of(period("V1", "2021-12-31", "8000000.00", 80, 20, 1000),
        period("V2", "2021-12-31", "9000000.00", 80, 20, 1000),
        period("V3", "2021-12-31", "12000000.00", 60, 33, 400));
    List<Row> before = List.of(period("V1", "2020-12-31", "4000000.00", 40, 10, 1000),
        period("V2", "2020-12-31", "9000000.00", 40, 10, 1000),
        period("V3", "2020-12-31", "12000000.00", 30, 22, 400));
    Dataset<Row> status = VillageRules.evaluate(spark.createDataFrame(now, VillagePeriod.METRICS_SCHEMA), A);
    Dataset<Row> past = spark.createDataFrame(before, VillagePeriod.METRICS_SCHEMA);
    Map<String, Row> list = new TreeMap<>();
    Watchlists.build(status, past, A, new WatchlistConfig("W.t", "A", 12, 24)).collectAsList()
        .forEach(r -> list.put(r.getAs(VillagePeriod.VILLAGE_CODE), r));
    assertEquals(List.of("V1", "V3"), List.copyOf(list.keySet()));
    Row v1 = list.get("V1");
    assertEquals(List.of(4, 4, 28, 4), List.of(v1.getAs(Watchlist.SALES_MONTHS), v1.getAs(Watchlist.SHOPS_MONTHS),
        v1.getAs(Watchlist.HOUSEHOLDS_MONTHS), v1.getAs(Watchlist.MONTHS_TO_QUALIFY)));
    assertEquals(Math.pow(2, 1 / 12.0) - 1, v1.<Double>getAs(Watchlist.SALES_GROWTH), 1e-12);
    assertEquals(Date.valueOf("2022-04-30"), v1.getAs(Watchlist.EXPECTED_QUALIFYING));
    Row v3 = list.get("V3");
    assertEquals(List.of(0, 9, 6, 6), List.of(v3.getAs(Watchlist.SALES_MONTHS), v3.getAs(Watchlist.SHOPS_MONTHS),
        v3.getAs(Watchlist.HOUSEHOLDS_MONTHS), v3.getAs(Watchlist.MONTHS_TO_QUALIFY)));
    assertEquals(List.of(1, 2), List.of(v1.getAs(Watchlist.RANK), v3.getAs(Watchlist.RANK)));
    assertTrue(v3.<String>getAs(Watchlist.EXPLANATION).contains("active_sellers 60 (threshold 100, growth 5.9 %/month): "
        + "in 9 months"), v3.<String>getAs(Watchlist.EXPLANATION));
  }
}
