package org.taobaovillages.cli;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.TestSpark;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.VillageRegistry;

/** Hand-made input file sets for CLI tests. */
final class SmallInputs {
  private SmallInputs() {}

  static void writeEmptyDimensions(Path input) {
    SparkSession spark = TestSpark.get();
    spark.createDataFrame(List.<Row>of(), VillageRegistry.SCHEMA).write().parquet(input.resolve(VillageRegistry.NAME).toString());
    spark.createDataFrame(List.<Row>of(), SellerAccounts.SCHEMA).write().parquet(input.resolve(SellerAccounts.NAME).toString());
    spark.createDataFrame(List.<Row>of(), CountyAttributes.SCHEMA).write().parquet(input.resolve(CountyAttributes.NAME).toString());
  }
}
