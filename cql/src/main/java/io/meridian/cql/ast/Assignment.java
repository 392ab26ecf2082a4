package io.meridian.cql.ast;

/** One SET item of an UPDATE. */
public sealed interface Assignment {
  String column();

  /** {@code c = value}. */
  record SetValue(String column, Term value) implements Assignment {}

  /** {@code c[key] = value}. */
  record SetElement(String column, Term key, Term value) implements Assignment {}

  /** {@code c.field = value}. */
  record SetField(String column, String field, Term value) implements Assignment {}

  /** {@code c = c + value} or {@code c += value}: counter increment or collection append. */
  record Add(String column, Term value) implements Assignment {}

  /** {@code c = value + c}: list prepend. */
  record Prepend(String column, Term value) implements Assignment {}

  /** {@code c = c - value} or {@code c -= value}: counter decrement or element removal. */
  record Subtract(String column, Term value) implements Assignment {}
}
