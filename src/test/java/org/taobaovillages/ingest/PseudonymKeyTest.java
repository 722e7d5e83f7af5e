package org.taobaovillages.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taobaovillages.config.IngestConfig;
import org.taobaovillages.spark.UserError;

class PseudonymKeyTest {
  private static final IngestConfig NO_FILE = keys("TV_KEY", "");

  /** The default ingest settings with the given key sources. */
  static IngestConfig keys(String env, String file) {
    IngestConfig d = org.taobaovillages.config.AppConfig.load(null).ingest();
    return new IngestConfig(env, file, d.defaultFormat(), d.text(), d.textByFileSet(), d.renames(), d.extraColumns(),
        d.badFiles(), d.maxBadRowShare(), d.maxOrderAmountRmb(), d.earliestOrderDate(), d.ranges(), d.commitRetries(),
        d.commitRetryWait(), d.duplicateScope(), d.broadcastMaxSellers(), d.redactionMaxIds());
  }

  @Test
  void withoutAKeyIngestRefusesUnlessDemo() {
    UserError e = assertThrows(UserError.class, () -> IngestJob.resolveKey(NO_FILE, Map.of(), false));
    assertTrue(e.getMessage().contains("TV_KEY"), e.getMessage());
    assertArrayEquals(IngestJob.DEMO_KEY.getBytes(StandardCharsets.UTF_8), IngestJob.resolveKey(NO_FILE, Map.of(), true));
  }

  @Test
  void theEnvironmentWinsOverTheFileAndTheDemoKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, "key-from-a-file-0123456789\n");
    var cfg = keys("TV_KEY", file.toString());
    assertArrayEquals("key-from-env-0123456789".getBytes(StandardCharsets.UTF_8),
        IngestJob.resolveKey(cfg, Map.of("TV_KEY", "key-from-env-0123456789"), true));
    assertArrayEquals("key-from-a-file-0123456789".getBytes(StandardCharsets.UTF_8),
        IngestJob.resolveKey(cfg, Map.of(), true));
  }

  @Test
  void pseudonymIsHmacSha256AsInRfc4231() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". The 16-byte minimum applies to
    // the job's keys, so the plain function is checked directly.
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        Pseudonymizer.pseudonym("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?"));
  }
}
