package io.meridian.cql.ast;

/** Comparison operators of WHERE relations and IF conditions. */
public enum Operator {
  EQ("="),
  NEQ("!="),
  LT("<"),
  LTE("<="),
  GT(">"),
  GTE(">="),
  IN("IN"),
  CONTAINS("CONTAINS"),
  CONTAINS_KEY("CONTAINS KEY"),
  LIKE("LIKE");

  private final String cql;

  Operator(String cql) {
    this.cql = cql;
  }

  public String cql() {
    return cql;
  }
}
