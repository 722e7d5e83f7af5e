package org.taobaovillages.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;

/**
 * What each stage of a job did, for operators and schedulers: rows in (records Spark's tasks read from storage,
 * Delta's log records included), rows out (records they wrote) and wall-clock seconds. A stage is a named piece
 * of a job run through {@link #stage}; stages nest ({@code pipeline/ingest/transactions}) and a Spark stage counts
 * toward its stage and every stage around it. Each finished stage is logged as one line and kept for the
 * {@code --metrics-file} report.
 *
 * <p>The stage name travels with Spark's jobs as a local property. One instance per SparkContext: the one listener
 * that counts rows (a job's rows read per step are its inner stages' rows in, {@link #steps}).
 */
public final class StageMetrics extends SparkListener {
  private static final Logger LOG = LogManager.getLogger(StageMetrics.class);
  private static final String KEY = "taobaovillages.stage";
  private static StageMetrics current;

  /** One finished stage: its path, rows read and written by its Spark stages, seconds, and whether it failed. */
  public record Stage(String name, long rowsIn, long rowsOut, double seconds, boolean failed) {}

  private final SparkContext context;
  private final Map<Integer, String> stagePaths = new ConcurrentHashMap<>();
  private final Map<String, long[]> rows = new ConcurrentHashMap<>();
  private final List<Stage> finished = new ArrayList<>();

  private StageMetrics(SparkContext context) {
    this.context = context;
  }

  /** The session's instance, attached on first use. */
  public static StageMetrics of(SparkSession spark) {
    return of(spark.sparkContext());
  }

  static synchronized StageMetrics of(SparkContext context) {
    if (current == null || current.context != context) {
      current = new StageMetrics(context);
      context.addSparkListener(current);
    }
    return current;
  }

  /**
   * The steps a job runs as stages inside the current stage, for the job's report of the rows each step read.
   * Create it where the job starts, on the thread that runs the steps.
   */
  public Steps steps() {
    return new Steps(context.getLocalProperty(KEY));
  }

  /** A job's steps: each a stage inside {@code parent}, with the rows its Spark stages read. */
  public final class Steps {
    private final String parent;
    private final Map<String, Long> rowsIn = new LinkedHashMap<>();

    private Steps(String parent) {
      this.parent = parent;
    }

    /** Runs {@code work} as the step (stage) {@code name}; its rows in are added to the step's. */
    public <T> T run(String name, Supplier<T> work) {
      String path = path(parent, name);
      try {
        return stage(name, work);
      } finally {
        Stage done = lastFinished(path);
        // Not found only if the step ran under another stage than the job's: counted nowhere, and no error hidden.
        if (done != null) {
          rowsIn.merge(name, done.rowsIn(), Long::sum);
        }
      }
    }

    /** The rows each step's Spark stages read (Delta's log records included), in the order the steps first ran. */
    public Map<String, Long> rowsIn() {
      return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rowsIn));
    }
  }

  private static String path(String parent, String name) {
    return parent == null ? name : parent + "/" + name;
  }

  private synchronized Stage lastFinished(String path) {
    for (int i = finished.size() - 1; i >= 0; i--) {
      if (finished.get(i).name().equals(path)) {
        return finished.get(i);
      }
    }
    return null;
  }

  /** Runs {@code work} as the stage {@code name} inside the current one; logs its line when it ends. */
  public <T> T stage(String name, Supplier<T> work) {
    String parent = context.getLocalProperty(KEY);
    String path = path(parent, name);
    context.setLocalProperty(KEY, path);
    long start = System.nanoTime();
    boolean failed = true;
    try {
      T result = work.get();
      failed = false;
      return result;
    } finally {
      context.setLocalProperty(KEY, parent);
      finish(path, (System.nanoTime() - start) / 1e9, failed);
    }
  }

  public void stage(String name, Runnable work) {
    stage(name, () -> {
      work.run();
      return null;
    });
  }

  /** The stages finished so far, in the order they finished (inner stages before the stage around them). */
  public synchronized List<Stage> finished() {
    return List.copyOf(finished);
  }

  private void finish(String path, double seconds, boolean failed) {
    try {
      context.listenerBus().waitUntilEmpty(10_000);
    } catch (Exception e) {
      // The counts may then miss the last Spark stages: they are a report, not a result.
    }
    // Removed, not read: a stage of the same path run again later in this JVM (a second pipeline, the next day of
    // a simulated year) counts from zero.
    long[] counted = rows.remove(path);
    counted = counted == null ? new long[2] : counted;
    Stage stage = new Stage(path, counted[0], counted[1], seconds, failed);
    synchronized (this) {
      finished.add(stage);
    }
    LOG.info("stage {}: rows in {}, rows out {}, {} s{}", path, String.format("%,d", stage.rowsIn()),
        String.format("%,d", stage.rowsOut()), String.format("%.1f", seconds), failed ? " (failed)" : "");
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    String path = event.properties() == null ? null : event.properties().getProperty(KEY);
    if (path != null) {
      stagePaths.put(event.stageInfo().stageId(), path);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    String path = stagePaths.remove(event.stageInfo().stageId());
    var metrics = event.stageInfo().taskMetrics();
    // A failed attempt (an executor lost) is run again: only the attempt that completed counts.
    if (path == null || metrics == null || event.stageInfo().failureReason().isDefined()) {
      return;
    }
    long in = metrics.inputMetrics().recordsRead();
    long out = metrics.outputMetrics().recordsWritten();
    for (int i = path.indexOf('/'); ; i = path.indexOf('/', i + 1)) {
      String prefix = i < 0 ? path : path.substring(0, i);
      rows.merge(prefix, new long[] {in, out}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      if (i < 0) {
        break;
      }
    }
  }
}
