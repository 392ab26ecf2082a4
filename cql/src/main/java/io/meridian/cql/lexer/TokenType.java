package io.meridian.cql.lexer;

/** Token kinds. Keywords are not separate kinds: they arrive as {@link #IDENT} and the parser decides. */
public enum TokenType {
  IDENT,
  QUOTED_IDENT,
  STRING,
  INTEGER,
  FLOAT,
  HEX,
  UUID,
  DURATION,
  LPAREN("("),
  RPAREN(")"),
  LBRACKET("["),
  RBRACKET("]"),
  LBRACE("{"),
  RBRACE("}"),
  COMMA(","),
  SEMICOLON(";"),
  DOT("."),
  RANGE(".."),
  COLON(":"),
  QMARK("?"),
  EQ("="),
  NEQ("!="),
  LT("<"),
  LTE("<="),
  GT(">"),
  GTE(">="),
  PLUS("+"),
  MINUS("-"),
  STAR("*"),
  SLASH("/"),
  PERCENT("%"),
  PLUS_EQ("+="),
  MINUS_EQ("-="),
  EOF("<EOF>");

  private final String symbol;

  TokenType() {
    this.symbol = "";
  }

  TokenType(String symbol) {
    this.symbol = symbol;
  }

  /** The fixed spelling of punctuation tokens; empty for tokens whose text varies. */
  public String symbol() {
    return symbol;
  }
}
