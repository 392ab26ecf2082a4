package io.meridian.cql.ast;

import java.util.List;

/** {@code INSERT INTO t JSON value [DEFAULT NULL|UNSET] [IF NOT EXISTS] [USING ...]}.
 *
 * @param json a string constant or a bind marker
 * @param defaultUnset true for DEFAULT UNSET; false for DEFAULT NULL (the default) */
public record InsertJson(QualifiedName table, Term json, boolean defaultUnset, boolean ifNotExists,
    Attributes attributes, List<BindMarker> bindMarkers) implements ModificationStatement {
  public InsertJson {
    bindMarkers = List.copyOf(bindMarkers);
  }
}
