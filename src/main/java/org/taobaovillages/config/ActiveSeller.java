package org.taobaovillages.config;

import java.math.BigDecimal;

/**
 * Which seller accounts count as active in a period (a calendar year or the trailing 12 months): at least
 * {@code minPaidOrders} orders with a sale status and at least {@code minSalesRmb} of sales in the period. The
 * sources leave "active" open (domain.md section 2), so every rule states its own.
 */
public record ActiveSeller(long minPaidOrders, BigDecimal minSalesRmb) {
  /** The definition as text: the key of the metrics computed under it, and what status rows show. */
  public String describe() {
    return "paid orders >= " + minPaidOrders + " and sales_rmb >= " + minSalesRmb.toPlainString();
  }
}
