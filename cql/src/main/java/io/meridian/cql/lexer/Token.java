package io.meridian.cql.lexer;

/**
 * One lexed token. {@code text} is the source spelling for identifiers and numbers, and the
 * unescaped content for string literals and quoted identifiers. {@code line} is 1-based and
 * {@code column} 0-based, the convention CQL error messages use.
 */
public record Token(TokenType type, String text, int line, int column) {

  public boolean is(TokenType t) {
    return type == t;
  }

  /** True for an unquoted word spelled like {@code keyword}, ignoring case. */
  public boolean isKeyword(String keyword) {
    return type == TokenType.IDENT && text.equalsIgnoreCase(keyword);
  }

  /** How the token looked in the source, for error messages. */
  public String display() {
    return switch (type) {
      case STRING -> "'" + text.replace("'", "''") + "'";
      case QUOTED_IDENT -> "\"" + text.replace("\"", "\"\"") + "\"";
      case EOF -> "<EOF>";
      default -> text;
    };
  }

  public String position() {
    return "line " + line + ":" + column;
  }
}
