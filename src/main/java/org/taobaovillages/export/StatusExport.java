package org.taobaovillages.export;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.ExportConfig;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatusExport;
import org.taobaovillages.table.VillageYear;

/** Village status joined with the registry for BI, with small cells suppressed. */
public final class StatusExport {
  /** Metrics that could reveal a single shop's business when few shops are active. */
  static final List<String> SUPPRESSIBLE = List.of(VillageYear.ACTIVE_SELLERS, VillageYear.ACTIVE_HOUSEHOLDS,
      VillageYear.HOUSEHOLD_SHARE, VillageYear.ORDERS, VillageYear.SALES_RMB, VillageYear.TAOBAO_SHARE);

  private StatusExport() {}

  public static Dataset<Row> build(Dataset<Row> status, Dataset<Row> registry, ExportConfig cfg) {
    Dataset<Row> places = registry.drop(VillageRegistry.HOUSEHOLDS, VillageRegistry.POPULATION);
    Column suppressed = col(VillageYear.ACTIVE_SELLERS).lt(cfg.minActiveSellers());
    Dataset<Row> joined = status.join(places, VillageYear.VILLAGE_CODE, "left")
        .withColumn(VillageStatusExport.SUPPRESSED, suppressed);
    for (String metric : SUPPRESSIBLE) {
      joined = joined.withColumn(metric, when(not(col(VillageStatusExport.SUPPRESSED)), col(metric)));
    }
    return joined.select(java.util.Arrays.stream(VillageStatusExport.SCHEMA.fields())
        .map(f -> col(f.name()).cast(f.dataType()))
        .toArray(Column[]::new));
  }
}
