package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.TruthDefects;
import org.taobaovillages.table.TruthVillages;
import org.taobaovillages.table.VillageRegistry;
import org.taobaovillages.table.VillagePeriod;

/**
 * {@code generate}: builds the world model for the selected counties, writes the truth (villages, the
 * village-year ledger, counties, planted defects) and, unless only the report is wanted, the four input file
 * sets as Parquet. Orders are partitioned by delivery month ({@code transactions/delivery_month=yyyy-MM/}).
 */
public final class GenerateJob {
  /** Aim for Parquet files of a few million orders (roughly 50-100 MB), not thousands of tiny ones. */
  static final long ORDERS_PER_FILE = 4_000_000L;
  public static final String LEDGER = "village_year_ledger";
  public static final String COUNTIES = "counties";

  private GenerateJob() {}

  /** What was generated: rows per output, and the ledger for the report. */
  public record Result(Map<String, Long> rows, Dataset<Row> ledger, WorldModel.Built world, ReferenceData reference) {}

  public static Result run(SparkSession spark, AppConfig app, GenerateConfig cfg, String output, String truth,
      boolean writeInputs) {
    var model = new WorldModel(spark, app.referenceRoot(), cfg, app.world());
    WorldModel.Built world = model.build();
    Column inYears = col(WorldModel.YEAR).between(cfg.firstYear(), cfg.lastYear());
    Dataset<Row> sellerYears = Sellers.sellerYears(world.villageYears(), cfg, app.world()).where(inYears)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> ledger = Ledger.villageYears(sellerYears, app.metrics())
        .persist(StorageLevel.MEMORY_AND_DISK());

    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("truth/" + LEDGER, write(ledger.repartition(1).sortWithinPartitions(VillagePeriod.VILLAGE_CODE,
        VillagePeriod.YEAR), truth, LEDGER));
    rows.put("truth/" + TruthVillages.NAME, write(truthVillages(world, ledger).repartition(1)
        .sortWithinPartitions(TruthVillages.VILLAGE_CODE), truth, TruthVillages.NAME));
    rows.put("truth/" + COUNTIES, write(world.selectedCounties().repartition(1).sortWithinPartitions(
        ReferenceData.COUNTY_CODE), truth, COUNTIES));
    if (!writeInputs) {
      return new Result(rows, ledger, world, model.reference());
    }

    Dataset<Row> registry = world.villages().select(WorldModel.columnsOf(VillageRegistry.SCHEMA));
    rows.put(VillageRegistry.NAME, write(registry.repartition(1).sortWithinPartitions(VillageRegistry.VILLAGE_CODE),
        output, VillageRegistry.NAME));
    rows.put(CountyAttributes.NAME, write(countyAttributes(world.selectedCounties())
        .repartition(1).sortWithinPartitions(CountyAttributes.COUNTY_CODE), output, CountyAttributes.NAME));

    Dataset<Row> accounts = sellerYears.select(WorldModel.columnsOf(SellerAccounts.SCHEMA))
        .dropDuplicates(SellerAccounts.SELLER_ID);
    Dataset<Row> badAccounts = Defects.accountDefects(accounts, cfg).persist(StorageLevel.MEMORY_AND_DISK());
    long accountFiles = Math.max(1, sellerYears.count() / (ORDERS_PER_FILE * 2));
    rows.put(SellerAccounts.NAME, write(accounts.unionByName(badAccounts.drop(Defects.defectColumn()))
        .repartition((int) accountFiles).sortWithinPartitions(SellerAccounts.VILLAGE_CODE, SellerAccounts.SELLER_ID),
        output, SellerAccounts.NAME));

    Dataset<Row> delivered = Defects.withDelivery(Orders.clean(sellerYears, cfg), cfg);
    Dataset<Row> all = Defects.withCompanions(delivered, cfg);
    Row orderTotal = ledger.agg(sum(VillagePeriod.ORDERS)).first();
    long expected = orderTotal.isNullAt(0) ? 0 : orderTotal.getLong(0);
    long months = (cfg.lastYear() - cfg.firstYear() + 1) * 12L;
    int perMonth = (int) Math.max(1, expected / months / ORDERS_PER_FILE + 1);
    Dataset<Row> laidOut = all
        .repartition((int) Math.min(20_000, months * perMonth), col(Defects.DELIVERY_MONTH),
            pmod(xxhash64(col(VillageRegistry.VILLAGE_CODE)), lit(perMonth)))
        .sortWithinPartitions(Defects.DELIVERY_MONTH, VillageRegistry.VILLAGE_CODE, Transactions.ORDER_TS,
            Transactions.TRANSACTION_ID);
    String path = output + "/" + Transactions.NAME;
    laidOut.select(concat(WorldModel.columnsOf(Transactions.INPUT_SCHEMA), col(Defects.DELIVERY_MONTH)))
        .write().mode("overwrite").partitionBy(Defects.DELIVERY_MONTH).parquet(path);
    rows.put(Transactions.NAME, spark.read().parquet(path).count());

    rows.put("truth/" + TruthDefects.NAME, write(Defects.orderTruth(spark.read().parquet(path), cfg)
        .unionByName(Defects.accountTruth(badAccounts)).repartition(1)
        .sortWithinPartitions(TruthDefects.FILE_SET, TruthDefects.KIND, TruthDefects.TRANSACTION_ID),
        truth, TruthDefects.NAME));
    return new Result(rows, ledger, world, model.reference());
  }

  private static Column[] concat(Column[] columns, Column extra) {
    Column[] all = java.util.Arrays.copyOf(columns, columns.length + 1);
    all[columns.length] = extra;
    return all;
  }

  /**
   * Truth per village: the county's factors, the village's design and the years it is a Taobao Village by design
   * (set by the world model; no detection rule is applied here, so that detection can be judged against it).
   */
  static Dataset<Row> truthVillages(WorldModel.Built world, Dataset<Row> ledger) {
    Dataset<Row> ruleYears = ledger.where(col(WorldModel.DESIGNED))
        .groupBy(VillagePeriod.VILLAGE_CODE)
        .agg(sort_array(collect_list(col(VillagePeriod.YEAR))).as(TruthVillages.DESIGNED_YEARS));
    // The villages already carry the sector, entrepreneur and governance factors (their sellers depend on them).
    Dataset<Row> factors = world.selectedCounties().select(col(ReferenceData.COUNTY_CODE),
        col(CountyFactors.MACRO_REGION), col(CountyFactors.FORMATION_LEAK));
    return world.villages().join(factors, ReferenceData.COUNTY_CODE).join(ruleYears, TruthVillages.VILLAGE_CODE, "left")
        .select(WorldModel.columnsOf(TruthVillages.SCHEMA));
  }

  /**
   * The county attributes input: real census shares (manufacturing and wholesale/retail employment, residents
   * with hukou in another province) and the synthetic governance as an e-commerce programme (interventionist
   * counties start one between 2014 and 2018, the state's "e-commerce into villages" years).
   */
  static Dataset<Row> countyAttributes(Dataset<Row> counties) {
    Column county = col(ReferenceData.COUNTY_CODE);
    return counties.select(county.as(CountyAttributes.COUNTY_CODE),
        col(ReferenceData.COUNTY_NAME).as(CountyAttributes.COUNTY_NAME),
        col(ReferenceData.PROVINCE_CODE).as(CountyAttributes.PROVINCE_CODE),
        col(ReferenceData.MANUFACTURING).as(CountyAttributes.MANUFACTURING_SHARE),
        col(ReferenceData.WHOLESALE_RETAIL).as(CountyAttributes.WHOLESALE_RETAIL_SHARE),
        col(ReferenceData.HUKOU_OTHER_PROVINCE).as(CountyAttributes.MIGRANT_SHARE),
        col(CountyFactors.INTERVENTIONIST).as(CountyAttributes.ECOMMERCE_PROGRAMME),
        col(CountyFactors.PROGRAMME_START_YEAR).as(CountyAttributes.PROGRAMME_START_YEAR));
  }

  private static long write(Dataset<Row> data, String root, String name) {
    String path = root + "/" + name;
    data.write().mode("overwrite").parquet(path);
    return data.sparkSession().read().parquet(path).count();
  }
}
