package org.taobaovillages.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.ingest.InputFiles.Format;

/**
 * Reads text files line by line in Spark tasks (one file after another, each file whole in one task) and gives
 * one row per data line: its file, its line number, its fields in the file's column order, or the problem that
 * kept it from having fields ({@link Reason#MALFORMED_RECORD}, {@link Reason#MALFORMED_ENCODING},
 * {@link Reason#DUPLICATE_FIELD}). Lines are skipped exactly as {@link TextFiles#scan} counted them, so the rows
 * of a file must number what the scan counted. Paths are opened as given, never expanded as patterns.
 */
final class TextReader implements FlatMapFunction<Iterator<TextReader.Work>, Row> {
  static final String FILE = InputFiles.SOURCE_FILE;
  static final String LINE = InputFiles.SOURCE_LINE;
  static final String FIELDS = "_fields";
  static final String PROBLEM = InputFiles.PROBLEM;

  /** Schema of the rows read. */
  static final StructType SCHEMA = new StructType()
      .add(FILE, DataTypes.StringType, false)
      .add(LINE, DataTypes.LongType, false)
      .add(FIELDS, DataTypes.createArrayType(DataTypes.StringType, true), true)
      .add(PROBLEM, DataTypes.StringType, true);

  /**
   * One file to read: its path (a URI), its id in the tables, format, text settings, columns (the CSV header or
   * the JSON keys), the line of the CSV header (0 for JSON) and whether it starts with a UTF-8 byte order mark
   * (skipped; only a file declared UTF-8 may have one, {@link TextFiles#scan}).
   */
  record Work(String uri, String fileId, Format format, IngestConfig.Text text, List<String> columns,
      long headerLine, boolean utf8Bom) implements Serializable {}

  /** Thrown in a task when a file cannot be read to its end; the driver finds the file by it. */
  static final class UnreadableFile extends RuntimeException {
    final String fileId;

    UnreadableFile(String fileId, String message) {
      super(message);
      this.fileId = fileId;
    }
  }

  private final SerializableConfiguration conf;

  TextReader(SerializableConfiguration conf) {
    this.conf = conf;
  }

  @Override
  public Iterator<Row> call(Iterator<Work> files) {
    return new Iterator<>() {
      private FileRows current;

      @Override
      public boolean hasNext() {
        while (current == null || !current.hasNext()) {
          if (current != null) {
            current.close();
            current = null;
          }
          if (!files.hasNext()) {
            return false;
          }
          current = new FileRows(files.next(), conf);
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** The data rows of one file, read lazily. */
  private static final class FileRows implements Iterator<Row> {
    private final Work work;
    private final InputStream in;
    private final LineReader lines;
    private final TextFiles.LineDecoder decoder;
    private final CsvLine csv;
    private final Map<String, Integer> positions;
    private final Text line = new Text();
    private byte[] header;
    private long number;
    private Row next;

    FileRows(Work work, SerializableConfiguration conf) {
      this.work = work;
      try {
        this.in = TextFiles.open(new Path(new java.net.URI(work.uri())), conf.value());
        if (work.utf8Bom()) {
          TextFiles.skipUtf8Bom(in);
        }
      } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
        throw new UnreadableFile(work.fileId(), "cannot open: " + InputFiles.firstLine(e.getMessage()));
      }
      this.lines = new LineReader(in, 1 << 16);
      this.decoder = new TextFiles.LineDecoder(TextFiles.charset(work.text()));
      this.csv = work.format() == Format.CSV ? new CsvLine(work.text()) : null;
      this.positions = new java.util.HashMap<>();
      for (int i = 0; i < work.columns().size(); i++) {
        positions.put(work.columns().get(i), i);
      }
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }

    private Row advance() {
      int max = work.text().maxLineBytes();
      try {
        while (lines.readLine(line, max + 1, Integer.MAX_VALUE) > 0) {
          number++;
          byte[] b = line.getBytes();
          int n = line.getLength();
          boolean truncated = n > max;
          if (number < work.headerLine()) {
            continue;
          }
          if (number == work.headerLine()) {
            header = Arrays.copyOf(b, n);
            continue;
          }
          if ((!truncated && TextFiles.blank(b, n))
              || (header != null && !truncated && Arrays.equals(b, 0, n, header, 0, header.length))) {
            continue;
          }
          return truncated ? problem(Reason.MALFORMED_RECORD) : parse(decoder.decode(b, n));
        }
        return null;
      } catch (IOException | RuntimeException e) {
        throw new UnreadableFile(work.fileId(), "cannot read line " + (number + 1) + ": "
            + InputFiles.firstLine(e.getMessage()));
      }
    }

    private Row parse(String text) {
      if (text == null) {
        return problem(Reason.MALFORMED_ENCODING);
      }
      if (csv != null) {
        String[] fields = csv.split(text);
        return fields == null || fields.length != work.columns().size() ? problem(Reason.MALFORMED_RECORD)
            : RowFactory.create(work.fileId(), number, fields, null);
      }
      JsonLine.Parsed parsed = JsonLine.parse(text);
      if (parsed.problem() != null) {
        return problem(parsed.problem());
      }
      String[] fields = new String[work.columns().size()];
      parsed.members().forEach((key, value) -> fields[positions.get(key)] = value);
      return RowFactory.create(work.fileId(), number, fields, null);
    }

    private Row problem(Reason reason) {
      return RowFactory.create(work.fileId(), number, null, reason.name());
    }

    void close() {
      try {
        in.close();
      } catch (IOException e) {
        // Read to the end already; nothing is lost by a failed close.
      }
    }
  }
}
