package io.meridian.cql.ast;

/** {@code TRUNCATE [TABLE] name}. */
public record Truncate(QualifiedName name) implements SchemaStatement {}
