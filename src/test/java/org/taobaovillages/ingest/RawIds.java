package org.taobaovillages.ingest;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * Looks for raw ids in a warehouse: every value of every table (data files and Delta checkpoints read as Parquet,
 * so decompressed) and every other file (the Delta log's JSON, with its column statistics) as text, cut into
 * id-like tokens.
 */
final class RawIds {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

  private RawIds() {}

  /** The id-like tokens of everything under {@code root}. */
  static Set<String> tokens(SparkSession spark, Path root) throws IOException {
    Set<String> tokens = new HashSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    Map<Path, List<String>> parquetByTable = new TreeMap<>();
    for (Path f : files) {
      if (f.toString().endsWith(".parquet")) {
        // Data files of one table share a schema, as do the checkpoints of one log: read each group at once.
        Path group = f.toString().contains("_delta_log") ? f.getParent() : root.resolve(root.relativize(f).getName(0));
        parquetByTable.computeIfAbsent(group, k -> new ArrayList<>()).add(f.toString());
      } else if (!f.toString().endsWith(".crc")) {
        addTokens(tokens, Files.readString(f, StandardCharsets.ISO_8859_1));
      }
    }
    for (List<String> group : parquetByTable.values()) {
      spark.read().option("mergeSchema", "true").parquet(group.toArray(String[]::new))
          .select(to_json(struct(col("*")))).as(Encoders.STRING()).collectAsList()
          .forEach(json -> addTokens(tokens, json));
    }
    return tokens;
  }

  /** The id-like tokens of a text (a report, a log). */
  static Set<String> tokens(String text) {
    Set<String> tokens = new HashSet<>();
    addTokens(tokens, text);
    return tokens;
  }

  /** The raw ids among the tokens. */
  static Set<String> leaked(Set<String> raw, Set<String> tokens) {
    Set<String> leaked = new HashSet<>(raw);
    leaked.retainAll(tokens);
    return leaked;
  }

  private static void addTokens(Set<String> tokens, String text) {
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      tokens.add(m.group());
    }
  }
}
