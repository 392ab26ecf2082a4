package io.meridian.cql.ast;

/** {@code ALTER TABLE [IF EXISTS] name action}. */
public record AlterTable(QualifiedName name, boolean ifExists, AlterTableAction action) implements SchemaStatement {}
