package io.meridian.cql.ast;

import java.util.List;

/** {@code USE keyspace}. */
public record UseKeyspace(String keyspace) implements Statement {
  @Override
  public List<BindMarker> bindMarkers() {
    return List.of();
  }
}
