package org.taobaovillages.cli;

import java.io.File;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.taobaovillages.spark.Sessions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options every job takes. */
public final class CommonOptions {
  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
      description = "Period the run covers (China calendar): data up to the end of this day. Default: today.")
  LocalDate runDate;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "HOCON file laid over the defaults in conf/taobao-villages.conf.")
  File conf;

  @Option(names = "--warehouse", paramLabel = "URI", defaultValue = "warehouse",
      description = "Where our Delta tables live: any Hadoop URI (file:, hdfs:, s3a:); a plain path is a local "
          + "directory. Default: ${DEFAULT-VALUE}.")
  String warehouse;

  @Option(names = "--input", paramLabel = "URI",
      description = "Directory of the input Parquet file sets (transactions/, seller_accounts/, village_registry/, "
          + "county_attributes/).")
  String input;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Lineage id stored with every row written (e.g. Airflow's run_id). Default: generated.")
  String runId;

  @Option(names = "--metrics-file", paramLabel = "URI",
      description = "Also write the run's figures as JSON here (any Hadoop URI), whether it succeeded or failed: "
          + "outcome, seconds, and rows in, rows out and seconds of every stage.")
  String metricsFile;

  @Option(names = "--verbose", description = "Print stack traces of failures.")
  boolean verbose;

  LocalDate runDate() {
    return runDate != null ? runDate : LocalDate.now(ZoneId.of(Sessions.TIME_ZONE));
  }

  /** Parses ISO dates and says what was expected when it cannot. */
  public static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a date of the form YYYY-MM-DD");
      }
    }
  }
}
