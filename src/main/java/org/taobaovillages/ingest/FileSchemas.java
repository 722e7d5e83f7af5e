package org.taobaovillages.ingest;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.ingest.InputFiles.Format;

/**
 * The columns of many Parquet and CSV files in one distributed pass: each task reads the footers (Parquet) or
 * header lines (CSV) of its share of the files, so that a delivery of thousands of files on an object store
 * costs one short Spark job, not one driver round trip per file. A file that cannot be read gets an error
 * instead of columns.
 */
final class FileSchemas {
  /**
   * What a task found in one file: the Parquet schema (its text form) or the CSV header (JSON of a StructType of
   * strings), or an error.
   */
  record Found(String path, String parquetSchema, String csvColumns, String error) implements java.io.Serializable {}

  /** A file's columns as Spark reads them, or its error. */
  record Columns(String path, StructType columns, String error) {}

  private FileSchemas() {}

  static List<Columns> inspect(SparkSession spark, Map<String, Format> files, IngestConfig.Csv csv) {
    List<String[]> work = new ArrayList<>();
    files.forEach((path, format) -> {
      if (format != Format.JSON) {
        work.add(new String[] {path, format.name()});
      }
    });
    if (work.isEmpty()) {
      return List.of();
    }
    var conf = new SerializableConfiguration(spark.sessionState().newHadoopConf());
    int slices = Math.max(1, Math.min(work.size(), spark.sparkContext().defaultParallelism() * 4));
    // Parquet types are mapped to Spark's on the driver, with the session's settings (binary as string, INT96).
    var converter = new ParquetToSparkSchemaConverter(spark.sessionState().conf());
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(work, slices)
        .mapPartitions(new Reader(conf, csv)).collect().stream()
        .map(f -> f.error() != null ? new Columns(f.path(), null, f.error())
            : f.parquetSchema() != null
                ? new Columns(f.path(), converter.convert(MessageTypeParser.parseMessageType(f.parquetSchema())), null)
                : new Columns(f.path(), (StructType) DataType.fromJson(f.csvColumns()), null))
        .toList();
  }

  /** Runs in the tasks: one file after another of the partition. */
  private static final class Reader implements FlatMapFunction<Iterator<String[]>, Found> {
    private final SerializableConfiguration conf;
    private final IngestConfig.Csv csv;

    Reader(SerializableConfiguration conf, IngestConfig.Csv csv) {
      this.conf = conf;
      this.csv = csv;
    }

    @Override
    public Iterator<Found> call(Iterator<String[]> files) {
      List<Found> found = new ArrayList<>();
      files.forEachRemaining(f -> {
        try {
          found.add(Format.valueOf(f[1]) == Format.PARQUET ? new Found(f[0], parquet(f[0]), null, null)
              : new Found(f[0], null, csvHeader(f[0]).json(), null));
        } catch (IOException | RuntimeException e) {
          found.add(new Found(f[0], null, null, "cannot read " + f[1].toLowerCase(java.util.Locale.ROOT) + " file: "
              + InputFiles.firstLine(InputFiles.rootMessage(e))));
        }
      });
      return found.iterator();
    }

    /** The footer's schema, as text: reading the footer fails on a truncated or non-Parquet file. */
    private String parquet(String path) throws IOException {
      Configuration c = conf.value();
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(path), c))) {
        return reader.getFooter().getFileMetaData().getSchema().toString();
      }
    }

    /** The header line, parsed with the configured dialect; an empty file has no columns. */
    private StructType csvHeader(String path) throws IOException {
      Configuration c = conf.value();
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(c);
      CompressionCodec codec = new CompressionCodecFactory(c).getCodec(p);
      CsvParserSettings settings = new CsvParserSettings();
      settings.getFormat().setDelimiter(csv.delimiter());
      settings.getFormat().setQuote(csv.quote().charAt(0));
      settings.getFormat().setQuoteEscape(csv.escape().charAt(0));
      settings.setHeaderExtractionEnabled(false);
      try (InputStream raw = fs.open(p);
          InputStream in = codec == null ? raw : codec.createInputStream(raw);
          BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.forName(csv.encoding())))) {
        CsvParser parser = new CsvParser(settings);
        parser.beginParsing(reader);
        String[] header = parser.parseNext();
        parser.stopParsing();
        StructType columns = new StructType();
        if (header != null) {
          for (String name : header) {
            columns = columns.add(name == null ? "" : name.strip(), DataTypes.StringType);
          }
        }
        return columns;
      }
    }
  }
}
