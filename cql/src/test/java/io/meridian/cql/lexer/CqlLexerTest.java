package io.meridian.cql.lexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CqlLexerTest {

  private static Token single(String src) {
    List<Token> tokens = CqlLexer.tokenize(src);
    assertEquals(2, tokens.size(), () -> "expected one token for " + src + ": " + tokens);
    return tokens.get(0);
  }

  // Every literal kind, and the boundaries between them, decided by the lexer alone.
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "42|INTEGER|42",
      "1.5|FLOAT|1.5",
      "1e10|FLOAT|1e10",
      "2.5E-3|FLOAT|2.5E-3",
      "0xCAFE|HEX|0xCAFE",
      "0x|HEX|0x",
      "550e8400-e29b-41d4-a716-446655440000|UUID|550e8400-e29b-41d4-a716-446655440000",
      "ABCDEF01-e29b-41d4-a716-446655440000|UUID|ABCDEF01-e29b-41d4-a716-446655440000",
      "1h30m|DURATION|1h30m",
      "12mo|DURATION|12mo",
      "1y2mo3w4d5h6m7s8ms9us10ns|DURATION|1y2mo3w4d5h6m7s8ms9us10ns",
      "P1D|DURATION|P1D",
      "PT1H30M|DURATION|PT1H30M",
      "P2W|DURATION|P2W",
      "P0001-02-03T04:05:06|DURATION|P0001-02-03T04:05:06",
      "select|IDENT|select",
      "My_Col1|IDENT|My_Col1",
      "p|IDENT|p",
      "pt|IDENT|pt",
  })
  void literalKinds(String src, TokenType type, String text) {
    Token t = single(src);
    assertEquals(type, t.type());
    assertEquals(text, t.text());
  }

  @Test
  void stringEscapes() {
    assertEquals("it's", single("'it''s'").text());
    assertEquals("", single("''").text());
    assertEquals("a 'raw' $ string", single("$$a 'raw' $ string$$").text());
    assertEquals(TokenType.STRING, single("$$x$$").type());
  }

  @Test
  void quotedIdentifierKeepsCaseAndEscapes() {
    Token t = single("\"My\"\"Col\"");
    assertEquals(TokenType.QUOTED_IDENT, t.type());
    assertEquals("My\"Col", t.text());
  }

  @Test
  void commentsAreSkippedAndLinesCounted() {
    List<Token> tokens = CqlLexer.tokenize("-- c1\nSELECT // c2\n /* multi\nline */ x");
    assertEquals(3, tokens.size());
    assertEquals(2, tokens.get(0).line());
    assertEquals(0, tokens.get(0).column());
    assertEquals(4, tokens.get(1).line());
    assertEquals(8, tokens.get(1).column());
  }

  @Test
  void operators() {
    List<Token> tokens = CqlLexer.tokenize("<= >= != < > = += -= .. . + - * / % ? :");
    List<TokenType> types = tokens.stream().map(Token::type).toList();
    assertEquals(List.of(TokenType.LTE, TokenType.GTE, TokenType.NEQ, TokenType.LT, TokenType.GT,
        TokenType.EQ, TokenType.PLUS_EQ, TokenType.MINUS_EQ, TokenType.RANGE, TokenType.DOT,
        TokenType.PLUS, TokenType.MINUS, TokenType.STAR, TokenType.SLASH, TokenType.PERCENT,
        TokenType.QMARK, TokenType.COLON, TokenType.EOF), types);
  }

  @Test
  void sliceRangeDoesNotBecomeFloat() {
    List<TokenType> types = CqlLexer.tokenize("1..3").stream().map(Token::type).toList();
    assertEquals(List.of(TokenType.INTEGER, TokenType.RANGE, TokenType.INTEGER, TokenType.EOF),
        types);
  }

  @Test
  void minusIsSeparateFromNumber() {
    List<TokenType> types = CqlLexer.tokenize("-5").stream().map(Token::type).toList();
    assertEquals(List.of(TokenType.MINUS, TokenType.INTEGER, TokenType.EOF), types);
  }

  private static void assertSyntax(String src, String... words) {
    MeridianException e = assertThrows(MeridianException.class, () -> CqlLexer.tokenize(src));
    assertEquals(CqlErrorCode.SYNTAX_ERROR, e.code());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), () -> e.getMessage() + " lacks " + w);
    }
  }

  @Test
  void unterminatedString() {
    assertSyntax("SELECT 'abc", "line 1:7", "unterminated");
  }

  @Test
  void unterminatedDollarString() {
    assertSyntax("$$abc", "line 1:0", "$$");
  }

  @Test
  void unterminatedBlockComment() {
    assertSyntax("x /* never", "line 1:2", "*/");
  }

  @Test
  void unterminatedQuotedIdentifier() {
    assertSyntax("\"abc", "quoted identifier");
  }

  @Test
  void strayCharacter() {
    assertSyntax("SELECT # FROM", "line 1:7", "#");
  }

  @Test
  void badNumberSuffix() {
    assertSyntax("12abc", "line 1:0", "12abc");
  }

  @Test
  void badHex() {
    assertSyntax("0x12zz", "hex");
  }

  @Test
  void secondLineColumn() {
    assertSyntax("SELECT\n  @", "line 2:2");
  }
}
