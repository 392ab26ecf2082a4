package io.meridian.cql.ast;

/** {@code ALTER TYPE [IF EXISTS] name ADD ... | RENAME ...}. */
public record AlterType(QualifiedName name, boolean ifExists, AlterTypeAction action) implements SchemaStatement {}
