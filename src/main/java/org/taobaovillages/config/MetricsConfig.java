package org.taobaovillages.config;

import java.math.BigDecimal;
import java.util.List;

/** How village-year metrics are computed: who counts as an active seller, which platforms are Taobao's. */
public record MetricsConfig(long minPaidOrders, BigDecimal minSalesRmb, List<String> taobaoPlatforms) {
  public String activeDefinition() {
    return "paid orders >= " + minPaidOrders + " and sales_rmb >= " + minSalesRmb.toPlainString();
  }
}
