package io.meridian.cql.ast;

/** {@code DROP INDEX [IF EXISTS] [ks.]name}. */
public record DropIndex(QualifiedName name, boolean ifExists) implements SchemaStatement {}
