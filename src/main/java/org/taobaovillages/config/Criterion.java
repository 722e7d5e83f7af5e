package org.taobaovillages.config;

import java.math.BigDecimal;

/** One threshold of a rule set: value OPERATOR threshold. */
public record Criterion(Comparison operator, BigDecimal threshold) {
  public String describe(String column) {
    return column + " " + operator.symbol() + " " + threshold.toPlainString();
  }
}
