package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.taobaovillages.table.Quarantine;

/**
 * The quarantine keeps a refused row's values as text so that an analyst can see what was wrong. A row whose
 * fields were shifted by a hand edit (a cell deleted here, one added there, the field count unchanged) can carry
 * a raw seller or household id in a column that is not pseudonymised, such as the order id. Every such value
 * that is the id of a seller or household known to the warehouse (its pseudonym is among theirs) is replaced by
 * {@link #REDACTED} before the quarantine is written. Only quarantined rows are looked at: a shifted row cannot
 * pass the checks (its seller, platform, time and amount would have to be valid in their shifted places).
 */
public final class Redaction {
  /** Written in place of a value that is a seller or household id. */
  public static final String REDACTED = "[a seller or household id]";

  private static final String ROW = "_row";
  private static final String KEY = "_key";
  private static final String VALUE = "_value";
  private static final String PSEUDONYM = "_pseudonym";
  private static final String KNOWN = "_known";

  private Redaction() {}

  /**
   * The quarantine rows with every record value outside {@code personalColumns} that pseudonymises to one of
   * {@code knownPseudonyms} (a one-column Dataset) replaced.
   */
  public static Dataset<Row> knownIds(Dataset<Row> quarantine, Dataset<Row> knownPseudonyms, Pseudonymizer pseudo,
      Set<String> personalColumns) {
    Dataset<Row> known = knownPseudonyms.toDF(KNOWN).distinct();
    Dataset<Row> entries = quarantine.withColumn(ROW, monotonically_increasing_id())
        .select(col("*"), explode_outer(col(Quarantine.RECORD)).as(new String[] {KEY, VALUE}))
        .withColumn(PSEUDONYM, when(not(col(KEY).isin(personalColumns.toArray())),
            pseudo.apply(col(VALUE))));
    Dataset<Row> checked = entries.join(known, entries.col(PSEUDONYM).equalTo(known.col(KNOWN)), "left");
    List<Column> kept = new ArrayList<>();
    for (String c : quarantine.columns()) {
      if (!c.equals(Quarantine.RECORD)) {
        kept.add(first(col(c)).as(c));
      }
    }
    Column value = when(col(KNOWN).isNotNull(), lit(REDACTED)).otherwise(col(VALUE));
    kept.add(map_from_entries(collect_list(when(col(KEY).isNotNull(), struct(col(KEY), value))))
        .as(Quarantine.RECORD));
    return checked.groupBy(ROW).agg(kept.get(0), kept.subList(1, kept.size()).toArray(Column[]::new))
        .select(java.util.Arrays.stream(quarantine.columns()).map(c -> col(c)).toArray(Column[]::new));
  }
}
