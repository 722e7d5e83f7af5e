package org.taobaovillages.config;

/**
 * A versioned Taobao Town rule: at least {@code minVillages} villages qualifying under {@code villageRule} in
 * the township, or (widened definition, when {@code sales} is set) the township's sales meet {@code sales} and
 * its active shops meet {@code activeShops}.
 */
public record TownRule(String id, String version, String description, String source, String villageRule,
    int minVillages, Criterion sales, Criterion activeShops) {

  public boolean widened() {
    return sales != null;
  }

  public String describe() {
    return "qualifying villages >= " + minVillages + (widened() ? " OR (sales_rmb " + sales.operator().symbol() + " "
        + sales.threshold().toPlainString() + " AND active_sellers " + activeShops.operator().symbol() + " "
        + activeShops.threshold().toPlainString() + ")" : "") + "; villages under rule " + villageRule;
  }
}
