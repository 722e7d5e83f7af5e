package org.taobaovillages.detect

import java.math.{BigDecimal => JBigDecimal}
import java.time.LocalDate

import scala.jdk.CollectionConverters._

import org.apache.spark.sql.{DataFrame, Row}
import org.scalatest.funsuite.AnyFunSuite
import org.taobaovillages.TestSpark
import org.taobaovillages.config.{ActiveSeller, Comparison, Criterion, PlatformCondition, VillageRule}
import org.taobaovillages.table.{VillagePeriod, VillageStatus}

/**
 * The village rules at every boundary (domain.md section 2). Thresholds and operators are the published
 * statements, written here, not read from conf: A (article l.197-204: sales exceed RMB 10 M, Taobao primary, at
 * least 10 % of households or 100 shops), B (dissertation l.89-95: more than 100 accounts, more than RMB 10 M),
 * C (dissertation l.410-418: more than 100 active accounts or more than 10 % engaged, more than RMB 10 M), E (A
 * without the platform condition).
 */
class VillageRulesSuite extends AnyFunSuite {
  private val spark = TestSpark.get()
  private def c(op: Comparison, v: String) = new Criterion(op, new JBigDecimal(v))
  private val active = new ActiveSeller(1, JBigDecimal.ZERO)
  private val taobao = new PlatformCondition(java.util.List.of("taobao", "tmall"), c(Comparison.AT_LEAST, "0.5"))
  private val ruleA = new VillageRule("A", "A.t", "taobao_village", "", "", active, c(Comparison.GREATER_THAN,
    "10000000"), c(Comparison.AT_LEAST, "100"), c(Comparison.AT_LEAST, "0.10"), taobao)
  private val ruleB = new VillageRule("B", "B.t", "taobao_village", "", "", active, c(Comparison.GREATER_THAN,
    "10000000"), c(Comparison.GREATER_THAN, "100"), null, null)
  private val ruleC = new VillageRule("C", "C.t", "taobao_village", "", "", active, c(Comparison.GREATER_THAN,
    "10000000"), c(Comparison.GREATER_THAN, "100"), c(Comparison.GREATER_THAN, "0.10"), null)
  private val ruleE = new VillageRule("E", "E.t", "ecommerce_village", "", "", active, c(Comparison.GREATER_THAN,
    "10000000"), c(Comparison.AT_LEAST, "100"), c(Comparison.AT_LEAST, "0.10"), null)

  /** One village-year; taobaoShare of the sales on taobao, the rest on pinduoduo. */
  private def year(code: String, y: Int, sales: String, shops: Long, activeHouseholds: Long, households: Integer,
      taobaoShare: String = "0.9"): Row = {
    val total = new JBigDecimal(sales)
    val onTaobao = total.multiply(new JBigDecimal(taobaoShare)).setScale(2, java.math.RoundingMode.HALF_UP)
    val platforms = Map("taobao" -> onTaobao, "pinduoduo" -> total.subtract(onTaobao)).asJava
    val share: java.lang.Double =
      if (households == null || households == 0) null else activeHouseholds.toDouble / households.intValue()
    Row(code, VillagePeriod.YEAR_PERIOD, java.sql.Date.valueOf(LocalDate.of(y, 12, 31)), y, active.describe(), shops,
      activeHouseholds, households, share, 1000L, total, platforms, taobaoShare.toDouble, true)
  }

  private def frame(rows: Seq[Row]): DataFrame = spark.createDataFrame(rows.asJava, VillagePeriod.METRICS_SCHEMA)

  private def qualifies(rule: VillageRule, r: Row): Boolean =
    VillageRules.evaluate(frame(Seq(r)), rule).first().getAs[Boolean](VillageStatus.QUALIFIES)

  private def evaluated(rule: VillageRule, r: Row): Row = VillageRules.evaluate(frame(Seq(r)), rule).first()

  test("A: sales must exceed RMB 10,000,000: exactly that fails, one fen more passes") {
    assert(!qualifies(ruleA, year("330000000201", 2020, "10000000.00", 150, 150, 1000)))
    assert(qualifies(ruleA, year("330000000201", 2020, "10000000.01", 150, 150, 1000)))
  }

  test("A: at least 100 active shops (99 fail when households are under 10 %)") {
    assert(qualifies(ruleA, year("330000000202", 2020, "12000000.00", 100, 100, 2000)))
    assert(!qualifies(ruleA, year("330000000202", 2020, "12000000.00", 99, 99, 2000)))
  }

  test("A: at least 10 % of households, judged exactly (7 of 70; 6 of 70 fails)") {
    assert(qualifies(ruleA, year("330000000203", 2020, "12000000.00", 7, 7, 70)))
    assert(!qualifies(ruleA, year("330000000203", 2020, "12000000.00", 6, 6, 70)))
    val r = evaluated(ruleA, year("330000000203", 2020, "12000000.00", 7, 7, 70))
    assert(!r.getAs[Boolean](VillageStatus.MEETS_SHOPS) && r.getAs[Boolean](VillageStatus.MEETS_HOUSEHOLDS))
  }

  test("A: Taobao primary at a share of exactly 0.5 passes, 0.49 fails; unknown households leave shops alone") {
    assert(qualifies(ruleA, year("330000000204", 2020, "50000000.00", 500, 400, 1000, "0.5")))
    val r = evaluated(ruleA, year("330000000204", 2020, "50000000.00", 500, 400, 1000, "0.49"))
    assert(!r.getAs[Boolean](VillageStatus.QUALIFIES) && !r.getAs[Boolean](VillageStatus.MEETS_PLATFORM))
    assert(!qualifies(ruleA, year("330000000205", 2020, "50000000.00", 90, 90, null)))
    assert(qualifies(ruleA, year("330000000205", 2020, "50000000.00", 100, 90, null)))
  }

  test("B: more than 100 accounts (100 fail, 101 pass), no household alternative, no platform condition") {
    assert(!qualifies(ruleB, year("330000000206", 2020, "12000000.00", 100, 100, 200)))
    assert(qualifies(ruleB, year("330000000206", 2020, "12000000.00", 101, 50, 1000, "0.1")))
    val r = evaluated(ruleB, year("330000000206", 2020, "10000000.00", 500, 500, 1000))
    assert(!r.getAs[Boolean](VillageStatus.QUALIFIES))
    assert(r.isNullAt(r.fieldIndex(VillageStatus.MEETS_HOUSEHOLDS)) && r.isNullAt(r.fieldIndex(VillageStatus.MEETS_PLATFORM)))
  }

  test("C: more than 10 % of households (exactly 10 % fails, 71 of 700 passes) or more than 100 active accounts") {
    assert(!qualifies(ruleC, year("330000000207", 2020, "12000000.00", 70, 70, 700)))
    assert(qualifies(ruleC, year("330000000207", 2020, "12000000.00", 71, 71, 700, "0.1")))
    assert(!qualifies(ruleC, year("330000000207", 2020, "12000000.00", 100, 10, 700)))
    assert(qualifies(ruleC, year("330000000207", 2020, "12000000.00", 101, 10, 700)))
  }

  test("E: the thresholds of A on every platform: a village selling mostly on Pinduoduo qualifies") {
    val r = year("330000000208", 2020, "12000000.00", 100, 100, 2000, "0.1")
    assert(qualifies(ruleE, r))
    assert(!qualifies(ruleA, r))
  }

  test("the deciding condition states every criterion with its value and result") {
    val r = evaluated(ruleA, year("330000000209", 2020, "12000000.00", 95, 80, 1000, "0.91"))
    assert(r.getAs[String](VillageStatus.DECIDING) ==
      "does not qualify: sales_rmb 12000000.00 > 10000000 yes; active_sellers 95 >= 100 no OR household_share " +
        "0.0800 (80 of 1000 households) >= 0.10 no; share on taobao/tmall 0.9100 >= 0.5 yes")
  }

  test("the rule text names every threshold, operator, platform condition and the active-seller definition") {
    assert(ruleA.describe() == "sales_rmb > 10000000 AND (active_sellers >= 100 OR household_share >= 0.10) AND " +
      "share of sales on taobao/tmall >= 0.5; active seller: paid orders >= 1 and sales_rmb >= 0")
    assert(ruleB.describe() == "sales_rmb > 10000000 AND active_sellers > 100; active seller: paid orders >= 1 and " +
      "sales_rmb >= 0")
  }

  private val ends = (2016 to 2021).map(y => LocalDate.of(y, 12, 31)).asJava
  private val series = Seq(
    year("330000000210", 2016, "20000000.00", 200, 150, 1000), // qualifies: new
    // 2017: no sales at all: the village still has a row, and loses the status
    year("330000000210", 2018, "20000000.00", 200, 150, 1000), // regained
    year("330000000210", 2019, "20000000.00", 200, 150, 1000), // retained
    year("330000000210", 2020, "5000000.00", 200, 150, 1000), // lost
    year("330000000210", 2021, "5000000.00", 200, 150, 1000)) // none

  private def history(rows: Seq[Row], before: DataFrame, periods: java.util.List[LocalDate]): Map[Int, Row] =
    StatusHistory.apply(frame(rows), before, periods, ruleA, VillagePeriod.YEAR_PERIOD, LocalDate.of(2021, 12, 31))
      .withColumn(VillageStatus.RULE_ID, org.apache.spark.sql.functions.lit("A"))
      .collect().map(r => r.getAs[Int](VillagePeriod.YEAR) -> r).toMap

  private def none: DataFrame = spark.createDataFrame(java.util.List.of[Row](), VillageStatus.SCHEMA)

  test("status history: new, lost (a year without sales), regained, retained, lost, none; first year and years held") {
    val h = history(series, none, ends)
    assert((2016 to 2021).map(y => h(y).getAs[String](VillageStatus.TRANSITION)) ==
      Seq("new", "lost", "regained", "retained", "lost", "none"))
    assert((2016 to 2021).map(y => h(y).getAs[Int](VillageStatus.PERIODS_HELD)) == Seq(1, 1, 2, 3, 3, 3))
    assert((2016 to 2021).forall(y => h(y).getAs[java.sql.Date](VillageStatus.FIRST_QUALIFIED).toString == "2016-12-31"))
    assert(h(2017).getAs[JBigDecimal](VillagePeriod.SALES_RMB).signum() == 0)
  }

  test("a history recomputed from a later year on, carried from the stored year before, equals the whole history") {
    val whole = history(series, none, ends)
    val firstPart = StatusHistory.apply(frame(series.take(2)), none, ends.subList(0, 3), ruleA,
      VillagePeriod.YEAR_PERIOD, LocalDate.of(2021, 12, 31))
    val stored = firstPart.where(VillagePeriod.YEAR + " = 2018")
      .withColumn(VillageStatus.RULE_ID, org.apache.spark.sql.functions.lit("A"))
      .withColumn(VillageStatus.RULE_VERSION, org.apache.spark.sql.functions.lit("A.t"))
      .withColumn(VillageStatus.RULE_KIND, org.apache.spark.sql.functions.lit("taobao_village"))
      .withColumn(VillageStatus.RULE_TEXT, org.apache.spark.sql.functions.lit(""))
      .withColumn("run_id", org.apache.spark.sql.functions.lit("r"))
      .withColumn("run_date", org.apache.spark.sql.functions.current_date())
      .select(VillageStatus.SCHEMA.fieldNames.map(org.apache.spark.sql.functions.col).toSeq: _*)
    val later = history(series.drop(2), stored, ends.subList(3, 6))
    for (y <- 2019 to 2021; f <- Seq(VillageStatus.TRANSITION, VillageStatus.PERIODS_HELD, VillageStatus.FIRST_QUALIFIED,
      VillageStatus.QUALIFIES)) {
      assert(later(y).getAs[Any](f) == whole(y).getAs[Any](f), s"$y $f")
    }
  }
}
