package org.taobaovillages.generate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/** {@code generate}: writes the four input file sets of a synthetic world as Parquet under one URI. */
public final class GenerateJob {
  /** Aim for Parquet files of a few million orders (roughly 50-100 MB), not thousands of tiny ones. */
  static final long ORDERS_PER_FILE = 4_000_000L;
  static final long VILLAGES_PER_FILE = 200_000L;

  private GenerateJob() {}

  /** Returns rows written per file set. */
  public static Map<String, Long> run(SparkSession spark, GenerateConfig cfg, String output) {
    var world = new WorldGenerator(cfg);
    Dataset<Row> villages = world.villagesWithParameters(spark);
    Dataset<Row> sellers = world.sellersWithParameters(villages);
    Dataset<Row> sellerYears = world.sellerYears(sellers);
    long villageCount = (long) cfg.counties() * cfg.villagesPerCounty();
    int smallFiles = (int) Math.max(1, villageCount / VILLAGES_PER_FILE);

    long expectedOrders = world.expectedOrders(sellerYears);
    int orderFiles = (int) Math.max(1, (expectedOrders + ORDERS_PER_FILE - 1) / ORDERS_PER_FILE);

    Map<String, Long> written = new LinkedHashMap<>();
    written.put(VillageRegistry.NAME, write(world.villageRegistry(villages)
        .repartition(smallFiles).sortWithinPartitions(VillageRegistry.VILLAGE_CODE), output, VillageRegistry.NAME));
    written.put(CountyAttributes.NAME, write(world.countyAttributes(villages)
        .repartition(1).sortWithinPartitions(CountyAttributes.COUNTY_CODE), output, CountyAttributes.NAME));
    written.put(SellerAccounts.NAME, write(world.sellerAccounts(sellers)
        .repartition(smallFiles).sortWithinPartitions(SellerAccounts.VILLAGE_CODE, SellerAccounts.SELLER_ID),
        output, SellerAccounts.NAME));
    written.put(Transactions.NAME, write(world.transactions(sellerYears, orderFiles), output, Transactions.NAME));
    return written;
  }

  private static long write(Dataset<Row> data, String output, String name) {
    String path = output + "/" + name;
    data.write().mode("overwrite").parquet(path);
    return data.sparkSession().read().parquet(path).count();
  }
}
