package org.taobaovillages.ingest;

/**
 * Finds UTF-8 text in the bytes of a line of a file declared in another encoding (UTF-8 lines pasted into a GBK
 * export, or a field copied from a UTF-8 source). Such bytes are often valid in the declared encoding too: the
 * UTF-8 bytes of 服装 (E6 9C 8D E8 A3 85) read as GBK are 鏈嶈, so strict decoding cannot tell and the value would
 * be stored garbled. The bytes of a line are cut into runs of non-ASCII bytes (UTF-8 never has an ASCII byte inside
 * a character; delimiters, quotes and digits cut the runs), and a run is UTF-8 text when:
 * <ul>
 *   <li>in a single-byte encoding (ISO-8859-x, windows-125x): it is valid UTF-8 (text in such an encoding is valid
 *       UTF-8 only where a letter like Ã or Â is followed by a symbol from 0x80..0xBF, itself the look of
 *       mojibake);
 *   <li>in a multi-byte encoding (GBK, GB18030, Big5): it is valid UTF-8, every character of it is one of those of
 *       Chinese text ({@link #chineseText}) and at least one is a CJK character (U+2E80 and above). Genuine GBK
 *       text is seldom valid UTF-8, and then mostly as Latin, Greek or Cyrillic letters (two-byte sequences): a
 *       CJK character in UTF-8 takes a lead byte E2..E9 and two bytes 0x80..0xBF, which the 3,755 common GB2312
 *       characters (first bytes B0..D7) never give.
 * </ul>
 * Limits (measured on random strings; docs/data-model.md "What ingest trusts in an input file"): in a multi-byte
 * encoding, UTF-8 text without CJK characters (accented Latin letters, emoji) is not found and is read in the
 * declared encoding; a run of genuine GBK that reads as UTF-8 Chinese is refused: never among strings of the
 * 3,755 common characters, about 1 in 20,000 strings of three of all 6,763 GB2312 characters, 1 in 300 to 1 in 90
 * strings of two to eight characters drawn from all 20,934 GBK ideographs (most of them rare; the GBK-only ones
 * may have an ASCII second byte, which cuts runs short).
 */
final class Utf8Text {
  private Utf8Text() {}

  /**
   * Whether the first {@code length} bytes hold a run of UTF-8 text, for a file declared in an encoding other than
   * UTF-8; {@code singleByte} if that encoding has one byte per character.
   */
  static boolean found(byte[] bytes, int length, boolean singleByte) {
    int i = 0;
    while (i < length) {
      if (bytes[i] >= 0) {
        i++;
        continue;
      }
      int end = i;
      while (end < length && bytes[end] < 0) {
        end++;
      }
      if (utf8Run(bytes, i, end, singleByte)) {
        return true;
      }
      i = end;
    }
    return false;
  }

  /** Whether bytes {@code from..to} (all non-ASCII) are UTF-8 text as {@link #found} defines it. */
  private static boolean utf8Run(byte[] b, int from, int to, boolean anyScript) {
    boolean cjk = false;
    int i = from;
    while (i < to) {
      int lead = b[i] & 0xFF;
      int length;
      int cp;
      int min;
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        cp = lead & 0x1F;
        min = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        cp = lead & 0x0F;
        min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        cp = lead & 0x07;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + length > to) {
        return false;
      }
      for (int k = 1; k < length; k++) {
        int c = b[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return false;
        }
        cp = cp << 6 | (c & 0x3F);
      }
      // Overlong forms, surrogates and code points above Unicode's are not UTF-8.
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      if (!anyScript && !chineseText(cp)) {
        return false;
      }
      cjk |= cp >= 0x2E80;
      i += length;
    }
    return anyScript || cjk;
  }

  /**
   * The characters of Chinese text besides ASCII: Latin-1's symbols and letters, general punctuation (“”—…), CJK
   * radicals, symbols and punctuation, kana, bopomofo and unified ideographs (U+2E80..U+9FFF), compatibility
   * ideographs and forms, full-width and half-width forms. Not the supplementary ideographic planes (four-byte
   * UTF-8): two GB2312 characters of the rows F0..F4 read as one of them too often (about 1 in 2,700 random pairs).
   */
  static boolean chineseText(int cp) {
    return (cp >= 0x00A0 && cp <= 0x00FF) || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2E80 && cp <= 0x9FFF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF);
  }
}
