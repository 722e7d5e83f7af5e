package org.taobaovillages.cli;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Row;
import org.taobaovillages.table.CountyTypology;
import org.taobaovillages.table.TypologyRuns;
import org.taobaovillages.table.VillagePeriod;
import org.taobaovillages.typology.TypologyJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "typology", mixinStandardHelpOptions = true,
    description = "Why villages form where they do and which are next: county features, the rule-based 2x2 "
        + "typology and formation-rule test, village business models, behavioural clustering (MLlib) and the "
        + "emergence model; with --truth, scored against a generated world.")
final class TypologyCommand extends SparkCommand {
  @Option(names = "--truth", paramLabel = "URI", description = "A generated world's truth directory: also score the "
      + "typology against the planted quadrants, business models and embeddedness.")
  String truth;

  @Option(names = "--full", description = "Recompute even when no input of the complete years changed since the "
      + "last run (by default such a run only records that nothing changed).")
  boolean full;

  @Override
  void run(JobContext ctx) {
    typology(ctx, truth == null ? null : Uris.resolve(truth), full);
  }

  static TypologyJob.Outcome typology(JobContext ctx, String truthRoot, boolean full) {
    var outcome = TypologyJob.run(ctx.warehouse(), ctx.config(), ctx.run(), truthRoot, full);
    var out = ctx.out();
    if (outcome.action().equals(TypologyRuns.NO_YEAR)) {
      out.printf("typology %s: %s: nothing to model yet%n", ctx.config().typology().version(), outcome.reason());
      return outcome;
    }
    out.printf("typology %s: complete years %d-%d, %s: %s%n", ctx.config().typology().version(), outcome.firstYear(),
        outcome.lastYear(), outcome.action(), outcome.reason());
    outcome.rows().forEach((table, n) -> out.printf("  %-24s %,12d rows written%n", table, n));
    out.printf("  models saved: %s%n", outcome.models().isEmpty() ? "none"
        : outcome.modelRoot() + "/{" + String.join(", ", outcome.models()) + "}");
    quadrants(ctx, outcome.lastYear());
    out.println("  evaluation (typology_evaluation):");
    for (Row m : outcome.evaluation()) {
      if (!m.getString(1).equals("feature_importance") && !m.getString(1).startsWith("precision_at")) {
        out.printf("    %-24s %-16s %-52s %8s  %s%n", m.getString(1), m.getString(2), m.getString(3),
            m.isNullAt(4) ? "n/a" : String.format("%.3f", m.getDouble(4)), m.isNullAt(5) ? "" : m.getString(5));
      }
    }
    return outcome;
  }

  /** Counties per quadrant and region in the last year, with how many have formed Taobao Villages (small). */
  static void quadrants(JobContext ctx, int year) {
    var out = ctx.out();
    out.printf("  counties by quadrant in %d (rule-based, county_typology):%n", year);
    out.printf("    %-18s %-26s %8s %8s %8s%n", "quadrant", "region", "counties", "formed", "2+ factors");
    for (Row r : ctx.warehouse().read(CountyTypology.NAME, "typology").where(col(VillagePeriod.YEAR).equalTo(year))
        .groupBy(CountyTypology.QUADRANT, CountyTypology.REGION)
        .agg(count(lit(1)), count(when(col(CountyTypology.HAS_FORMED), lit(1))),
            count(when(col(CountyTypology.FORMATION_EXPECTED), lit(1))))
        .orderBy(CountyTypology.QUADRANT, CountyTypology.REGION).collectAsList()) {
      out.printf("    %-18s %-26s %8d %8d %8d%n", r.getString(0), r.getString(1), r.getLong(2), r.getLong(3),
          r.getLong(4));
    }
  }
}
