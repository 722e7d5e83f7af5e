package org.taobaovillages.config;

/**
 * A versioned village rule (domain.md section 2): {@code sales} AND ({@code activeShops} OR
 * {@code householdShare}, when the rule has one) AND {@code platform} (when the rule has one), with active sellers
 * counted under {@code activeSeller}. {@code kind} is taobao_village or ecommerce_village (platform-neutral).
 */
public record VillageRule(
    String id,
    String version,
    String kind,
    String description,
    String source,
    ActiveSeller activeSeller,
    Criterion sales,
    Criterion activeShops,
    Criterion householdShare,
    PlatformCondition platform) {

  public boolean hasHouseholdShare() {
    return householdShare != null;
  }

  public boolean hasPlatform() {
    return platform != null;
  }

  /** The rule as one readable line, stored with every status row. */
  public String describe() {
    String scale = "active_sellers " + activeShops.operator().symbol() + " " + activeShops.threshold().toPlainString()
        + (hasHouseholdShare() ? " OR household_share " + householdShare.operator().symbol() + " "
            + householdShare.threshold().toPlainString() : "");
    return "sales_rmb " + sales.operator().symbol() + " " + sales.threshold().toPlainString()
        + " AND " + (hasHouseholdShare() ? "(" + scale + ")" : scale)
        + (hasPlatform() ? " AND " + platform.describe() : "")
        + "; active seller: " + activeSeller.describe();
  }
}
