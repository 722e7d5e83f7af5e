package org.taobaovillages.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;

/**
 * Rows read from storage per step of a job, from Spark's own task metrics (input records of every stage, summed
 * by the step that ran it): the evidence that an incremental run reads what its new data touches, not all
 * history. A step is a Spark job group; {@link #step} runs code under one. The count includes the records Delta
 * reads from its transaction logs (one per commit action, e.g. per data file added): a few per table on small
 * tables, negligible beside the data rows at scale. Each step is also a {@link StageMetrics} stage.
 */
public final class ReadMetrics extends SparkListener {
  private static final String GROUP = "spark.jobGroup.id";
  private final SparkContext context;
  private final Map<Integer, String> stageStep = new ConcurrentHashMap<>();
  private final Map<String, Long> rows = new ConcurrentHashMap<>();
  private final Map<String, Integer> order = new ConcurrentHashMap<>();

  private ReadMetrics(SparkContext context) {
    this.context = context;
  }

  /** Starts counting on the session's context; {@link #close} stops. */
  public static ReadMetrics attach(SparkSession spark) {
    ReadMetrics m = new ReadMetrics(spark.sparkContext());
    spark.sparkContext().addSparkListener(m);
    return m;
  }

  /** Runs {@code work} as the step {@code name}: its stages' input rows are counted under that name. */
  public <T> T step(String name, Supplier<T> work) {
    order.putIfAbsent(name, order.size());
    context.setJobGroup(name, name, false);
    try {
      return StageMetrics.of(context).stage(name, work);
    } finally {
      context.clearJobGroup();
    }
  }

  public void step(String name, Runnable work) {
    step(name, () -> {
      work.run();
      return null;
    });
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    String group = event.properties() == null ? null : event.properties().getProperty(GROUP);
    if (group != null) {
      stageStep.put(event.stageInfo().stageId(), group);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    String step = stageStep.remove(event.stageInfo().stageId());
    if (step != null && event.stageInfo().taskMetrics() != null) {
      rows.merge(step, event.stageInfo().taskMetrics().inputMetrics().recordsRead(), Long::sum);
    }
  }

  /**
   * Stops counting and returns the rows read per step, in the order the steps first ran. Listener events are
   * delivered asynchronously, so this waits (briefly) for the bus to drain first.
   */
  public Map<String, Long> close() {
    try {
      context.listenerBus().waitUntilEmpty(10_000);
    } catch (Exception e) {
      // Counts may then miss the last stages; they are a report, not a result.
    }
    context.removeSparkListener(this);
    Map<String, Long> out = new LinkedHashMap<>();
    order.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(e -> out.put(e.getKey(), rows.getOrDefault(e.getKey(), 0L)));
    return out;
  }
}
