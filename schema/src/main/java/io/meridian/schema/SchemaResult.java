package io.meridian.schema;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one DDL statement: the schema now in force and what changed. An empty change
 * list means nothing was done (IF NOT EXISTS / IF EXISTS matched), so no SCHEMA_CHANGE event is
 * sent and the result is a VOID result.
 */
public record SchemaResult(Schema schema, List<SchemaChange> changes) {
  public SchemaResult {
    Objects.requireNonNull(schema, "schema");
    changes = List.copyOf(changes);
  }

  public boolean applied() {
    return !changes.isEmpty();
  }
}
