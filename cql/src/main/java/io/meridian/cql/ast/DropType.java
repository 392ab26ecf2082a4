package io.meridian.cql.ast;

/** {@code DROP TYPE [IF EXISTS] name}. */
public record DropType(QualifiedName name, boolean ifExists) implements SchemaStatement {}
