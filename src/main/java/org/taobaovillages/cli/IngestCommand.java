package org.taobaovillages.cli;

import java.io.PrintWriter;
import java.util.List;
import org.taobaovillages.ingest.FileAudit;
import org.taobaovillages.ingest.IngestJob;
import org.taobaovillages.ingest.TableCounts;
import org.taobaovillages.table.IngestAudit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Check one delivery of the input file sets and load it into the warehouse's Delta tables: "
        + "refused rows go to the quarantine table, exact duplicates are skipped, every file is audited in "
        + "ingest_audit. Seller and household ids are pseudonymised.")
final class IngestCommand extends SparkCommand {
  /** Files listed one by one in the report at most; all of them are in the audit table. */
  static final int FILES_LISTED = 20;

  @Option(names = "--demo", description = "Allow the public demo pseudonymisation key when no key is configured "
      + "(synthetic data only).")
  boolean demo;

  @Override
  void run(JobContext ctx) {
    ingest(ctx, requireInput(), demo);
  }

  static void ingest(JobContext ctx, String input, boolean demo) {
    byte[] key = IngestJob.resolveKey(ctx.config().ingest(), System.getenv(), demo);
    var result = IngestJob.run(ctx.spark(), ctx.warehouse(), input, ctx.config().ingest(), key, ctx.run());
    report(ctx.out(), input, ctx, result);
  }

  /** The data quality report: per input, per reason, and the files with drift, bad rows or left out. */
  private static void report(PrintWriter out, String input, JobContext ctx, IngestJob.Result result) {
    out.printf("ingest: %s -> %s (run %s, run date %s)%n", input, ctx.warehouse().root(), ctx.run().runId(),
        ctx.run().runDate());
    out.printf("  %-18s %12s %12s %12s %12s %10s%n", "input", "read", "accepted", "quarantined", "dup. skipped",
        "bad files");
    for (TableCounts c : result.tables()) {
      out.printf("  %-18s %,12d %,12d %,12d %,12d %,10d%n", c.table(), c.read(), c.accepted(), c.quarantined(),
          c.skipped(), c.badFiles());
      c.reasons().forEach((reason, rows) -> out.printf("      %-26s %,10d%n", reason, rows));
    }
    long withBadRows = result.files().stream().filter(f -> f.quarantined() != null && f.quarantined() > 0).count();
    out.printf("  %,d files read, %,d with quarantined rows, %,d left out (per file: table %s, run %s)%n",
        result.files().stream().filter(f -> !f.file().isBad()).count(), withBadRows,
        result.files().stream().filter(f -> f.file().isBad()).count(), IngestAudit.NAME, ctx.run().runId());
    for (String set : result.notDelivered()) {
      out.printf("  %s: not in the delivery, table kept as it was%n", set);
    }
    result.versionsAdded().forEach((table, versions) -> {
      if (versions > 0) {
        out.printf("  %s: %,d new or changed rows stored as new versions%n", table, versions);
      }
    });
    if (result.ordersRemoved() > 0) {
      out.printf("  transactions: %,d orders stored by an earlier run of this run date are no longer delivered: "
          + "removed%n", result.ordersRemoved());
    }
    if (!result.interrupted().isEmpty()) {
      out.printf("  REPAIRED: an earlier run of this run date stopped before its audit, after committing %s; this run "
          + "replaced their rows (audit rows with file status %s)%n", result.interrupted().stream()
          .map(c -> c.table() + " (run " + c.runId() + ")").toList(), IngestAudit.FILE_INTERRUPTED);
    }
    if (!result.ignored().isEmpty()) {
      out.printf("  WARNING: %,d files outside the file sets were not read (table %s, status %s)%n",
          result.ignored().size(), IngestAudit.NAME, IngestAudit.FILE_IGNORED);
    }
    List<FileAudit> flagged = new java.util.ArrayList<>(result.files().stream()
        .filter(FileAudit::hasDriftOrLeftOut).toList());
    flagged.addAll(result.ignored());
    for (FileAudit f : flagged.subList(0, Math.min(FILES_LISTED, flagged.size()))) {
      out.printf("    %s %s%n", f.file().file(), describe(f));
    }
    if (flagged.size() > FILES_LISTED) {
      out.printf("    ... and %,d more files with drift or left out%n", flagged.size() - FILES_LISTED);
    }
  }

  private static String describe(FileAudit f) {
    if (f.isIgnored()) {
      return "IGNORED: " + f.file().error();
    }
    if (f.file().isBad()) {
      return "LEFT OUT (" + f.file().badReason() + "): " + f.file().error();
    }
    String drift = f.file().drift().isEmpty() ? "" : " drift: " + String.join("; ", f.file().drift());
    return String.format("read %,d, quarantined %,d %s%s", f.read(), f.quarantined(), f.reasons(), drift);
  }
}
