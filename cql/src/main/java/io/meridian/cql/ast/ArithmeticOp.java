package io.meridian.cql.ast;

/** Binary arithmetic operators usable in terms and selectors. */
public enum ArithmeticOp {
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  MOD("%");

  private final String cql;

  ArithmeticOp(String cql) {
    this.cql = cql;
  }

  public String cql() {
    return cql;
  }

  /** Multiplicative operators bind tighter than additive ones. */
  public int precedence() {
    return this == ADD || this == SUB ? 1 : 2;
  }
}
