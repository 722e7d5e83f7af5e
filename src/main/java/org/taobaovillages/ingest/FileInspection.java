package org.taobaovillages.ingest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.ingest.InputFiles.Format;

/**
 * Looks at every file of a delivery before its rows are read, in one distributed pass (each task takes its share
 * of the files, so thousands of files on an object store cost one short Spark job): a Parquet file's footer (its
 * columns and row count, checked for counts that contradict each other: {@link ParquetRowCounts}), a text file's
 * bytes whole ({@link TextFiles#scan}: rows, skipped lines, header or keys).
 * A file that cannot be opened, decompressed or parsed gets a file reason and a message instead.
 */
final class FileInspection {
  /** One file to look at, with the text settings of its file set. */
  record Work(String uri, Format format, IngestConfig.Text text) implements Serializable {}

  /** What a task found in one file: a Parquet schema (as text) and row count, a text scan, or a bad-file reason. */
  record Found(String uri, String parquetSchema, long parquetRows, TextFiles.Scan scan, Reason bad, String error)
      implements Serializable {}

  /**
   * A file's columns as Spark reads them (physical types for Parquet, strings for text), the rows it holds, the
   * lines skipped, the text scan (null for Parquet), or its reason and error.
   */
  record Inspected(String uri, StructType columns, long rows, long skipped, TextFiles.Scan scan, Reason bad,
      String error) {
    boolean isBad() {
      return bad != null;
    }
  }

  private FileInspection() {}

  static List<Inspected> inspect(SparkSession spark, List<Work> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    var conf = new SerializableConfiguration(spark.sessionState().newHadoopConf());
    int slices = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 4));
    // Parquet types are mapped to Spark's on the driver, with the session's settings (binary as string, INT96).
    var converter = new ParquetToSparkSchemaConverter(spark.sessionState().conf());
    // One row per file: bounded by the number of files, safe to collect.
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(files, slices)
        .mapPartitions(new Reader(conf)).collect().stream()
        .map(f -> {
          if (f.bad() != null) {
            return new Inspected(f.uri(), null, 0, 0, null, f.bad(), f.error());
          }
          if (f.parquetSchema() != null) {
            return new Inspected(f.uri(), converter.convert(MessageTypeParser.parseMessageType(f.parquetSchema())),
                f.parquetRows(), 0, null, null, null);
          }
          StructType columns = new StructType();
          for (String name : f.scan().columns()) {
            columns = columns.add(name, DataTypes.StringType);
          }
          return new Inspected(f.uri(), columns, f.scan().rows(), f.scan().skipped(), f.scan(), f.scan().bad(),
              f.scan().error());
        })
        .toList();
  }

  /** Runs in the tasks: one file after another of the partition. */
  private static final class Reader implements FlatMapFunction<Iterator<Work>, Found> {
    private final SerializableConfiguration conf;

    Reader(SerializableConfiguration conf) {
      this.conf = conf;
    }

    @Override
    public Iterator<Found> call(Iterator<Work> files) {
      List<Found> found = new ArrayList<>();
      files.forEachRemaining(f -> found.add(inspect(f, conf.value())));
      return found.iterator();
    }

    private static Found inspect(Work f, Configuration c) {
      Path path;
      long length;
      try {
        path = new Path(new URI(f.uri()));
        length = path.getFileSystem(c).getFileStatus(path).getLen();
      } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
        return bad(f, Reason.UNREADABLE_FILE, "cannot open: " + message(e));
      }
      if (length == 0) {
        return bad(f, Reason.EMPTY_FILE, "empty file (0 bytes): no " + (f.format() == Format.CSV ? "header line and no "
            : "") + "rows");
      }
      if (f.format() == Format.PARQUET) {
        try {
          HadoopInputFile file = HadoopInputFile.fromPath(path, c);
          try (ParquetFileReader reader = ParquetFileReader.open(file)) {
            String lie = ParquetRowCounts.lie(reader.getFooter(), ParquetRowCounts.footerRows(file));
            if (lie != null) {
              return bad(f, Reason.ROW_COUNT_MISMATCH, lie);
            }
            return new Found(f.uri(), reader.getFooter().getFileMetaData().getSchema().toString(),
                reader.getRecordCount(), null, null, null);
          }
        } catch (FileNotFoundException e) {
          return bad(f, Reason.UNREADABLE_FILE, "cannot open: " + message(e));
        } catch (IOException | RuntimeException e) {
          return bad(f, Reason.CORRUPT_FILE, "cannot read parquet file: " + message(e));
        }
      }
      InputStream in;
      try {
        in = TextFiles.open(path, c);
      } catch (IOException | RuntimeException e) {
        return bad(f, Reason.UNREADABLE_FILE, "cannot open: " + message(e));
      }
      try (in) {
        return new Found(f.uri(), null, 0, TextFiles.scan(in, f.format(), f.text()), null, null);
      } catch (IOException | RuntimeException e) {
        // Not a gzip stream, a stream cut short: the bytes cannot be read to the end.
        return bad(f, Reason.CORRUPT_FILE, "cannot read the file to its end: " + message(e));
      }
    }

    private static Found bad(Work f, Reason reason, String error) {
      return new Found(f.uri(), null, 0, null, reason, error);
    }

    /**
     * The first line of the innermost message. Only file system and codec exceptions reach here; the parsers'
     * (which quote the data) are caught where they are used.
     */
    private static String message(Throwable e) {
      return InputFiles.firstLine(InputFiles.rootMessage(e));
    }
  }
}
