package org.taobaovillages.bench;

import static org.apache.spark.sql.functions.*;

import java.io.File;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.ingest.IngestJob;
import org.taobaovillages.ingest.Keys;
import org.taobaovillages.ingest.Pseudonymizer;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;

/**
 * The Spark floor of {@code ingest} (issue 33): the plainest Spark job that does ingest's essential work for the
 * orders of a Parquet delivery into an empty warehouse, timed by {@code jobs/bench.sh} beside ours and checked
 * against it ({@link FloorCheck}). Same definitions as ours: ids normalised ({@link Keys}) and pseudonymised with
 * the same HMAC and key ({@link Pseudonymizer}, once per distinct seller), the same reason codes in the same order
 * (README "Row checks"), the first row per transaction id by file and values kept and its exact copies skipped,
 * the order month in China time (the session's time zone).
 *
 * <p>Left out, as not essential or not possible on this input: text formats, renames, schema drift and bad files
 * (a generated delivery has none); the per-file audit table and the reconciliation with Parquet footers (counts per
 * file are computed and written, not checked); dimension tables and their versions (registry and accounts are
 * checked only as far as the orders need: the accepted seller ids); stored orders (an empty warehouse has none, so
 * no {@code STORED_KEY_CONFLICT} and no MERGE); lineage columns and extra columns; {@code MALFORMED_VALUE} (Parquet
 * values are typed); and the search for seller or household ids out of place ({@code MISPLACED_ID}, and redaction
 * of such values in the quarantine), an HMAC per value of every column, which refuses no generated row.
 *
 * <p>{@code main(input, warehouse, runDate, conf)} writes {@code transactions}, {@code quarantine} and
 * {@code file_counts} (rows per file and outcome) under {@code warehouse}.
 */
public final class IngestFloor {
  private IngestFloor() {}

  public static void main(String[] args) {
    String input = args[0];
    String warehouse = args[1];
    LocalDate runDate = LocalDate.parse(args[2]);
    AppConfig config = AppConfig.load(args.length > 3 ? new File(args[3]) : null);
    IngestConfig cfg = config.ingest();
    SparkSession spark = Sessions.getOrCreate("ingest floor", config.localMaster(), config.localShufflePartitions());
    // bench.sh runs ingest with --demo: the demo key unless the key variable is set, as there.
    Pseudonymizer pseudo = new Pseudonymizer(IngestJob.resolveKey(cfg, System.getenv(), true));

    Dataset<Row> registry = read(spark, input, "village_registry")
        .withColumn("village_code", Keys.normalise(col("village_code")));
    Column outside = outside(col("longitude"), cfg.ranges().minLongitude(), cfg.ranges().maxLongitude())
        .or(outside(col("latitude"), cfg.ranges().minLatitude(), cfg.ranges().maxLatitude()));
    Dataset<Row> villages = registry.where(validUtf8("village_code", "village_name", "town_code", "town_name",
            "county_code", "county_name", "city_code", "city_name", "province_code", "province_name")
        .and(present("village_code")).and(notNull("village_name", "town_code", "town_name", "county_code",
            "county_name", "city_code", "city_name", "province_code", "province_name"))
        .and(col("village_code").rlike("^[0-9]{12}$"))
        .and(not(coalesce(col("households").lt(0).or(col("population").lt(0)).or(outside), lit(false)))))
        .select(col("village_code").as("known_village")).distinct();
    Dataset<Row> accounts = read(spark, input, "seller_accounts")
        .where(validUtf8("seller_id", "village_code", "household_id"))
        .select(pseudo.apply(col("seller_id")).as("seller_id"), pseudo.apply(col("household_id")).as("household_id"),
            Keys.normalise(col("village_code")).as("village_code"), col("opened_date"),
            Keys.normalise(col("platform")).as("platform"), Keys.normalise(col("account_type")).as("account_type"));
    Dataset<Row> sellers = accounts.join(villages, col("village_code").equalTo(col("known_village")))
        .where(present("seller_id").and(present("household_id")).and(notNull("opened_date", "platform", "account_type"))
            .and(col("village_code").rlike("^[0-9]{12}$"))
            .and(col("platform").isin(SellerAccounts.PLATFORMS.toArray())))
        .select(col("seller_id").as("known_seller")).distinct();

    // One HMAC per distinct seller id as read, then joined back.
    Dataset<Row> raw = read(spark, input, "transactions");
    Dataset<Row> pseudonyms = raw.select(col("seller_id").as("raw_seller")).where(col("raw_seller").isNotNull())
        .distinct().withColumn("pseudonym", pseudo.apply(col("raw_seller")))
        .join(sellers, col("pseudonym").equalTo(col("known_seller")), "left");
    Dataset<Row> orders = raw.join(pseudonyms, col("seller_id").equalTo(col("raw_seller")), "left")
        .select(Keys.normalise(col("transaction_id")).as("transaction_id"), col("pseudonym").as("seller_id"),
            Keys.normalise(col("platform")).as("platform"), col("order_ts"), col("amount_rmb").cast("decimal(18,2)"),
            col("quantity"), col("category"), Keys.normalise(col("order_status")).as("order_status"),
            col("source_file"), col("known_seller"), validUtf8("transaction_id", "seller_id", "category").as("utf8"));

    ZoneId china = ZoneId.of(Sessions.TIME_ZONE);
    Column ts = col("order_ts");
    Column amount = col("amount_rmb");
    Column status = col("order_status");
    Column reasons = when(not(col("utf8")), array(lit("MALFORMED_ENCODING"))).otherwise(array_compact(array(
        when(not(present("transaction_id")).or(not(present("seller_id"))), lit("MISSING_KEY")),
        when(not(notNull("platform", "order_ts", "amount_rmb", "quantity", "order_status")), lit("MISSING_VALUE")),
        when(col("seller_id").isNotNull().and(col("known_seller").isNull()), lit("UNKNOWN_SELLER")),
        when(not(col("platform").isin(SellerAccounts.PLATFORMS.toArray())), lit("UNKNOWN_PLATFORM")),
        when(not(status.isin(Transactions.STATUSES.toArray())), lit("UNKNOWN_STATUS")),
        when(amount.leq(0).and(not(coalesce(status.equalTo("refunded"), lit(false)))), lit("NON_POSITIVE_AMOUNT")),
        when(amount.gt(lit(cfg.maxOrderAmountRmb())), lit("AMOUNT_OVERFLOW")),
        when(col("quantity").leq(0), lit("NON_POSITIVE_QUANTITY")),
        when(ts.lt(lit(Timestamp.from(cfg.earliestOrderDate().atStartOfDay(china).toInstant()))),
            lit("ORDER_BEFORE_WINDOW")),
        when(ts.geq(lit(Timestamp.from(runDate.plusDays(1).atStartOfDay(china).toInstant()))), lit("FUTURE_ORDER")))));

    // Of the rows that pass, the first per id by file and values is kept; an exact copy of it is skipped, any
    // other row with its id is a DUPLICATE_KEY.
    List<String> content = List.of(Transactions.INPUT_SCHEMA.fieldNames());
    Column values = struct(content.stream().map(c -> col(c)).toArray(Column[]::new));
    List<Column> order = new ArrayList<>(List.of(size(col("reasons")).equalTo(0).desc(), col("source_file")));
    content.forEach(c -> order.add(col(c).asc_nulls_first()));
    var byId = Window.partitionBy("transaction_id").orderBy(order.toArray(Column[]::new));
    Column later = size(col("reasons")).equalTo(0).and(row_number().over(byId).gt(1));
    Column copy = values.eqNullSafe(first(values).over(byId));
    Dataset<Row> checked = orders.withColumn("reasons", reasons)
        .withColumn("skipped", later.and(copy))
        .withColumn("reasons", when(later.and(not(copy)), array(lit("DUPLICATE_KEY"))).otherwise(col("reasons")))
        .persist(StorageLevel.MEMORY_AND_DISK());

    // One file per order month (the table's partition), as ours.
    checked.where(size(col("reasons")).equalTo(0).and(not(col("skipped"))))
        .select(content.stream().map(c -> col(c)).toArray(Column[]::new))
        .withColumn("order_month", date_format(ts, "yyyy-MM")).repartition(col("order_month"))
        .write().format("delta").partitionBy("order_month").save(warehouse + "/transactions");
    List<Column> record = new ArrayList<>();
    content.forEach(c -> record.addAll(List.of(lit(c), col(c).cast("string"))));
    checked.where(size(col("reasons")).gt(0))
        .select(lit("transactions").as("source_table"), col("source_file"), lit(null).cast("long").as("source_line"),
            when(col("utf8"), map(record.toArray(Column[]::new))).otherwise(map().cast("map<string,string>"))
                .as("record"), col("reasons"))
        .write().format("delta").save(warehouse + "/quarantine");
    Dataset<Row> counts = checked.groupBy(lit("transactions").as("source_table"), col("source_file"))
        .agg(count(lit(1)).as("rows_read"), count_if(size(col("reasons")).gt(0)).as("quarantined"),
            count_if(col("skipped")).as("duplicates_skipped"))
        .withColumn("accepted", col("rows_read").minus(col("quarantined")).minus(col("duplicates_skipped")));
    counts.write().format("delta").save(warehouse + "/file_counts");
    spark.read().format("delta").load(warehouse + "/file_counts")
        .agg(sum("rows_read"), sum("accepted"), sum("quarantined"), sum("duplicates_skipped"))
        .collectAsList().forEach(r -> System.out.printf("transactions: %,d read = %,d accepted + %,d quarantined + "
            + "%,d skipped%n", r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3)));
    checked.unpersist();
    spark.stop();
  }

  /** A file set's Parquet files at any depth, with each row's file as ours names it. */
  private static Dataset<Row> read(SparkSession spark, String input, String fileSet) {
    return spark.read().option("recursiveFileLookup", "true").parquet(input + "/" + fileSet)
        .withColumn("source_file", col("_metadata.file_path"));
  }

  /** Not null and not blank (a pseudonym is null for a blank id). */
  private static Column present(String column) {
    return col(column).isNotNull().and(trim(col(column)).notEqual(""));
  }

  private static Column notNull(String... columns) {
    Column all = lit(true);
    for (String c : columns) {
      all = all.and(col(c).isNotNull());
    }
    return all;
  }

  /** The string columns' bytes, as read, are UTF-8 (a null is). */
  private static Column validUtf8(String... columns) {
    Column all = lit(true);
    for (String c : columns) {
      all = all.and(coalesce(call_function("is_valid_utf8", col(c)), lit(true)));
    }
    return all;
  }

  private static Column outside(Column value, double low, double high) {
    return value.isNotNull().and(isnan(value).or(value.lt(low)).or(value.gt(high)));
  }
}
