package io.meridian.cql.ast;

import java.util.List;

/** {@code ALTER KEYSPACE [IF EXISTS] name WITH properties}. */
public record AlterKeyspace(String name, boolean ifExists, List<Property> properties) implements SchemaStatement {
  public AlterKeyspace {
    properties = List.copyOf(properties);
  }
}
