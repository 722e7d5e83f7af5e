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
    return orders.withColumn(DELIVERY_MONTH,
        date_format(when(isLate(rnd, id, cfg), add_months(monthStart, lateBy)).otherwise(monthStart), "yyyy-MM"));
  }

  /** Late: the late draw under the rate; never an order that also gets an exact duplicate (one kind per id). */
  private static Column isLate(HashRandom rnd, Column id, GenerateConfig cfg) {
    return rnd.uniform("late", id).lt(cfg.lateRate())
        .and(not(isDirty(rnd, id, cfg).and(kindIndex(rnd, id).equalTo(0))));
  }

  /**
   * The delivered orders with the defective companion rows of a share {@code dirty-rate} of them, in one pass
   * (each selected order becomes an array of itself and its companion, exploded), so orders are drawn once.
   * Columns: the order columns and the delivery month.
   */
  public static Dataset<Row> withCompanions(Dataset<Row> delivered, GenerateConfig cfg) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column id = col(Transactions.TRANSACTION_ID);
    Column k = kindIndex(rnd, id);
    Column kind = kindName(k);
    Column amount = col(Transactions.AMOUNT_RMB);
    Column future = timestamp_seconds(unix_seconds(make_timestamp(lit(CountyTrajectories.LAST_YEAR + 8), lit(1),
        lit(1), lit(0), lit(0), lit(0), lit(Sessions.TIME_ZONE))).plus(
            floor(rnd.uniform("future", id).multiply(3e7)).cast("long")));
    Column companion = struct(
        when(kind.equalTo(ORDER_KINDS.get(0)), id).otherwise(concat(id, lit("D"), k.cast("string")))
            .as(Transactions.TRANSACTION_ID),
        when(kind.equalTo("null_seller_id"), lit(null).cast("string"))
            .when(kind.equalTo("unknown_seller"), concat(lit("tb"), lower(hex(rnd.hash("unknown-seller", id)))))
            .otherwise(col(Transactions.SELLER_ID)).as(Transactions.SELLER_ID),
        when(kind.equalTo("bad_platform"), when(rnd.uniform("bad-platform", id).lt(0.5),
            upper(col(Transactions.PLATFORM))).otherwise(lit("unknown_app")))
            .otherwise(col(Transactions.PLATFORM)).as(Transactions.PLATFORM),
        when(kind.equalTo("future_timestamp"), future).otherwise(col(Transactions.ORDER_TS)).as(Transactions.ORDER_TS),
        when(kind.equalTo("non_positive_amount"), when(rnd.uniform("zero", id).lt(0.5), lit(0))
            .otherwise(amount.multiply(-1))).otherwise(amount).cast(Transactions.AMOUNT_TYPE).as(Transactions.AMOUNT_RMB),
        col(Transactions.QUANTITY), col(Transactions.CATEGORY),
        when(kind.equalTo("non_positive_amount"), lit("completed")).when(kind.equalTo("bad_status"), lit("done"))
            .otherwise(col(Transactions.ORDER_STATUS)).as(Transactions.ORDER_STATUS),
        col(VillageRegistry.VILLAGE_CODE), col(DELIVERY_MONTH));
    List<Column> fields = new java.util.ArrayList<>();
    for (String f : Transactions.INPUT_SCHEMA.fieldNames()) {
      fields.add(col(f));
    }
    fields.add(col(VillageRegistry.VILLAGE_CODE));
    fields.add(col(DELIVERY_MONTH));
    Column itself = struct(fields.toArray(Column[]::new));
    Column rows = when(isDirty(rnd, id, cfg), array(itself, companion)).otherwise(array(itself));
    return delivered.select(explode(rows).as("_row")).select("_row.*");
  }

  private static Column isDirty(HashRandom rnd, Column sourceId, GenerateConfig cfg) {
    return rnd.uniform("dirty", sourceId).lt(cfg.dirtyRate());
  }

  /** The name of the order defect kind with the given 0-based index. */
  private static Column kindName(Column index) {
    return element_at(array(ORDER_KINDS.stream().map(name -> lit(name)).toArray(Column[]::new)), index.plus(1));
  }

  private static Column kindIndex(HashRandom rnd, Column sourceId) {
    return floor(rnd.uniform("dirty-kind", sourceId).multiply(ORDER_KINDS.size())).cast("int");
  }

  /**
   * Truth rows of the planted order rows, recovered from the written orders (not by drawing the orders again):
   * a companion's id is its source's id plus D and the kind number, an exact duplicate's id is its source's id
   * (listed once), and late rows are the clean rows whose late draw fell under the rate.
   */
  public static Dataset<Row> orderTruth(Dataset<Row> written, GenerateConfig cfg) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column id = col(Transactions.TRANSACTION_ID);
    Column isCompanion = id.rlike("D[0-9]$");
    Column sourceId = when(isCompanion, expr("substring(transaction_id, 1, length(transaction_id) - 2)"))
        .otherwise(id);
    Column duplicated = not(isCompanion).and(isDirty(rnd, id, cfg)).and(kindIndex(rnd, id).equalTo(0));
    Column kind = when(isCompanion, kindName(expr("cast(substring(transaction_id, -1, 1) as int)")))
        .when(duplicated, lit(ORDER_KINDS.get(0)))
        .when(isLate(rnd, sourceId, cfg), lit(LATE));
    Dataset<Row> planted = written.withColumn(DEFECT, kind).where(col(DEFECT).isNotNull())
        .select(lit(Transactions.NAME).as(TruthDefects.FILE_SET), id.as(TruthDefects.TRANSACTION_ID),
            col(Transactions.SELLER_ID).as(TruthDefects.SELLER_ID), col(DEFECT).as(TruthDefects.KIND),
            when(col(DEFECT).equalTo(LATE), lit(TruthDefects.ACCEPT))
                .when(col(DEFECT).equalTo(ORDER_KINDS.get(0)), lit(TruthDefects.SKIP_DUPLICATE))
                .otherwise(lit(TruthDefects.QUARANTINE)).as(TruthDefects.EXPECTED),
            col(DELIVERY_MONTH).as(TruthDefects.DELIVERY_MONTH));
    // A duplicated id is read twice (both copies carry the same values); the truth lists its companion once.
    return planted.dropDuplicates(TruthDefects.TRANSACTION_ID, TruthDefects.KIND);
  }

  /** Bogus companion accounts of a share of the real ones, with a malformed or unknown village code. */
  public static Dataset<Row> accountDefects(Dataset<Row> accounts, GenerateConfig cfg) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column seller = col(SellerAccounts.SELLER_ID);
    Column code = col(SellerAccounts.VILLAGE_CODE);
    // The kind is drawn once, from the real account's id, and both the label and the planted code follow it
    // (drawing it again after the id is replaced would label some accounts with the other kind).
    Column malformed = col(DEFECT).equalTo(ACCOUNT_KINDS.get(0));
    // Village committees are numbered 2xx within their township, so xxx999 is never a registered village.
    return accounts
        .where(rnd.uniform("dirty-account", seller).lt(cfg.dirtyRate()))
        .withColumn(DEFECT, when(rnd.uniform("account-kind", seller).lt(0.5), lit(ACCOUNT_KINDS.get(0)))
            .otherwise(lit(ACCOUNT_KINDS.get(1))))
        .withColumn(SellerAccounts.VILLAGE_CODE, when(malformed, substring(code, 1, 11))
            .otherwise(concat(substring(code, 1, 9), lit("999"))))
        .withColumn(SellerAccounts.SELLER_ID, concat(lit("tbx"), lower(hex(rnd.hash("bogus-account", seller)))));
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
