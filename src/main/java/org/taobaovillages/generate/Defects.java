package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.TruthDefects;
import org.taobaovillages.table.VillageRegistry;

/**
 * Dirty data like real feeds, planted on top of the clean orders so that the clean rows stay exactly the
 * ledger: a share {@code dirty-rate} of clean orders each gets one defective companion row (an exact
 * duplicate, or a copy with a new id and one bad field), a share of seller accounts gets a bogus companion
 * account with a bad village code, and a share {@code late-rate} of clean orders is delivered one to three
 * months late (valid, to be accepted into its order month). Every planted row is listed in the truth table
 * {@link TruthDefects}.
 */
public final class Defects {
  /** Defect kinds of order rows, in the order they are drawn. */
  public static final List<String> ORDER_KINDS = List.of("duplicate_transaction_id", "null_seller_id",
      "unknown_seller", "non_positive_amount", "future_timestamp", "bad_platform", "bad_status");
  public static final List<String> ACCOUNT_KINDS = List.of("malformed_village_code", "unknown_village_code");
  public static final String LATE = "late_arrival";
  public static final String DELIVERY_MONTH = "delivery_month";
  private static final String DEFECT = "_defect";

  private Defects() {}

  /** Month of an order in China time, yyyy-MM. */
  static Column orderMonth(Column ts) {
    return date_format(from_utc_timestamp(ts, Sessions.TIME_ZONE), "yyyy-MM");
  }

  /** Clean orders with their delivery month (late ones one to three months after the order month). */
  public static Dataset<Row> withDelivery(Dataset<Row> orders, GenerateConfig cfg) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column id = col(Transactions.TRANSACTION_ID);
    Column monthStart = to_date(concat(orderMonth(col(Transactions.ORDER_TS)), lit("-01")));
    Column lateBy = lit(1).plus(floor(rnd.uniform("late-by", id).multiply(3))).cast("int");
    Column late = rnd.uniform("late", id).lt(cfg.lateRate());
    return orders.withColumn(DELIVERY_MONTH,
        date_format(when(late, add_months(monthStart, lateBy)).otherwise(monthStart), "yyyy-MM"))
        .withColumn(DEFECT, when(late, lit(LATE)));
  }

  /** The defective companion rows of clean orders (same columns, {@code _defect} names the kind). */
  public static Dataset<Row> orderDefects(Dataset<Row> delivered, GenerateConfig cfg) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column id = col(Transactions.TRANSACTION_ID);
    Column k = floor(rnd.uniform("dirty-kind", id).multiply(ORDER_KINDS.size())).cast("int");
    Column kind = element_at(array(ORDER_KINDS.stream().map(functions -> lit(functions)).toArray(Column[]::new)),
        k.plus(1));
    Column is = col(DEFECT);
    Column newId = when(is.equalTo(ORDER_KINDS.get(0)), id).otherwise(concat(id, lit("D"), k.cast("string")));
    Column amount = col(Transactions.AMOUNT_RMB);
    Column future = timestamp_seconds(unix_seconds(make_timestamp(lit(CountyTrajectories.LAST_YEAR + 8), lit(1),
        lit(1), lit(0), lit(0), lit(0), lit(Sessions.TIME_ZONE))).plus(
            floor(rnd.uniform("future", id).multiply(3e7)).cast("long")));
    return delivered
        .where(rnd.uniform("dirty", id).lt(cfg.dirtyRate()))
        .withColumn(DEFECT, kind)
        .withColumn(Transactions.TRANSACTION_ID, newId)
        .withColumn(Transactions.SELLER_ID, when(is.equalTo("null_seller_id"), lit(null).cast("string"))
            .when(is.equalTo("unknown_seller"), concat(lit("tb"), lower(hex(rnd.hash("unknown-seller", id)))))
            .otherwise(col(Transactions.SELLER_ID)))
        .withColumn(Transactions.AMOUNT_RMB, when(is.equalTo("non_positive_amount"),
            when(rnd.uniform("zero", id).lt(0.5), lit(0)).otherwise(amount.multiply(-1)))
            .otherwise(amount).cast(Transactions.AMOUNT_TYPE))
        .withColumn(Transactions.ORDER_STATUS, when(is.equalTo("non_positive_amount"), lit("completed"))
            .when(is.equalTo("bad_status"), lit("done")).otherwise(col(Transactions.ORDER_STATUS)))
        .withColumn(Transactions.ORDER_TS, when(is.equalTo("future_timestamp"), future)
            .otherwise(col(Transactions.ORDER_TS)))
        .withColumn(Transactions.PLATFORM, when(is.equalTo("bad_platform"),
            when(rnd.uniform("bad-platform", id).lt(0.5), upper(col(Transactions.PLATFORM))).otherwise(lit("unknown_app")))
            .otherwise(col(Transactions.PLATFORM)));
  }

  /** Bogus companion accounts of a share of the real ones, with a malformed or unknown village code. */
  public static Dataset<Row> accountDefects(Dataset<Row> accounts, GenerateConfig cfg) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column seller = col(SellerAccounts.SELLER_ID);
    Column code = col(SellerAccounts.VILLAGE_CODE);
    Column malformed = rnd.uniform("account-kind", seller).lt(0.5);
    // Village committees are numbered 2xx within their township, so xxx999 is never a registered village.
    return accounts
        .where(rnd.uniform("dirty-account", seller).lt(cfg.dirtyRate()))
        .withColumn(DEFECT, when(malformed, lit(ACCOUNT_KINDS.get(0))).otherwise(lit(ACCOUNT_KINDS.get(1))))
        .withColumn(SellerAccounts.SELLER_ID, concat(lit("tbx"), lower(hex(rnd.hash("bogus-account", seller)))))
        .withColumn(SellerAccounts.VILLAGE_CODE, when(malformed, substring(code, 1, 11))
            .otherwise(concat(substring(code, 1, 9), lit("999"))));
  }

  /** Truth rows for planted order rows (defective companions and late deliveries). */
  public static Dataset<Row> orderTruth(Dataset<Row> plantedOrders) {
    Column kind = col(DEFECT);
    return plantedOrders.select(lit(Transactions.NAME).as(TruthDefects.FILE_SET),
        col(Transactions.TRANSACTION_ID).as(TruthDefects.TRANSACTION_ID),
        col(Transactions.SELLER_ID).as(TruthDefects.SELLER_ID), kind.as(TruthDefects.KIND),
        when(kind.equalTo(LATE), lit(TruthDefects.ACCEPT))
            .when(kind.equalTo(ORDER_KINDS.get(0)), lit(TruthDefects.SKIP_DUPLICATE))
            .otherwise(lit(TruthDefects.QUARANTINE)).as(TruthDefects.EXPECTED),
        col(DELIVERY_MONTH).as(TruthDefects.DELIVERY_MONTH));
  }

  public static Dataset<Row> accountTruth(Dataset<Row> plantedAccounts) {
    return plantedAccounts.select(lit(SellerAccounts.NAME).as(TruthDefects.FILE_SET),
        lit(null).cast("string").as(TruthDefects.TRANSACTION_ID), col(SellerAccounts.SELLER_ID).as(TruthDefects.SELLER_ID),
        col(DEFECT).as(TruthDefects.KIND), lit(TruthDefects.QUARANTINE).as(TruthDefects.EXPECTED),
        lit(null).cast("string").as(TruthDefects.DELIVERY_MONTH));
  }

  static String defectColumn() {
    return DEFECT;
  }

}
