package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.ingest.Validation.Check;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/** The row checks of each input, as pure transformations: rows in, rows with their reasons out. */
public final class InputChecks {
  static final String VILLAGE_CODE_PATTERN = "^[0-9]{12}$";
  private static final String KNOWN = "_known";

  private InputChecks() {}

  public static Dataset<Row> registry(Dataset<Row> registry) {
    Column code = col(VillageRegistry.VILLAGE_CODE);
    return Validation.withReasons(registry, List.of(
        new Check(Reason.MISSING_KEY, code.isNull()),
        new Check(Reason.MALFORMED_VILLAGE_CODE, code.isNotNull().and(not(code.rlike(VILLAGE_CODE_PATTERN)))),
        Validation.duplicateOf(VillageRegistry.VILLAGE_CODE, col(InputFiles.SOURCE_FILE), col(VillageRegistry.VILLAGE_NAME))));
  }

  public static Dataset<Row> countyAttributes(Dataset<Row> counties) {
    Column code = col(CountyAttributes.COUNTY_CODE);
    return Validation.withReasons(counties, List.of(
        new Check(Reason.MISSING_KEY, code.isNull()),
        Validation.duplicateOf(CountyAttributes.COUNTY_CODE, col(InputFiles.SOURCE_FILE), col(CountyAttributes.COUNTY_NAME))));
  }

  /** Seller accounts must name a village of the (accepted) registry. */
  public static Dataset<Row> sellerAccounts(Dataset<Row> accounts, Dataset<Row> acceptedVillageCodes) {
    Column code = col(SellerAccounts.VILLAGE_CODE);
    Dataset<Row> joined = withKnownFlag(accounts, SellerAccounts.VILLAGE_CODE, acceptedVillageCodes);
    Dataset<Row> checked = Validation.withReasons(joined, List.of(
        new Check(Reason.MISSING_KEY, col(SellerAccounts.SELLER_ID).isNull().or(col(SellerAccounts.HOUSEHOLD_ID).isNull())),
        new Check(Reason.MALFORMED_VILLAGE_CODE, code.isNull().or(not(code.rlike(VILLAGE_CODE_PATTERN)))),
        new Check(Reason.UNKNOWN_VILLAGE, code.rlike(VILLAGE_CODE_PATTERN).and(col(KNOWN).isNull())),
        new Check(Reason.UNKNOWN_PLATFORM, notIn(col(SellerAccounts.PLATFORM), SellerAccounts.PLATFORMS)),
        Validation.duplicateOf(SellerAccounts.SELLER_ID, col(InputFiles.SOURCE_FILE), col(SellerAccounts.OPENED_DATE))));
    return checked.drop(KNOWN);
  }

  /**
   * Orders must belong to an accepted seller account, carry a known platform and status, a positive amount
   * unless refunded, and a time before the end of the run date (China time).
   */
  public static Dataset<Row> transactions(Dataset<Row> transactions, Dataset<Row> acceptedSellerIds, Instant runEnd) {
    Dataset<Row> joined = withKnownFlag(transactions, Transactions.SELLER_ID, acceptedSellerIds);
    Column amount = col(Transactions.AMOUNT_RMB);
    Column status = col(Transactions.ORDER_STATUS);
    Column ts = col(Transactions.ORDER_TS);
    Dataset<Row> checked = Validation.withReasons(joined, List.of(
        new Check(Reason.MISSING_KEY, col(Transactions.TRANSACTION_ID).isNull().or(col(Transactions.SELLER_ID).isNull())),
        new Check(Reason.UNKNOWN_SELLER, col(Transactions.SELLER_ID).isNotNull().and(col(KNOWN).isNull())),
        new Check(Reason.UNKNOWN_PLATFORM, notIn(col(Transactions.PLATFORM), SellerAccounts.PLATFORMS)),
        new Check(Reason.UNKNOWN_STATUS, notIn(status, Transactions.STATUSES)),
        new Check(Reason.NON_POSITIVE_AMOUNT, amount.isNull().or(amount.leq(0).and(not(status.equalTo("refunded"))))),
        new Check(Reason.MISSING_ORDER_TIME, ts.isNull()),
        new Check(Reason.FUTURE_ORDER, ts.geq(lit(Timestamp.from(runEnd)))),
        Validation.duplicateOf(Transactions.TRANSACTION_ID, col(InputFiles.SOURCE_FILE), ts, amount)));
    return checked.drop(KNOWN);
  }

  /** True for values outside the list, and for null. */
  private static Column notIn(Column value, List<String> allowed) {
    return not(coalesce(value.isin(allowed.toArray()), lit(false)));
  }

  /** Left join on a key column with a one-column set of known keys; {@link #KNOWN} is null for unknown keys. */
  private static Dataset<Row> withKnownFlag(Dataset<Row> rows, String key, Dataset<Row> knownKeys) {
    Dataset<Row> known = knownKeys.toDF(KNOWN).distinct();
    return rows.join(known, rows.col(key).equalTo(known.col(KNOWN)), "left");
  }
}
