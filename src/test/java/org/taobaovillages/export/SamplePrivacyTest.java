package org.taobaovillages.export;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.TestSpark;

/**
 * Issue 32's privacy test on the bundled sample (one county, 33 villages, 2012-2022, dirty rows included): the whole
 * pipeline with the default configuration (k = 3), then {@link PrivacyCheck}: no raw id in any file of the
 * warehouse or in what the run printed and logged, no money or count as floating point, and every exported figure
 * from at least 3 sellers counted from the input files, with no published total giving a smaller group back by
 * subtraction. The generated world of PipelineEndToEndTest gets the same check on its own run.
 */
class SamplePrivacyTest {
  static final Path SAMPLE = Path.of("sample-parquet").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void onTheSampleNoExportedFigureComesFromFewerThanThreeSellersAndNoRawIdIsAnywhere() throws Exception {
    var spark = TestSpark.get();
    Path warehouse = dir.resolve("warehouse");
    var run = PrivacyCheck.runCapturingLog("pipeline", "--demo", "--input", SAMPLE.toString(), "--warehouse",
        warehouse.toString(), "--run-date", "2022-12-31");
    assertEquals(0, run.code(), run.err());
    var result = PrivacyCheck.check(spark, new PrivacyCheck.Run(SAMPLE, SAMPLE.resolve("_truth"), warehouse,
        LocalDate.parse("2022-12-31"), 3, 12, run.all()));
    result.summary().forEach((export, line) -> System.out.println("privacy check, sample: " + export + ": " + line));
    assertEquals(List.of(), result.violations());
  }

  /**
   * The same check on a warehouse a pipeline has already written (e.g. a larger generated world, or an older
   * version's output), run only when asked: {@code -Dprivacy.warehouse=DIR -Dprivacy.input=DIR
   * [-Dprivacy.truth=DIR] [-Dprivacy.run-date=2022-12-31] [-Dprivacy.k=3] [-Dprivacy.output=FILE,...]} (the run's
   * printed output and log, scanned for raw ids).
   */
  @Test
  @EnabledIfSystemProperty(named = "privacy.warehouse", matches = ".+")
  void aWarehouseWrittenBeforeKeepsEveryExportedFigureToKSellers() throws Exception {
    StringBuilder output = new StringBuilder();
    for (String f : System.getProperty("privacy.output", "").split(",")) {
      if (!f.isBlank()) {
        output.append(Files.readString(Path.of(f), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    String truth = System.getProperty("privacy.truth");
    var result = PrivacyCheck.check(TestSpark.get(), new PrivacyCheck.Run(Path.of(System.getProperty("privacy.input")),
        truth == null ? null : Path.of(truth), Path.of(System.getProperty("privacy.warehouse")),
        LocalDate.parse(System.getProperty("privacy.run-date", "2022-12-31")),
        Long.parseLong(System.getProperty("privacy.k", "3")), 12, output.toString()));
    result.summary().forEach((export, line) -> System.out.println("privacy check: " + export + ": " + line));
    result.violations().forEach(v -> System.out.println("privacy violation: " + v));
    assertEquals(List.of(), result.violations());
  }
}
