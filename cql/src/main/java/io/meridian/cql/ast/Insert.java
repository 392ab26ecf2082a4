package io.meridian.cql.ast;

import java.util.List;

/** {@code INSERT INTO t (cols) VALUES (terms) [IF NOT EXISTS] [USING ...]}. */
public record Insert(QualifiedName table, List<String> columns, List<Term> values, boolean ifNotExists,
    Attributes attributes, List<BindMarker> bindMarkers) implements ModificationStatement {
  public Insert {
    columns = List.copyOf(columns);
    values = List.copyOf(values);
    bindMarkers = List.copyOf(bindMarkers);
  }
}
