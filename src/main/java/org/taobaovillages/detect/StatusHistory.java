package org.taobaovillages.detect;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.taobaovillages.config.VillageRule;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.table.VillageStatus;

/**
 * The status history of one rule over one kind of period (years, or trailing 12 months at month-ends): every
 * village gets a row for every period of {@code periodEnds} from its first period with sales (or from the first
 * of them, when it has history before), so that a village that stops selling is seen to lose the status. Each
 * row says whether the village qualifies, how that changed against the previous period (new, retained, lost,
 * regained, none), when it first qualified and how many periods it has held the status.
 *
 * <p>History before the recomputed periods comes from {@code before}: the stored status rows of the period just
 * before them (carried into the first recomputed period), so a run that recomputes the last months reads one
 * period of history, not all of it.
 */
public final class StatusHistory {
  private static final String CARRIED = "_carried";
  private static final String FIRST_SEEN = "_first_seen";
  private static final String PREV_QUALIFIES = "_prev_qualifies";
  private static final String PREV_FIRST = "_prev_first";
  private static final String PREV_HELD = "_prev_held";

  private StatusHistory() {}

  /**
   * @param periods village-period metrics of one kind ({@code kind}) under the rule's active-seller definition,
   *     for the periods of {@code periodEnds}
   * @param before stored status rows of the rule for the period before the first of {@code periodEnds} (may be
   *     empty)
   * @param periodEnds the period ends recomputed, ascending
   */
  public static Dataset<Row> apply(Dataset<Row> periods, Dataset<Row> before, List<LocalDate> periodEnds,
      VillageRule rule, String kind, LocalDate runDate) {
    Dataset<Row> carried = before.select(col(VillagePeriod.VILLAGE_CODE),
        col(VillageStatus.QUALIFIES).as(PREV_QUALIFIES), col(VillageStatus.FIRST_QUALIFIED).as(PREV_FIRST),
        col(VillageStatus.PERIODS_HELD).as(PREV_HELD), lit(true).as(CARRIED));
    Dataset<Row> seen = periods.groupBy(VillagePeriod.VILLAGE_CODE)
        .agg(min(col(VillagePeriod.PERIOD_END)).as(FIRST_SEEN));
    Column ends = array(periodEnds.stream().map(d -> lit(java.sql.Date.valueOf(d))).toArray(Column[]::new));
    // A carried village gets every period; a new one its periods from its first with sales.
    Dataset<Row> grid = seen.join(carried, new String[] {VillagePeriod.VILLAGE_CODE}, "full")
        .withColumn(VillagePeriod.PERIOD_END, explode(filter(ends,
            e -> coalesce(col(CARRIED), lit(false)).or(e.geq(col(FIRST_SEEN))))));
    WindowSpec series = Window.partitionBy(VillagePeriod.VILLAGE_CODE).orderBy(VillagePeriod.PERIOD_END);
    WindowSpec upToHere = series.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column qualifies = col(VillageStatus.QUALIFIES);
    Column previous = coalesce(lag(qualifies, 1).over(series), col(PREV_QUALIFIES), lit(false));
    Column firstQualified = coalesce(col(PREV_FIRST),
        min(when(qualifies, col(VillagePeriod.PERIOD_END))).over(upToHere));
    Column held = coalesce(col(PREV_HELD), lit(0)).plus(sum(when(qualifies, 1).otherwise(0)).over(upToHere));
    Column transition = when(qualifies.and(previous), lit(VillageStatus.RETAINED))
        .when(qualifies.and(col(VillageStatus.FIRST_QUALIFIED).equalTo(col(VillagePeriod.PERIOD_END))),
            lit(VillageStatus.NEW))
        .when(qualifies, lit(VillageStatus.REGAINED))
        .when(previous, lit(VillageStatus.LOST))
        .otherwise(lit(VillageStatus.NONE));
    Dataset<Row> rows = grid.select(VillagePeriod.VILLAGE_CODE, VillagePeriod.PERIOD_END, PREV_QUALIFIES, PREV_FIRST,
            PREV_HELD)
        .join(periods.drop(VillagePeriod.PERIOD, VillagePeriod.YEAR, VillagePeriod.ACTIVE_DEFINITION,
            VillagePeriod.PERIOD_COMPLETE), new String[] {VillagePeriod.VILLAGE_CODE, VillagePeriod.PERIOD_END}, "left")
        .transform(VillageRules::zeroMetrics)
        .withColumn(VillagePeriod.PERIOD, lit(kind))
        .withColumn(VillagePeriod.YEAR, year(col(VillagePeriod.PERIOD_END)))
        .withColumn(VillagePeriod.ACTIVE_DEFINITION, lit(rule.activeSeller().describe()))
        .withColumn(VillagePeriod.PERIOD_COMPLETE, col(VillagePeriod.PERIOD_END).leq(lit(java.sql.Date.valueOf(runDate))));
    return VillageRules.evaluate(rows, rule)
        .withColumn(VillageStatus.FIRST_QUALIFIED, firstQualified)
        .withColumn(VillageStatus.PERIODS_HELD, held.cast("int"))
        .withColumn(VillageStatus.TRANSITION, transition)
        .drop(PREV_QUALIFIES, PREV_FIRST, PREV_HELD, CARRIED, FIRST_SEEN);
  }
}
