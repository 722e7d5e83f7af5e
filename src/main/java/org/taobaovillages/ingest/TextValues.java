package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Values of text files (CSV, JSON Lines) read as typed values, strictly: only the forms below are values, so that
 * text a lenient cast would accept by guessing ({@code "2022"} as a time, {@code "12.5"} as a quantity,
 * {@code "NaN"} as an amount, {@code "1.2E+07"} as money that Excel rounded) is a malformed value instead.
 * Leading and trailing spaces are allowed.
 *
 * <ul>
 *   <li>timestamp: {@code yyyy-MM-dd HH:mm[:ss[.fraction]]} (or with T), optionally {@code Z} or an offset
 *       {@code +08:00}; without one it is China time
 *   <li>date: {@code yyyy-MM-dd}
 *   <li>integer: digits with an optional sign
 *   <li>decimal: plain digits with an optional sign and fraction, no more fraction digits than the type's scale
 *       unless the extra ones are zeros (a value is never rounded)
 *   <li>double: a number, also in scientific notation; not NaN or Infinity
 *   <li>boolean: true or false, any case
 * </ul>
 */
final class TextValues {
  static final String TIMESTAMP =
      "^\\s*\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)?\\s*$";
  static final String DATE = "^\\s*\\d{4}-\\d{2}-\\d{2}\\s*$";
  static final String INTEGER = "^\\s*[+-]?\\d+\\s*$";
  /** Any finite number, as a double would read it (used to tell an amount too large from one malformed). */
  static final String NUMBER = "^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*$";
  static final String BOOLEAN = "(?i)^\\s*(true|false)\\s*$";

  private TextValues() {}

  /** The typed value of {@code text}, or null when it is not one of the accepted forms or does not fit. */
  static Column parse(Column text, DataType type) {
    String form = form(type);
    Column typed = trim(text).try_cast(type);
    return form == null ? typed : when(text.rlike(form), typed);
  }

  private static String form(DataType type) {
    if (type instanceof TimestampType) {
      return TIMESTAMP;
    }
    if (type instanceof DateType) {
      return DATE;
    }
    if (type instanceof IntegralType) {
      return INTEGER;
    }
    if (type instanceof DecimalType d) {
      return "^\\s*[+-]?\\d+(\\.\\d{0," + d.scale() + "}0*)?\\s*$";
    }
    if (type instanceof DoubleType || type instanceof FloatType) {
      return NUMBER;
    }
    if (type instanceof BooleanType) {
      return BOOLEAN;
    }
    return null;
  }
}
