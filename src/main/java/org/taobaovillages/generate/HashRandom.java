package org.taobaovillages.generate;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Random numbers as Spark column expressions that depend only on (seed, salt, keys), never on partitioning or
 * execution order: the same seed gives the same world on one core or a thousand. Each draw hashes its keys
 * with xxHash64 and keeps the top 53 bits as a uniform double in [0, 1).
 */
final class HashRandom {
  private static final double TWO_POW_MINUS_53 = 1.0 / (1L << 53);
  private final long seed;

  HashRandom(long seed) {
    this.seed = seed;
  }

  /** The 64-bit hash of (seed, salt, keys): ids derived from the world's keys. */
  Column hash(String salt, Column... keys) {
    List<Column> parts = new ArrayList<>(List.of(lit(seed), lit(salt)));
    parts.addAll(List.of(keys));
    return xxhash64(parts.toArray(Column[]::new));
  }

  /** Uniform on [0, 1). {@code salt} names the draw so that different draws on the same keys are independent. */
  Column uniform(String salt, Column... keys) {
    return shiftrightunsigned(hash(salt, keys), 11).cast("double").multiply(TWO_POW_MINUS_53);
  }

  /** Standard normal by the Box-Muller transform (Box and Muller, 1958). */
  Column normal(String salt, Column... keys) {
    Column u1 = lit(1.0).minus(uniform(salt + "#1", keys)); // (0, 1]: log is finite
    Column u2 = uniform(salt + "#2", keys);
    return sqrt(log(u1).multiply(-2.0)).multiply(cos(u2.multiply(2 * Math.PI)));
  }

  /** Lognormal with the given median and log-scale sigma: heavy-tailed sizes and sales. */
  Column logNormal(String salt, Column median, double sigma, Column... keys) {
    return median.multiply(exp(normal(salt, keys).multiply(sigma)));
  }

  /** Exponential with the given mean, by inversion. */
  Column exponential(String salt, double mean, Column... keys) {
    return log(lit(1.0).minus(uniform(salt, keys))).multiply(-mean);
  }

  /** A plain Java 64-bit hash of (seed, salt, key) for driver-side orderings (SplitMix64 finaliser per char). */
  static long plainHash(long seed, String salt, String key) {
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (char ch : (salt + "\u0000" + key).toCharArray()) {
      h = mix(h + ch);
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform on [low, high). */
  Column between(String salt, double low, double high, Column... keys) {
    return uniform(salt, keys).multiply(high - low).plus(low);
  }
}
