package org.taobaovillages.config;

/** A versioned super-sized county rule: the county's qualifying villages (under {@code villageRule}) meet {@code villages}. */
public record CountyRule(String id, String version, String description, String source, String villageRule,
    Criterion villages) {

  public String describe() {
    return "qualifying villages " + villages.operator().symbol() + " " + villages.threshold().toPlainString()
        + "; villages under rule " + villageRule;
  }
}
