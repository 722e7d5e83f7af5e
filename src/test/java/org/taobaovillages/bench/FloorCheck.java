package org.taobaovillages.bench;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.Sessions;

/**
 * Checks that the Spark floors ({@link IngestFloor}, {@link AggregateFloor}) computed what our stages did
 * ({@link SameTables}: rows as multisets, lineage columns {@code run_id} and {@code run_date} left out). Besides
 * lineage, only what a floor does not produce is left out of a comparison:
 *
 * <ul>
 *   <li>{@code transactions}: {@code extra_columns} (undeclared input columns, dropped by default: always empty);
 *   <li>{@code quarantine}: our rows of the other file sets (the floor checks only orders), so ours are compared
 *       where {@code source_table = 'transactions'};
 *   <li>rows per file and outcome: the floor's {@code file_counts} against our {@code ingest_audit}'s
 *       {@code rows_read}, {@code accepted}, {@code quarantined} and {@code duplicates_skipped} of the order files;
 *       the audit's other columns (format, status, drift, error, rows in the file by its footer, reasons per code,
 *       outcome) are not produced by the floor;
 *   <li>{@code seller_month}, {@code village_month}, {@code village_period}: nothing.
 * </ul>
 *
 * <p>{@code main(warehouse, floorWarehouse)} prints one line per comparison; exit code 1 if any differs.
 */
public final class FloorCheck {
  static final Set<String> TRANSACTIONS_IGNORED = Set.of("extra_columns");

  private FloorCheck() {}

  public static void main(String[] args) {
    String ours = args[0];
    String floor = args[1];
    SparkSession spark = Sessions.getOrCreate("floor check", "local[*]", 8);
    List<SameTables.Difference> differences = new ArrayList<>();
    differences.add(SameTables.compare(spark, ours, floor, "transactions", "delta", TRANSACTIONS_IGNORED));
    differences.add(SameTables.compare("quarantine", delta(spark, ours, "quarantine")
        .where(col("source_table").equalTo("transactions")), delta(spark, floor, "quarantine"), Set.of()));
    List<String> counts = List.of("source_table", "source_file", "rows_read", "accepted", "quarantined",
        "duplicates_skipped");
    differences.add(SameTables.compare("rows per order file", delta(spark, ours, "ingest_audit")
            .where(col("source_table").equalTo("transactions")).selectExpr(counts.toArray(String[]::new)),
        delta(spark, floor, "file_counts").selectExpr(counts.toArray(String[]::new)), Set.of()));
    for (String table : List.of("seller_month", "village_month", "village_period")) {
      differences.add(SameTables.compare(spark, ours, floor, table, "delta", Set.of()));
    }
    boolean same = true;
    for (SameTables.Difference d : differences) {
      System.out.println(d);
      same &= d.same();
    }
    System.out.println(same ? "floors equal ours" : "floors DIFFER from ours");
    spark.stop();
    System.exit(same ? 0 : 1);
  }

  private static Dataset<Row> delta(SparkSession spark, String warehouse, String table) {
    return spark.read().format("delta").load(warehouse + "/" + table);
  }
}
