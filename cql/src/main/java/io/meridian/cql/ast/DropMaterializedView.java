package io.meridian.cql.ast;

/** {@code DROP MATERIALIZED VIEW [IF EXISTS] name}. */
public record DropMaterializedView(QualifiedName name, boolean ifExists) implements SchemaStatement {}
