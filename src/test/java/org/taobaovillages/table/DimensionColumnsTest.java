package org.taobaovillages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.taobaovillages.TestSpark;

/** The dimension as it stood at each year's end, on hand-built registry versions. */
class DimensionColumnsTest {
  /**
   * Village a moved from county 330782 to 330783 by a version of 2021-06-01; village b was first delivered on
   * 2021-06-01. As of 2021-12-31: a in 330782 at the ends of 2019 and 2020, in 330783 at the end of 2021; b, whose
   * first version also stands for the days before it, in 330784 every year. As of 2021-03-31 neither 2021-06-01
   * version is known: a stays in 330782 in 2021 (read on the run date) and b is absent.
   */
  @Test
  void eachYearHoldsTheVersionInForceAtItsEnd() {
    var spark = TestSpark.get();
    Dataset<Row> versions = spark.createDataFrame(List.of(
        version("330782001001", "330782", "2019-12-31", "2021-06-01"),
        version("330782001001", "330783", "2021-06-01", null),
        version("330784001001", "330784", "2021-06-01", null)), DimensionColumns.tableSchema(VillageRegistry.SCHEMA));
    Dataset<Row> years = spark.range(2019, 2022).selectExpr("cast(id as int) as year");
    assertEquals(Map.of("330782001001 2019", "330782", "330782001001 2020", "330782", "330782001001 2021", "330783",
        "330784001001 2019", "330784", "330784001001 2020", "330784", "330784001001 2021", "330784"),
        counties(versions, years, LocalDate.of(2021, 12, 31)));
    assertEquals(Map.of("330782001001 2019", "330782", "330782001001 2020", "330782", "330782001001 2021", "330782"),
        counties(versions, years, LocalDate.of(2021, 3, 31)));
  }

  private static Map<String, String> counties(Dataset<Row> versions, Dataset<Row> years, LocalDate runDate) {
    Map<String, String> out = new TreeMap<>();
    DimensionColumns.atYearEnds(DimensionColumns.timeline(versions, VillageRegistry.VILLAGE_CODE, runDate), years,
        "year", runDate).collectAsList().forEach(r -> {
          String key = r.getAs(VillageRegistry.VILLAGE_CODE) + " " + r.getAs("year");
          if (out.put(key, r.getAs(VillageRegistry.COUNTY_CODE)) != null) {
            throw new AssertionError("two versions for " + key);
          }
        });
    return out;
  }

  private static Row version(String code, String county, String from, String to) {
    return RowFactory.create(code, "v", code.substring(0, 9), "t", county, "c", county.substring(0, 4), "ci",
        county.substring(0, 2), "p", 120.0, 30.0, 100, 300, Map.of(), java.sql.Date.valueOf(from),
        to == null ? null : java.sql.Date.valueOf(to), "r");
  }
}
