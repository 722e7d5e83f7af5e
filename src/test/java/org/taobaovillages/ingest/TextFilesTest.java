package org.taobaovillages.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;
import org.apache.spark.util.SerializableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.ingest.InputFiles.Format;

/** Counting what a text file holds, on its bytes, and reading it line by line: the two must agree. */
class TextFilesTest {
  static final IngestConfig.Text TEXT = AppConfig.load(null).ingest().text();

  @TempDir Path dir;

  static TextFiles.Scan scan(byte[] bytes, Format format) throws IOException {
    return TextFiles.scan(new BufferedInputStream(new ByteArrayInputStream(bytes)), format, TEXT);
  }

  static TextFiles.Scan scan(String text, Format format) throws IOException {
    return scan(text.getBytes(StandardCharsets.UTF_8), format);
  }

  @Test
  void linesEndAtLfCrlfOrALoneCrAndTheLastNeedsNone() throws IOException {
    var lines = new TextFiles.Lines(new ByteArrayInputStream("a\r\nb\rc\n\nd".getBytes(StandardCharsets.UTF_8)), 100);
    List<String> got = new ArrayList<>();
    while (lines.next()) {
      got.add(new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8));
    }
    assertEquals(List.of("a", "b", "c", "", "d"), got);
  }

  @Test
  void aCsvFileHoldsItsLinesAfterTheHeaderThatAreNotBlankOrTheHeaderAgain() throws IOException {
    // Lines: 1 comment, 2 blank, 3 header, 4 row, 5 blank, 6 header again, 7 row (no final line break).
    var s = scan("# exported 2022-12-31\n\nid,x\r\n1,2\n   \nid,x\n3,4", Format.CSV);
    assertNull(s.bad(), s.error());
    assertEquals(List.of(2L, 5L, 3L), List.of(s.rows(), s.skipped(), s.headerLine()));
    assertEquals(List.of("id", "x"), s.columns());
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheHeader() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] rest = "id,x\n1,2\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[bom.length + rest.length];
    System.arraycopy(bom, 0, bytes, 0, 3);
    System.arraycopy(rest, 0, bytes, 3, rest.length);
    var s = scan(bytes, Format.CSV);
    assertTrue(s.utf8Bom());
    assertEquals(List.of("id", "x"), s.columns());
    assertEquals(1, s.rows());
  }

  @Test
  void filesThatAreNotTextOrHoldNothingAreBad() throws IOException {
    assertEquals(Reason.EMPTY_FILE, scan(new byte[0], Format.CSV).bad());
    assertEquals(Reason.EMPTY_FILE, scan("# only a note\n\n", Format.CSV).bad());
    assertEquals(Reason.EMPTY_FILE, scan("\n  \n", Format.JSON).bad());
    assertEquals(Reason.WRONG_ENCODING, scan("\uFEFFid\n".getBytes(StandardCharsets.UTF_16LE), Format.CSV).bad());
    assertEquals(Reason.WRONG_ENCODING, scan("id\n".getBytes(StandardCharsets.UTF_16BE), Format.CSV).bad(),
        "NUL bytes");
    assertEquals(Reason.CORRUPT_FILE, scan(new byte[] {'P', 'K', 3, 4, 20, 0}, Format.CSV).bad());
    // A header line that is not valid UTF-8 (a GBK export read as UTF-8).
    assertEquals(Reason.WRONG_ENCODING, scan("白沟,x\n1,2\n".getBytes(java.nio.charset.Charset.forName("GBK")),
        Format.CSV).bad());
  }

  /** The default text settings in another encoding. */
  static IngestConfig.Text encoded(String charset) {
    return new IngestConfig.Text(charset, TEXT.delimiter(), TEXT.quote(), TEXT.escape(), TEXT.comment(),
        TEXT.maxLineBytes());
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * A byte order mark says which encoding a file is in; when that is not the file set's declared encoding, one of
   * the two is wrong and the file is bad, naming both (a UTF-8 mark in a file declared GBK, or windows-1252; a
   * UTF-16 mark in a file declared GBK). Its bytes would otherwise be read as text in the declared encoding
   * (GBK reads the UTF-8 mark and the UTF-8 text after it as valid Chinese characters) or the mark obeyed.
   */
  @Test
  void aByteOrderMarkThatContradictsTheDeclaredEncodingMakesTheFileBad() throws IOException {
    byte[] utf8 = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "id,category\n1,\u670D\u88C5\n".getBytes(StandardCharsets.UTF_8));
    for (String declared : List.of("GBK", "GB18030", "windows-1252")) {
      var s = TextFiles.scan(new BufferedInputStream(new ByteArrayInputStream(utf8)), Format.CSV, encoded(declared));
      assertEquals(Reason.WRONG_ENCODING, s.bad(), declared);
      assertTrue(s.error().contains("UTF-8 byte order mark") && s.error().contains(declared), s.error());
    }
    byte[] utf16 = "\uFEFFid,category\n".getBytes(StandardCharsets.UTF_16LE);
    var s = TextFiles.scan(new BufferedInputStream(new ByteArrayInputStream(utf16)), Format.CSV, encoded("GBK"));
    assertEquals(Reason.WRONG_ENCODING, s.bad());
    assertTrue(s.error().contains("UTF-16") && s.error().contains("GBK"), s.error());
    // The mark of the declared encoding is not part of the header.
    var agreeing = TextFiles.scan(new BufferedInputStream(new ByteArrayInputStream(utf8)), Format.CSV, TEXT);
    assertNull(agreeing.bad(), agreeing.error());
    assertEquals(List.of("id", "category"), agreeing.columns());
  }

  /**
   * A file declared GBK with lines written in UTF-8 (pasted from another export): the UTF-8 bytes of 白沟 and 服装
   * are valid GBK too (they read as 鐧芥矡 and 鏈嶈), so decoding cannot tell. The UTF-8 lines, whole or in one
   * field, are MALFORMED_ENCODING; the GBK and the ASCII lines are read as written.
   */
  @Test
  void utf8LinesInAFileDeclaredGbkAreMalformedEncodingNotMojibake() throws IOException {
    java.nio.charset.Charset gbk = java.nio.charset.Charset.forName("GBK");
    String place = "\u767D\u6C9F";
    String category = "\u670D\u88C5";
    byte[] bytes = concat("id,place,category\nT-1,".getBytes(StandardCharsets.US_ASCII),
        (place + "," + category + "\nT-2,").getBytes(gbk),
        (place + "," + category + "\nT-3,").getBytes(StandardCharsets.UTF_8),
        (place + ",").getBytes(gbk), (category + "\n").getBytes(StandardCharsets.UTF_8),
        "T-4,Baigou,bags\n".getBytes(StandardCharsets.US_ASCII));
    Path file = dir.resolve("mixed.csv");
    Files.write(file, bytes);
    IngestConfig.Text text = encoded("GBK");
    var s = TextFiles.scan(new BufferedInputStream(new ByteArrayInputStream(bytes)), Format.CSV, text);
    assertNull(s.bad(), s.error());
    assertEquals(4, s.rows());
    String uri = InputFiles.uriOf(new org.apache.hadoop.fs.Path(file.toUri()));
    var work = new TextReader.Work(uri, InputFiles.fileId(uri), Format.CSV, text, s.columns(), s.headerLine(),
        s.utf8Bom());
    List<String> got = new ArrayList<>();
    for (var it = new TextReader(new SerializableConfiguration(new Configuration())).call(List.of(work).iterator());
        it.hasNext(); ) {
      var row = it.next();
      got.add(row.getLong(1) + " " + (row.isNullAt(2) ? row.getString(3) : List.of((String[]) row.get(2))));
    }
    assertEquals(List.of("2 [T-1, " + place + ", " + category + "]", "3 MALFORMED_ENCODING", "4 MALFORMED_ENCODING",
        "5 [T-4, Baigou, bags]"), got);
  }

  @Test
  void jsonLinesKeysAreSortedWithTheRowsThatHaveThem() throws IOException {
    var s = scan("{\"b\": 1, \"a\": 2}\n\n{\"a\": 3}\n{\"c\": oops\n", Format.JSON);
    assertEquals(List.of("a", "b"), s.columns(), "the broken line names no key");
    assertEquals(List.of(2L, 1L), s.keyRows());
    assertEquals(List.of(3L, 1L), List.of(s.rows(), s.skipped()));
  }

  /**
   * Property, on random files made of the bytes that matter (line breaks, quotes, delimiters, blanks, comment
   * marks, bytes that are not UTF-8): the byte-level count and Hadoop's line reader see the same lines, and the
   * reader gives exactly as many rows as the scan counted.
   */
  @Test
  void theScanAndTheReaderAgreeOnAnyBytes() throws IOException {
    Random rnd = new Random(42);
    byte[] alphabet = {'a', '1', ',', '"', '\r', '\n', ' ', '\t', '#', '{', '}', ':', (byte) 0xFF, (byte) 0xC3};
    var reader = new TextReader(new SerializableConfiguration(new Configuration()));
    for (int i = 0; i < 300; i++) {
      byte[] bytes = new byte[rnd.nextInt(120)];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = alphabet[rnd.nextInt(alphabet.length)];
      }
      assertEquals(hadoopLines(bytes), byteLines(bytes), "case " + i);
      for (Format format : List.of(Format.CSV, Format.JSON)) {
        TextFiles.Scan s = scan(bytes, format);
        if (s.bad() != null) {
          continue;
        }
        Path file = dir.resolve("case-" + i + (format == Format.CSV ? ".csv" : ".jsonl"));
        Files.write(file, bytes);
        String uri = InputFiles.uriOf(new org.apache.hadoop.fs.Path(file.toUri()));
        var work = new TextReader.Work(uri, InputFiles.fileId(uri), format, TEXT, s.columns(), s.headerLine(),
            s.utf8Bom());
        long rows = 0;
        for (var it = reader.call(List.of(work).iterator()); it.hasNext(); it.next()) {
          rows++;
        }
        assertEquals(s.rows(), rows, format + " case " + i + ": " + new String(bytes, StandardCharsets.ISO_8859_1));
      }
    }
  }

  private static long byteLines(byte[] bytes) throws IOException {
    var lines = new TextFiles.Lines(new ByteArrayInputStream(bytes), 1000);
    long n = 0;
    while (lines.next()) {
      n++;
    }
    return n;
  }

  private static long hadoopLines(byte[] bytes) throws IOException {
    LineReader reader = new LineReader(new ByteArrayInputStream(bytes), 16);
    Text line = new Text();
    long n = 0;
    while (reader.readLine(line) > 0) {
      n++;
    }
    return n;
  }
}
