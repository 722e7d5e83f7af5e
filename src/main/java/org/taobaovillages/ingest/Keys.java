package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Normalises ids, codes and list values as they are read, so that the same key written two ways is one key
 * ({@code " T-1"}, {@code "T-1 "} and {@code "T-1"} are one order; a re-delivered order is not counted twice). Only
 * known spellings of one id are folded:
 * <ul>
 *   <li>full-width ASCII, which Chinese input methods type (U+FF01..U+FF5E become U+0021..U+007E:
 *       {@code "１３０６"} is {@code "1306"}, {@code "Ｔ－１"} is {@code "T-1"}), and the ideographic space U+3000 (a
 *       space);
 *   <li>white space (Unicode's: spaces, tabs, line breaks, the no-break spaces U+00A0, U+2007, U+202F) and invisible
 *       format characters (zero-width space, byte order mark) at either end, removed.
 * </ul>
 * Nothing else: not Unicode's compatibility folding (NFKC), which also maps superscripts, subscripts, ligatures,
 * circled and parenthesised digits, Roman numerals and half-width katakana onto other characters, so that
 * {@code "S²"} and {@code "S2"}, {@code "ﬁsh"} and {@code "fish"}, {@code "①"} and {@code "1"}, {@code "Ⅳ"} and
 * {@code "IV"} would become one seller. An id with such a character is kept as written (distinct from the id it
 * would fold to; an order naming it finds no other seller's account). Case is kept: ids are case-sensitive on the
 * platforms. A value that becomes empty is a missing key.
 */
public final class Keys {
  private static final UserDefinedFunction NORMALISE = udf(new Normalise(), DataTypes.StringType);
  /** The ASCII characters Java counts as white space (the only ones that can end a plain ASCII value). */
  private static final String ASCII_WHITE_SPACE = " \t\n\u000b\f\r\u001c\u001d\u001e\u001f";

  private Keys() {}

  /**
   * The column normalised (null stays null). A value in ASCII that starts with a visible character and does not
   * end in white space (ids and codes as platforms write them) is already normal: it is passed through with a few
   * byte comparisons instead of the function call, which matters at hundreds of millions of rows.
   */
  public static Column normalise(Column value) {
    Column plain = octet_length(value).equalTo(length(value)).and(ascii(value).gt(32));
    for (char c : ASCII_WHITE_SPACE.toCharArray()) {
      plain = plain.and(not(value.endsWith(String.valueOf(c))));
    }
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
    String s = foldFullWidth(value);
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

  /** Full-width ASCII (U+FF01..U+FF5E) and the ideographic space as ASCII; every other character as it is. */
  private static String foldFullWidth(String s) {
    char[] chars = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      char folded = c >= '\uFF01' && c <= '\uFF5E' ? (char) (c - 0xFEE0) : c == '\u3000' ? ' ' : c;
      if (folded != c) {
        if (chars == null) {
          chars = s.toCharArray();
        }
        chars[i] = folded;
      }
    }
    return chars == null ? s : new String(chars);
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

  /** White space (Unicode's, the ideographic and no-break spaces among it) and invisible format characters. */
  private static boolean removable(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
  }

  private static final class Normalise implements UDF1<String, String> {
    @Override
    public String call(String value) {
      return normalise(value);
    }
  }
}
