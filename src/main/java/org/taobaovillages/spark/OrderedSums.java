package org.taobaovillages.spark;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;

/**
 * Sums of floating-point values that do not depend on how Spark split the rows. {@code sum} over doubles adds
 * them in the order the partial sums arrive, which changes with the partitioning and with the executors that
 * ran the tasks, and a floating-point sum changes in its last bits with the order: the same input would give
 * other tables on a cluster than in local mode. Here each group's values are collected, sorted and added in
 * ascending order. For groups of up to some tens of thousands of values (a village's categories, a province's
 * villages).
 */
public final class OrderedSums {
  private OrderedSums() {}

  /** The sum of {@code values} as doubles, added in ascending order; null when the group has no non-null value. */
  public static Column sum(Column values) {
    Column sorted = array_sort(collect_list(values.cast("double")));
    return when(size(sorted).gt(0), aggregate(sorted, lit(0.0), (total, value) -> total.plus(value)));
  }

  /** The mean of the non-null {@code values}, their {@link #sum} over their count; null when there is none. */
  public static Column mean(Column values) {
    return sum(values).divide(count(values));
  }
}
