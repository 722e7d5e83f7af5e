package org.taobaovillages;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.Sessions;

/** The one SparkSession of the test JVM (Spark allows one active context per JVM; starting it costs seconds). */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      System.setProperty("spark.sql.warehouse.dir", Path.of("target", "spark-warehouse").toAbsolutePath().toString());
      session = Sessions.getOrCreate("taobao-villages-tests", "local[2]", 4);
    }
    return session;
  }

  /** Absolute path of a test resource. */
  public static Path resource(String name) {
    try {
      return Path.of(TestSpark.class.getResource("/" + name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException("test resource missing: " + name, e);
    }
  }
}
