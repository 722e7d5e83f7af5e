package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.ingest.InputFiles.LateBadFile;

/**
 * Counts what happened to every row, per input, file and reason, and checks each file's count against what the
 * file holds ({@link InputFiles.FileReport#rowsInFile}, counted without the parser): a file that gave other rows
 * is bad ({@link Reason#ROW_COUNT_MISMATCH}), thrown as {@link LateBadFiles}. Every input reconciles: rows read =
 * accepted + quarantined + skipped.
 */
final class Reconciliation {
  /** The audit of every file and the totals of every input. */
  record Counted(List<FileAudit> files, List<TableCounts> tables) {}

  private Reconciliation() {}

  static Counted reconcile(List<CheckedInput> inputs) {
    Map<String, Map<String, long[]>> counts = new HashMap<>();
    Map<String, Map<String, Map<String, Long>>> reasons = new HashMap<>();
    countRows(inputs, counts, reasons);
    List<FileAudit> files = new ArrayList<>();
    List<TableCounts> tables = new ArrayList<>();
    List<LateBadFile> mismatched = new ArrayList<>();
    for (CheckedInput c : inputs) {
      List<FileAudit> audits = audit(c, counts.getOrDefault(c.set().name(), Map.of()),
          reasons.getOrDefault(c.set().name(), Map.of()), mismatched);
      files.addAll(audits);
      tables.add(total(c.set().name(), audits));
    }
    if (!mismatched.isEmpty()) {
      throw new LateBadFiles(mismatched);
    }
    return new Counted(List.copyOf(files), List.copyOf(tables));
  }

  /**
   * Counts per input, file and reason in one pass over all inputs (small: files x reasons rows, safe to collect):
   * rows, quarantined rows and skipped rows per file, and rows per reason. A quarantined row is counted once,
   * under its first reason, in the row count; a row may have several reasons.
   */
  private static void countRows(List<CheckedInput> inputs, Map<String, Map<String, long[]>> counts,
      Map<String, Map<String, Map<String, Long>>> reasons) {
    Dataset<Row> perReason = inputs.stream()
        .map(c -> c.rows().select(lit(c.set().name()).as("table"), col(InputFiles.SOURCE_FILE),
            col(Validation.SKIPPED), get(col(Validation.REASONS), lit(0)).as("first"),
            explode_outer(col(Validation.REASONS)).as("reason")))
        .reduce(Dataset::union).orElseThrow()
        .groupBy(col("table"), col(InputFiles.SOURCE_FILE), col("reason"))
        .agg(count(lit(1)), sum(when(col("reason").equalTo(col("first")), 1).otherwise(0)),
            sum(when(col(Validation.SKIPPED), 1).otherwise(0)));
    for (Row r : perReason.collectAsList()) {
      String table = r.getString(0);
      String file = r.getString(1);
      long[] n = counts.computeIfAbsent(table, k -> new HashMap<>()).computeIfAbsent(file, k -> new long[3]);
      if (r.isNullAt(2)) {
        n[0] += r.getLong(3);
        n[2] += r.getLong(5);
      } else {
        n[0] += r.getLong(4);
        n[1] += r.getLong(4);
        reasons.computeIfAbsent(table, k -> new HashMap<>()).computeIfAbsent(file, k -> new TreeMap<>())
            .put(r.getString(2), r.getLong(3));
      }
    }
  }

  /**
   * The audit of each file of an input, from the counts; a file that gave other rows than it holds is added to
   * {@code mismatched}.
   */
  private static List<FileAudit> audit(CheckedInput c, Map<String, long[]> counts, Map<String, Map<String, Long>> reasons,
      List<LateBadFile> mismatched) {
    List<FileAudit> audits = new ArrayList<>();
    for (InputFiles.FileReport f : c.files()) {
      if (f.isBad()) {
        audits.add(new FileAudit(c.set().name(), f, null, null, null, null, Map.of()));
        continue;
      }
      long[] n = counts.getOrDefault(f.file(), new long[3]);
      if (n[0] != f.rowsInFile()) {
        mismatched.add(new LateBadFile(f.file(), Reason.ROW_COUNT_MISMATCH, String.format("the file holds %,d rows "
            + "(%s) but %,d were read from it", f.rowsInFile(), f.format() == InputFiles.Format.PARQUET
            ? "Parquet footer" : "lines that are not blank, comment or header lines", n[0])));
      }
      audits.add(new FileAudit(c.set().name(), f, n[0], n[0] - n[1] - n[2], n[1], n[2],
          Map.copyOf(reasons.getOrDefault(f.file(), Map.of()))));
    }
    long audited = audits.stream().filter(a -> a.read() != null).mapToLong(FileAudit::read).sum();
    long rows = counts.values().stream().mapToLong(n -> n[0]).sum();
    if (audited != rows) {
      throw new IllegalStateException(c.set().name() + ": " + rows + " rows read but " + audited
          + " attributed to listed files; files seen: " + counts.keySet());
    }
    return audits;
  }

  private static TableCounts total(String table, List<FileAudit> audits) {
    long read = 0, accepted = 0, quarantined = 0, skipped = 0, bad = 0;
    Map<String, Long> reasons = new TreeMap<>();
    for (FileAudit a : audits) {
      if (a.file().isBad()) {
        bad++;
        continue;
      }
      read += a.read();
      accepted += a.accepted();
      quarantined += a.quarantined();
      skipped += a.skipped();
      a.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
    }
    TableCounts t = new TableCounts(table, read, accepted, quarantined, skipped, bad, reasons);
    if (!t.reconciles()) {
      throw new IllegalStateException("ingest does not reconcile for " + t);
    }
    return t;
  }
}
