package org.taobaovillages.ingest;

import static org.apache.spark.sql.types.DataTypes.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class InputFilesTest {
  @Test
  void widensOnlyWhereNoValueCanBeLostOrOverflow() {
    assertTrue(InputFiles.castsSafely(IntegerType, LongType));
    assertFalse(InputFiles.castsSafely(LongType, IntegerType));
    // DECIMAL(18,2) has 16 integer digits: every INT (10 digits) fits, not every BIGINT (19).
    assertTrue(InputFiles.castsSafely(IntegerType, createDecimalType(18, 2)));
    assertFalse(InputFiles.castsSafely(LongType, createDecimalType(18, 2)));
    assertTrue(InputFiles.castsSafely(createDecimalType(10, 2), createDecimalType(18, 2)));
    assertFalse(InputFiles.castsSafely(createDecimalType(18, 4), createDecimalType(18, 2)), "fen would be lost");
    assertFalse(InputFiles.castsSafely(DoubleType, createDecimalType(18, 2)), "binary floats are not money");
    assertFalse(InputFiles.castsSafely(StringType, TimestampType));
    assertTrue(InputFiles.castsSafely(IntegerType, DoubleType));
  }

  @Test
  void pathsGivenToSparkAreLiteralNotPatterns() {
    // Hadoop's glob would read orders[1].csv as orders1.csv, and q{1,2} as q1 or q2.
    assertEquals("file:/in/orders\\[1\\].parquet", InputFiles.literalPath("file:/in/orders%5B1%5D.parquet"));
    assertEquals("file:/in/q\\{1,2\\}\\*\\?.parquet", InputFiles.literalPath("file:/in/q%7B1,2%7D*%3F.parquet"));
    assertEquals("file:/in/a b#1.parquet", InputFiles.literalPath("file:/in/a%20b%231.parquet"));
  }

  @Test
  void fileIdsAreSparksUrlEncodedPathsWithoutAnEmptyAuthority() {
    String uri = InputFiles.uriOf(new org.apache.hadoop.fs.Path(java.net.URI.create("file:///in/orders%5B1%5D%20x.csv")));
    assertEquals("file:/in/orders%5B1%5D%20x.csv", uri);
    assertEquals(uri, InputFiles.fileId(uri));
    assertEquals("hdfs://nn:8020/in/a%25b.csv", InputFiles.uriOf(new org.apache.hadoop.fs.Path(
        java.net.URI.create("hdfs://nn:8020/in/a%25b.csv"))));
  }

  @Test
  void formatComesFromTheNameWhateverItsCaseOrCompression() {
    assertEquals(InputFiles.Format.CSV, InputFiles.formatOf("file:/in/ORDERS.CSV.GZ", "parquet"));
    assertEquals(InputFiles.Format.JSON, InputFiles.formatOf("file:/in/a.ndjson.bz2", "parquet"));
    assertEquals(InputFiles.Format.PARQUET, InputFiles.formatOf("file:/in/part-0001", "parquet"));
  }
}
