package io.meridian.cql.ast;

/** {@code DROP ROLE|USER [IF EXISTS] name}. */
public record DropRole(String name, boolean ifExists, boolean user) implements SchemaStatement {}
