package org.taobaovillages.detect

import java.math.{BigDecimal => JBigDecimal}

import scala.jdk.CollectionConverters._

import org.apache.spark.sql.Row
import org.scalatest.funsuite.AnyFunSuite
import org.taobaovillages.TestSpark
import org.taobaovillages.config.{Comparison, Criterion, RuleSet}
import org.taobaovillages.table.{VillageStatus, VillageYear}

/**
 * Rule A at its boundaries (domain.md section 2: sales exceed RMB 10 M; 100 shops; 10 % of households; Taobao
 * the primary platform), with both operator choices. Thresholds are the published ones, not read from conf.
 */
class TaobaoVillageRuleSuite extends AnyFunSuite {
  private val spark = TestSpark.get()

  private def rule(sales: Comparison, shops: Comparison, households: Comparison): RuleSet =
    new RuleSet("A", "test", "boundary test", "domain.md",
      new Criterion(sales, new JBigDecimal("10000000")),
      new Criterion(shops, new JBigDecimal("100")),
      new Criterion(households, new JBigDecimal("0.10")),
      new Criterion(Comparison.AT_LEAST, new JBigDecimal("0.5")))

  private val atLeastAll = rule(Comparison.AT_LEAST, Comparison.AT_LEAST, Comparison.AT_LEAST)
  private val exceedAll = rule(Comparison.GREATER_THAN, Comparison.GREATER_THAN, Comparison.GREATER_THAN)

  /** One village-year; household_share is given as active/households like aggregate computes it. */
  private def villageYear(code: String, year: Int, sales: String, shops: Long, activeHouseholds: Long,
      households: Integer, taobaoShare: Double): Row = {
    val share: java.lang.Double =
      if (households == null || households == 0) null else activeHouseholds.toDouble / households.intValue()
    Row(code, year, shops, activeHouseholds, households, share, 1000L, new JBigDecimal(sales), taobaoShare,
      "paid orders >= 1", true)
  }

  private def statusOf(rows: Seq[Row], r: RuleSet): Map[(String, Int), Row] = {
    val df = spark.createDataFrame(rows.asJava, VillageYear.METRICS_SCHEMA)
    TaobaoVillageRule.apply(df, r).collect().map(row =>
      (row.getAs[String](VillageYear.VILLAGE_CODE), row.getAs[Int](VillageYear.YEAR)) -> row).toMap
  }

  private def isTaobaoVillage(row: Row): Boolean = row.getAs[Boolean](VillageStatus.IS_TAOBAO_VILLAGE)

  test("sales of exactly RMB 10,000,000 qualify under '>=' but not under '>' (exceed)") {
    val rows = Seq(villageYear("330000000201", 2020, "10000000.00", 150, 150, 1000, 0.9))
    assert(isTaobaoVillage(statusOf(rows, atLeastAll)(("330000000201", 2020))))
    val exceed = statusOf(rows, rule(Comparison.GREATER_THAN, Comparison.AT_LEAST, Comparison.AT_LEAST))
    assert(!isTaobaoVillage(exceed(("330000000201", 2020))))
    assert(!exceed(("330000000201", 2020)).getAs[Boolean](VillageStatus.MEETS_SALES))
  }

  test("one fen above RMB 10,000,000 exceeds the threshold") {
    val rows = Seq(villageYear("330000000202", 2020, "10000000.01", 150, 150, 1000, 0.9))
    assert(isTaobaoVillage(statusOf(rows, exceedAll)(("330000000202", 2020))))
  }

  test("exactly 100 active shops qualify under '>=' but not under '>'") {
    // 100 households of 2,000 = 5 %: only the shop criterion can make it.
    val rows = Seq(villageYear("330000000203", 2020, "12000000.00", 100, 100, 2000, 0.9))
    val atLeast = statusOf(rows, atLeastAll)(("330000000203", 2020))
    assert(atLeast.getAs[Boolean](VillageStatus.MEETS_SHOPS))
    assert(isTaobaoVillage(atLeast))
    assert(!isTaobaoVillage(statusOf(rows, exceedAll)(("330000000203", 2020))))
  }

  test("exactly 10 % of households qualify under '>=' but not under '>'") {
    // 50 of 500 households = 10 %; 60 shops (< 100), so the household criterion decides.
    val rows = Seq(villageYear("330000000204", 2020, "12000000.00", 60, 50, 500, 0.9))
    val atLeast = statusOf(rows, atLeastAll)(("330000000204", 2020))
    assert(atLeast.getAs[Boolean](VillageStatus.MEETS_HOUSEHOLDS))
    assert(isTaobaoVillage(atLeast))
    assert(!isTaobaoVillage(statusOf(rows, exceedAll)(("330000000204", 2020))))
  }

  test("exactly 10 % is judged exactly even when the share is not a round binary fraction (7 of 70)") {
    val rows = Seq(villageYear("330000000208", 2020, "12000000.00", 7, 7, 70, 0.9))
    assert(isTaobaoVillage(statusOf(rows, atLeastAll)(("330000000208", 2020))))
  }

  test("a village that qualifies on households but not on shops is a Taobao Village") {
    // 40 shops in 40 of 300 households (13.3 %).
    val rows = Seq(villageYear("330000000205", 2020, "15000000.00", 40, 40, 300, 0.8))
    val status = statusOf(rows, exceedAll)(("330000000205", 2020))
    assert(!status.getAs[Boolean](VillageStatus.MEETS_SHOPS))
    assert(status.getAs[Boolean](VillageStatus.MEETS_HOUSEHOLDS))
    assert(isTaobaoVillage(status))
  }

  test("without Taobao as primary platform, or with unknown households and too few shops, no status") {
    val rows = Seq(
      villageYear("330000000206", 2020, "50000000.00", 500, 400, 1000, 0.49),
      villageYear("330000000207", 2020, "50000000.00", 90, 90, null, 0.9))
    val status = statusOf(rows, atLeastAll)
    assert(!isTaobaoVillage(status(("330000000206", 2020))))
    assert(!status(("330000000206", 2020)).getAs[Boolean](VillageStatus.MEETS_PRIMARY_PLATFORM))
    assert(!isTaobaoVillage(status(("330000000207", 2020))))
  }

  test("status changes: gained, kept, lost, and a gap year breaks the chain") {
    val code = "330000000209"
    val rows = Seq(
      villageYear(code, 2016, "20000000.00", 200, 150, 1000, 0.9), // TV
      // 2017 missing: no sales at all
      villageYear(code, 2018, "20000000.00", 200, 150, 1000, 0.9), // TV again after a gap: gained
      villageYear(code, 2019, "20000000.00", 200, 150, 1000, 0.9), // kept
      villageYear(code, 2020, "5000000.00", 200, 150, 1000, 0.9), // lost
      villageYear(code, 2021, "5000000.00", 200, 150, 1000, 0.9)) // none
    val status = statusOf(rows, atLeastAll)
    val changes = Seq(2016, 2018, 2019, 2020, 2021).map(y => status((code, y)).getAs[String](VillageStatus.STATUS_CHANGE))
    assert(changes == Seq("gained", "gained", "kept", "lost", "none"))
  }

  test("the rule text names every threshold and operator") {
    assert(TaobaoVillageRule.describe(exceedAll) ==
      "sales_rmb > 10000000 AND taobao_share >= 0.5 AND (active_sellers > 100 OR household_share > 0.10)")
  }
}
