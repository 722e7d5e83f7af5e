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
