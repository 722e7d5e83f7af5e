package org.taobaovillages.ingest;

import static org.apache.spark.sql.types.DataTypes.*;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.Transactions;

/**
 * Writes the Parquet files of the ingest corpus ({@code src/test/resources/ingest-corpus/delivery/transactions/},
 * and {@code corrupt_page.parquet} into {@code ../../read-time/}).
 * They are committed; run this only to re-create them:
 * {@code java -cp target/test-classes:target/classes:<test classpath> org.taobaovillages.ingest.CorpusParquet DIR}.
 */
public final class CorpusParquet {
  private CorpusParquet() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    SparkSession spark = TestSpark.get();
    Timestamp ts = Timestamp.valueOf("2022-11-11 00:00:05");
    write(spark, dir.resolve("clean.parquet"), Transactions.INPUT_SCHEMA, List.of(
        RowFactory.create("T-PQ-1", "shop-li-0002", "tmall", ts, new BigDecimal("300.00"), 1, "toys", "completed"),
        RowFactory.create("T-PQ-2", "shop-zhao-0004", "douyin", ts, new BigDecimal("12.30"), 2, null, "paid")));
    // Narrower types than declared: DECIMAL(10,2) amount and SMALLINT quantity widen safely.
    write(spark, dir.resolve("drift_widened.parquet"), new StructType()
        .add("transaction_id", StringType).add("seller_id", StringType).add("platform", StringType)
        .add("order_ts", TimestampType).add("amount_rmb", createDecimalType(10, 2)).add("quantity", ShortType)
        .add("category", StringType).add("order_status", StringType), List.of(
        RowFactory.create("T-PW-1", "shop-li-0002", "tmall", ts, new BigDecimal("45.00"), (short) 3, "toys", "paid")));
    // Amount as text in a typed format: a wrong type, the whole file is bad.
    write(spark, dir.resolve("drift_wrong_type.parquet"), new StructType()
        .add("transaction_id", StringType).add("seller_id", StringType).add("platform", StringType)
        .add("order_ts", TimestampType).add("amount_rmb", StringType).add("quantity", IntegerType)
        .add("category", StringType).add("order_status", StringType), List.of(
        RowFactory.create("T-PT-1", "shop-li-0002", "tmall", ts, "45.00", 1, "toys", "paid")));
    // The first half of a good file: no footer.
    byte[] whole = Files.readAllBytes(dir.resolve("clean.parquet"));
    Files.write(dir.resolve("truncated.parquet"), java.util.Arrays.copyOf(whole, whole.length / 2));
    // A good footer over a broken first page: found only when the rows are read.
    byte[] broken = whole.clone();
    long start;
    try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
        .fromPath(new org.apache.hadoop.fs.Path(dir.resolve("clean.parquet").toUri()), new org.apache.hadoop.conf.Configuration()))) {
      start = reader.getFooter().getBlocks().get(0).getColumns().get(0).getStartingPos();
    }
    for (int i = 0; i < 16; i++) {
      broken[(int) start + 4 + i] = (byte) 0xFF;
    }
    Files.write(dir.getParent().resolveSibling("read-time").resolve("corrupt_page.parquet"), broken);
    // Two columns whose names differ only in case: the file is bad (which one is the amount?).
    spark.conf().set("spark.sql.caseSensitive", "true");
    try {
      write(spark, dir.resolve("duplicate_case.parquet"), Transactions.INPUT_SCHEMA.add("AMOUNT_RMB",
          Transactions.AMOUNT_TYPE), List.of(RowFactory.create("T-DC-1", "shop-li-0002", "tmall", ts,
              new BigDecimal("45.00"), 1, "toys", "paid", new BigDecimal("46.00"))));
    } finally {
      spark.conf().set("spark.sql.caseSensitive", "false");
    }
  }

  private static void write(SparkSession spark, Path file, StructType schema, List<Row> rows) throws IOException {
    Path tmp = Files.createTempDirectory("corpus");
    spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(tmp.resolve("out").toString());
    try (var parts = Files.list(tmp.resolve("out"))) {
      Path part = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
