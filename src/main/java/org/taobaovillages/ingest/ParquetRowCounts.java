package org.taobaovillages.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

/**
 * The row counts a Parquet footer states, checked against each other before any row is read, so that the count
 * ingest reconciles the rows read with ({@link Reconciliation}) is the count of rows the pages hold.
 *
 * <p>A footer states its rows three times: the file's total ({@code FileMetaData.num_rows}), each row group's
 * ({@code RowGroup.num_rows}) and, for each column of a row group, its number of values
 * ({@code ColumnMetaData.num_values}: one per row for a column that is not repeated, nulls included). Readers trust
 * different ones, and none of them fails on a lie (Spark 4.1 with parquet-mr 1.16, tried on rewritten footers):
 * <ul>
 *   <li>the total is ignored by parquet-mr (its record count is the sum of the row groups'), so a total that
 *       claims rows no row group holds is never noticed;
 *   <li>a row group that claims more rows than its columns' values makes Spark's vectorized reader return the
 *       claimed number of rows, the missing ones with empty values (the non-vectorized reader fails);
 *   <li>a column whose value count claims more values than its pages hold makes parquet-mr fail while it reads
 *       the pages (a corrupt file, found when the rows are read).
 * </ul>
 * So a file is trusted only when its total equals the sum of its row groups and every non-repeated column of a row
 * group has as many values as the row group has rows; parquet-mr then checks, as it reads them, that the pages
 * hold those values.
 */
final class ParquetRowCounts {
  private ParquetRowCounts() {}

  /**
   * The total row count of the file's footer, as written ({@code FileMetaData.num_rows}: parquet-mr's metadata
   * drops it). Reads the footer's length and its first fields only, not the row groups again.
   */
  static long footerRows(InputFile file) throws IOException {
    long length = file.getLength();
    try (SeekableInputStream in = file.newStream()) {
      byte[] tail = new byte[8];
      in.seek(length - tail.length);
      in.readFully(tail);
      long footer = (tail[0] & 0xFFL) | (tail[1] & 0xFFL) << 8 | (tail[2] & 0xFFL) << 16 | (tail[3] & 0xFFL) << 24;
      if (footer <= 0 || footer > length - tail.length) {
        throw new EOFException("footer length " + footer + " does not fit a file of " + length + " bytes");
      }
      in.seek(length - tail.length - footer);
      return Util.readFileMetaData(in, true).getNum_rows();
    }
  }

  /**
   * Why the footer's row counts cannot be trusted (a one-line message for the audit), or null when they agree:
   * the total ({@code footerRows}) against the row groups, each row group against its non-repeated columns.
   */
  static String lie(ParquetMetadata footer, long footerRows) {
    List<BlockMetaData> groups = footer.getBlocks();
    long inGroups = groups.stream().mapToLong(BlockMetaData::getRowCount).sum();
    if (footerRows != inGroups) {
      return String.format("the footer claims %,d rows but its %s %,d: the file's row count cannot be trusted "
          + "(a write that did not finish, or a rewritten footer)", footerRows,
          groups.size() == 1 ? "row group holds" : String.format("%,d row groups hold", groups.size()), inGroups);
    }
    MessageType schema = footer.getFileMetaData().getSchema();
    for (int g = 0; g < groups.size(); g++) {
      BlockMetaData group = groups.get(g);
      for (ColumnChunkMetaData column : group.getColumns()) {
        boolean repeated = schema.getColumnDescription(column.getPath().toArray()).getMaxRepetitionLevel() > 0;
        if (!repeated && column.getValueCount() != group.getRowCount()) {
          return String.format("row group %d claims %,d rows but its column '%s' holds %,d values: the file's row "
              + "count cannot be trusted (a write that did not finish, or a rewritten footer)", g + 1,
              group.getRowCount(), column.getPath().toDotString(), column.getValueCount());
        }
      }
    }
    return null;
  }
}
