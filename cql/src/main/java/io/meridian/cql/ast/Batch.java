package io.meridian.cql.ast;

import java.util.List;

/** {@code BEGIN [UNLOGGED|COUNTER] BATCH [USING TIMESTAMP t] stmts APPLY BATCH}. Marker indexes run
 * across the whole batch; {@link #bindMarkers()} is the concatenation of the inner statements'
 * lists, preceded by any marker in the batch's own USING clause. */
public record Batch(BatchType type, Attributes attributes, List<ModificationStatement> statements,
    List<BindMarker> bindMarkers) implements Statement {
  public enum BatchType { LOGGED, UNLOGGED, COUNTER }

  public Batch {
    statements = List.copyOf(statements);
    bindMarkers = List.copyOf(bindMarkers);
  }
}
