package org.taobaovillages.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.config.IngestConfig.ExtraColumns;
import org.taobaovillages.ingest.InputFiles.FileReport;
import org.taobaovillages.ingest.InputFiles.Format;

/**
 * Matches one file's columns to the declared schema and says whether the file can be read: its drift, or why it
 * is bad. Column names are matched case-insensitively after the configured renames.
 *
 * <p>Messages name the schema's columns and the file's columns only when the file's first line is a header
 * (most required columns named in it): the first line of a CSV without a header is a data row, and its fields
 * (a raw seller id among them) must not reach an error message, the audit or the log. For the same reason a
 * JSON key found in fewer than half of a file's lines is counted, not named.
 */
final class FilePlan {
  /** Extra columns named one by one in a drift note at most; more are summed up. */
  static final int MAX_LISTED = 10;

  private FilePlan() {}

  static FileReport plan(String file, Format format, FileInspection.Inspected found, StructType expected,
      Map<String, String> renames, ExtraColumns extras) {
    StructType columns = found.columns();
    Map<String, List<Integer>> byTarget = positions(columns, renames);
    Long rows = found.rows();
    Long skipped = format == Format.PARQUET ? null : found.skipped();
    List<String> required = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (StructField f : expected.fields()) {
      if (!f.nullable()) {
        required.add(f.name());
        if (!byTarget.containsKey(f.name())) {
          missing.add(f.name());
        }
      }
    }
    if (format == Format.CSV && 2 * (required.size() - missing.size()) < required.size()) {
      return bad(file, format, Reason.NO_HEADER, "the first line that is not blank or a comment (line "
          + found.scan().headerLine() + ") is not a header: it names " + (required.size() - missing.size()) + " of the "
          + required.size() + " required columns (" + String.join(", ", required) + "); add the header line", rows,
          skipped);
    }
    List<String> problems = new ArrayList<>();
    Reason bad = null;
    if (format != Format.JSON) {
      for (var e : byTarget.entrySet()) {
        if (e.getValue().size() > 1) {
          boolean declared = expected.getFieldIndex(e.getKey()).isDefined();
          problems.add((declared ? "column '" + e.getKey() + "'" : "an undeclared column") + " appears "
              + e.getValue().size() + " times (columns " + String.join(", ", e.getValue().stream()
                  .map(i -> String.valueOf(i + 1)).toList()) + ", names compared ignoring case, after renames)");
          bad = bad == null ? Reason.DUPLICATE_COLUMN : bad;
        }
      }
    }
    List<String> drift = new ArrayList<>();
    for (StructField want : expected.fields()) {
      List<Integer> at = byTarget.remove(want.name());
      if (at == null) {
        if (want.nullable()) {
          drift.add("optional column '" + want.name() + "' absent (read as null)");
        } else {
          problems.add("missing required column '" + want.name() + "' (expected " + want.dataType().simpleString()
              + "); found columns: " + knownColumns(columns, expected, renames));
          bad = bad == null ? Reason.MISSING_COLUMN : bad;
        }
        continue;
      }
      StructField have = columns.fields()[at.get(0)];
      if (format == Format.PARQUET && !have.dataType().equals(want.dataType())) {
        if (InputFiles.castsSafely(have.dataType(), want.dataType())) {
          drift.add("column '" + have.name() + "' is " + have.dataType().simpleString() + ", widened to "
              + want.dataType().simpleString());
        } else {
          problems.add("column '" + have.name() + "' has type " + have.dataType().simpleString() + ", expected "
              + want.dataType().simpleString());
          bad = bad == null ? Reason.WRONG_TYPE : bad;
        }
      }
    }
    int rare = 0;
    List<String> extra = new ArrayList<>();
    for (List<Integer> at : byTarget.values()) {
      for (int i : at) {
        if (format == Format.JSON && 2 * found.scan().keyRows().get(i) < found.rows()) {
          rare++;
        } else {
          extra.add(columns.fields()[i].name().isEmpty() ? "unnamed column " + (i + 1) + " (empty header)"
              : "extra column '" + columns.fields()[i].name() + "'");
        }
      }
    }
    if (extra.size() > MAX_LISTED) {
      extra = new ArrayList<>(List.of(extra.size() + " extra columns (" + String.join(", ",
          extra.subList(0, MAX_LISTED)).replace("extra column ", "") + ", ...)"));
    }
    if (rare > 0) {
      extra.add(rare + " rare keys (each in fewer than half of the lines)");
    }
    for (String name : extra) {
      if (extras == ExtraColumns.FAIL) {
        problems.add(name + " not in the schema");
        bad = bad == null ? Reason.EXTRA_COLUMN : bad;
      } else {
        drift.add(name + " " + (extras == ExtraColumns.KEEP ? "kept" : "dropped"));
      }
    }
    if (bad != null) {
      return bad(file, format, bad, String.join("; ", problems), rows, skipped);
    }
    return new FileReport(file, format, List.copyOf(drift), null, null, rows, skipped);
  }

  /**
   * Positions of the file's columns by the name they match (lower case, after renames; an unnamed CSV column,
   * with an empty header cell, as {@code _c<n>}), in file order. A name with more than one position is a
   * duplicate column (or, in JSON, a key written in more than one case).
   */
  static Map<String, List<Integer>> positions(StructType columns, Map<String, String> renames) {
    Map<String, String> lower = new TreeMap<>();
    renames.forEach((from, to) -> lower.put(from.toLowerCase(Locale.ROOT), to.toLowerCase(Locale.ROOT)));
    Map<String, List<Integer>> byName = new LinkedHashMap<>();
    for (int i = 0; i < columns.fields().length; i++) {
      String key = nameOf(columns, i).toLowerCase(Locale.ROOT);
      byName.computeIfAbsent(lower.getOrDefault(key, key), k -> new ArrayList<>()).add(i);
    }
    return byName;
  }

  /** The name of column {@code i} in the file; {@code _c<n>} (from 1) when its header cell is empty. */
  static String nameOf(StructType columns, int i) {
    String name = columns.fields()[i].name();
    return name.isEmpty() ? "_c" + (i + 1) : name;
  }

  /** The file's columns that the schema knows (directly or through a rename), and how many others there are. */
  private static String knownColumns(StructType columns, StructType expected, Map<String, String> renames) {
    List<String> known = new ArrayList<>();
    int others = 0;
    Map<String, List<Integer>> byTarget = positions(columns, renames);
    for (var e : byTarget.entrySet()) {
      if (expected.getFieldIndex(e.getKey()).isDefined()) {
        e.getValue().forEach(i -> known.add(columns.fields()[i].name()));
      } else {
        others += e.getValue().size();
      }
    }
    return (known.isEmpty() ? "none of the schema's" : String.join(", ", known))
        + (others == 0 ? "" : " and " + others + " not in the schema");
  }

  private static FileReport bad(String file, Format format, Reason reason, String error, Long rows, Long skipped) {
    return new FileReport(file, format, List.of(), reason, error, rows, skipped);
  }
}
