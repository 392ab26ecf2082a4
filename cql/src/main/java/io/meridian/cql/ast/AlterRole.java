package io.meridian.cql.ast;

import java.util.List;

/** {@code ALTER ROLE|USER [IF EXISTS] name WITH options}. */
public record AlterRole(String name, boolean ifExists, boolean user, List<Property> options) implements SchemaStatement {
  public AlterRole {
    options = List.copyOf(options);
  }
}
