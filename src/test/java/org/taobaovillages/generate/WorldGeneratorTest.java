package org.taobaovillages.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

class WorldGeneratorTest {
  static final GenerateConfig TINY = new GenerateConfig(11, 2, 4, 2, 2019, 2020, 8000);

  @TempDir Path dir;

  @Test
  void theSameSeedGivesTheSameWorldAndAnotherSeedAnother() {
    SparkSession spark = TestSpark.get();
    Map<String, Long> a = GenerateJob.run(spark, TINY, dir.resolve("a").toUri().toString());
    GenerateJob.run(spark, TINY, dir.resolve("b").toUri().toString());
    GenerateJob.run(spark, TINY.withSeed(12), dir.resolve("c").toUri().toString());
    for (String table : a.keySet()) {
      Dataset<Row> first = read(spark, "a", table);
      Dataset<Row> second = read(spark, "b", table);
      assertEquals(0, first.exceptAll(second).count() + second.exceptAll(first).count(), table);
    }
    Dataset<Row> other = read(spark, "c", Transactions.NAME);
    assertTrue(read(spark, "a", Transactions.NAME).exceptAll(other).count() > 0);
  }

  @Test
  void codesHaveTheRealTwelveDigitShapeAndEveryOrderHasItsSeller() {
    SparkSession spark = TestSpark.get();
    Map<String, Long> rows = GenerateJob.run(spark, TINY, dir.resolve("w").toUri().toString());
    assertEquals(8, rows.get(VillageRegistry.NAME));
    Dataset<Row> registry = read(spark, "w", VillageRegistry.NAME);
    assertEquals(8, registry.where("village_code rlike '^3399(01|02)00[12](20[12])$'").count());
    Dataset<Row> orders = read(spark, "w", Transactions.NAME);
    Dataset<Row> sellers = read(spark, "w", SellerAccounts.NAME);
    assertEquals(0, orders.join(sellers, orders.col("seller_id").equalTo(sellers.col("seller_id")), "left_anti").count());
    assertEquals(orders.count(), orders.select(Transactions.TRANSACTION_ID).distinct().count(), "unique order ids");
    assertTrue(orders.count() > 0);
  }

  private Dataset<Row> read(SparkSession spark, String world, String table) {
    return spark.read().parquet(dir.resolve(world).resolve(table).toString());
  }
}
