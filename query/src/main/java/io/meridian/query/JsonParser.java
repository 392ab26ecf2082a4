package io.meridian.query;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader producing plain Java values shaped as Cassandra's JSON support sees
 * them (it reads JSON with Jackson's defaults): {@code null}, {@link Boolean}, {@link String},
 * {@link Integer}, {@link Long} or {@link BigInteger} for whole numbers (the narrowest that fits),
 * {@link Double} for numbers with a fraction or exponent, {@link List} for arrays and a
 * {@link LinkedHashMap} for objects (a repeated key keeps its last value). Type checks in
 * {@link JsonCodec} and their messages ("got a Double") depend on exactly these classes.
 *
 * <p>Nesting is capped at {@link #DEPTH_MAX} so a hostile document cannot exhaust the stack.
 */
final class JsonParser {
  /** Deepest array/object nesting accepted; far beyond any CQL type (nesting is capped at 32 there). */
  static final int DEPTH_MAX = 256;

  /** A malformed document; the message says what was seen and where. */
  static final class JsonSyntaxException extends Exception {
    JsonSyntaxException(String message) {
      super(message);
    }
  }

  private final String text;
  private int pos;
  private int depth;

  private JsonParser(String text) {
    this.text = text;
  }

  /** Parses one JSON value that must make up the whole text (surrounding whitespace allowed). */
  static Object parse(String text) throws JsonSyntaxException {
    JsonParser p = new JsonParser(text);
    p.skipWhitespace();
    if (p.pos >= text.length()) {
      throw new JsonSyntaxException("No content to map due to end-of-input");
    }
    Object value = p.value();
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("Unexpected character after the JSON value");
    }
    return value;
  }

  private Object value() throws JsonSyntaxException {
    if (pos >= text.length()) {
      throw error("Unexpected end-of-input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return keyword("true", Boolean.TRUE);
      case 'f':
        return keyword("false", Boolean.FALSE);
      case 'n':
        return keyword("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("Unexpected character ('" + printable(c) + "')");
    }
  }

  private Map<String, Object> object() throws JsonSyntaxException {
    enter();
    pos++; // '{'
    Map<String, Object> out = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return out;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("Expected a double-quoted field name");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      out.put(key, value());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return out;
      }
      if (c != ',') {
        pos--;
        throw error("Expected ',' or '}' in an object");
      }
    }
  }

  private List<Object> array() throws JsonSyntaxException {
    enter();
    pos++; // '['
    List<Object> out = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return out;
    }
    while (true) {
      skipWhitespace();
      out.add(value());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return out;
      }
      if (c != ',') {
        pos--;
        throw error("Expected ',' or ']' in an array");
      }
    }
  }

  private void enter() throws JsonSyntaxException {
    if (++depth > DEPTH_MAX) {
      throw error("Nesting deeper than " + DEPTH_MAX + " levels");
    }
  }

  private String string() throws JsonSyntaxException {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("Unexpected end-of-input in a string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("Illegal unquoted control character (code " + (int) c + ") in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("Unexpected end-of-input in an escape sequence");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("Unexpected end-of-input in a \\u escape");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos++), 16);
            if (digit < 0) {
              pos--;
              throw error("Expected a hex digit in a \\u escape");
            }
            code = code * 16 + digit;
          }
          sb.append((char) code);
        }
        default -> {
          pos--;
          throw error("Unrecognized character escape '" + printable(e) + "'");
        }
      }
    }
  }

  private Object number() throws JsonSyntaxException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int intStart = pos;
    if (peek() == '0') {
      pos++;
      if (Character.isDigit(peek())) {
        throw error("Invalid numeric value: leading zeroes not allowed");
      }
    } else if (!digits()) {
      throw error("Invalid numeric value: expected a digit");
    }
    boolean integral = true;
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!digits()) {
        throw error("Invalid numeric value: expected a digit after the decimal point");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!digits()) {
        throw error("Invalid numeric value: expected a digit in the exponent");
      }
    }
    String literal = text.substring(start, pos);
    if (!integral) {
      return Double.parseDouble(literal);
    }
    int intDigits = pos - intStart;
    if (intDigits <= 9) {
      return Integer.parseInt(literal);
    }
    BigInteger big = new BigInteger(literal);
    if (big.bitLength() < 32) {
      return big.intValue();
    }
    if (big.bitLength() < 64) {
      return big.longValue();
    }
    return big;
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 0x80) {
      pos++;
    }
    return pos > start;
  }

  private Object keyword(String word, Object value) throws JsonSyntaxException {
    if (!text.startsWith(word, pos)) {
      throw error("Unrecognized token");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws JsonSyntaxException {
    if (peek() != c) {
      throw error("Expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonSyntaxException error(String what) {
    return new JsonSyntaxException(what + " at character " + (pos + 1));
  }

  private static String printable(char c) {
    return c < 0x20 ? String.format("\\u%04X", (int) c) : String.valueOf(c);
  }
}
