package org.taobaovillages.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one JSON Lines record with Jackson's streaming parser: a JSON object whose members become text, as
 * written (a number keeps its digits: {@code 10.005} stays {@code 10.005}, it is not rounded through a double;
 * a nested object or array keeps its JSON text). A line that is not exactly one object is malformed; a key that
 * appears twice is reported (Jackson and Spark would silently keep the last value). Not thread-safe.
 */
final class JsonLine {
  /** What a line holds: its members in order, or why it has none. */
  record Parsed(Map<String, String> members, Reason problem) {}

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .build();

  private JsonLine() {}

  /**
   * The members of the line's object, or a problem: {@link Reason#MALFORMED_RECORD} (not one JSON object; the
   * parser's message is dropped, it quotes the line) or {@link Reason#DUPLICATE_FIELD}.
   */
  static Parsed parse(String line) {
    Map<String, String> members = new LinkedHashMap<>();
    try (JsonParser p = FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Parsed(null, Reason.MALFORMED_RECORD);
      }
      boolean duplicate = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        duplicate |= members.containsKey(name);
        members.put(name, text(p, line));
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return new Parsed(null, Reason.MALFORMED_RECORD);
      }
      return duplicate ? new Parsed(null, Reason.DUPLICATE_FIELD) : new Parsed(members, null);
    } catch (IOException | RuntimeException e) {
      return new Parsed(null, Reason.MALFORMED_RECORD);
    }
  }

  /** The current value as text: strings and numbers as written, booleans, null, nested values as JSON. */
  private static String text(JsonParser p, String line) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_NULL -> null;
      case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
      case START_OBJECT, START_ARRAY -> {
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        yield line.substring(start, (int) p.currentLocation().getCharOffset());
      }
      default -> throw new IOException("unexpected token");
    };
  }
}
