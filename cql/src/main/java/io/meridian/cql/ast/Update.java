package io.meridian.cql.ast;

import java.util.List;

/** {@code UPDATE t [USING ...] SET ... WHERE ... [IF EXISTS | IF conditions]}. */
public record Update(QualifiedName table, Attributes attributes, List<Assignment> assignments,
    List<Relation> where, boolean ifExists, List<Condition> conditions,
    List<BindMarker> bindMarkers) implements ModificationStatement {
  public Update {
    assignments = List.copyOf(assignments);
    where = List.copyOf(where);
    conditions = List.copyOf(conditions);
    bindMarkers = List.copyOf(bindMarkers);
  }
}
