package io.meridian.cql.ast;

import java.util.List;

/** A parsed CQL statement. Every statement reports its bind markers in order of appearance. */
public sealed interface Statement permits SchemaStatement, ModificationStatement, Select, Batch,
    UseKeyspace {

  /** Bind markers in appearance order; index i of the list has {@code index() == i}. */
  List<BindMarker> bindMarkers();

  /** The statement printed back as CQL that parses to an equal AST. */
  default String toCql() {
    return CqlPrinter.print(this);
  }
}
