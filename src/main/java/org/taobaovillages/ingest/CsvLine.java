package org.taobaovillages.ingest;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.UnescapedQuoteHandling;
import org.taobaovillages.config.IngestConfig;

/**
 * Splits one CSV line into fields with univocity (the parser Spark itself uses), strictly: a line is one record,
 * so a quote must be closed on the line it opens, a quote inside a field must be escaped (RFC 4180: doubled) and
 * a closing quote must end its field. The parser alone is lenient with stray or unterminated quotes (it would
 * read {@code "bags,paid} as one field), so the quotes are counted first: their number must be even once
 * escaped quotes are set aside. Not thread-safe: one per task.
 */
final class CsvLine {
  /** Most fields a line may have (Spark's own default maxColumns). */
  static final int MAX_COLUMNS = 20_480;

  private final CsvParser parser;
  private final char quote;
  private final char escape;

  CsvLine(IngestConfig.Text text) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(text.delimiter());
    settings.getFormat().setQuote(text.quote());
    settings.getFormat().setQuoteEscape(text.escape());
    settings.getFormat().setLineSeparator("\n");
    settings.setIgnoreLeadingWhitespaces(false);
    settings.setIgnoreTrailingWhitespaces(false);
    settings.setMaxColumns(MAX_COLUMNS);
    settings.setMaxCharsPerColumn(-1);
    settings.setNullValue(null);
    settings.setEmptyValue("");
    settings.setCommentProcessingEnabled(false);
    settings.setUnescapedQuoteHandling(UnescapedQuoteHandling.RAISE_ERROR);
    this.parser = new CsvParser(settings);
    this.quote = text.quote();
    this.escape = text.escape();
  }

  /**
   * The fields of the line, or null if it is not a well-formed record. The parser's exception is dropped on
   * purpose: its message quotes the line, which may hold a raw seller id.
   */
  String[] split(String line) {
    if (!quotesBalanced(line)) {
      return null;
    }
    try {
      String[] fields = parser.parseLine(line);
      return fields == null ? new String[] {null} : fields;
    } catch (TextParsingException e) {
      return null;
    }
  }

  /** Even number of quotes once escaped ones are set aside (with quote = escape, a doubled quote is two). */
  boolean quotesBalanced(String line) {
    int quotes = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == escape && escape != quote && i + 1 < line.length()) {
        i++;
      } else if (c == quote) {
        quotes++;
      }
    }
    return quotes % 2 == 0;
  }
}
