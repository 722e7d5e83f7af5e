package org.taobaovillages.typology;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.VillageBusinessModel;

/** Business model and embeddedness on hand-built village-years (thresholds: conf defaults). */
class VillageLabelsTest {
  static final StructType VILLAGES = new StructType()
      .add("village_code", DataTypes.StringType).add("county_code", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("active_sellers", DataTypes.LongType)
      .add("live_stream_share", DataTypes.DoubleType).add("category_hhi", DataTypes.DoubleType)
      .add("known_origin_sellers", DataTypes.LongType).add("migrant_sellers", DataTypes.LongType);
  static final StructType COUNTIES = new StructType()
      .add("county_code", DataTypes.StringType).add("ecommerce_programme", DataTypes.BooleanType)
      .add("programme_start_year", DataTypes.IntegerType).add("year", DataTypes.IntegerType);

  @Test
  void eachBusinessModelAndEmbeddedness() {
    var spark = TestSpark.get();
    var villages = spark.createDataFrame(List.of(
        // Live-stream: 60 % of sales on live-stream platforms (>= 0.5), whatever the categories.
        RowFactory.create("v-live", "A", 2021, 40L, 0.6, 0.9, 40L, 2L),
        // Producer (HHI 0.70 >= 0.55) in a county whose programme started in 2016: governed in 2020.
        RowFactory.create("v-gov", "B", 2020, 120L, 0.0, 0.70, 100L, 50L),
        // The same county before its programme: a producer village of co-villagers, hyper-embedded.
        RowFactory.create("v-gov", "B", 2015, 30L, 0.0, 0.70, 30L, 3L),
        // Merchant (HHI 0.40), 40 of 100 sellers migrants (>= 0.3), no programme: hypo-embedded.
        RowFactory.create("v-hypo", "A", 2020, 150L, 0.05, 0.40, 100L, 40L),
        // Merchant with 10 % migrants: hyper-embedded.
        RowFactory.create("v-hyper", "A", 2020, 150L, 0.05, 0.40, 100L, 10L),
        // Too few sellers (9 < 10): not labelled.
        RowFactory.create("v-small", "A", 2020, 9L, 0.0, 0.9, 9L, 0L),
        // No category data: no business model.
        RowFactory.create("v-none", "A", 2020, 20L, 0.0, null, 20L, 0L)), VILLAGES);
    var counties = spark.createDataFrame(RollupsTest.everyYear(List.of(RowFactory.create("A", false, null),
        RowFactory.create("B", true, 2016)), 2015, 2020, 2021), COUNTIES);
    Map<String, Row> r = new HashMap<>();
    for (Row row : VillageLabels.label(villages, counties, RuleTypologyTest.CFG).collectAsList()) {
      r.put(row.getAs("village_code") + "/" + row.getAs("year"), row);
    }
    assertEquals(6, r.size());
    assertFalse(r.containsKey("v-small/2020"));
    check(r.get("v-live/2021"), VillageBusinessModel.LIVE_STREAM, VillageBusinessModel.NOT_APPLICABLE);
    check(r.get("v-gov/2020"), VillageBusinessModel.PRODUCER, VillageBusinessModel.GOVERNED);
    check(r.get("v-gov/2015"), VillageBusinessModel.PRODUCER, VillageBusinessModel.HYPER);
    check(r.get("v-hypo/2020"), VillageBusinessModel.MERCHANT, VillageBusinessModel.HYPO);
    check(r.get("v-hyper/2020"), VillageBusinessModel.MERCHANT, VillageBusinessModel.HYPER);
    check(r.get("v-none/2020"), null, null);
    assertEquals(0.4, r.get("v-hypo/2020").<Double>getAs(VillageBusinessModel.MIGRANT_SELLER_SHARE), 1e-12);
    String why = r.get("v-gov/2020").getAs(VillageBusinessModel.EXPLANATION);
    assertTrue(why.contains("category HHI 0.70 >= 0.55") && why.contains("-> producer")
        && why.contains("county programme since 2016") && why.contains("-> governed"), why);
  }

  private static void check(Row row, String model, String embeddedness) {
    assertEquals(model, row.getAs(VillageBusinessModel.BUSINESS_MODEL));
    assertEquals(embeddedness, row.getAs(VillageBusinessModel.EMBEDDEDNESS));
  }
}
