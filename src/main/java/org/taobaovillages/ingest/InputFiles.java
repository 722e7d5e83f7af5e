package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.config.IngestConfig.BadFiles;
import org.taobaovillages.config.IngestConfig.ExtraColumns;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;
import org.taobaovillages.table.IngestColumns;

/**
 * Reads one input file set ({@code <input>/<name>/}, files at any depth) and brings every file to the declared
 * schema. Each file is looked at on its own: its format comes from its name (Parquet, CSV with a header, JSON
 * Lines), its columns are renamed as configured and matched to the schema by name, never by position, and the
 * schema is never inferred from values. A missing required column, a wrong type (Parquet) or, if so configured,
 * an extra column makes the file bad: the run fails naming file and column, or the file is quarantined whole.
 *
 * <p>Text values that cannot be read as the column's type do not fail the file: the row keeps the original text
 * in {@link #MALFORMED} and is quarantined by the row checks, as is a record that cannot be split into columns
 * ({@link #CORRUPT}). The raw text of such a record is not kept: it may hold a raw seller id.
 */
public final class InputFiles {
  /** Extra column on every row read: the file it came from (URI), for quarantine records and the audit. */
  public static final String SOURCE_FILE = "_source_file";
  /** Column name to original text, for values that could not be read as the column's type. */
  public static final String MALFORMED = "_malformed";
  /** True for a CSV or JSON record that could not be split into columns. */
  public static final String CORRUPT = "_corrupt";

  private static final String CORRUPT_RECORD = "_corrupt_record";
  private static final DataType TEXT_MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true);

  /** File formats, told apart by the file name. */
  public enum Format { PARQUET, CSV, JSON }

  /**
   * What was found in one file before its rows were read: schema drift (renames are not drift) and, for a
   * bad file, the reason and a message naming the column.
   */
  public record FileReport(String file, Format format, List<String> drift, Reason badReason, String error) {
    public boolean isBad() {
      return badReason != null;
    }
  }

  /** The rows of the good files, conformed, and a report for every file found (good or bad). */
  public record Delivery(Dataset<Row> rows, List<FileReport> files) {}

  /** A file and its columns: physical types for Parquet, all strings for CSV and JSON. */
  private record FileSchema(String file, Format format, StructType columns, String error) {}

  private InputFiles() {}

  public static Delivery read(SparkSession spark, String input, String name, StructType expected, IngestConfig cfg) {
    String dir = input + "/" + name;
    if (!Warehouse.pathExists(spark, dir)) {
      throw new UserError("input not found: " + dir + " (expected a file set '" + name + "/' under --input " + input
          + ")");
    }
    List<String> files = list(spark, dir);
    Map<String, Format> formats = new LinkedHashMap<>();
    files.forEach(f -> formats.put(f, formatOf(f, cfg.defaultFormat())));
    List<FileSchema> schemas = inspect(spark, formats, cfg);

    Map<String, String> renames = cfg.renamesOf(name);
    List<FileReport> reports = new ArrayList<>();
    Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
    for (FileSchema s : schemas) {
      FileReport report = s.error() != null
          ? new FileReport(fileId(s.file()), s.format(), List.of(), Reason.CORRUPT_FILE, s.error())
          : plan(s, expected, renames, cfg.extraColumns());
      if (report.isBad() && cfg.badFiles() == BadFiles.FAIL) {
        throw new UserError("input " + report.file() + ": " + report.error()
            + " (set ingest.bad-files = quarantine to leave bad files out and go on)");
      }
      reports.add(report);
      if (!report.isBad()) {
        groups.computeIfAbsent(List.of(s.format(), s.columns()), k -> new ArrayList<>()).add(s.file());
      }
    }
    Dataset<Row> rows = null;
    for (var group : groups.entrySet()) {
      Format format = (Format) group.getKey().get(0);
      StructType columns = (StructType) group.getKey().get(1);
      Dataset<Row> part = conform(reader(spark, format, columns, cfg).load(group.getValue().toArray(String[]::new)),
          format, columns, expected, renames, cfg.extraColumns());
      rows = rows == null ? part : rows.unionByName(part);
    }
    if (rows == null) {
      rows = spark.createDataFrame(List.of(), conformedSchema(expected));
    }
    return new Delivery(rows, List.copyOf(reports));
  }

  /** Schema of the rows {@link #read} returns. */
  public static StructType conformedSchema(StructType expected) {
    return IngestColumns.tableSchema(expected)
        .add(SOURCE_FILE, DataTypes.StringType, false)
        .add(MALFORMED, TEXT_MAP, false)
        .add(CORRUPT, DataTypes.BooleanType, false);
  }

  /**
   * The data files under {@code dir}, sorted, as Hadoop path strings (what Spark's readers take); names (at any
   * depth) starting with "_" or "." are skipped (_SUCCESS, .crc, _delta_log).
   */
  static List<String> list(SparkSession spark, String dir) {
    try {
      URI uri = URI.create(dir);
      FileSystem fs = FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
      Path root = fs.makeQualified(new Path(uri.getPath()));
      String rootPath = root.toUri().getPath();
      List<String> files = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        Path p = it.next().getPath();
        String relative = p.toUri().getPath().substring(Math.min(rootPath.length(), p.toUri().getPath().length()));
        if (Arrays.stream(relative.split("/")).noneMatch(part -> part.startsWith("_") || part.startsWith("."))) {
          files.add(p.toString());
        }
      }
      files.sort(null);
      return files;
    } catch (IOException e) {
      throw new UserError("cannot list input " + dir + ": " + e.getMessage());
    }
  }

  /** How Spark names a file in {@code _metadata.file_path} (a URL-encoded URI): the file's id in every table. */
  static String fileId(String path) {
    return org.apache.spark.paths.SparkPath.fromPathString(path).urlEncoded();
  }

  static Format formatOf(String file, String defaultFormat) {
    String name = file.substring(file.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT)
        .replaceAll("\\.(gz|bz2|zst|lz4|snappy|deflate|xz)$", "");
    if (name.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return Format.JSON;
    }
    return Format.valueOf(defaultFormat.toUpperCase(Locale.ROOT));
  }

  /**
   * The columns of every file: Parquet footers and CSV header lines in one distributed pass
   * ({@link FileSchemas}), JSON keys of all JSON files in another. A file that cannot be read gets an error.
   */
  private static List<FileSchema> inspect(SparkSession spark, Map<String, Format> formats, IngestConfig cfg) {
    List<String> jsonFiles = formats.entrySet().stream().filter(e -> e.getValue() == Format.JSON)
        .map(Map.Entry::getKey).toList();
    Map<String, StructType> jsonKeys = jsonKeys(spark, jsonFiles);
    Map<String, FileSchemas.Columns> found = new TreeMap<>();
    FileSchemas.inspect(spark, formats, cfg.csv()).forEach(f -> found.put(f.path(), f));
    List<FileSchema> schemas = new ArrayList<>();
    formats.forEach((file, format) -> {
      if (format == Format.JSON) {
        schemas.add(new FileSchema(file, format, jsonKeys.getOrDefault(fileId(file), new StructType()), null));
      } else {
        FileSchemas.Columns f = found.get(file);
        schemas.add(new FileSchema(file, format, f.columns(), f.error()));
      }
    });
    return schemas;
  }

  /** Keys of the JSON objects of each file (sorted); lines that are not JSON objects have none. */
  private static Map<String, StructType> jsonKeys(SparkSession spark, List<String> files) {
    Map<String, StructType> keys = new TreeMap<>();
    if (files.isEmpty()) {
      return keys;
    }
    // One row per file and key: bounded by files x columns, safe to collect.
    List<Row> pairs = spark.read().text(files.toArray(String[]::new))
        .select(col("_metadata.file_path").as("file"), explode(json_object_keys(col("value"))).as("key"))
        .distinct().orderBy("file", "key").collectAsList();
    for (Row r : pairs) {
      keys.put(r.getString(0), keys.getOrDefault(r.getString(0), new StructType()).add(r.getString(1), DataTypes.StringType));
    }
    return keys;
  }

  /** Matches the file's columns to the schema; lists drift and says whether the file is bad. */
  private static FileReport plan(FileSchema s, StructType expected, Map<String, String> renames, ExtraColumns extras) {
    Map<String, StructField> byName = renamedColumns(s.columns(), renames);
    List<String> drift = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Reason bad = null;
    for (StructField want : expected.fields()) {
      StructField have = byName.remove(want.name());
      if (have == null) {
        if (want.nullable()) {
          drift.add("optional column '" + want.name() + "' absent (read as null)");
        } else {
          problems.add("missing required column '" + want.name() + "' (expected " + want.dataType().simpleString()
              + "); found columns: " + String.join(", ", s.columns().fieldNames()));
          bad = bad == null ? Reason.MISSING_COLUMN : bad;
        }
      } else if (s.format() == Format.PARQUET && !have.dataType().equals(want.dataType())) {
        if (castsSafely(have.dataType(), want.dataType())) {
          drift.add("column '" + have.name() + "' is " + have.dataType().simpleString() + ", widened to "
              + want.dataType().simpleString());
        } else {
          problems.add("column '" + have.name() + "' has type " + have.dataType().simpleString() + ", expected "
              + want.dataType().simpleString());
          bad = bad == null ? Reason.WRONG_TYPE : bad;
        }
      }
    }
    for (StructField extra : byName.values()) {
      if (extras == ExtraColumns.FAIL) {
        problems.add("extra column '" + extra.name() + "' not in the schema");
        bad = bad == null ? Reason.EXTRA_COLUMN : bad;
      } else {
        drift.add("extra column '" + extra.name() + "' " + (extras == ExtraColumns.KEEP ? "kept" : "dropped"));
      }
    }
    return new FileReport(fileId(s.file()), s.format(), List.copyOf(drift), bad, bad == null ? null : String.join("; ", problems));
  }

  /** The file's columns under our names (renamed as configured, lower-cased for matching), in file order. */
  private static Map<String, StructField> renamedColumns(StructType columns, Map<String, String> renames) {
    Map<String, String> lower = new TreeMap<>();
    renames.forEach((from, to) -> lower.put(from.toLowerCase(Locale.ROOT), to));
    Map<String, StructField> byName = new LinkedHashMap<>();
    for (StructField f : columns.fields()) {
      String key = f.name().toLowerCase(Locale.ROOT);
      byName.putIfAbsent(lower.getOrDefault(key, key).toLowerCase(Locale.ROOT), f);
    }
    return byName;
  }

  private static DataFrameReader reader(SparkSession spark, Format format, StructType columns, IngestConfig cfg) {
    return switch (format) {
      case PARQUET -> spark.read().format("parquet");
      case CSV -> csvOptions(spark.read(), cfg).format("csv").option("header", "true").option("enforceSchema", "true")
          .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT_RECORD)
          .schema(columns.add(CORRUPT_RECORD, DataTypes.StringType));
      case JSON -> spark.read().format("json").option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
          .schema(columns.add(CORRUPT_RECORD, DataTypes.StringType));
    };
  }

  /** CSV dialect from the config; multi-line so that quoted fields may hold line breaks. */
  private static DataFrameReader csvOptions(DataFrameReader reader, IngestConfig cfg) {
    return reader.option("sep", cfg.csv().delimiter()).option("quote", cfg.csv().quote())
        .option("escape", cfg.csv().escape()).option("encoding", cfg.csv().encoding()).option("multiLine", "true");
  }

  /**
   * Brings a group of files with the same columns to {@link #conformedSchema}: declared columns typed (text is
   * parsed; a value that does not parse, or a decimal that would be rounded, is null with its text in
   * {@link #MALFORMED}), extra columns kept or dropped, the source file and the corrupt flag added.
   */
  static Dataset<Row> conform(Dataset<Row> raw, Format format, StructType columns, StructType expected,
      Map<String, String> renames, ExtraColumns extras) {
    Map<String, StructField> byName = renamedColumns(columns, renames);
    List<Column> out = new ArrayList<>();
    List<Column> malformed = new ArrayList<>();
    for (StructField want : expected.fields()) {
      StructField have = byName.remove(want.name());
      if (have == null) {
        out.add(lit(null).cast(want.dataType()).as(want.name()));
        continue;
      }
      Column source = col(quote(have.name()));
      boolean parse = have.dataType() instanceof StringType && !(want.dataType() instanceof StringType);
      if (!parse) {
        out.add(source.cast(want.dataType()).as(want.name()));
        continue;
      }
      Column typed = source.try_cast(want.dataType());
      Column unreadable = source.isNotNull().and(typed.isNull());
      if (want.dataType() instanceof DecimalType) {
        Column exact = source.try_cast(DataTypes.createDecimalType(38, 18));
        unreadable = unreadable.or(exact.isNotNull().and(typed.isNotNull()).and(exact.notEqual(typed)));
      }
      out.add(when(not(unreadable), typed).as(want.name()));
      malformed.add(lit(want.name()));
      malformed.add(when(unreadable, source));
    }
    if (extras == ExtraColumns.KEEP && !byName.isEmpty()) {
      List<Column> kv = new ArrayList<>();
      byName.values().forEach(f -> {
        kv.add(lit(f.name()));
        kv.add(col(quote(f.name())).cast(DataTypes.StringType));
      });
      out.add(map(kv.toArray(Column[]::new)).as(IngestColumns.EXTRA_COLUMNS));
    } else {
      out.add(emptyTextMap().as(IngestColumns.EXTRA_COLUMNS));
    }
    out.add(col("_metadata.file_path").as(SOURCE_FILE));
    out.add((malformed.isEmpty() ? emptyTextMap()
        : map_filter(map(malformed.toArray(Column[]::new)), (k, v) -> v.isNotNull())).as(MALFORMED));
    out.add((format == Format.PARQUET ? lit(false) : col(CORRUPT_RECORD).isNotNull()).as(CORRUPT));
    return raw.select(out.toArray(Column[]::new));
  }

  private static Column emptyTextMap() {
    return map().cast(TEXT_MAP);
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  /**
   * Same type, or a numeric widening that cannot lose or overflow a value: integers into wider integers or
   * into decimals with enough integer digits, decimals into decimals with at least as many integer and
   * fraction digits, any number into double; timestamps without time zone are read as China time.
   */
  static boolean castsSafely(DataType from, DataType to) {
    if (from.equals(to)) {
      return true;
    }
    if (from instanceof IntegralType && to instanceof IntegralType) {
      return to.defaultSize() >= from.defaultSize();
    }
    if (from instanceof IntegralType && to instanceof DecimalType t) {
      return t.precision() - t.scale() >= integerDigits(from);
    }
    if (from instanceof DecimalType f && to instanceof DecimalType t) {
      return t.scale() >= f.scale() && t.precision() - t.scale() >= f.precision() - f.scale();
    }
    if (from.equals(DataTypes.TimestampNTZType) && to.equals(DataTypes.TimestampType)) {
      return true;
    }
    return from instanceof NumericType && to.equals(DataTypes.DoubleType);
  }

  /** Decimal digits of the largest value of an integral type. */
  private static int integerDigits(DataType integral) {
    return switch (integral.typeName()) {
      case "byte" -> 3;
      case "short" -> 5;
      case "integer" -> 10;
      default -> 19;
    };
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : String.valueOf(e.getMessage());
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
