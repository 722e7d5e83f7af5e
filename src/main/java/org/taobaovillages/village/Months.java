package org.taobaovillages.village;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.YearMonth;
import org.apache.spark.sql.Column;

/**
 * Calendar months as consecutive integers (year x 12 + month - 1), so that "the 12 months before" is
 * arithmetic and a range of months is a range of integers; and back to dates.
 */
public final class Months {
  private Months() {}

  /** The month index of a date column. */
  public static Column index(Column date) {
    return year(date).multiply(12).plus(month(date)).minus(1);
  }

  public static int index(YearMonth month) {
    return month.getYear() * 12 + month.getMonthValue() - 1;
  }

  public static YearMonth of(int index) {
    return YearMonth.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
  }

  /** First day of the month with the given index column. */
  public static Column firstDay(Column index) {
    return make_date(floor(index.divide(12)).cast("int"), pmod(index, lit(12)).plus(1).cast("int"), lit(1));
  }

  /** Last day of the month with the given index column. */
  public static Column lastDay(Column index) {
    return last_day(firstDay(index));
  }

  public static java.sql.Date sqlFirstDay(YearMonth month) {
    return java.sql.Date.valueOf(month.atDay(1));
  }

  public static java.sql.Date sqlLastDay(YearMonth month) {
    return java.sql.Date.valueOf(month.atEndOfMonth());
  }

  public static YearMonth of(LocalDate date) {
    return YearMonth.from(date);
  }
}
