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
}
