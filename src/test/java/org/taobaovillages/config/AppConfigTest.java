package org.taobaovillages.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {
  @TempDir Path dir;

  @Test
  void defaultRuleIsRuleAAsPublished() {
    RuleSet a = AppConfig.load(null).rule();
    assertEquals("A", a.id());
    // Article l.197-204: transactions *exceed* RMB 10 M; *at least* 10 % of households or 100 shops.
    assertEquals(new Criterion(Comparison.GREATER_THAN, new BigDecimal("10000000")), a.sales());
    assertEquals(new Criterion(Comparison.AT_LEAST, new BigDecimal("100")), a.activeShops());
    assertEquals(new Criterion(Comparison.AT_LEAST, new BigDecimal("0.10")), a.householdShare());
  }

  @Test
  void aFileOverridesOnlyWhatItNames() throws Exception {
    File f = write("taobao-villages.rules.A.sales.operator = \">=\"\ntaobao-villages.export.min-active-sellers = 5\n");
    AppConfig c = AppConfig.load(f);
    assertEquals(Comparison.AT_LEAST, c.rule().sales().operator());
    assertEquals(new BigDecimal("10000000"), c.rule().sales().threshold());
    assertEquals(5, c.export().minActiveSellers());
    assertEquals(1, c.metrics().minPaidOrders());
  }

  @Test
  void anUnknownOperatorNamesTheKey() throws Exception {
    File f = write("taobao-villages.rules.A.active-shops.operator = \"=>\"\n");
    ConfigError e = assertThrows(ConfigError.class, () -> AppConfig.load(f));
    assertTrue(e.getMessage().contains("taobao-villages.rules.A.active-shops.operator"), e.getMessage());
    assertTrue(e.getMessage().contains("'=>'"), e.getMessage());
  }

  @Test
  void anUnknownRuleSetIsReported() throws Exception {
    File f = write("taobao-villages.detect.rule = Z\n");
    ConfigError e = assertThrows(ConfigError.class, () -> AppConfig.load(f));
    assertTrue(e.getMessage().contains("no rule set taobao-villages.rules.Z"), e.getMessage());
  }

  @Test
  void aMissingFileIsReported() {
    ConfigError e = assertThrows(ConfigError.class, () -> AppConfig.load(dir.resolve("nope.conf").toFile()));
    assertTrue(e.getMessage().startsWith("config file not found"), e.getMessage());
  }

  private File write(String text) throws Exception {
    Path p = dir.resolve("test.conf");
    Files.writeString(p, text);
    return p.toFile();
  }
}
