package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.ingest.Validation.Check;
import org.taobaovillages.table.CountyAttributes;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * The row checks of each input, as pure transformations: conformed rows in ({@link InputFiles}), rows with their
 * reasons and the duplicate flag out ({@link Validation}).
 */
public final class InputChecks {
  static final String VILLAGE_CODE_PATTERN = "^[0-9]{12}$";
  private static final String KNOWN = "_known";

  /** The window of order times a run accepts: [{@code start}, {@code end}). */
  public record Window(Instant start, Instant end, BigDecimal maxOrderAmountRmb) {}

  private InputChecks() {}

  /**
   * Village codes of 12 digits; households and population not negative; coordinates inside the configured
   * ranges (China's extent).
   */
  public static Dataset<Row> registry(Dataset<Row> registry, IngestConfig.Ranges ranges) {
    Column code = col(VillageRegistry.VILLAGE_CODE);
    List<Check> checks = readChecks(VillageRegistry.SCHEMA, Set.of(VillageRegistry.VILLAGE_CODE));
    checks.add(new Check(Reason.MALFORMED_VILLAGE_CODE, code.isNotNull().and(not(code.rlike(VILLAGE_CODE_PATTERN)))));
    checks.add(new Check(Reason.OUT_OF_RANGE, col(VillageRegistry.HOUSEHOLDS).lt(0)
        .or(col(VillageRegistry.POPULATION).lt(0))
        .or(outside(col(VillageRegistry.LONGITUDE), ranges.minLongitude(), ranges.maxLongitude()))
        .or(outside(col(VillageRegistry.LATITUDE), ranges.minLatitude(), ranges.maxLatitude()))));
    return resolved(Validation.withReasons(registry, checks), VillageRegistry.SCHEMA, VillageRegistry.VILLAGE_CODE);
  }

  /** Shares between 0 and 1; a programme start year from the configured earliest to the run date's year. */
  public static Dataset<Row> countyAttributes(Dataset<Row> counties, IngestConfig.Ranges ranges, int runYear) {
    List<Check> checks = readChecks(CountyAttributes.SCHEMA, Set.of(CountyAttributes.COUNTY_CODE));
    Column shareOutside = lit(false);
    for (String share : List.of(CountyAttributes.MANUFACTURING_SHARE, CountyAttributes.WHOLESALE_RETAIL_SHARE,
        CountyAttributes.MIGRANT_SHARE)) {
      shareOutside = shareOutside.or(outside(col(share), 0, 1));
    }
    Column year = col(CountyAttributes.PROGRAMME_START_YEAR);
    checks.add(new Check(Reason.OUT_OF_RANGE, shareOutside
        .or(year.lt(ranges.earliestProgrammeYear())).or(year.gt(runYear))));
    return resolved(Validation.withReasons(counties, checks), CountyAttributes.SCHEMA, CountyAttributes.COUNTY_CODE);
  }

  /** A non-null number outside [low, high], or NaN. */
  private static Column outside(Column value, double low, double high) {
    return value.isNotNull().and(isnan(value).or(value.lt(low)).or(value.gt(high)));
  }

  /** Seller accounts must name a village of the registry (accepted in this delivery, or stored). */
  public static Dataset<Row> sellerAccounts(Dataset<Row> accounts, Dataset<Row> acceptedVillageCodes) {
    Column code = col(SellerAccounts.VILLAGE_CODE);
    Dataset<Row> joined = withKnownFlag(accounts, SellerAccounts.VILLAGE_CODE, acceptedVillageCodes);
    List<Check> checks = readChecks(SellerAccounts.SCHEMA, Set.of(SellerAccounts.SELLER_ID, SellerAccounts.HOUSEHOLD_ID));
    checks.add(new Check(Reason.MALFORMED_VILLAGE_CODE, code.isNull().or(not(code.rlike(VILLAGE_CODE_PATTERN)))));
    checks.add(new Check(Reason.UNKNOWN_VILLAGE, code.rlike(VILLAGE_CODE_PATTERN).and(col(KNOWN).isNull())));
    checks.add(new Check(Reason.UNKNOWN_PLATFORM, notIn(col(SellerAccounts.PLATFORM), SellerAccounts.PLATFORMS)));
    return resolved(Validation.withReasons(joined, checks).drop(KNOWN), SellerAccounts.SCHEMA, SellerAccounts.SELLER_ID);
  }

  /**
   * Orders must belong to an accepted seller account, carry a known platform and status, a positive amount
   * unless refunded and no larger than the plausible maximum, a positive quantity, and a time inside the run's
   * window. Duplicates are resolved within the delivery and against {@code stored} (rows of earlier runs, or
   * null when there are none).
   */
  public static Dataset<Row> transactions(Dataset<Row> transactions, SellerLookup sellers, Window window,
      Dataset<Row> stored) {
    Dataset<Row> joined = withSellers(transactions, sellers);
    Column amount = col(Transactions.AMOUNT_RMB);
    Column status = col(Transactions.ORDER_STATUS);
    Column ts = col(Transactions.ORDER_TS);
    // A number above the maximum is an overflow, whether or not it fits the amount type; other text that is
    // not an amount (NaN, 12,50, or more than two decimals) is a malformed value.
    Column unreadableAmount = col(InputFiles.MALFORMED).getItem(Transactions.AMOUNT_RMB);
    Column max = lit(window.maxOrderAmountRmb());
    Column amountTooLarge = coalesce(unreadableAmount.rlike(TextValues.NUMBER)
            .and(trim(unreadableAmount).try_cast("double").gt(max.cast("double"))), lit(false))
        .or(coalesce(amount.gt(max), lit(false)));
    List<Check> checks = new ArrayList<>(Validation.readChecks(Transactions.INPUT_SCHEMA,
        Set.of(Transactions.TRANSACTION_ID, Transactions.SELLER_ID), Set.of(Transactions.AMOUNT_RMB)));
    checks.add(new Check(Reason.MALFORMED_VALUE, unreadableAmount.isNotNull().and(not(amountTooLarge))));
    checks.add(new Check(Reason.UNKNOWN_SELLER, col(Transactions.SELLER_ID).isNotNull().and(col(KNOWN).isNull())));
    checks.add(new Check(Reason.UNKNOWN_PLATFORM, notIn(col(Transactions.PLATFORM), SellerAccounts.PLATFORMS)));
    checks.add(new Check(Reason.UNKNOWN_STATUS, notIn(status, Transactions.STATUSES)));
    checks.add(new Check(Reason.NON_POSITIVE_AMOUNT, amount.leq(0).and(not(coalesce(status.equalTo("refunded"), lit(false))))));
    checks.add(new Check(Reason.AMOUNT_OVERFLOW, amountTooLarge));
    checks.add(new Check(Reason.NON_POSITIVE_QUANTITY, col(Transactions.QUANTITY).leq(0)));
    checks.add(new Check(Reason.ORDER_BEFORE_WINDOW, ts.lt(lit(Timestamp.from(window.start())))));
    checks.add(new Check(Reason.FUTURE_ORDER, ts.geq(lit(Timestamp.from(window.end())))));
    Dataset<Row> checked = Validation.withReasons(joined, checks).drop(KNOWN);
    return Validation.resolveDuplicates(checked, Transactions.TRANSACTION_ID, contentOf(Transactions.INPUT_SCHEMA),
        stored);
  }

  private static List<Check> readChecks(StructType schema, Set<String> keys) {
    return new ArrayList<>(Validation.readChecks(schema, keys, Set.of()));
  }

  private static Dataset<Row> resolved(Dataset<Row> checked, StructType schema, String key) {
    return Validation.resolveDuplicates(checked, key, contentOf(schema), null);
  }

  private static List<String> contentOf(StructType schema) {
    return List.of(schema.fieldNames());
  }

  /** True for non-null values outside the list (a null is a missing value, reported as such). */
  private static Column notIn(Column value, List<String> allowed) {
    return value.isNotNull().and(not(value.isin(allowed.toArray())));
  }

  /**
   * The seller ids of a delivery for {@link #transactions}: each distinct id as read, its pseudonym and the
   * {@link #KNOWN} flag (an accepted account, delivered or stored), so one HMAC and one lookup per distinct seller
   * instead of per order ({@link #sellerIds}). When small ({@code broadcast}) it is sent to every task and the
   * orders are not shuffled.
   */
  public record SellerLookup(Dataset<Row> ids, boolean broadcast) {}

  /** The table of a {@link SellerLookup}: the distinct seller ids of {@code orders}, pseudonymised and flagged. */
  public static Dataset<Row> sellerIds(Dataset<Row> orders, Pseudonymizer pseudo, Dataset<Row> acceptedSellerIds) {
    return sellerIds(pseudo.distinctPseudonyms(orders, Transactions.SELLER_ID), acceptedSellerIds);
  }

  /**
   * The same table from the orders' distinct seller ids already pseudonymised
   * ({@link Pseudonymizer#distinctPseudonyms}), which ingest also needs for {@link Redaction.Ids}.
   */
  public static Dataset<Row> sellerIds(Dataset<Row> distinctPseudonyms, Dataset<Row> acceptedSellerIds) {
    return withKnownFlag(distinctPseudonyms, Pseudonymizer.PSEUDONYM, acceptedSellerIds);
  }

  /** Orders with the seller id replaced by its pseudonym, and the {@link #KNOWN} flag. */
  private static Dataset<Row> withSellers(Dataset<Row> orders, SellerLookup sellers) {
    Dataset<Row> ids = sellers.broadcast() ? broadcast(sellers.ids()) : sellers.ids();
    return orders.join(ids, orders.col(Transactions.SELLER_ID).equalTo(ids.col(Pseudonymizer.RAW_ID)), "left")
        .withColumn(Transactions.SELLER_ID, col(Pseudonymizer.PSEUDONYM))
        .drop(Pseudonymizer.RAW_ID, Pseudonymizer.PSEUDONYM);
  }

  /**
   * True for an order row whose cells stand in their columns as far as the row itself shows: its line could be
   * split and decoded, and its platform and status are in their lists. A hand edit that shifts cells (one deleted
   * here, one inserted there) so that the seller column holds another value (the platform, the order id) moves a
   * value that is not a platform into the platform column, unless it only swaps the order and seller ids. The ids
   * of a row that fails this are not taken as seller ids ({@link Redaction}): its "seller id" may be "taobao", and
   * every order of Taobao would then hold an id.
   */
  public static Column orderCellsInPlace() {
    return col(InputFiles.PROBLEM).isNull()
        .and(coalesce(col(Transactions.PLATFORM).isin(SellerAccounts.PLATFORMS.toArray()), lit(false)))
        .and(coalesce(col(Transactions.ORDER_STATUS).isin(Transactions.STATUSES.toArray()), lit(false)));
  }

  /**
   * The same for a seller account row: its line split and decoded, its village code of 12 digits, its platform in
   * its list and its opening date a date. Any shift of its cells that moves another value into the seller or the
   * household column breaks one of these.
   */
  public static Column accountCellsInPlace() {
    return col(InputFiles.PROBLEM).isNull()
        .and(coalesce(col(SellerAccounts.VILLAGE_CODE).rlike(VILLAGE_CODE_PATTERN), lit(false)))
        .and(coalesce(col(SellerAccounts.PLATFORM).isin(SellerAccounts.PLATFORMS.toArray()), lit(false)))
        .and(size(col(InputFiles.MALFORMED)).equalTo(0));
  }

  /** Left join on a key column with a one-column set of known keys; {@link #KNOWN} is null for unknown keys. */
  private static Dataset<Row> withKnownFlag(Dataset<Row> rows, String key, Dataset<Row> knownKeys) {
    Dataset<Row> known = knownKeys.toDF(KNOWN).distinct();
    return rows.join(known, rows.col(key).equalTo(known.col(KNOWN)), "left");
  }
}
