package io.meridian.cql.ast;

import java.util.List;

/** One expression of a SELECT clause (before aliasing; see {@link SelectItem}). */
public sealed interface Selector {

  record Column(String name) implements Selector {}

  /** f(args); also token(a, b) and count(col). */
  record Function(QualifiedName name, List<Selector> arguments) implements Selector {
    public Function {
      arguments = List.copyOf(arguments);
    }
  }

  /** COUNT(*) or COUNT(1): the number of rows. */
  record CountRows() implements Selector {}

  enum MetadataKind { WRITETIME, MAXWRITETIME, TTL }

  /** WRITETIME(c), MAXWRITETIME(c) or TTL(c). */
  record Metadata(MetadataKind kind, Selector column) implements Selector {}

  /** CAST(selector AS type). */
  record Cast(Selector selector, TypeExpr type) implements Selector {}

  /** A term used as a selector: constant, bind marker, literal, type hinted value. */
  record Value(Term term) implements Selector {}

  /** c[key] on a map, list or set. */
  record Element(Selector collection, Term key) implements Selector {}

  /** c[from..to]; either bound may be null when omitted. */
  record Slice(Selector collection, Term from, Term to) implements Selector {}

  /** udt_column.field */
  record Field(Selector udt, String field) implements Selector {}

  record Arithmetic(ArithmeticOp op, Selector left, Selector right) implements Selector {}

  record Negate(Selector selector) implements Selector {}
}
