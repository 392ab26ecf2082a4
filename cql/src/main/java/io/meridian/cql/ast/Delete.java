package io.meridian.cql.ast;

import java.util.List;

/** {@code DELETE [targets] FROM t [USING TIMESTAMP ...] WHERE ... [IF ...]}; no targets deletes rows. */
public record Delete(List<DeleteTarget> targets, QualifiedName table, Attributes attributes,
    List<Relation> where, boolean ifExists, List<Condition> conditions,
    List<BindMarker> bindMarkers) implements ModificationStatement {
  public Delete {
    targets = List.copyOf(targets);
    where = List.copyOf(where);
    conditions = List.copyOf(conditions);
    bindMarkers = List.copyOf(bindMarkers);
  }
}
