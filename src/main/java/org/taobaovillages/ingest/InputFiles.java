package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
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
import org.apache.spark.util.SerializableConfiguration;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.config.IngestConfig.ExtraColumns;
import org.taobaovillages.table.IngestColumns;

/**
 * Reads the files of one input file set and brings every file to the declared schema. Each file is looked at on
 * its own ({@link FileInspection}): its format comes from its name (Parquet, CSV with a header, JSON Lines), its
 * columns are renamed as configured and matched to the schema by name, never by position, and the schema is
 * never inferred from values. A file is bad when it cannot be read, is empty, has no header, misses a required
 * column, has a wrong type (Parquet) or a duplicate column, or (if so configured) an extra column: the run fails
 * naming file and problem, or the file is quarantined whole.
 *
 * <p>Text values that cannot be read as the column's type do not fail the file: the row keeps the original text
 * in {@link #MALFORMED} and is quarantined by the row checks, as is a line that cannot be split into columns or
 * decoded ({@link #PROBLEM}), of which only the line number is kept. Ids, codes and list values are normalised
 * ({@link Keys}).
 */
public final class InputFiles {
  /** Extra column on every row read: the file it came from (URI), for quarantine records and the audit. */
  public static final String SOURCE_FILE = "_source_file";
  /** Line number (text) or row number (Parquet) of the row in its file, from 1. */
  public static final String SOURCE_LINE = "_source_line";
  /** Column name to original text, for values that could not be read as the column's type. */
  public static final String MALFORMED = "_malformed";
  /** The reason a row has no usable values (a line that cannot be split or decoded), else null. */
  public static final String PROBLEM = "_problem";

  private static final DataType TEXT_MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true);

  /** File formats, told apart by the file name. */
  public enum Format { PARQUET, CSV, JSON }

  /**
   * An input file set: its directory name, declared schema, the columns normalised as they are read, and the
   * columns checked against lists of values (not checked for bytes that are not UTF-8 in Parquet: such a value
   * is not in the list, which the checks report).
   */
  public record FileSet(String name, StructType schema, List<String> normalised, List<String> listed) {}

  /**
   * What was found in one file before its rows were read: schema drift (renames are not drift), the rows the
   * file holds and the lines skipped (counted independently of the parser), and for a bad file the reason and
   * a message.
   */
  public record FileReport(String file, Format format, List<String> drift, Reason badReason, String error,
      Long rowsInFile, Long linesSkipped) {
    public boolean isBad() {
      return badReason != null;
    }

    static FileReport bad(String file, Format format, Reason reason, String error) {
      return new FileReport(file, format, List.of(), reason, error, null, null);
    }
  }

  /** The rows of the good files, conformed, and a report for every file found (good or bad). */
  public record Delivery(Dataset<Row> rows, List<FileReport> files, boolean delivered) {}

  /** A file found bad while its rows were read (a corrupt page, a count mismatch): its id, reason and error. */
  public record LateBadFile(String file, Reason reason, String error) {}

  private InputFiles() {}

  /**
   * Looks at every file of the delivery in one distributed pass: file id to what was found. Files listed in
   * {@code late} (found bad by an earlier attempt) are not looked at again.
   */
  static Map<String, FileInspection.Inspected> inspect(SparkSession spark, InputListing listing,
      List<FileSet> sets, IngestConfig cfg, Map<String, LateBadFile> late) {
    List<FileInspection.Work> work = new ArrayList<>();
    for (FileSet set : sets) {
      for (String uri : listing.fileSets().getOrDefault(set.name(), List.of())) {
        if (!late.containsKey(fileId(uri))) {
          work.add(new FileInspection.Work(uri, formatOf(uri, cfg.defaultFormat()), cfg.textOf(set.name())));
        }
      }
    }
    Map<String, FileInspection.Inspected> found = new TreeMap<>();
    FileInspection.inspect(spark, work).forEach(f -> found.put(fileId(f.uri()), f));
    return found;
  }

  /**
   * The file set's rows and file reports. A bad file fails the run ({@link IngestConfig.BadFiles#FAIL}) with a
   * {@link BadFileError}, or is left out and reported.
   */
  static Delivery read(SparkSession spark, InputListing listing, Map<String, FileInspection.Inspected> inspected,
      FileSet set, IngestConfig cfg, Map<String, LateBadFile> late) {
    List<FileReport> reports = new ArrayList<>();
    Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
    Map<String, String> renames = cfg.renamesOf(set.name());
    for (var link : listing.unreadable().getOrDefault(set.name(), List.of())) {
      reports.add(FileReport.bad(fileId(link.uri()), formatOf(link.uri(), cfg.defaultFormat()),
          Reason.UNREADABLE_FILE, link.error()));
    }
    for (String uri : listing.fileSets().getOrDefault(set.name(), List.of())) {
      String id = fileId(uri);
      Format format = formatOf(uri, cfg.defaultFormat());
      FileInspection.Inspected f = inspected.get(id);
      FileReport report = late.containsKey(id)
          ? FileReport.bad(id, format, late.get(id).reason(), late.get(id).error())
          : f.isBad() ? FileReport.bad(id, format, f.bad(), f.error())
          : FilePlan.plan(id, format, f, set.schema(), renames, cfg.extraColumns());
      reports.add(report);
      if (!report.isBad()) {
        groups.computeIfAbsent(List.of(format, f.columns()), k -> new ArrayList<>()).add(uri);
      }
    }
    reports.sort(java.util.Comparator.comparing(FileReport::file));
    for (FileReport r : reports) {
      if (r.isBad() && cfg.badFiles() == IngestConfig.BadFiles.FAIL) {
        throw new BadFileError(r);
      }
    }
    Dataset<Row> rows = null;
    for (var group : groups.entrySet()) {
      Format format = (Format) group.getKey().get(0);
      StructType columns = (StructType) group.getKey().get(1);
      Dataset<Row> part = format == Format.PARQUET
          ? conformParquet(spark.read().format("parquet").load(group.getValue().stream()
              .map(InputFiles::literalPath).toArray(String[]::new)), columns, set, renames, cfg.extraColumns())
          : conformText(readText(spark, group.getValue(), format, cfg.textOf(set.name()), columns, inspected),
              columns, set, renames, cfg.extraColumns());
      rows = rows == null ? part : rows.unionByName(part);
    }
    if (rows == null) {
      rows = spark.createDataFrame(List.of(), conformedSchema(set.schema()));
    }
    return new Delivery(rows, List.copyOf(reports), listing.delivered(set.name()));
  }

  /** Lists, looks at and reads one file set of a delivery on its own (ingest reads all four at once). */
  public static Delivery read(SparkSession spark, String input, FileSet set, IngestConfig cfg) {
    InputListing listing = InputListing.of(spark, input, List.of(set.name()));
    return read(spark, listing, inspect(spark, listing, List.of(set), cfg, Map.of()), set, cfg, Map.of());
  }

  /** Schema of the rows {@link #read} returns. */
  public static StructType conformedSchema(StructType expected) {
    return IngestColumns.tableSchema(expected)
        .add(SOURCE_FILE, DataTypes.StringType, false)
        .add(SOURCE_LINE, DataTypes.LongType, true)
        .add(MALFORMED, TEXT_MAP, false)
        .add(PROBLEM, DataTypes.StringType, true);
  }

  /** A bad file under {@code ingest.bad-files = fail}: the run stops with one line naming file and problem. */
  public static final class BadFileError extends org.taobaovillages.spark.UserError {
    BadFileError(FileReport report) {
      super("input " + report.file() + ": " + report.error() + " (" + report.badReason()
          + "; set ingest.bad-files = quarantine to leave bad files out and go on)");
    }

    public BadFileError(LateBadFile file) {
      super("input " + file.file() + ": " + file.error() + " (" + file.reason()
          + "; set ingest.bad-files = quarantine to leave bad files out and go on)");
    }
  }

  /** How Spark names a file in {@code _metadata.file_path} (a URL-encoded URI): the file's id in every table. */
  static String fileId(String uri) {
    return org.apache.spark.paths.SparkPath.fromPath(new Path(URI.create(uri))).urlEncoded();
  }

  /**
   * A file's URI as Spark's listing writes it: an empty authority left out ({@code file:/data/x}, not
   * {@code file:///data/x}), characters that URIs do not allow quoted ({@code [} as {@code %5B}).
   */
  static String uriOf(Path path) {
    URI u = path.toUri();
    if (u.getAuthority() != null && !u.getAuthority().isEmpty()) {
      return u.toString();
    }
    try {
      return new URI(u.getScheme(), null, u.getPath(), null, null).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a path: " + path, e);
    }
  }

  /**
   * The file as a path string for Spark's readers, which expand glob patterns: the characters Hadoop's globbing
   * gives a meaning ({@code [ ] { } * ? \}) are escaped, so {@code orders[1].parquet} is that file, not
   * {@code orders1.parquet}.
   */
  static String literalPath(String uri) {
    try {
      return new Path(new URI(uri)).toString().replaceAll("([\\\\\\[\\]{}*?])", "\\\\$1");
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + uri, e);
    }
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

  /** The lines of a group of text files with the same columns, one task per file ({@link TextReader}). */
  private static Dataset<Row> readText(SparkSession spark, List<String> uris, Format format, IngestConfig.Text text,
      StructType columns, Map<String, FileInspection.Inspected> inspected) {
    List<TextReader.Work> work = new ArrayList<>();
    List<String> names = List.of(columns.fieldNames());
    for (String uri : uris) {
      TextFiles.Scan scan = inspected.get(fileId(uri)).scan();
      work.add(new TextReader.Work(uri, fileId(uri), format, text, names, scan.headerLine(), scan.utf8Bom()));
    }
    var conf = new SerializableConfiguration(spark.sessionState().newHadoopConf());
    // Each file whole in one task; many small files share tasks.
    int slices = Math.min(work.size(), Math.max(1, spark.sparkContext().defaultParallelism() * 4));
    var lines = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(work, slices)
        .mapPartitions(new TextReader(conf));
    return spark.createDataFrame(lines, TextReader.SCHEMA);
  }

  /**
   * Brings the lines of a group of text files with the same columns to {@link #conformedSchema}: each declared
   * column from its field (several fields for a JSON key written in several cases; more than one present in a
   * line is a {@link Reason#DUPLICATE_FIELD}), normalised or parsed to its type (text that does not parse, or a
   * decimal that would be rounded, is null with its text in {@link #MALFORMED}).
   */
  static Dataset<Row> conformText(Dataset<Row> lines, StructType columns, FileSet set, Map<String, String> renames,
      ExtraColumns extras) {
    Map<String, List<Integer>> byTarget = FilePlan.positions(columns, renames);
    List<Column> out = new ArrayList<>();
    List<Column> malformed = new ArrayList<>();
    Column duplicate = lit(false);
    for (StructField want : set.schema().fields()) {
      List<Integer> at = byTarget.remove(want.name());
      if (at == null) {
        out.add(lit(null).cast(want.dataType()).as(want.name()));
        continue;
      }
      Column[] fields = at.stream().map(i -> field(i)).toArray(Column[]::new);
      Column source = fields.length == 1 ? fields[0] : coalesce(fields);
      if (fields.length > 1) {
        duplicate = duplicate.or(size(filter(array(fields), Column::isNotNull)).gt(1));
      }
      typed(want, source, set, out, malformed);
    }
    out.add(extraColumns(byTarget, columns, extras, InputFiles::field).as(IngestColumns.EXTRA_COLUMNS));
    out.add(col(TextReader.FILE).as(SOURCE_FILE));
    out.add(col(TextReader.LINE).as(SOURCE_LINE));
    out.add(malformedMap(malformed).as(MALFORMED));
    out.add(coalesce(col(TextReader.PROBLEM), when(duplicate, lit(Reason.DUPLICATE_FIELD.name()))).as(PROBLEM));
    return lines.select(out.toArray(Column[]::new));
  }

  /**
   * Brings a group of Parquet files with the same columns to {@link #conformedSchema}: declared columns cast
   * (types were checked to widen safely), strings normalised where declared; a row with a string that is not
   * valid UTF-8 gets {@link Reason#MALFORMED_ENCODING}.
   */
  static Dataset<Row> conformParquet(Dataset<Row> raw, StructType columns, FileSet set, Map<String, String> renames,
      ExtraColumns extras) {
    Map<String, List<Integer>> byTarget = FilePlan.positions(columns, renames);
    List<Column> out = new ArrayList<>();
    Column badBytes = lit(false);
    for (StructField want : set.schema().fields()) {
      List<Integer> at = byTarget.remove(want.name());
      if (at == null) {
        out.add(lit(null).cast(want.dataType()).as(want.name()));
        continue;
      }
      StructField have = columns.fields()[at.get(0)];
      Column source = col(quote(have.name()));
      if (have.dataType() instanceof StringType && !set.listed().contains(want.name())) {
        badBytes = badBytes.or(coalesce(not(call_function("is_valid_utf8", source)), lit(false)));
      }
      out.add((set.normalised().contains(want.name()) ? Keys.normalise(source) : source.cast(want.dataType()))
          .as(want.name()));
    }
    out.add(extraColumns(byTarget, columns, extras, i -> col(quote(columns.fields()[i].name()))
        .cast(DataTypes.StringType)).as(IngestColumns.EXTRA_COLUMNS));
    out.add(col("_metadata.file_path").as(SOURCE_FILE));
    // No row number: the quarantine keeps a Parquet row's values (its order id among them), and a unique number
    // per row would cost the cache of hundreds of millions of rows more than it tells.
    out.add(lit(null).cast(DataTypes.LongType).as(SOURCE_LINE));
    out.add(emptyTextMap().as(MALFORMED));
    out.add(when(badBytes, lit(Reason.MALFORMED_ENCODING.name())).as(PROBLEM));
    return raw.select(out.toArray(Column[]::new));
  }

  /** Field {@code i} of a text line (null when the line has no fields). */
  private static Column field(int i) {
    return get(col(TextReader.FIELDS), lit(i));
  }

  /** A declared column from the text of its field: normalised, kept as text, or parsed with its text kept if bad. */
  private static void typed(StructField want, Column source, FileSet set, List<Column> out, List<Column> malformed) {
    if (set.normalised().contains(want.name())) {
      out.add(Keys.normalise(source).as(want.name()));
      return;
    }
    if (want.dataType() instanceof StringType) {
      out.add(source.as(want.name()));
      return;
    }
    Column typed = TextValues.parse(source, want.dataType());
    Column unreadable = source.isNotNull().and(typed.isNull());
    out.add(when(not(unreadable), typed).as(want.name()));
    malformed.add(lit(want.name()));
    malformed.add(when(unreadable, source));
  }

  /**
   * The {@code extra_columns} map: the undeclared columns' values as text, under their names in the file (an
   * unnamed CSV column as {@code _c<n>}), with {@link ExtraColumns#KEEP}; else empty. A name repeated in a file
   * (possible in JSON, where case differs) gets its position appended.
   */
  private static Column extraColumns(Map<String, List<Integer>> extra, StructType columns, ExtraColumns extras,
      java.util.function.IntFunction<Column> value) {
    if (extras != ExtraColumns.KEEP || extra.isEmpty()) {
      return emptyTextMap();
    }
    List<Column> kv = new ArrayList<>();
    extra.values().forEach(positions -> positions.forEach(i -> {
      String name = FilePlan.nameOf(columns, i);
      kv.add(lit(positions.size() == 1 ? name : name + "#" + (i + 1)));
      kv.add(value.apply(i));
    }));
    return map(kv.toArray(Column[]::new));
  }

  private static Column malformedMap(List<Column> malformed) {
    return malformed.isEmpty() ? emptyTextMap()
        : map_filter(map(malformed.toArray(Column[]::new)), (k, v) -> v.isNotNull());
  }

  private static Column emptyTextMap() {
    return map().cast(TEXT_MAP);
  }

  static String quote(String column) {
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
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
