package org.taobaovillages.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {
  @TempDir Path dir;

  @Test
  void theShippedRulesAreThePublishedStatements() {
    RuleSets rules = AppConfig.load(null).rules();
    assertEquals(List.of("A", "B", "C", "E", "T1", "T2", "K", "S"), rules.ids());
    VillageRule a = rules.village("A");
    // Article l.197-204: transactions *exceed* RMB 10 M; *at least* 10 % of households or 100 shops; Taobao primary.
    assertEquals(new Criterion(Comparison.GREATER_THAN, new BigDecimal("10000000")), a.sales());
    assertEquals(new Criterion(Comparison.AT_LEAST, new BigDecimal("100")), a.activeShops());
    assertEquals(new Criterion(Comparison.AT_LEAST, new BigDecimal("0.10")), a.householdShare());
    assertEquals(List.of("taobao", "tmall"), a.platform().platforms());
    // Dissertation l.89-95: *more than* 100 accounts *more than* RMB 10 M; no household alternative.
    VillageRule b = rules.village("B");
    assertEquals(new Criterion(Comparison.GREATER_THAN, new BigDecimal("100")), b.activeShops());
    assertNull(b.householdShare());
    assertNull(b.platform());
    // Dissertation l.410-418: more than 100 active accounts OR more than 10 % engaged; "active" is ours.
    VillageRule c = rules.village("C");
    assertEquals(new Criterion(Comparison.GREATER_THAN, new BigDecimal("0.10")), c.householdShare());
    assertEquals(new ActiveSeller(1, new BigDecimal("10000")), c.activeSeller());
    assertNull(rules.village("E").platform());
    assertEquals("ecommerce_village", rules.village("E").kind());
    assertEquals(3, rules.towns().get("T1").minVillages());
    assertTrue(rules.towns().get("T2").widened());
    assertEquals(new Criterion(Comparison.GREATER_THAN, new BigDecimal("100")), rules.counties().get("S").villages());
    assertEquals(10, rules.clusters().get("K").minVillages());
    assertEquals(30, rules.clusters().get("K").largeMinVillages());
    assertEquals(2, rules.activeSellerDefinitions().size());
  }

  @Test
  void selectingAHigherLevelRuleBringsItsVillageRule() {
    RuleSets rules = AppConfig.load(null).rules();
    RuleSets t = rules.select(List.of("T1"));
    assertEquals(List.of("A", "T1"), t.ids());
    ConfigError e = assertThrows(ConfigError.class, () -> rules.select(List.of("A", "Z")));
    assertTrue(e.getMessage().contains("no rule Z (the rules are A, B, C, E, T1, T2, K, S)"), e.getMessage());
  }

  @Test
  void aFileOverridesOnlyWhatItNames() throws Exception {
    File f = write("taobao-villages.rules.villages.A.sales.operator = \">=\"\n"
        + "taobao-villages.export.min-active-sellers = 5\n");
    AppConfig c = AppConfig.load(f);
    assertEquals(Comparison.AT_LEAST, c.rules().village("A").sales().operator());
    assertEquals(new BigDecimal("10000000"), c.rules().village("A").sales().threshold());
    assertEquals(5, c.export().minActiveSellers());
    assertEquals(1, c.metrics().minPaidOrders());
  }

  @Test
  void anUnknownOperatorNamesTheKey() throws Exception {
    File f = write("taobao-villages.rules.villages.A.active-shops.operator = \"=>\"\n");
    ConfigError e = assertThrows(ConfigError.class, () -> AppConfig.load(f));
    assertTrue(e.getMessage().contains("taobao-villages.rules.villages.A.active-shops.operator"), e.getMessage());
    assertTrue(e.getMessage().contains("'=>'"), e.getMessage());
  }

  @Test
  void anUnknownPrimaryRuleOrVillageRuleOfATownIsReported() throws Exception {
    ConfigError e = assertThrows(ConfigError.class, () -> AppConfig.load(write("taobao-villages.detect.primary-rule = Z\n")));
    assertTrue(e.getMessage().contains("there is no village rule Z"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> AppConfig.load(write("taobao-villages.rules.towns.T1.village-rule = Q\n")));
    assertTrue(e.getMessage().contains("taobao-villages.rules.towns.T1.village-rule = Q: no such village rule"),
        e.getMessage());
    e = assertThrows(ConfigError.class, () -> AppConfig.load(write(
        "taobao-villages.rules.villages.A.platform.platforms = [taobao, wechat]\n")));
    assertTrue(e.getMessage().contains("'wechat' is not a platform"), e.getMessage());
  }

  @Test
  void aChurnRateThatTheCountyTypeFactorWouldPushOverOneIsRefused() throws Exception {
    // 0.7 x 1.6 (Pearl River Delta type) = 1.12: not a probability. 0.625 x 1.6 = 1 is the largest allowed.
    ConfigError e = assertThrows(ConfigError.class,
        () -> AppConfig.load(write("taobao-villages.generate.world.churn-rate = 0.7\n")));
    assertTrue(e.getMessage().contains("churn-rate must be at most 0.625"), e.getMessage());
    assertEquals(0.625,
        AppConfig.load(write("taobao-villages.generate.world.churn-rate = 0.625\n")).world().churnRate());
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
