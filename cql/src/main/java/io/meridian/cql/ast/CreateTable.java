package io.meridian.cql.ast;

import java.util.List;

/** {@code CREATE TABLE}. Inline {@code col type PRIMARY KEY} is folded into {@link #primaryKey()}; the
 * primary key lists are empty when none was declared (the analyzer rejects that). */
public record CreateTable(QualifiedName name, boolean ifNotExists, List<Schema.ColumnDefinition> columns,
    Schema.PrimaryKey primaryKey, List<Schema.ClusteringOrder> clusteringOrder, boolean compactStorage,
    List<Property> properties) implements SchemaStatement {
  public CreateTable {
    columns = List.copyOf(columns);
    clusteringOrder = List.copyOf(clusteringOrder);
    properties = List.copyOf(properties);
  }
}
