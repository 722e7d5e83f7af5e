package org.taobaovillages.typology;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.FormationTest;
import org.taobaovillages.table.VillagePeriod;

/**
 * The two-of-three formation rule checked on data: per year and number of factors present, how many counties have
 * formed at least one Taobao Village, with a 95 % Wilson interval. The rule holds if counties with 0 or 1 factor
 * (almost) never form and those with 2 or 3 often do.
 */
public final class FormationTests {
  private FormationTests() {}

  public static Dataset<Row> byFactorCount(Dataset<Row> typology, String version) {
    Dataset<Row> counts = typology.groupBy(col(VillagePeriod.YEAR), col(CountyTypology.FACTOR_COUNT))
        .agg(count(lit(1)).as(FormationTest.COUNTIES),
            count(when(col(CountyTypology.HAS_FORMED), lit(1))).as(FormationTest.FORMED));
    Column[] interval = Scores.wilson(col(FormationTest.FORMED), col(FormationTest.COUNTIES));
    return counts
        .withColumn(FormationTest.SHARE, col(FormationTest.FORMED).divide(col(FormationTest.COUNTIES)))
        .withColumn(FormationTest.CI_LOW, interval[0])
        .withColumn(FormationTest.CI_HIGH, interval[1])
        .withColumn(CountyTypology.TYPOLOGY_VERSION, lit(version));
  }
}
