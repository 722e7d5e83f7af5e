package org.taobaovillages.bench;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
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
      Difference d = compare(spark, args[0], args[1], table, "delta", Set.of());
      System.out.println(d);
      same &= d.same();
    }
    System.out.println(same ? "same" : "DIFFERENT");
    System.exit(same ? 0 : 1);
  }

  /** A table's rows in two warehouses: how many in A, and how many of A's are not in B and of B's not in A. */
  public record Difference(String table, long rows, long onlyA, long onlyB) {
    public boolean same() {
      return onlyA == 0 && onlyB == 0;
    }

    @Override
    public String toString() {
      return String.format("%s\t%d rows\t%d only in A\t%d only in B", table, rows, onlyA, onlyB);
    }
  }

  /**
   * Compares {@code table} (a path under each warehouse, read in {@code format}: delta or parquet) in two
   * warehouses, without the lineage columns and the columns in {@code ignored}.
   */
  public static Difference compare(SparkSession spark, String warehouseA, String warehouseB, String table,
      String format, Set<String> ignored) {
    return compare(table, spark.read().format(format).load(warehouseA + "/" + table),
        spark.read().format(format).load(warehouseB + "/" + table), ignored);
  }

  /** Compares two versions of a table's rows (e.g. a slice, or a Delta version read by time travel). */
  public static Difference compare(String table, Dataset<Row> rowsA, Dataset<Row> rowsB, Set<String> ignored) {
    Dataset<Row> a = content(rowsA, ignored);
    Dataset<Row> b = content(rowsB, ignored);
    return new Difference(table, a.count(), a.exceptAll(b).count(), b.exceptAll(a).count());
  }

  /** Rows without the lineage columns and {@code ignored}, columns in name order (maps as sorted entries). */
  private static Dataset<Row> content(Dataset<Row> rows, Set<String> ignored) {
    List<Column> columns = Arrays.stream(rows.schema().fields())
        .filter(f -> !List.of(RunColumns.RUN_ID, RunColumns.RUN_DATE).contains(f.name()) && !ignored.contains(f.name()))
        .sorted((x, y) -> x.name().compareTo(y.name()))
        .map(f -> f.dataType() instanceof MapType ? array_sort(map_entries(col(f.name()))).as(f.name()) : col(f.name()))
        .toList();
    return rows.select(columns.toArray(Column[]::new));
  }
}
