package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageStatus;

/** Per-year counts for reports: one row per year, so always small enough to bring to the driver. */
public final class StatusSummary {
  public static final String VILLAGES_WITH_SALES = "villages_with_sales";
  public static final String QUALIFYING = "qualifying";
  public static final String NEW = "new";
  public static final String REGAINED = "regained";
  public static final String LOST = "lost";

  private StatusSummary() {}

  /** Yearly status rows of one rule to: year, villages with sales, qualifying, new, regained, lost. */
  public static Dataset<Row> perYear(Dataset<Row> yearStatus) {
    return yearStatus.groupBy(VillagePeriod.YEAR)
        .agg(count_if(col(VillagePeriod.SALES_RMB).gt(0)).as(VILLAGES_WITH_SALES),
            count_if(col(VillageStatus.QUALIFIES)).as(QUALIFYING),
            count_if(col(VillageStatus.TRANSITION).equalTo(VillageStatus.NEW)).as(NEW),
            count_if(col(VillageStatus.TRANSITION).equalTo(VillageStatus.REGAINED)).as(REGAINED),
            count_if(col(VillageStatus.TRANSITION).equalTo(VillageStatus.LOST)).as(LOST))
        .orderBy(VillagePeriod.YEAR);
  }
}
