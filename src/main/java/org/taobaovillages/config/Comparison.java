package org.taobaovillages.config;

import org.apache.spark.sql.Column;

/** The comparison operator of a rule criterion: "exceed" and "at least" differ between rule statements. */
public enum Comparison {
  GREATER_THAN(">"),
  AT_LEAST(">=");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public Column apply(Column value, Object threshold) {
    return switch (this) {
      case GREATER_THAN -> value.gt(threshold);
      case AT_LEAST -> value.geq(threshold);
    };
  }

  public static Comparison parse(String symbol, String where) {
    for (Comparison c : values()) {
      if (c.symbol.equals(symbol.trim())) {
        return c;
      }
    }
    throw new ConfigError(where + ": operator '" + symbol + "' is not one of '>' or '>='");
  }
}
