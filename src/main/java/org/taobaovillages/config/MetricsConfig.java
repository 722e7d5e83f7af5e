package org.taobaovillages.config;

import java.math.BigDecimal;
import java.util.List;

/** How village metrics are computed by default: who counts as an active seller, which platforms are Taobao's. */
public record MetricsConfig(long minPaidOrders, BigDecimal minSalesRmb, List<String> taobaoPlatforms) {
  /** The default active-seller definition (village_month, the generator's ledger). */
  public ActiveSeller activeSeller() {
    return new ActiveSeller(minPaidOrders, minSalesRmb);
  }

  public String activeDefinition() {
    return activeSeller().describe();
  }
}
