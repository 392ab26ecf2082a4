package io.meridian.cql.ast;

import java.util.List;

/** {@code CREATE KEYSPACE [IF NOT EXISTS] name WITH properties}. */
public record CreateKeyspace(String name, boolean ifNotExists, List<Property> properties) implements SchemaStatement {
  public CreateKeyspace {
    properties = List.copyOf(properties);
  }
}
