package io.meridian.cql.ast;

import java.util.List;

/** {@code CREATE MATERIALIZED VIEW [IF NOT EXISTS] name AS SELECT ... PRIMARY KEY (...) [WITH ...]}.
 * {@code select} holds the selectors, base table and WHERE; it never has bind markers. */
public record CreateMaterializedView(QualifiedName name, boolean ifNotExists, Select select, Schema.PrimaryKey primaryKey,
    List<Schema.ClusteringOrder> clusteringOrder, List<Property> properties) implements SchemaStatement {
  public CreateMaterializedView {
    clusteringOrder = List.copyOf(clusteringOrder);
    properties = List.copyOf(properties);
  }
}
