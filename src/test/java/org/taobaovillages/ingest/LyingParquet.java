package org.taobaovillages.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Parquet files whose footer lies about their rows, made from a good file by rewriting its footer (the Thrift
 * {@code FileMetaData} after the pages: pages and their offsets are left as they are). A writer that died or a
 * tool that patched a file leaves such footers; Spark's vectorized reader fills the rows a row group claims but
 * its pages do not hold with empty values instead of failing (Spark 4.1).
 */
final class LyingParquet {
  private LyingParquet() {}

  /** Copies {@code from} to {@code to} with the footer's total row count set to {@code rows}. */
  static Path claimingRows(Path from, Path to, long rows) {
    return rewritten(from, to, footer -> footer.setNum_rows(rows));
  }

  /**
   * Copies {@code from} (one row group) to {@code to} with the row group's row count and the footer's total set to
   * {@code rows}; its columns' value counts, and its pages, are left as they are.
   */
  static Path rowGroupClaimingRows(Path from, Path to, long rows) {
    return rewritten(from, to, footer -> {
      footer.setNum_rows(rows);
      footer.getRow_groups().get(0).setNum_rows(rows);
    });
  }

  /**
   * Copies {@code from} (one row group) to {@code to} with every count of the footer set to {@code rows}: the
   * total, the row group's and each column's value count, while the pages hold the rows they held.
   */
  static Path everyCountClaimingRows(Path from, Path to, long rows) {
    return rewritten(from, to, footer -> {
      footer.setNum_rows(rows);
      RowGroup group = footer.getRow_groups().get(0);
      group.setNum_rows(rows);
      group.getColumns().forEach(c -> c.getMeta_data().setNum_values(rows));
    });
  }

  private static Path rewritten(Path from, Path to, Consumer<FileMetaData> change) {
    byte[] bytes = read(from);
    int start = footerStart(bytes);
    try {
      FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(bytes, start, bytes.length - 8 - start));
      change.accept(footer);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(bytes, 0, start);
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      Util.writeFileMetaData(footer, written);
      written.writeTo(out);
      int length = written.size();
      // Footer length (little-endian), then the magic.
      out.write(new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24),
          'P', 'A', 'R', '1'});
      Files.write(to, out.toByteArray());
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the footer starts: its length is the little-endian int before the closing magic. */
  private static int footerStart(byte[] bytes) {
    int n = bytes.length;
    int length = (bytes[n - 8] & 0xFF) | (bytes[n - 7] & 0xFF) << 8 | (bytes[n - 6] & 0xFF) << 16
        | (bytes[n - 5] & 0xFF) << 24;
    return n - 8 - length;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
