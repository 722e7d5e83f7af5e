package org.taobaovillages.table;

/**
 * The columns by which each BI export says where it withheld figures under the k-seller rule (docs/data-model.md,
 * "Small cells"). Each table class lists the figures a flag withholds in that table.
 */
public final class SmallCellFlags {
  /** The row's figures are null: fewer than k sellers behind them, or (an aggregate) a residual that would be. */
  public static final String METRICS = VillageStatusExport.SUPPRESSED;
  /**
   * Figures that compare with an earlier period (growth, trend, months projected from growth) are null: that
   * period's figures are withheld (it had some sales from fewer than k sellers, or its unit row is suppressed).
   */
  public static final String CHANGE = "change_suppressed";
  /** Shares of the sellers' origin are null: fewer than k (but some) sellers of known origin. */
  public static final String ORIGIN = "origin_suppressed";

  private SmallCellFlags() {}
}
