package org.taobaovillages.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.taobaovillages.config.AppConfig;

/** CSV and JSON Lines records, keys and text values, read strictly (expected values worked out by hand). */
class LineParsersTest {
  final CsvLine csv = new CsvLine(AppConfig.load(null).ingest().text());

  @Test
  void csvFieldsFollowRfc4180AndAStrayOrUnterminatedQuoteBreaksTheLine() {
    assertEquals(List.of("a", "b,c", "say \"hi\"", ""), List.of(csv.split("a,\"b,c\",\"say \"\"hi\"\"\",\"\"")));
    assertArrayEquals(new String[] {"a", null, "c"}, csv.split("a,,c"));
    assertArrayEquals(new String[] {" a ", "b "}, csv.split(" a ,b "), "spaces kept: values are normalised later");
    assertNull(csv.split("a,\"bags,paid"), "unterminated");
    assertNull(csv.split("a,5\" tv,c"), "a stray quote in an unquoted field");
    assertNull(csv.split("a,\"b\"x,c"), "text after a closing quote");
  }

  @Test
  void jsonMembersAreTextAsWrittenAndADuplicateKeyIsReported() {
    JsonLine.Parsed p = JsonLine.parse("{\"a\": 10.005, \"b\": \"x\", \"c\": null, \"d\": [1, {\"e\": 2}], \"f\": true, "
        + "\"g\": 1e30}");
    assertNull(p.problem());
    assertEquals("10.005", p.members().get("a"), "not rounded through a double");
    assertEquals("x", p.members().get("b"));
    assertTrue(p.members().containsKey("c") && p.members().get("c") == null);
    assertEquals("[1, {\"e\": 2}]", p.members().get("d"));
    assertEquals("true", p.members().get("f"));
    assertEquals("1e30", p.members().get("g"));
    assertEquals(Reason.DUPLICATE_FIELD, JsonLine.parse("{\"a\": 1, \"a\": 2}").problem());
    assertEquals(Reason.MALFORMED_RECORD, JsonLine.parse("{\"a\": 1} {\"b\": 2}").problem(), "two objects");
    assertEquals(Reason.MALFORMED_RECORD, JsonLine.parse("[1, 2]").problem(), "not an object");
    assertEquals(Reason.MALFORMED_RECORD, JsonLine.parse("{\"a\": 1").problem(), "cut short");
    assertEquals(Reason.MALFORMED_RECORD, JsonLine.parse("{\"a\": \"tab\there\"}").problem(), "raw control char");
  }

  @Test
  void keysAreTrimmedAndFoldedToTheirPlainForm() {
    assertEquals("T-0001", Keys.normalise(" T-0001\t"));
    assertEquals("T-0001", Keys.normalise("\u3000T-000\uFF11\u00A0"), "ideographic and no-break spaces, full-width 1");
    assertEquals("130672103201", Keys.normalise("\uFEFF１３０６７２１０３２０１\u200B"));
    assertEquals("shop-Zhang", Keys.normalise("shop-Zhang"), "case kept");
    assertEquals("a b", Keys.normalise(" a b "), "inner space kept");
    assertEquals("", Keys.normalise(" \u3000 "));
    assertNull(Keys.normalise((String) null));
  }

  /**
   * Spellings of one id that input methods, spreadsheets and exports produce: full-width ASCII (U+FF01..U+FF5E, the
   * ideographic space U+3000) and white space or invisible characters around it. Each is "S1" or "T-0001".
   */
  @Test
  void fullWidthAndPaddedSpellingsOfAnIdAreOneId() {
    for (String s1 : List.of(" S1", "\uFF33\uFF11", "S1\u00A0", "\u3000S1", "S1\u2007", "\u202FS1\t", "\uFEFFS1\u200B",
        "\u00A0\uFF33" + "1\u3000")) {
      assertEquals("S1", Keys.normalise(s1), s1);
    }
    assertEquals("T-0001", Keys.normalise("\uFF34\uFF0D\uFF10\uFF10\uFF10\uFF11"),
        "full-width T, hyphen-minus, digits");
    assertEquals("a b", Keys.normalise("a\u3000b"), "an ideographic space is a space");
    assertEquals("a\u00A0b", Keys.normalise("a\u00A0b"), "a no-break space inside is kept");
  }

  /**
   * Characters that Unicode's compatibility folding (NFKC) maps onto others but that are not a spelling of the
   * same id: superscripts, ligatures, circled digits, Roman numerals, half-width katakana, squared words. An id
   * with one is kept as written (only padding and full-width ASCII around it folded), never merged with the id
   * it would fold to.
   */
  @Test
  void idsThatDifferByACompatibilityCharacterStayDistinct() {
    Map<String, String> pairs = Map.of("S\u00B2", "S2", "\uFB01sh", "fish", "\u2460", "1", "\u2163", "IV",
        "T-\u2467", "T-8", "\uFF76", "\u30AB", "\u3231", "(\u682A)", "x\u2082", "x2");
    pairs.forEach((compatibility, folded) -> {
      assertEquals(compatibility, Keys.normalise(compatibility), "kept as written");
      assertEquals(compatibility, Keys.normalise(" " + compatibility + "\u00A0"), "only the padding removed");
      assertNotEquals(Keys.normalise(folded), Keys.normalise(compatibility), compatibility + " is not " + folded);
    });
    assertEquals("S\u00B2", Keys.normalise("\uFF33\u00B2"), "full-width S folded, the superscript kept");
    byte[] key = "a-test-key-of-32-bytes-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertNotEquals(Pseudonymizer.pseudonym(key, "S2"), Pseudonymizer.pseudonym(key, "S\u00B2"));
    assertEquals(Pseudonymizer.pseudonym(key, "S1"), Pseudonymizer.pseudonym(key, "\uFF33\uFF11\u00A0"));
  }

  @Test
  void textValuesHaveOneFormPerType() {
    Map<String, List<String>> accepted = Map.of(
        TextValues.TIMESTAMP, List.of("2022-03-01 10:00:00", "2022-03-01T10:00", " 2022-03-01 10:00:00.123+08:00 ",
            "2022-03-01T02:00:00Z"),
        TextValues.DATE, List.of("2022-03-01"),
        TextValues.INTEGER, List.of("2", "+2", "-2"),
        TextValues.NUMBER, List.of("1.5", "1e30", ".5", "-2.", "1.2E+07"),
        TextValues.BOOLEAN, List.of("true", "FALSE"));
    Map<String, List<String>> refused = Map.of(
        TextValues.TIMESTAMP, List.of("2022", "2022-03-01", "yesterday", "2022/3/1 10:00", "01.03.2022 10:00"),
        TextValues.DATE, List.of("2022-3-1", "2022"),
        TextValues.INTEGER, List.of("2.0", "two", "1e3"),
        TextValues.NUMBER, List.of("NaN", "Infinity", "12,50", ""),
        TextValues.BOOLEAN, List.of("1", "yes", "t"));
    accepted.forEach((form, values) -> values.forEach(v -> assertTrue(Pattern.compile(form).matcher(v).find(), v)));
    refused.forEach((form, values) -> values.forEach(v -> assertFalse(Pattern.compile(form).matcher(v).find(), v)));
  }
}
