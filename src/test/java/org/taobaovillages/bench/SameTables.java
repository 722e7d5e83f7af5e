package org.taobaovillages.bench;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.taobaovillages.spark.Sessions;
import org.taobaovillages.table.RunColumns;

/**
 * Checks that two warehouses hold the same rows in the named tables, lineage columns (run id and run date) left
 * out: what a speed change must leave as it was, and what a cluster run, a re-run or a rerouted computation must
 * give. Run from the test classpath on two warehouses made from the same input by the code before and after the
 * change ({@code docs/benchmarks.md}); prints one line per table and exits 1 if any differs. The one comparer of
 * tables in the tests.
 *
 * <p>{@code main(warehouseA, warehouseB, table...)}. Two tables are the same when their rows can be paired one to
 * one (rows are multisets: a row twice in A needs two rows in B) so that paired rows are equal in every value,
 * except that floating-point values need only be close: a DOUBLE {@code a} and {@code b} are equal when
 * {@code |a - b| <= max(1e-9 max(|a|, |b|), 1e-12)} ({@link #RELATIVE}, {@link #ABSOLUTE}; a FLOAT within
 * {@link #FLOAT_RELATIVE}, {@link #FLOAT_ABSOLUTE}), at any depth (in arrays, structs and maps); nulls equal
 * nulls, NaN equals NaN and an infinity only itself. A sum of doubles changes in its last bits with the order its
 * terms meet in, which a cluster and local mode, or two runs, need not share: 1e-9 is some seven orders of
 * magnitude above that rounding for sums of up to millions of terms, and far below any difference that means
 * something. Every other type (DECIMAL money and counts among them) must be equal exactly; maps are compared as
 * their entries sorted by key.
 *
 * <p>Distributed: nothing but three counts reaches the driver. Without floating-point columns the rows are
 * compared by Spark's {@code exceptAll} both ways. With them, rows are grouped by all their other values (a
 * floating-point value reduced to whether it is null, NaN, an infinity or finite), identical rows counted, and
 * within each group the largest pairing of A's rows with close B's rows is found (a maximum bipartite matching,
 * so a duplicate is never paired twice and the result does not depend on the order of the rows); what no pairing
 * covers is counted as only in A or only in B. A group holds the rows that agree in every exact value, which in
 * our tables is one row a side; its cost grows with the square of its distinct rows.
 */
public final class SameTables {
  /** Relative tolerance of DOUBLE values. */
  public static final double RELATIVE = 1e-9;
  /** Absolute floor of the tolerance of DOUBLE values: for values that should be 0 and are a rounding off it. */
  public static final double ABSOLUTE = 1e-12;
  /** Relative tolerance of FLOAT values (about 10 units in the last place of a float). */
  public static final double FLOAT_RELATIVE = 1e-6;
  /** Absolute floor of the tolerance of FLOAT values. */
  public static final double FLOAT_ABSOLUTE = 1e-9;

  private static final String KEY = "_key";
  private static final String DOUBLES = "_doubles";
  private static final String FLOATS = "_floats";
  private static final String SIDE = "_side";
  private static final String ROWS = "_rows";
  private static final String ENTRIES = "_entries";
  private static final String ROWS_A = "_rows_a";
  private static final String ROWS_B = "_rows_b";
  private static final String PAIRED = "_paired";
  private static final DataType DOUBLE_ARRAY = DataTypes.createArrayType(DataTypes.DoubleType, true);

  private SameTables() {}

  public static void main(String[] args) {
    SparkSession spark = Sessions.getOrCreate("same-tables", "local[*]", 8);
    boolean same = true;
    // A table named table!column,column is compared without those columns (one added since warehouse A).
    for (String arg : Arrays.copyOfRange(args, 2, args.length)) {
      String table = arg.split("!")[0];
      Set<String> ignored = arg.contains("!") ? Set.of(arg.substring(arg.indexOf('!') + 1).split(",")) : Set.of();
      Difference d = compare(spark, args[0], args[1], table, "delta", ignored);
      System.out.println(d);
      same &= d.same();
    }
    System.out.println(same ? "same" : "DIFFERENT");
    System.exit(same ? 0 : 1);
  }

  /**
   * A table's rows in two warehouses: how many in A, and how many of A's are paired with none of B's and of B's
   * with none of A's.
   */
  public record Difference(String table, long rows, long onlyA, long onlyB) {
    public boolean same() {
      return onlyA == 0 && onlyB == 0;
    }

    @Override
    public String toString() {
      return String.format("%s\t%d rows\t%d only in A\t%d only in B", table, rows, onlyA, onlyB);
    }
  }

  /**
   * Compares {@code table} (a path under each warehouse, read in {@code format}: delta or parquet) in two
   * warehouses, without the lineage columns and the columns in {@code ignored}.
   */
  public static Difference compare(SparkSession spark, String warehouseA, String warehouseB, String table,
      String format, Set<String> ignored) {
    return compare(table, spark.read().format(format).load(warehouseA + "/" + table),
        spark.read().format(format).load(warehouseB + "/" + table), ignored);
  }

  /**
   * Compares two versions of a table's rows (e.g. a slice, or a Delta version read by time travel), without the
   * lineage columns and the columns in {@code ignored}. Both must have the same columns, of the same types (but for
   * nullability); otherwise this throws {@link IllegalArgumentException}.
   */
  public static Difference compare(String table, Dataset<Row> rowsA, Dataset<Row> rowsB, Set<String> ignored) {
    Dataset<Row> a = content(rowsA, ignored);
    Dataset<Row> b = content(rowsB, ignored);
    if (!nullable(a.schema()).equals(nullable(b.schema()))) {
      throw new IllegalArgumentException(table + ": the two sides differ in columns or types: "
          + a.schema().simpleString() + " against " + b.schema().simpleString());
    }
    if (!floating(a.schema())) {
      return new Difference(table, a.count(), a.exceptAll(b).count(), b.exceptAll(a).count());
    }
    Dataset<Row> sides = split(a).withColumn(SIDE, lit(0)).unionByName(split(b).withColumn(SIDE, lit(1)));
    Row totals = sides.groupBy(col(KEY), col(DOUBLES), col(FLOATS), col(SIDE)).agg(count(lit(1)).as(ROWS))
        .groupBy(col(KEY))
        .agg(collect_list(struct(col(SIDE), col(DOUBLES), col(FLOATS), col(ROWS))).as(ENTRIES),
            sum(when(col(SIDE).equalTo(0), col(ROWS))).as(ROWS_A), sum(when(col(SIDE).equalTo(1), col(ROWS))).as(ROWS_B))
        .select(coalesce(col(ROWS_A), lit(0L)).as(ROWS_A), coalesce(col(ROWS_B), lit(0L)).as(ROWS_B),
            PAIRING.apply(col(ENTRIES)).as(PAIRED))
        .agg(sum(col(ROWS_A)), sum(col(ROWS_B)), sum(col(PAIRED)))
        .first();
    long rowsOfA = totals.isNullAt(0) ? 0 : totals.getLong(0);
    long rowsOfB = totals.isNullAt(1) ? 0 : totals.getLong(1);
    long paired = totals.isNullAt(2) ? 0 : totals.getLong(2);
    return new Difference(table, rowsOfA, rowsOfA - paired, rowsOfB - paired);
  }

  /** Whether two DOUBLE values are equal within the tolerance ({@link #RELATIVE}, {@link #ABSOLUTE}). */
  public static boolean close(Double x, Double y) {
    return close(x, y, RELATIVE, ABSOLUTE);
  }

  private static boolean close(Double x, Double y, double relative, double absolute) {
    if (x == null || y == null) {
      return x == null && y == null;
    }
    if (x.equals(y)) {
      return true;
    }
    if (x.isNaN() || y.isNaN() || x.isInfinite() || y.isInfinite()) {
      return false;
    }
    double difference = Math.abs(x - y);
    return difference <= absolute || difference <= relative * Math.max(Math.abs(x), Math.abs(y));
  }

  /** Rows without the lineage columns and {@code ignored}, columns in name order, maps as sorted entries. */
  private static Dataset<Row> content(Dataset<Row> rows, Set<String> ignored) {
    List<Column> columns = Arrays.stream(rows.schema().fields())
        .filter(f -> !List.of(RunColumns.RUN_ID, RunColumns.RUN_DATE).contains(f.name()) && !ignored.contains(f.name()))
        .sorted((x, y) -> x.name().compareTo(y.name()))
        .map(f -> withoutMaps(column(f.name()), f.dataType()).as(f.name()))
        .toList();
    return rows.select(columns.toArray(Column[]::new));
  }

  private static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /** A value with every map in it, at any depth, as the array of its entries sorted by key. */
  private static Column withoutMaps(Column c, DataType type) {
    if (!has(type, MapType.class)) {
      return c;
    }
    if (type instanceof MapType m) {
      return array_sort(transform(map_entries(c), e -> struct(withoutMaps(e.getField("key"), m.keyType()).as("key"),
          withoutMaps(e.getField("value"), m.valueType()).as("value"))));
    }
    if (type instanceof ArrayType a) {
      return transform(c, e -> withoutMaps(e, a.elementType()));
    }
    StructType s = (StructType) type;
    return when(c.isNotNull(), struct(Arrays.stream(s.fields())
        .map(f -> withoutMaps(c.getField(f.name()), f.dataType()).as(f.name())).toArray(Column[]::new)));
  }

  /**
   * The rows as {@link #KEY} (every exact value, each floating-point value reduced to its kind), {@link #DOUBLES}
   * and {@link #FLOATS} (the floating-point values, as doubles, in the order of the schema).
   */
  private static Dataset<Row> split(Dataset<Row> rows) {
    List<Column> key = new ArrayList<>(List.of(lit(0).as("_")));
    List<Column> doubles = new ArrayList<>();
    List<Column> floats = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      Column c = column(f.name());
      key.add(key(c, f.dataType()).as(f.name()));
      if (has(f.dataType(), DoubleType.class)) {
        doubles.add(values(c, f.dataType(), DoubleType.class));
      }
      if (has(f.dataType(), FloatType.class)) {
        floats.add(values(c, f.dataType(), FloatType.class));
      }
    }
    return rows.select(struct(key.toArray(Column[]::new)).as(KEY), concatenated(doubles).as(DOUBLES),
        concatenated(floats).as(FLOATS));
  }

  private static Column concatenated(List<Column> arrays) {
    return arrays.isEmpty() ? empty() : concat(arrays.toArray(Column[]::new));
  }

  private static Column empty() {
    return array().cast(DOUBLE_ARRAY);
  }

  /** A value with each floating-point value in it replaced by its kind: 0 finite, 1 NaN, 2 +inf, 3 -inf, or null. */
  private static Column key(Column c, DataType type) {
    if (!floating(type)) {
      return c;
    }
    if (type instanceof DoubleType || type instanceof FloatType) {
      Column d = c.cast("double");
      return when(isnan(d), lit(1)).when(d.equalTo(lit(Double.POSITIVE_INFINITY)), lit(2))
          .when(d.equalTo(lit(Double.NEGATIVE_INFINITY)), lit(3)).when(d.isNotNull(), lit(0));
    }
    if (type instanceof ArrayType a) {
      return transform(c, e -> key(e, a.elementType()));
    }
    StructType s = (StructType) type;
    return when(c.isNotNull(), struct(Arrays.stream(s.fields())
        .map(f -> key(c.getField(f.name()), f.dataType()).as(f.name())).toArray(Column[]::new)));
  }

  /** The values of {@code kind} (DoubleType or FloatType) in a value, as an array of doubles, never null. */
  private static Column values(Column c, DataType type, Class<? extends DataType> kind) {
    if (kind.isInstance(type)) {
      return array(c.cast("double"));
    }
    if (type instanceof ArrayType a) {
      return coalesce(flatten(transform(c, e -> values(e, a.elementType(), kind))), empty());
    }
    StructType s = (StructType) type;
    List<Column> parts = Arrays.stream(s.fields()).filter(f -> has(f.dataType(), kind))
        .map(f -> values(c.getField(f.name()), f.dataType(), kind)).toList();
    // A null struct's fields are null: its kind (in the key) tells it from a struct of nulls.
    return coalesce(concat(parts.toArray(Column[]::new)), empty());
  }

  private static boolean floating(DataType type) {
    return has(type, DoubleType.class) || has(type, FloatType.class);
  }

  /** Whether {@code type} is or holds (in arrays, structs and maps) a type of {@code kind}. */
  private static boolean has(DataType type, Class<? extends DataType> kind) {
    if (kind.isInstance(type)) {
      return true;
    }
    if (type instanceof ArrayType a) {
      return has(a.elementType(), kind);
    }
    if (type instanceof MapType m) {
      return has(m.keyType(), kind) || has(m.valueType(), kind);
    }
    if (type instanceof StructType s) {
      return Arrays.stream(s.fields()).anyMatch(f -> has(f.dataType(), kind));
    }
    return false;
  }

  /**
   * {@code type} with every field, element and value nullable and no field metadata: what the comparison of two
   * schemas ignores.
   */
  private static DataType nullable(DataType type) {
    if (type instanceof ArrayType a) {
      return DataTypes.createArrayType(nullable(a.elementType()), true);
    }
    if (type instanceof MapType m) {
      return DataTypes.createMapType(nullable(m.keyType()), nullable(m.valueType()), true);
    }
    if (type instanceof StructType s) {
      return new StructType(Arrays.stream(s.fields())
          .map(f -> new StructField(f.name(), nullable(f.dataType()), true, Metadata.empty())).toArray(StructField[]::new));
    }
    return type;
  }

  /**
   * Per group of rows that agree in every exact value: the size of the largest pairing of A's rows with B's whose
   * floating-point values are close. The entries are (side, doubles, floats, count), identical rows of a side
   * counted in one entry. A maximum flow from A's entries (capacity: their counts) through the close pairs to B's
   * entries (capacity: theirs), by shortest augmenting paths (Edmonds and Karp 1972).
   */
  private static final UserDefinedFunction PAIRING = udf((UDF1<scala.collection.Seq<Row>, Long>) entries -> {
    List<Row> a = new ArrayList<>();
    List<Row> b = new ArrayList<>();
    for (Row r : scala.jdk.javaapi.CollectionConverters.asJava(entries)) {
      (r.getInt(0) == 0 ? a : b).add(r);
    }
    if (a.isEmpty() || b.isEmpty()) {
      return 0L;
    }
    boolean[][] closeTo = new boolean[a.size()][b.size()];
    for (int i = 0; i < a.size(); i++) {
      for (int j = 0; j < b.size(); j++) {
        closeTo[i][j] = close(a.get(i).getList(1), b.get(j).getList(1), RELATIVE, ABSOLUTE)
            && close(a.get(i).getList(2), b.get(j).getList(2), FLOAT_RELATIVE, FLOAT_ABSOLUTE);
      }
    }
    long[] leftA = a.stream().mapToLong(r -> r.getLong(3)).toArray();
    long[] leftB = b.stream().mapToLong(r -> r.getLong(3)).toArray();
    return maximumPairing(closeTo, leftA, leftB);
  }, DataTypes.LongType);

  private static boolean close(List<Double> x, List<Double> y, double relative, double absolute) {
    if (x.size() != y.size()) {
      return false;
    }
    for (int k = 0; k < x.size(); k++) {
      if (!close(x.get(k), y.get(k), relative, absolute)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The maximum flow from A's nodes (capacities {@code leftA}) over the edges {@code closeTo} (unbounded) to B's
   * nodes (capacities {@code leftB}); the capacities are used up in place.
   */
  static long maximumPairing(boolean[][] closeTo, long[] leftA, long[] leftB) {
    int n = leftA.length;
    int m = leftB.length;
    long[][] flow = new long[n][m];
    long total = 0;
    while (true) {
      // Breadth-first search over the residual graph: A-node i is reached from the source while leftA[i] > 0,
      // B-node j from A-node i when they are close, A-node i from B-node j when flow[i][j] > 0.
      int[] fromOfB = new int[m];
      int[] fromOfA = new int[n];
      Arrays.fill(fromOfB, -1);
      Arrays.fill(fromOfA, -2);
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      for (int i = 0; i < n; i++) {
        if (leftA[i] > 0) {
          fromOfA[i] = -1;
          queue.add(i);
        }
      }
      int end = -1;
      while (!queue.isEmpty() && end < 0) {
        int i = queue.poll();
        for (int j = 0; j < m && end < 0; j++) {
          if (closeTo[i][j] && fromOfB[j] < 0) {
            fromOfB[j] = i;
            if (leftB[j] > 0) {
              end = j;
            } else {
              for (int k = 0; k < n; k++) {
                if (flow[k][j] > 0 && fromOfA[k] == -2) {
                  fromOfA[k] = j;
                  queue.add(k);
                }
              }
            }
          }
        }
      }
      if (end < 0) {
        return total;
      }
      // The bottleneck along the path back from B-node end, then the flow pushed along it.
      long push = leftB[end];
      int j = end;
      int i = fromOfB[j];
      while (true) {
        if (fromOfA[i] == -1) {
          push = Math.min(push, leftA[i]);
          break;
        }
        int previousB = fromOfA[i];
        push = Math.min(push, flow[i][previousB]);
        j = previousB;
        i = fromOfB[j];
      }
      leftB[end] -= push;
      j = end;
      i = fromOfB[j];
      while (true) {
        flow[i][j] += push;
        if (fromOfA[i] == -1) {
          leftA[i] -= push;
          break;
        }
        int previousB = fromOfA[i];
        flow[i][previousB] -= push;
        j = previousB;
        i = fromOfB[j];
      }
      total += push;
    }
  }
}
