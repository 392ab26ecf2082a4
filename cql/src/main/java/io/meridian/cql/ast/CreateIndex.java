package io.meridian.cql.ast;

import java.util.List;

/** {@code CREATE [CUSTOM] INDEX [IF NOT EXISTS] [name] ON table (targets) [USING 'class'] [WITH OPTIONS = {...}]}.
 *
 * @param indexName the index name, or null when the server should derive one
 * @param usingClass the USING class name (or 'sai' etc.), or null */
public record CreateIndex(String indexName, QualifiedName table, boolean ifNotExists, boolean custom,
    List<Schema.IndexTarget> targets, String usingClass, List<Property> properties) implements SchemaStatement {
  public CreateIndex {
    targets = List.copyOf(targets);
    properties = List.copyOf(properties);
  }
}
