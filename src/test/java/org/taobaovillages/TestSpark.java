package org.taobaovillages;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.Sessions;

/** The one SparkSession of the test JVM (Spark allows one active context per JVM; starting it costs seconds). */
public final class TestSpark {
  private static SparkSession session;

  /**
   * Test inputs have tens to thousands of rows, where compiling generated code for every query costs more than
   * evaluating it: Spark's interpreted evaluation (which its own test suites also run) gives the same results.
   * A cluster run keeps Spark's defaults.
   */
  private static final java.util.Map<String, String> SMALL_DATA = java.util.Map.of(
      "spark.sql.codegen.wholeStage", "false",
      "spark.sql.codegen.factoryMode", "NO_CODEGEN");

  private TestSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      System.setProperty("spark.sql.warehouse.dir", Path.of("target", "spark-warehouse").toAbsolutePath().toString());
      SMALL_DATA.forEach(System::setProperty);
      session = Sessions.getOrCreate("taobao-villages-tests", "local[2]", 2);
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
