package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.VillageStatus;
import org.taobaovillages.table.VillageYear;

/** Per-year counts for reports: one row per year, so always small enough to bring to the driver. */
public final class StatusSummary {
  public static final String VILLAGES_WITH_SALES = "villages_with_sales";
  public static final String TAOBAO_VILLAGES = "taobao_villages";
  public static final String GAINED = "gained";
  public static final String LOST = "lost";

  private StatusSummary() {}

  public static Dataset<Row> perYear(Dataset<Row> status) {
    return status.groupBy(VillageYear.YEAR)
        .agg(count(lit(1)).as(VILLAGES_WITH_SALES),
            count(when(col(VillageStatus.IS_TAOBAO_VILLAGE), lit(1))).as(TAOBAO_VILLAGES),
            count(when(col(VillageStatus.STATUS_CHANGE).equalTo("gained"), lit(1))).as(GAINED),
            count(when(col(VillageStatus.STATUS_CHANGE).equalTo("lost"), lit(1))).as(LOST))
        .orderBy(VillageYear.YEAR);
  }
}
