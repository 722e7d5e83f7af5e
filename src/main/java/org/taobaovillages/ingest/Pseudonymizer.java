package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.taobaovillages.spark.UserError;

/**
 * Replaces personal identifiers by a keyed HMAC-SHA-256 pseudonym (RFC 2104), hex encoded, of the id normalised
 * ({@link Keys}): the same id, however padded, and key always give the same pseudonym, so joins across tables and
 * runs still work; without the key the pseudonym cannot be reversed or recomputed from a guessed id.
 */
public final class Pseudonymizer {
  /** Column of {@link #distinctPseudonyms}: an id as read. */
  public static final String RAW_ID = "_raw_id";
  /** Column of {@link #distinctPseudonyms}: its pseudonym. */
  public static final String PSEUDONYM = "_pseudonym";
  private final UserDefinedFunction function;

  public Pseudonymizer(byte[] key) {
    if (key.length < 16) {
      throw new UserError("the pseudonymisation key must have at least 16 bytes, got " + key.length);
    }
    this.function = udf(new Hmac(key.clone()), DataTypes.StringType);
  }

  /**
   * The pseudonym of {@code id}, normalised in the same call; null and blank give null (a missing id, which the
   * checks then refuse).
   */
  public Column apply(Column id) {
    return function.apply(id);
  }

  /**
   * The distinct non-null values of {@code column} in {@code rows} ({@link #RAW_ID}) with their pseudonyms
   * ({@link #PSEUDONYM}): one HMAC per distinct id instead of one per row, for a large input whose ids repeat
   * (a seller's orders). Join it back on {@link #RAW_ID} and drop that column.
   */
  public Dataset<Row> distinctPseudonyms(Dataset<Row> rows, String column) {
    return rows.select(col(column).as(RAW_ID)).where(col(RAW_ID).isNotNull()).distinct()
        .withColumn(PSEUDONYM, apply(col(RAW_ID)));
  }

  /** Plain Java form of the same function, for tests and for looking up one id. */
  public static String pseudonym(byte[] key, String id) {
    return new Hmac(key).call(id);
  }

  /** An HMAC-SHA-256 instance keyed with {@code key} (not thread-safe: one per task or thread). */
  static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The HMAC of {@code raw} normalised, as bytes (a pseudonym is their hex form); null for null and blank. */
  static byte[] digest(Mac mac, String raw) {
    String id = Keys.normalise(raw);
    return id == null || id.isEmpty() ? null : mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
  }

  private static final class Hmac implements UDF1<String, String> {
    private final byte[] key;
    private transient Mac mac;

    Hmac(byte[] key) {
      this.key = key;
    }

    @Override
    public String call(String raw) {
      if (mac == null) {
        mac = mac(key);
      }
      byte[] digest = digest(mac, raw);
      return digest == null ? null : HexFormat.of().formatHex(digest);
    }
  }
}
