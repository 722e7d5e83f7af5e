package org.taobaovillages.export;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.config.ExportConfig;
import org.taobaovillages.table.DimensionColumns;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillageStatusExport;

/** Village-level outputs joined with the registry's names and place for BI, with small cells suppressed. */
public final class StatusExport {
  private StatusExport() {}

  /**
   * Village status rows in {@link VillageStatusExport#SCHEMA}, placed by the registry version in force on
   * {@code day}.
   */
  public static Dataset<Row> build(Dataset<Row> status, Dataset<Row> registry, Column day, ExportConfig cfg) {
    return select(suppress(withPlace(status, registry, day), VillageStatusExport.SUPPRESSIBLE, cfg),
        VillageStatusExport.SCHEMA);
  }

  /**
   * The rows with the names and coordinates of their village in the registry version in force on {@code day} (a
   * date column of the rows, or a literal).
   *
   * @param registry the registry's {@link DimensionColumns#timeline}
   */
  public static Dataset<Row> withPlace(Dataset<Row> rows, Dataset<Row> registry, Column day) {
    return DimensionColumns.inForceOn(rows, day, registry, VillageRegistry.VILLAGE_CODE,
        List.of(VillageStatusExport.PLACE.fieldNames()), "left");
  }

  /**
   * Sets {@code metrics} to null where fewer than the configured minimum of sellers are active, so no single
   * shop's business can be read off; {@link VillageStatusExport#SUPPRESSED} says where.
   */
  public static Dataset<Row> suppress(Dataset<Row> rows, List<String> metrics, ExportConfig cfg) {
    Dataset<Row> out = rows.withColumn(VillageStatusExport.SUPPRESSED,
        col(VillagePeriod.ACTIVE_SELLERS).lt(cfg.minActiveSellers()));
    for (String metric : metrics) {
      if (java.util.Arrays.asList(out.columns()).contains(metric)) {
        out = out.withColumn(metric, when(not(col(VillageStatusExport.SUPPRESSED)), col(metric)));
      }
    }
    return out;
  }

  static Dataset<Row> select(Dataset<Row> rows, StructType schema) {
    return rows.select(java.util.Arrays.stream(schema.fields()).map(f -> col(f.name()).cast(f.dataType()))
        .toArray(Column[]::new));
  }
}
