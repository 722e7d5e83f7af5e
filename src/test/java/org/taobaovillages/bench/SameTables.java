package org.taobaovillages.bench;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.table.RunColumns;

/**
 * Checks that two warehouses hold the same rows in the named tables, lineage columns (run id and run date) left
 * out: what a speed change must leave as it was. Run from the test classpath on two warehouses made from the same
 * input by the code before and after the change ({@code docs/benchmarks.md}); prints one line per table and exits
 * 1 if any differs.
 *
 * <p>{@code main(warehouseA, warehouseB, table...)}. Rows are compared as multisets (Spark's {@code exceptAll}
 * both ways), distributed: nothing but the counts reaches the driver.
 */
public final class SameTables {
  private SameTables() {}

  public static void main(String[] args) {
    SparkSession spark = Sessions.getOrCreate("same-tables", "local[*]", 8);
    boolean same = true;
    for (String table : Arrays.copyOfRange(args, 2, args.length)) {
      Dataset<Row> a = content(spark, args[0], table);
      Dataset<Row> b = content(spark, args[1], table);
      long rows = a.count();
      long onlyA = a.exceptAll(b).count();
      long onlyB = b.exceptAll(a).count();
      System.out.printf("%s\t%d rows\t%d only in A\t%d only in B%n", table, rows, onlyA, onlyB);
      same &= onlyA == 0 && onlyB == 0;
    }
    System.out.println(same ? "same" : "DIFFERENT");
    System.exit(same ? 0 : 1);
  }

  /** A table's rows without the lineage columns, its columns in name order (map columns as sorted entries). */
  private static Dataset<Row> content(SparkSession spark, String warehouse, String table) {
    Dataset<Row> rows = spark.read().format("delta").load(warehouse + "/" + table);
    List<Column> columns = Arrays.stream(rows.schema().fields())
        .filter(f -> !List.of(RunColumns.RUN_ID, RunColumns.RUN_DATE).contains(f.name()))
        .sorted((x, y) -> x.name().compareTo(y.name()))
        .map(f -> f.dataType() instanceof MapType ? array_sort(map_entries(col(f.name()))).as(f.name()) : col(f.name()))
        .toList();
    return rows.select(columns.toArray(Column[]::new));
  }
}
