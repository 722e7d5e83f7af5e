package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.RuleSet;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.RunColumns;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.VillageYear;

/** {@code detect}: village_year to village_status under the configured rule set, up to the run date's year. */
public final class DetectJob {
  private DetectJob() {}

  /** Returns the number of village-year status rows written. */
  public static long run(Warehouse warehouse, RuleSet rule, RunContext run) {
    Dataset<Row> villageYears = warehouse.read(VillageYear.NAME, "aggregate")
        .where(col(VillageYear.YEAR).leq(run.runDate().getYear()))
        .drop(RunColumns.RUN_ID, RunColumns.RUN_DATE);
    Dataset<Row> status = TaobaoVillageRule.apply(villageYears, rule)
        .withColumn(RunColumns.RUN_ID, lit(run.runId()))
        .withColumn(RunColumns.RUN_DATE, lit(java.sql.Date.valueOf(run.runDate())));
    warehouse.replacePartitions(status, VillageStatus.NAME, VillageStatus.SCHEMA,
        List.of(VillageStatus.RULE_ID, VillageYear.YEAR));
    return warehouse.read(VillageStatus.NAME, "detect").where(col(RunColumns.RUN_ID).equalTo(run.runId())).count();
  }
}
