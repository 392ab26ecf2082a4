package io.meridian.cql.ast;

import java.util.List;

/** {@code ALTER MATERIALIZED VIEW name WITH properties}. */
public record AlterMaterializedView(QualifiedName name, boolean ifExists, List<Property> properties) implements SchemaStatement {
  public AlterMaterializedView {
    properties = List.copyOf(properties);
  }
}
