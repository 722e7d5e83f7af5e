package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.text.Normalizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Normalises ids, codes and list values as they are read, so that the same key written two ways is one key
 * ({@code " T-1"}, {@code "T-1 "} and {@code "T-1"} are one order; a re-delivered order is not counted twice):
 * Unicode NFKC (full-width letters and digits that Chinese input methods type become ASCII, {@code "１３０６"} is
 * {@code "1306"}; the ideographic and no-break spaces become spaces), then leading and trailing white space and
 * invisible format characters (zero-width space, byte order mark) removed. Case is kept: ids are case-sensitive
 * on the platforms. A value that becomes empty is a missing key.
 */
public final class Keys {
  private static final UserDefinedFunction NORMALISE = udf(new Normalise(), DataTypes.StringType);

  private Keys() {}

  /**
   * The column normalised (null stays null). ASCII values that start and end with a visible character (ids and
   * codes as platforms write them) are already normal: they are passed through without the function call.
   */
  public static Column normalise(Column value) {
    Column first = substring(value, 1, 1);
    Column last = substring(value, -1, 1);
    Column plain = octet_length(value).equalTo(length(value))
        .and(first.gt(lit(" "))).and(first.lt(lit("\u007f")))
        .and(last.gt(lit(" "))).and(last.lt(lit("\u007f")));
    return when(plain, value).otherwise(NORMALISE.apply(value));
  }

  /** Plain Java form of the same function. */
  public static String normalise(String value) {
    if (value == null) {
      return null;
    }
    if (plain(value)) {
      return value;
    }
    String s = Normalizer.normalize(value, Normalizer.Form.NFKC);
    int start = 0;
    int end = s.length();
    while (start < end && removable(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && removable(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** Printable ASCII with no space at either end: already normal (the common case, decided without copying). */
  private static boolean plain(String s) {
    if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
      return s.isEmpty();
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static boolean removable(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT
        || c == 0x85 || Character.isISOControl(c);
  }

  private static final class Normalise implements UDF1<String, String> {
    @Override
    public String call(String value) {
      return normalise(value);
    }
  }
}
