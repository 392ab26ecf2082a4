package io.meridian.cql.ast;

/** {@code DROP TABLE [IF EXISTS] name}. */
public record DropTable(QualifiedName name, boolean ifExists) implements SchemaStatement {}
