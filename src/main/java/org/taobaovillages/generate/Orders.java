package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.config.GenerateConfig;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.table.SellerAccounts;
import org.taobaovillages.table.Transactions;
import org.taobaovillages.table.VillageRegistry;

/**
 * Orders drawn from the seller-year ledger, in one streaming pass (explode, no shuffle but the final layout).
 *
 * <p><b>Exact sums.</b> A seller-year with sales T cents gets n = round(T / unit price) sale orders (at least
 * one, each at least RMB 2). Order i gets T div n cents, one more cent for the first T mod n orders, and a
 * deviation of +d_k / -d_k for the two orders of pair k (|d_k| up to 40 % of the base), so the amounts vary but
 * add up to T exactly and every amount is positive. The pipeline's village-year sales therefore equal the
 * ledger to the cent. Refunded and cancelled orders come on top (they carry no sales).
 *
 * <p><b>Seasonality</b> (China time): order days follow a density with a trough of 0.3 in the two weeks around
 * the Spring Festival, 1.6 in the Singles' Day pre-sale (1-10 November), 25 on 11 November and 1.3 in the rest
 * of November and December; orders of the last ten days of December are still shipped or paid at year end.
 */
public final class Orders {
  public static final String ORDER_INDEX = "order_index";
  public static final String SALE_ORDERS = "sale_orders";
  public static final String EXTRA_ORDERS = "extra_orders";
  static final long MIN_ORDER_CENTS = 200;
  private static final String SELLER_YEAR_KEY = "_seller_year";

  /** Spring Festival (Lunar New Year's Day) 2009-2022. */
  static final String[] SPRING_FESTIVAL = {"2009-01-26", "2010-02-14", "2011-02-03", "2012-01-23", "2013-02-10",
      "2014-01-31", "2015-02-19", "2016-02-08", "2017-01-28", "2018-02-16", "2019-02-05", "2020-01-25",
      "2021-02-12", "2022-02-01"};

  private Orders() {}

  /** Sale orders per seller-year: sales over unit price, at least 1, at most sales / RMB 2. */
  static Column saleOrders() {
    Column cents = col(Sellers.SALES_CENTS);
    return greatest(lit(1L), least(round(cents.divide(col(WorldModel.PRICE_RMB).multiply(100))).cast("long"),
        floor(cents.divide(MIN_ORDER_CENTS)).cast("long"))).cast("int");
  }

  /** Clean orders (schema {@link Transactions#INPUT_SCHEMA} plus the village code for the layout). */
  public static Dataset<Row> clean(Dataset<Row> sellerYears, GenerateConfig cfg) {
    HashRandom rnd = new HashRandom(cfg.seed());
    Column seller = col(SellerAccounts.SELLER_ID);
    Column y = col(WorldModel.YEAR);
    Column i = col(ORDER_INDEX);
    // One hash per seller-year, computed before the explode: per-order draws hash (this, order number) only.
    Column sellerYear = col(SELLER_YEAR_KEY);
    Column n = col(SALE_ORDERS);
    Column total = col(Sellers.SALES_CENTS);
    Column base = total.divide(n).cast("long"); // integer division of positive longs
    Column extraCent = when(i.leq(pmod(total, n.cast("long"))), lit(1L)).otherwise(lit(0L));
    Column pair = floor(i.minus(1).divide(2));
    Column unpaired = pmod(n, lit(2)).equalTo(1).and(i.equalTo(n));
    Column deviation = floor(base.multiply(0.4).multiply(rnd.uniform("amount", sellerYear, pair)))
        .multiply(when(pmod(i.minus(1), lit(2)).equalTo(0), lit(1)).otherwise(lit(-1)));
    Column saleCents = base.plus(extraCent).plus(when(unpaired, lit(0L)).otherwise(deviation));
    Column extraCents = greatest(lit(MIN_ORDER_CENTS), round(col(WorldModel.PRICE_RMB).multiply(100)
        .multiply(rnd.between("extra-amount", 0.5, 1.5, sellerYear, i))).cast("long"));
    Column isSale = i.leq(n);
    Column day = seasonalDay(rnd.uniform("day", sellerYear, i));
    Column yearStart = unix_seconds(make_timestamp(y, lit(1), lit(1), lit(0), lit(0), lit(0), lit(Sessions.TIME_ZONE)));
    Column seconds = yearStart.plus(day.multiply(86_400).cast("long"));
    Column daysLeft = col("_days").minus(day);
    Column saleStatus = when(daysLeft.lt(3), lit("paid")).when(daysLeft.lt(10), lit("shipped")).otherwise(lit("completed"));
    Column extraStatus = when(rnd.uniform("extra-status", sellerYear, i).lt(0.75), lit("refunded")).otherwise(lit("cancelled"));
    Column quantity = lit(1).plus(floor(rnd.exponential("quantity", 0.3, sellerYear, i))).cast("int");
    // Specialisation: a producer village sells its main category in 85 % of orders, a merchant village (wide
    // sourcing) in 60 %; most of the rest is one of the village's two secondary categories.
    Column[] names = WorldModel.CATEGORY_PRICES.keySet().stream().map(c -> lit(c)).toArray(Column[]::new);
    Column v = col(VillageRegistry.VILLAGE_CODE);
    Column secondary = element_at(array(names), floor(rnd.uniform("secondary-category", v,
        floor(rnd.uniform("which-secondary", sellerYear, i).multiply(2))).multiply(names.length)).cast("int").plus(1));
    Column anyCategory = element_at(array(names),
        floor(rnd.uniform("other-category", sellerYear, i).multiply(names.length)).cast("int").plus(1));
    Column mainShare = when(col(WorldModel.BUSINESS_MODEL).equalTo(WorldModel.MERCHANT), lit(0.6)).otherwise(lit(0.85));
    Column u = rnd.uniform("category", sellerYear, i);
    Column category = when(u.lt(mainShare), col(WorldModel.CATEGORY))
        .when(u.lt(mainShare.plus(lit(1).minus(mainShare).multiply(0.75))), secondary).otherwise(anyCategory);
    // Unique by construction: the seller's place in the world, the year and the order number.
    Column transactionId = concat(lit("T"), col(VillageRegistry.VILLAGE_CODE),
        lpad(col(Sellers.SLOT).cast("string"), 5, "0"), lpad(col(Sellers.GENERATION).cast("string"), 2, "0"),
        y.cast("string"), lpad(i.cast("string"), 7, "0"));

    return withSeasons(sellerYears)
        .withColumn(SELLER_YEAR_KEY, rnd.hash("seller-year", seller, y))
        .withColumn(SALE_ORDERS, saleOrders())
        .withColumn(EXTRA_ORDERS, floor(n.multiply(cfg.refundRate()).plus(rnd.uniform("extras", seller, y))).cast("int"))
        .withColumn(ORDER_INDEX, explode(sequence(lit(1), n.plus(col(EXTRA_ORDERS)))))
        .select(transactionId.as(Transactions.TRANSACTION_ID), seller.as(Transactions.SELLER_ID),
            col(SellerAccounts.PLATFORM).as(Transactions.PLATFORM),
            timestamp_seconds(seconds).as(Transactions.ORDER_TS),
            when(isSale, saleCents).otherwise(extraCents).cast("decimal(20,0)").divide(100)
                .cast(Transactions.AMOUNT_TYPE).as(Transactions.AMOUNT_RMB),
            quantity.as(Transactions.QUANTITY), category.as(Transactions.CATEGORY),
            when(isSale, saleStatus).otherwise(extraStatus).as(Transactions.ORDER_STATUS),
            col(VillageRegistry.VILLAGE_CODE));
  }

  static Column daysInYear(Column y) {
    return datediff(make_date(y.plus(1), lit(1), lit(1)), make_date(y, lit(1), lit(1)));
  }

  // Per seller-year columns of the seasonal density: segment bounds (days from 1 January) and cumulative masses.
  private static final double[] DENSITY = {1.0, 0.3, 1.0, 1.6, 25.0, 1.3};
  private static final String BOUND = "_bound";
  private static final String MASS = "_mass";

  /**
   * Adds the seasonal segments of each seller-year's year: [0, sf-7), [sf-7, sf+7), [sf+7, nov1), [nov1, nov11),
   * [nov11, nov12), [nov12, end), sf being the Spring Festival, and the cumulative density mass at each bound.
   * Computed once per seller-year (before orders are exploded) so order expressions stay small.
   */
  static Dataset<Row> withSeasons(Dataset<Row> sellerYears) {
    Column y = col(WorldModel.YEAR);
    Column sf = lit(0);
    for (int k = 0; k < SPRING_FESTIVAL.length; k++) {
      sf = when(y.equalTo(2009 + k), datediff(to_date(lit(SPRING_FESTIVAL[k])), make_date(y, lit(1), lit(1))))
          .otherwise(sf);
    }
    Dataset<Row> d = sellerYears.withColumn("_sf", sf).withColumn("_days", daysInYear(y));
    Column[] bounds = {lit(0), col("_sf").minus(7), col("_sf").plus(7), col("_days").minus(61),
        col("_days").minus(51), col("_days").minus(50), col("_days")};
    d = d.withColumn(MASS + 0, lit(0.0)).withColumn(BOUND + 0, bounds[0]);
    for (int s = 0; s < DENSITY.length; s++) {
      d = d.withColumn(BOUND + (s + 1), bounds[s + 1])
          .withColumn(MASS + (s + 1), col(MASS + s).plus(col(BOUND + (s + 1)).minus(col(BOUND + s)).multiply(DENSITY[s])));
    }
    return d.drop("_sf");
  }

  /** Day of the year (fractional, from 0): the seasonal density inverted at u (needs {@link #withSeasons}). */
  static Column seasonalDay(Column u) {
    Column target = u.multiply(col(MASS + DENSITY.length));
    Column day = lit(0.0);
    for (int s = DENSITY.length - 1; s >= 0; s--) {
      Column inSegment = col(BOUND + s).plus(target.minus(col(MASS + s)).divide(DENSITY[s]));
      day = when(target.geq(col(MASS + s)).and(target.lt(col(MASS + (s + 1)))), inSegment).otherwise(day);
    }
    return least(day, col("_days").minus(1e-6));
  }
}
