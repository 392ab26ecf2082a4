package io.meridian.cql.ast;

import java.util.List;

/** {@code CREATE TYPE [IF NOT EXISTS] name (field type, ...)}. */
public record CreateType(QualifiedName name, boolean ifNotExists, List<Schema.FieldDefinition> fields) implements SchemaStatement {
  public CreateType {
    fields = List.copyOf(fields);
  }
}
