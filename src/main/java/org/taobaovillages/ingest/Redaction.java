package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.taobaovillages.spark.UserError;
import org.taobaovillages.table.IngestColumns;
import org.taobaovillages.table.Quarantine;

/**
 * Keeps raw seller and household ids out of everything ingest stores, reports or logs, wherever in a delivery they
 * are. The id columns are pseudonymised as they are read; an id can still stand in another column: a row whose
 * fields were shifted by a hand edit (a cell deleted here, one added there, the field count unchanged), a value
 * pasted into the wrong cell, a header cell. Guessing where an id could land would miss the next place, so every
 * value is checked: a value is an id when its pseudonym (the same HMAC of the same normalised text) is one of the
 * {@link Ids} of the run, which are every seller and household id the delivery has in an id column (of every row,
 * accepted or not, whose cells stand in their columns: {@link InputChecks#orderCellsInPlace}) and every id of the
 * stored accounts. What the check finds:
 *
 * <ul>
 *   <li>a row that passed every other check but holds an id in a declared column is refused,
 *       {@link Reason#MISPLACED_ID} ({@link #refuseMisplaced}): its fields are most likely out of place, and an id
 *       in its order id or category would otherwise be stored, summed by category or exported;
 *   <li>a refused row's values that are ids are written as {@link #REDACTED} in the quarantine
 *       ({@link #records});
 *   <li>an id among the undeclared columns kept with {@code ingest.extra-columns = keep}, value or column name, is
 *       replaced by {@link #REDACTED} in place ({@link #extraColumns}): those columns are carried along, never
 *       analysed, so the row stands;
 *   <li>an id in the text of a file's drift or error (a column name from its header) is replaced there
 *       ({@link Ids#redact(String)}), before the audit, the quarantine, the report or the error output see it.
 * </ul>
 */
public final class Redaction {
  /** Written in place of a value that is a seller or household id. */
  public static final String REDACTED = "[a seller or household id]";

  private static final String PREFIX = "_prefix";
  /** A quoted name in a message, taken whole (a column name may hold spaces). */
  private static final Pattern QUOTED = Pattern.compile("'([^']+)'|\"([^\"]+)\"");
  /** A word of a message: up to white space, quotes and punctuation that cannot end an id written in a message. */
  private static final Pattern WORD = Pattern.compile("[^\\s'\",;:()\\[\\]{}<>=]+");

  private Redaction() {}

  /**
   * The ids of a run: the first 8 bytes of each pseudonym (64 bits; pseudonyms are uniformly random, so two
   * different ids share them with a chance of about one in 10^19 per pair), held by the driver and sent once to
   * every executor. A value is tested with one HMAC and one lookup; a task remembers the answers for values that
   * repeat (platforms, categories, quantities). Close it when the run ends.
   */
  public static final class Ids implements AutoCloseable {
    private final byte[] key;
    private final IdSet local;
    private final Broadcast<IdSet> shared;
    private Mac mac;

    private Ids(byte[] key, IdSet local, Broadcast<IdSet> shared) {
      this.key = key.clone();
      this.local = local;
      this.shared = shared;
    }

    /**
     * The ids whose pseudonyms are in {@code pseudonyms} (one column of 64-hex-character pseudonyms; nulls and
     * repeats allowed). Fails when there are more than {@code max} distinct ones: they are held in memory, 8 to 12
     * bytes each, on the driver and every executor.
     */
    public static Ids of(SparkSession spark, Dataset<Row> pseudonyms, byte[] key, long max) {
      Dataset<Row> prefixes = pseudonyms.toDF(PREFIX).where(col(PREFIX).isNotNull())
          .select(substring(col(PREFIX), 1, 16).as(PREFIX)).distinct().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long n = prefixes.count();
        if (n > max) {
          throw new UserError(String.format("ingest knows %,d distinct seller and household ids (delivered and "
              + "stored), more than ingest.redaction-max-ids (%,d): they are held in memory to keep raw ids out of "
              + "the tables; raise it (about 12 bytes an id on the driver and each executor)", n, max));
        }
        // One packed array per partition: the driver receives 8 bytes an id, not a row object each.
        List<byte[]> packed = prefixes.as(Encoders.STRING()).mapPartitions(new Pack(), Encoders.BINARY())
            .collectAsList();
        IdSet set = IdSet.of(packed);
        return new Ids(key, set, JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(set));
      } finally {
        prefixes.unpersist();
      }
    }

    /** True where {@code text} (a string column, or another cast to one) is the id of a seller or household. */
    public Column isId(Column text) {
      return udf(new IsId(key, shared), DataTypes.BooleanType).apply(text);
    }

    /** Whether {@code value} is an id (on the driver). */
    public boolean isId(String value) {
      if (mac == null) {
        mac = Pseudonymizer.mac(key);
      }
      byte[] digest = Pseudonymizer.digest(mac, value);
      return digest != null && local.contains(prefix(digest));
    }

    /**
     * {@code text} (a drift note, an error message) with every quoted name and every word that is an id replaced
     * by {@link #REDACTED}; null stays null.
     */
    public String redact(String text) {
      if (text == null) {
        return null;
      }
      List<int[]> spans = new ArrayList<>();
      Matcher quoted = QUOTED.matcher(text);
      while (quoted.find()) {
        int group = quoted.group(1) != null ? 1 : 2;
        if (isId(quoted.group(group))) {
          spans.add(new int[] {quoted.start(group), quoted.end(group)});
        }
      }
      Matcher word = WORD.matcher(text);
      while (word.find()) {
        int start = word.start();
        int end = word.end();
        if (spans.stream().anyMatch(s -> s[0] < word.end() && start < s[1])) {
          continue;
        }
        // A word that ends a sentence: tried with and without its full stops.
        while (end > start) {
          if (isId(text.substring(start, end))) {
            spans.add(new int[] {start, end});
            break;
          }
          if (text.charAt(end - 1) != '.') {
            break;
          }
          end--;
        }
      }
      if (spans.isEmpty()) {
        return text;
      }
      spans.sort((a, b) -> Integer.compare(a[0], b[0]));
      StringBuilder out = new StringBuilder();
      int at = 0;
      for (int[] s : spans) {
        out.append(text, at, s[0]).append(REDACTED);
        at = s[1];
      }
      return out.append(text.substring(at)).toString();
    }

    /** A file's report with its drift notes and error redacted. */
    InputFiles.FileReport redactReport(InputFiles.FileReport r) {
      return new InputFiles.FileReport(r.file(), r.format(), r.drift().stream().map(this::redact).toList(),
          r.badReason(), redact(r.error()), r.rowsInFile(), r.linesSkipped());
    }

    @Override
    public void close() {
      shared.destroy();
    }
  }

  /**
   * Adds {@link Reason#MISPLACED_ID} to the rows that no check refused and that are not skipped as copies, when a
   * value of a declared column other than {@code idColumns} (the pseudonymised ones) is an id. A row refused for
   * other reasons does not get it too: its values that are ids are redacted in the quarantine all the same.
   */
  public static Dataset<Row> refuseMisplaced(Dataset<Row> checked, StructType schema, Collection<String> idColumns,
      Ids ids) {
    Column misplaced = lit(false);
    for (StructField f : schema.fields()) {
      if (!idColumns.contains(f.name())) {
        misplaced = misplaced.or(ids.isId(col(f.name()).cast(DataTypes.StringType)));
      }
    }
    Column accepted = size(col(Validation.REASONS)).equalTo(0).and(not(col(Validation.SKIPPED)));
    return checked.withColumn(Validation.REASONS, when(accepted.and(misplaced),
        array(lit(Reason.MISPLACED_ID.name()))).otherwise(col(Validation.REASONS)));
  }

  /**
   * The {@link IngestColumns#EXTRA_COLUMNS} map with values that are ids replaced by {@link #REDACTED}, and names
   * that are ids by {@code REDACTED #<n>} (n: the column's place among the row's extra columns, from 1, so that two
   * such names stay two keys).
   */
  public static Dataset<Row> extraColumns(Dataset<Row> rows, Ids ids) {
    Column entries = map_entries(col(IngestColumns.EXTRA_COLUMNS));
    Column redacted = transform(entries, (e, i) -> struct(
        when(ids.isId(e.getField("key")), concat(lit(REDACTED + " #"), i.plus(1).cast(DataTypes.StringType)))
            .otherwise(e.getField("key")).as("key"),
        when(ids.isId(e.getField("value")), lit(REDACTED)).otherwise(e.getField("value")).as("value")));
    return rows.withColumn(IngestColumns.EXTRA_COLUMNS, map_from_entries(redacted)
        .cast(IngestColumns.EXTRA_COLUMNS_TYPE));
  }

  /** The quarantine rows with every record value outside {@code personalColumns} that is an id redacted. */
  public static Dataset<Row> records(Dataset<Row> quarantine, Collection<String> personalColumns, Ids ids) {
    return quarantine.withColumn(Quarantine.RECORD, transform_values(col(Quarantine.RECORD),
        (k, v) -> when(not(k.isin(personalColumns.toArray())).and(ids.isId(v)), lit(REDACTED)).otherwise(v)));
  }

  /** The first 8 bytes of an HMAC, big-endian: the first 16 hex characters of the pseudonym. */
  static long prefix(byte[] digest) {
    return ByteBuffer.wrap(digest, 0, 8).getLong();
  }

  /**
   * A set of 64-bit values: sorted, with the start of each bucket of their top bits, so a lookup reads one
   * index entry and one or two values (about 12 bytes a value, against 30 or more in a hash set of boxed longs).
   */
  static final class IdSet implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] values;
    private final int[] starts;
    private final int bits;

    private IdSet(long[] values, int[] starts, int bits) {
      this.values = values;
      this.starts = starts;
      this.bits = bits;
    }

    /** From arrays of big-endian longs (as {@link Pack} writes them). */
    static IdSet of(List<byte[]> packed) {
      int n = 0;
      for (byte[] p : packed) {
        n += p.length / 8;
      }
      long[] values = new long[n];
      int i = 0;
      for (byte[] p : packed) {
        ByteBuffer b = ByteBuffer.wrap(p);
        while (b.hasRemaining()) {
          values[i++] = b.getLong();
        }
      }
      Arrays.sort(values);
      int distinct = 0;
      for (int j = 0; j < values.length; j++) {
        if (j == 0 || values[j] != values[j - 1]) {
          values[distinct++] = values[j];
        }
      }
      values = Arrays.copyOf(values, distinct);
      int bits = Math.max(1, Math.min(30, 63 - Long.numberOfLeadingZeros(Math.max(1, distinct))));
      int[] starts = new int[(1 << bits) + 1];
      for (long v : values) {
        starts[bucket(v, bits) + 1]++;
      }
      for (int b = 1; b < starts.length; b++) {
        starts[b] += starts[b - 1];
      }
      return new IdSet(values, starts, bits);
    }

    /** The bucket of a value: its top bits, offset so that buckets follow the signed order of the sorted values. */
    private static int bucket(long v, int bits) {
      return (int) ((v >> (64 - bits)) + (1L << (bits - 1)));
    }

    boolean contains(long v) {
      int b = bucket(v, bits);
      for (int i = starts[b]; i < starts[b + 1]; i++) {
        if (values[i] == v) {
          return true;
        }
      }
      return false;
    }

    int size() {
      return values.length;
    }
  }

  /** Packs one partition's hex prefixes into one array of big-endian longs. */
  private static final class Pack implements MapPartitionsFunction<String, byte[]> {
    @Override
    public Iterator<byte[]> call(Iterator<String> hex) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      ByteBuffer one = ByteBuffer.allocate(8);
      while (hex.hasNext()) {
        one.clear();
        one.putLong(Long.parseUnsignedLong(hex.next(), 16));
        bytes.write(one.array(), 0, 8);
      }
      return List.of(bytes.toByteArray()).iterator();
    }
  }

  /**
   * The test in the tasks: normalise, HMAC, look the first 8 bytes up. Answers are remembered per column and task
   * for values that repeat; a column whose values do not repeat (order ids, times) stops being remembered once
   * {@link #MEMO} values have been seen with fewer repeats than that.
   */
  private static final class IsId implements UDF1<String, Boolean> {
    private static final int MEMO = 4096;
    private final byte[] key;
    private final Broadcast<IdSet> ids;
    private transient Mac mac;
    private transient IdSet set;
    private transient Map<String, Boolean> memo;
    private transient int repeats;
    private transient boolean forget;

    IsId(byte[] key, Broadcast<IdSet> ids) {
      this.key = key;
      this.ids = ids;
    }

    @Override
    public Boolean call(String value) {
      if (value == null) {
        return false;
      }
      if (!forget) {
        if (memo == null) {
          memo = new HashMap<>();
        }
        Boolean known = memo.get(value);
        if (known != null) {
          repeats++;
          return known;
        }
      }
      if (mac == null) {
        mac = Pseudonymizer.mac(key);
        set = ids.value();
      }
      byte[] digest = Pseudonymizer.digest(mac, value);
      boolean id = digest != null && set.contains(prefix(digest));
      if (!forget) {
        if (memo.size() < MEMO) {
          memo.put(value, id);
        } else if (repeats < MEMO) {
          forget = true;
          memo = null;
        }
      }
      return id;
    }
  }
}
