package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.spark.Warehouse;

/**
 * Reads one input file set ({@code <input>/<name>/}, Parquet) and brings it to the declared schema. The schema
 * is never inferred from the data: a missing required column or an incompatible type stops the run with the
 * path, the column and the expected type; extra columns are dropped.
 */
public final class InputFiles {
  /** Extra column on every row read: the file it came from, for quarantine records and reports. */
  public static final String SOURCE_FILE = "_source_file";
  private InputFiles() {}

  public static Dataset<Row> read(SparkSession spark, String input, String name, StructType expected) {
    String path = input + "/" + name;
    if (!Warehouse.pathExists(spark, path)) {
      throw new UserError("input not found: " + path + " (expected a Parquet file set '" + name + "/' under --input "
          + input + ")");
    }
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(path);
    } catch (Exception e) {
      throw new UserError("cannot read Parquet input " + path + ": " + firstLine(e.getMessage()));
    }
    return conform(raw, expected, path);
  }

  /** Selects the expected columns, cast where the stored type widens safely; fails on anything else. */
  static Dataset<Row> conform(Dataset<Row> raw, StructType expected, String path) {
    StructType actual = raw.schema();
    Column[] columns = new Column[expected.size() + 1];
    for (int i = 0; i < expected.size(); i++) {
      StructField want = expected.fields()[i];
      StructField have = Arrays.stream(actual.fields())
          .filter(f -> f.name().equalsIgnoreCase(want.name())).findFirst()
          .orElseThrow(() -> new UserError("input " + path + ": missing required column '" + want.name()
              + "' (expected " + want.dataType().simpleString() + "); found columns: "
              + Arrays.stream(actual.fieldNames()).collect(Collectors.joining(", "))));
      if (!castsSafely(have.dataType(), want.dataType())) {
        throw new UserError("input " + path + ": column '" + want.name() + "' has type "
            + have.dataType().simpleString() + ", expected " + want.dataType().simpleString());
      }
      columns[i] = col(have.name()).cast(want.dataType()).as(want.name());
    }
    columns[expected.size()] = col("_metadata.file_path").as(SOURCE_FILE);
    return raw.select(columns);
  }

  /**
   * Same type, or a numeric widening that cannot lose or overflow a value: integers into wider integers or
   * into decimals with enough integer digits, decimals into decimals with at least as many integer and
   * fraction digits, any number into double.
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
    return from instanceof NumericType && to.equals(org.apache.spark.sql.types.DataTypes.DoubleType);
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

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
