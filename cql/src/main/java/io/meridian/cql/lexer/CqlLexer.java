package io.meridian.cql.lexer;

import io.meridian.common.MeridianException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns CQL text into tokens in one pass. Comments and whitespace are dropped; the token list
 * always ends with a single {@link TokenType#EOF}. Errors throw a syntax {@link MeridianException}
 * naming the line and column.
 */
public final class CqlLexer {
  /** Statements larger than this are rejected before lexing: a fixed ceiling, not a guess later. */
  public static final int QUERY_CHARS_MAX = 8 * 1024 * 1024;

  private static final Pattern UUID_AT = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  // Units are ordered so that two-letter units win over their one-letter prefixes.
  private static final Pattern UNIT_DURATION = Pattern.compile(
      "(?:[0-9]+(?:mo|ms|us|µs|ns|y|w|d|h|m|s))+", Pattern.CASE_INSENSITIVE);
  private static final Pattern ISO_DURATION = Pattern.compile(
      "P(?:[0-9]+W|(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ISO_ALT_DURATION = Pattern.compile(
      "P[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}", Pattern.CASE_INSENSITIVE);

  private final String src;
  private int pos;
  private int line = 1;
  private int lineStart;
  private final List<Token> tokens = new ArrayList<>();

  private CqlLexer(String src) {
    this.src = src;
  }

  public static List<Token> tokenize(String cql) {
    if (cql.length() > QUERY_CHARS_MAX) {
      throw MeridianException.syntax("query of " + cql.length()
          + " characters exceeds the limit of " + QUERY_CHARS_MAX);
    }
    CqlLexer lexer = new CqlLexer(cql);
    lexer.run();
    return List.copyOf(lexer.tokens);
  }

  private void run() {
    while (true) {
      skipTrivia();
      if (pos >= src.length()) {
        tokens.add(new Token(TokenType.EOF, "<EOF>", line, pos - lineStart));
        return;
      }
      lexOne();
    }
  }

  private void skipTrivia() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else if ((c == '-' && peekChar(1) == '-') || (c == '/' && peekChar(1) == '/')) {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '/' && peekChar(1) == '*') {
        int startLine = line;
        int startCol = pos - lineStart;
        pos += 2;
        while (true) {
          if (pos >= src.length()) {
            throw MeridianException.syntax("line " + startLine + ":" + startCol
                + " unterminated block comment, expecting */");
          }
          char d = src.charAt(pos);
          if (d == '*' && peekChar(1) == '/') {
            pos += 2;
            break;
          }
          if (d == '\n') {
            line++;
            lineStart = pos + 1;
          }
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private char peekChar(int ahead) {
    int i = pos + ahead;
    return i < src.length() ? src.charAt(i) : '\0';
  }

  private void lexOne() {
    int startLine = line;
    int startCol = pos - lineStart;
    char c = src.charAt(pos);

    if (isHexDigit(c) && matchesAt(UUID_AT)) {
      emit(TokenType.UUID, src.substring(pos, pos + 36), startLine, startCol);
      pos += 36;
      return;
    }
    if (c >= '0' && c <= '9') {
      lexNumber(startLine, startCol);
      return;
    }
    if (isIdentStart(c)) {
      if ((c == 'P' || c == 'p') && matchesAt(ISO_ALT_DURATION)) {
        emit(TokenType.DURATION, src.substring(pos, pos + 20), startLine, startCol);
        pos += 20;
        return;
      }
      int end = wordEnd(pos);
      String word = src.substring(pos, end);
      pos = end;
      boolean iso = (c == 'P' || c == 'p') && ISO_DURATION.matcher(word).matches();
      emit(iso ? TokenType.DURATION : TokenType.IDENT, word, startLine, startCol);
      return;
    }
    switch (c) {
      case '\'' -> lexQuoted('\'', TokenType.STRING, startLine, startCol);
      case '"' -> lexQuoted('"', TokenType.QUOTED_IDENT, startLine, startCol);
      case '$' -> {
        if (peekChar(1) != '$') {
          throw unexpectedChar(startLine, startCol);
        }
        int close = src.indexOf("$$", pos + 2);
        if (close < 0) {
          throw MeridianException.syntax(at(startLine, startCol)
              + " unterminated $$ string literal, expecting $$");
        }
        String body = src.substring(pos + 2, close);
        advanceOver(close + 2);
        emit(TokenType.STRING, body, startLine, startCol);
      }
      case '(' -> punct(TokenType.LPAREN, 1, startLine, startCol);
      case ')' -> punct(TokenType.RPAREN, 1, startLine, startCol);
      case '[' -> punct(TokenType.LBRACKET, 1, startLine, startCol);
      case ']' -> punct(TokenType.RBRACKET, 1, startLine, startCol);
      case '{' -> punct(TokenType.LBRACE, 1, startLine, startCol);
      case '}' -> punct(TokenType.RBRACE, 1, startLine, startCol);
      case ',' -> punct(TokenType.COMMA, 1, startLine, startCol);
      case ';' -> punct(TokenType.SEMICOLON, 1, startLine, startCol);
      case ':' -> punct(TokenType.COLON, 1, startLine, startCol);
      case '?' -> punct(TokenType.QMARK, 1, startLine, startCol);
      case '*' -> punct(TokenType.STAR, 1, startLine, startCol);
      case '/' -> punct(TokenType.SLASH, 1, startLine, startCol);
      case '%' -> punct(TokenType.PERCENT, 1, startLine, startCol);
      case '=' -> punct(TokenType.EQ, 1, startLine, startCol);
      case '.' -> {
        if (peekChar(1) == '.') {
          punct(TokenType.RANGE, 2, startLine, startCol);
        } else {
          punct(TokenType.DOT, 1, startLine, startCol);
        }
      }
      case '+' -> {
        if (peekChar(1) == '=') {
          punct(TokenType.PLUS_EQ, 2, startLine, startCol);
        } else {
          punct(TokenType.PLUS, 1, startLine, startCol);
        }
      }
      case '-' -> {
        if (peekChar(1) == '=') {
          punct(TokenType.MINUS_EQ, 2, startLine, startCol);
        } else {
          punct(TokenType.MINUS, 1, startLine, startCol);
        }
      }
      case '!' -> {
        if (peekChar(1) != '=') {
          throw unexpectedChar(startLine, startCol);
        }
        punct(TokenType.NEQ, 2, startLine, startCol);
      }
      case '<' -> {
        if (peekChar(1) == '=') {
          punct(TokenType.LTE, 2, startLine, startCol);
        } else {
          punct(TokenType.LT, 1, startLine, startCol);
        }
      }
      case '>' -> {
        if (peekChar(1) == '=') {
          punct(TokenType.GTE, 2, startLine, startCol);
        } else {
          punct(TokenType.GT, 1, startLine, startCol);
        }
      }
      default -> throw unexpectedChar(startLine, startCol);
    }
  }

  private void lexNumber(int startLine, int startCol) {
    int start = pos;
    if (src.charAt(pos) == '0' && (peekChar(1) == 'x' || peekChar(1) == 'X')) {
      int end = pos + 2;
      while (end < src.length() && isHexDigit(src.charAt(end))) {
        end++;
      }
      if (end < src.length() && isIdentPart(src.charAt(end))) {
        throw MeridianException.syntax(at(startLine, startCol) + " invalid hex literal '"
            + src.substring(start, wordEnd(start)) + "', expecting 0x followed by hex digits");
      }
      emit(TokenType.HEX, src.substring(start, end), startLine, startCol);
      pos = end;
      return;
    }
    int end = digitsEnd(pos);
    boolean isFloat = false;
    if (end + 1 < src.length() && src.charAt(end) == '.' && isDigit(src.charAt(end + 1))) {
      end = digitsEnd(end + 1);
      isFloat = true;
    }
    if (end < src.length() && (src.charAt(end) == 'e' || src.charAt(end) == 'E')) {
      int e = end + 1;
      if (e < src.length() && (src.charAt(e) == '+' || src.charAt(e) == '-')) {
        e++;
      }
      if (e < src.length() && isDigit(src.charAt(e))) {
        end = digitsEnd(e);
        isFloat = true;
      }
    }
    if (end < src.length() && isIdentPart(src.charAt(end))) {
      // Only a duration like 1h30m may glue letters to digits.
      int wend = wordEnd(start);
      String word = src.substring(start, wend);
      if (!isFloat && UNIT_DURATION.matcher(word).matches()) {
        emit(TokenType.DURATION, word, startLine, startCol);
        pos = wend;
        return;
      }
      throw MeridianException.syntax(at(startLine, startCol) + " invalid constant '" + word
          + "', expecting a number, a duration like 1h30m, or a UUID");
    }
    emit(isFloat ? TokenType.FLOAT : TokenType.INTEGER, src.substring(start, end), startLine,
        startCol);
    pos = end;
  }

  private void lexQuoted(char quote, TokenType type, int startLine, int startCol) {
    StringBuilder sb = new StringBuilder();
    int i = pos + 1;
    while (true) {
      if (i >= src.length()) {
        throw MeridianException.syntax(at(startLine, startCol) + " unterminated "
            + (quote == '\'' ? "string literal" : "quoted identifier") + ", expecting " + quote);
      }
      char c = src.charAt(i);
      if (c == quote) {
        if (i + 1 < src.length() && src.charAt(i + 1) == quote) {
          sb.append(quote);
          i += 2;
          continue;
        }
        break;
      }
      sb.append(c);
      i++;
    }
    if (type == TokenType.QUOTED_IDENT && sb.length() == 0) {
      throw MeridianException.syntax(at(startLine, startCol)
          + " empty quoted identifier, expecting at least one character between the quotes");
    }
    advanceOver(i + 1);
    emit(type, sb.toString(), startLine, startCol);
  }

  /** Moves to {@code end}, keeping line bookkeeping right across embedded newlines. */
  private void advanceOver(int end) {
    for (int i = pos; i < end; i++) {
      if (src.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    pos = end;
  }

  private void punct(TokenType type, int width, int startLine, int startCol) {
    emit(type, type.symbol(), startLine, startCol);
    pos += width;
  }

  private void emit(TokenType type, String text, int startLine, int startCol) {
    tokens.add(new Token(type, text, startLine, startCol));
  }

  private boolean matchesAt(Pattern p) {
    var m = p.matcher(src).region(pos, src.length());
    if (!m.lookingAt()) {
      return false;
    }
    int end = m.end();
    return end >= src.length() || !isIdentPart(src.charAt(end));
  }

  private int wordEnd(int from) {
    int i = from;
    while (i < src.length() && isIdentPart(src.charAt(i))) {
      i++;
    }
    return i;
  }

  private int digitsEnd(int from) {
    int i = from;
    while (i < src.length() && isDigit(src.charAt(i))) {
      i++;
    }
    return i;
  }

  private MeridianException unexpectedChar(int startLine, int startCol) {
    return MeridianException.syntax(at(startLine, startCol) + " token recognition error at: '"
        + src.charAt(pos) + "'");
  }

  private static String at(int line, int col) {
    return "line " + line + ":" + col;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c) || c == '_' || c == 'µ';
  }
}
