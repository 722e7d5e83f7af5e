package org.taobaovillages.export;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.taobaovillages.TestSpark;

/**
 * Issue 32's privacy check ({@link PrivacyCheck}) on a warehouse a pipeline has already written: no raw id in any
 * file of the warehouse or in what the run printed and logged, no money or count as floating point, and every
 * exported figure from at least k sellers counted from the input files, with no published total giving a smaller
 * group back by subtraction. {@code jobs/demo-check.sh} (run by CI) runs the README's demo on the bundled sample
 * and then this check on its warehouse; the generated world of PipelineEndToEndTest gets the same check in the
 * suite. Run only when asked: {@code -Dprivacy.warehouse=DIR -Dprivacy.input=DIR [-Dprivacy.truth=DIR]
 * [-Dprivacy.run-date=2022-12-31] [-Dprivacy.k=3] [-Dprivacy.output=FILE,...]} (the run's printed output and log,
 * scanned for raw ids).
 */
class WarehousePrivacyTest {
  /** The check on the warehouse named by {@code privacy.warehouse} (the sample's, a larger world's, an older one). */
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
