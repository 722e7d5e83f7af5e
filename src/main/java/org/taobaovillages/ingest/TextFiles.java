package org.taobaovillages.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.ingest.InputFiles.Format;

/**
 * Text files (CSV with a header line, JSON Lines), one record per physical line. This class counts what a file
 * holds, on its bytes and with its own line splitter, before any parser sees it ({@link #scan}); the reader
 * ({@link TextReader}) splits lines with Hadoop's line reader and must return as many rows as counted here, so a
 * parser that merged or dropped lines shows as a count mismatch instead of a silent success.
 *
 * <p>Lines end at LF, CRLF or a lone CR (old Mac exports); a file's last line needs no line break. Skipped, and
 * counted as skipped: blank lines (spaces and tabs only), and in CSV the lines before the header that are blank
 * or start with the comment character, the header line, and later lines equal to the header (files exported in
 * parts and concatenated). Every other line is a row.
 *
 * <p>A file is in its file set's declared encoding. A byte order mark of another encoding makes it a bad file
 * ({@link Reason#WRONG_ENCODING}); a line that is not valid in the encoding, or holds UTF-8 text in a file declared
 * otherwise ({@link Utf8Text}), is {@link Reason#MALFORMED_ENCODING}.
 */
final class TextFiles {
  /** Bytes looked at for binary content (NUL bytes) at the start of a text file. */
  static final int PROBE_BYTES = 4096;
  /** Most distinct keys a JSON Lines file may use; more means it is not a table. */
  static final int MAX_JSON_KEYS = 1_000;
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /**
   * What a text file holds: row and skipped line counts, its columns (with, for JSON, the number of rows that
   * have each key), whether it starts with a UTF-8 byte order mark (only a file declared UTF-8 may), or why it is
   * bad.
   */
  record Scan(long rows, long skipped, long headerLine, List<String> columns, List<Long> keyRows, boolean utf8Bom,
      Reason bad, String error) implements Serializable {
    static Scan bad(Reason reason, String error) {
      return new Scan(0, 0, 0, List.of(), List.of(), false, reason, error);
    }
  }

  private TextFiles() {}

  /** The decompressed bytes of a file (codec from the name: .gz, .bz2, ...). */
  static InputStream open(Path path, Configuration conf) throws IOException {
    InputStream raw = path.getFileSystem(conf).open(path);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    try {
      return new BufferedInputStream(codec == null ? raw : codec.createInputStream(raw), 1 << 16);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** Consumes a UTF-8 byte order mark at the start of {@code in}, if there is one; says whether there was. */
  static boolean skipUtf8Bom(InputStream in) throws IOException {
    in.mark(UTF8_BOM.length);
    byte[] start = in.readNBytes(UTF8_BOM.length);
    if (Arrays.equals(start, UTF8_BOM)) {
      return true;
    }
    in.reset();
    return false;
  }

  /**
   * The charset a file is decoded with: its file set's, always. A byte order mark that names another is a bad
   * file ({@link #scan}), never obeyed: the declaration or the file is wrong, and which one only its sender knows.
   */
  static Charset charset(IngestConfig.Text text) {
    return Charset.forName(text.encoding());
  }

  /**
   * Decodes the lines of a file in its charset, strictly, and refuses a line that holds UTF-8 text when the charset
   * is another ({@link Utf8Text}): its bytes may be valid in the charset too, and would be read as other characters.
   */
  static final class LineDecoder {
    private final CharsetDecoder decoder;
    /** Null for UTF-8 (nothing to look for), else whether the charset has one byte per character. */
    private final Boolean singleByte;

    LineDecoder(Charset charset) {
      this.decoder = strictDecoder(charset);
      this.singleByte = charset.equals(StandardCharsets.UTF_8) ? null : singleByte(charset);
    }

    /** The text of the line, or null if its bytes are not valid in the charset or hold UTF-8 text in another. */
    String decode(byte[] bytes, int length) {
      return utf8InAnother(bytes, length) ? null : TextFiles.decode(decoder, bytes, length);
    }

    /** Whether the line holds UTF-8 text although the charset is another. */
    boolean utf8InAnother(byte[] bytes, int length) {
      return singleByte != null && Utf8Text.found(bytes, length, singleByte);
    }

    Charset charset() {
      return decoder.charset();
    }

    private static boolean singleByte(Charset charset) {
      try {
        return charset.newEncoder().maxBytesPerChar() <= 1;
      } catch (UnsupportedOperationException e) {
        return false; // a charset that can only decode: treated as multi-byte (the narrower check)
      }
    }
  }

  /** A decoder that refuses bytes not valid in the charset (rather than replacing them with U+FFFD). */
  static CharsetDecoder strictDecoder(Charset charset) {
    return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** The text of {@code length} bytes, or null if they are not valid in the decoder's charset. */
  static String decode(CharsetDecoder decoder, byte[] bytes, int length) {
    try {
      return decoder.reset().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Spaces and tabs only (or nothing). */
  static boolean blank(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Whether the line is a comment line that may come before the CSV header. */
  static boolean comment(byte[] bytes, int length, IngestConfig.Text text) {
    return !text.comment().isEmpty() && length > 0 && bytes[0] == (byte) text.comment().charAt(0);
  }

  /**
   * Counts the rows and skipped lines of a text file on its bytes and finds its columns (the CSV header, the
   * sorted keys of the JSON objects). Reading errors are left to the caller.
   */
  static Scan scan(InputStream in, Format format, IngestConfig.Text text) throws IOException {
    in.mark(PROBE_BYTES);
    byte[] head = in.readNBytes(PROBE_BYTES);
    in.reset();
    if (head.length == 0) {
      return Scan.bad(Reason.EMPTY_FILE, "empty file (no bytes once decompressed): no "
          + (format == Format.CSV ? "header line and no " : "") + "rows");
    }
    Charset declared = charset(text);
    Scan binary = binaryKind(head, format == Format.CSV ? "CSV" : "JSON Lines", declared);
    if (binary != null) {
      return binary;
    }
    boolean bom = skipUtf8Bom(in);
    if (bom && !declared.equals(StandardCharsets.UTF_8)) {
      return Scan.bad(Reason.WRONG_ENCODING, contradiction("a UTF-8 byte order mark", declared, true));
    }
    LineDecoder decoder = new LineDecoder(declared);
    Lines lines = new Lines(in, text.maxLineBytes());
    long rows = 0;
    long skipped = 0;
    long headerLine = 0;
    byte[] header = null;
    Map<String, Long> keys = new TreeMap<>();
    while (lines.next()) {
      byte[] b = lines.bytes();
      int n = lines.length();
      boolean isBlank = !lines.truncated() && blank(b, n);
      if (format == Format.CSV && header == null) {
        skipped++;
        if (isBlank || comment(b, n, text)) {
          continue;
        }
        if (lines.truncated()) {
          return Scan.bad(Reason.NO_HEADER, "line " + lines.number() + ", where the header should be, is longer "
              + "than ingest.max-line-size (" + text.maxLineBytes() + " bytes): is this a CSV file?");
        }
        header = Arrays.copyOf(b, n);
        headerLine = lines.number();
      } else if (isBlank || (header != null && !lines.truncated() && Arrays.equals(b, 0, n, header, 0, header.length))) {
        skipped++;
      } else {
        rows++;
        if (format == Format.JSON && !lines.truncated()) {
          String line = decoder.decode(b, n);
          JsonLine.Parsed parsed = line == null ? null : JsonLine.parse(line);
          if (parsed != null && parsed.members() != null) {
            parsed.members().keySet().forEach(k -> keys.merge(k, 1L, Long::sum));
            if (keys.size() > MAX_JSON_KEYS) {
              return Scan.bad(Reason.CORRUPT_FILE, "more than " + MAX_JSON_KEYS + " distinct keys: not a table");
            }
          }
        }
      }
    }
    if (format == Format.CSV) {
      if (header == null) {
        return Scan.bad(Reason.EMPTY_FILE, "no header line and no rows (" + skipped + " blank or comment lines)");
      }
      String headerText = decoder.decode(header, header.length);
      if (headerText == null) {
        return Scan.bad(Reason.WRONG_ENCODING, "the header line (line " + headerLine + ") is "
            + (decoder.utf8InAnother(header, header.length) ? "UTF-8 text, not " : "not valid ")
            + decoder.charset().name() + ": set ingest.encoding (or ingest.file-sets.<set>.encoding) to the "
            + "file's encoding");
      }
      String[] names = new CsvLine(text).split(headerText);
      if (names == null) {
        return Scan.bad(Reason.NO_HEADER, "the header line (line " + headerLine + ") cannot be split into columns "
            + "(a stray or unterminated quote)");
      }
      List<String> columns = new ArrayList<>();
      for (String name : names) {
        columns.add(name == null ? "" : name.strip());
      }
      return new Scan(rows, skipped, headerLine, List.copyOf(columns), List.of(), bom, null, null);
    }
    if (rows == 0) {
      return Scan.bad(Reason.EMPTY_FILE, "no rows (" + skipped + " blank lines)");
    }
    return new Scan(rows, skipped, 0, List.copyOf(keys.keySet()), List.copyOf(keys.values()), bom, null, null);
  }

  /**
   * Why the first bytes of a file show it is not ASCII-compatible text in the declared charset (a bad file), or
   * null: a UTF-32 or UTF-16 byte order mark (never a declared charset: not ASCII-compatible), a GB18030 one in a
   * file declared otherwise, an archive, binary bytes.
   */
  static Scan binaryKind(byte[] head, String expected, Charset declared) {
    String not = "not " + expected + " text: ";
    if (startsWith(head, 0x00, 0x00, 0xFE, 0xFF) || startsWith(head, 0xFF, 0xFE, 0x00, 0x00)) {
      return Scan.bad(Reason.WRONG_ENCODING, not + contradiction("a UTF-32 byte order mark", declared, false));
    }
    if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
      return Scan.bad(Reason.WRONG_ENCODING, not + contradiction("a UTF-16 byte order mark", declared, false));
    }
    if (startsWith(head, 0x84, 0x31, 0x95, 0x33) && !declared.name().equals("GB18030")) {
      return Scan.bad(Reason.WRONG_ENCODING, contradiction("a GB18030 byte order mark", declared, true));
    }
    if (startsWith(head, 'P', 'K', 3, 4)) {
      return Scan.bad(Reason.CORRUPT_FILE, not + "a ZIP archive (an Excel workbook?); export it as CSV");
    }
    if (startsWith(head, 'P', 'A', 'R', '1')) {
      return Scan.bad(Reason.CORRUPT_FILE, not + "a Parquet file; name it .parquet");
    }
    for (byte b : head) {
      if (b == 0) {
        return Scan.bad(Reason.WRONG_ENCODING, not + "NUL bytes in the first " + head.length
            + " bytes (UTF-16 without a byte order mark, or binary)");
      }
    }
    return null;
  }

  /**
   * One line for a byte order mark that names another encoding than the declared one; {@code declarable} if the
   * mark's encoding may be declared (it is ASCII-compatible).
   */
  private static String contradiction(String mark, Charset declared, boolean declarable) {
    return "the file starts with " + mark + " but its file set's encoding is " + declared.name()
        + " (ingest.encoding or ingest.file-sets.<set>.encoding): save it in " + declared.name() + " without the mark"
        + (declarable ? ", or declare the encoding it is in for its file set" : "");
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != (byte) prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A byte-level line splitter (LF, CRLF, lone CR), independent of the reader's: keeps at most {@code max + 1}
   * bytes of a line, so that a line over the limit is seen as such without being held whole.
   */
  static final class Lines {
    private final InputStream in;
    private final int max;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private boolean afterCr;
    private byte[] line = new byte[256];
    private int length;
    private long fullLength;
    private long number;

    Lines(InputStream in, int max) {
      this.in = in;
      this.max = max;
    }

    /** Moves to the next line; false at the end of the file. */
    boolean next() throws IOException {
      length = 0;
      fullLength = 0;
      boolean any = false;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            if (any) {
              number++;
            }
            return any;
          }
        }
        byte b = buffer[position++];
        if (afterCr) {
          afterCr = false;
          if (b == '\n') {
            continue;
          }
        }
        any = true;
        if (b == '\n' || b == '\r') {
          afterCr = b == '\r';
          number++;
          return true;
        }
        fullLength++;
        if (length <= max) {
          if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(max + 1, line.length * 2));
          }
          line[length++] = b;
        }
      }
    }

    byte[] bytes() {
      return line;
    }

    /** Bytes kept of the line (at most max + 1). */
    int length() {
      return (int) Math.min(length, fullLength);
    }

    boolean truncated() {
      return fullLength > max;
    }

    /** Line number, from 1. */
    long number() {
      return number;
    }
  }
}
