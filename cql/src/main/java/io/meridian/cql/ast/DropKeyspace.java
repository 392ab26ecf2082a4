package io.meridian.cql.ast;

/** {@code DROP KEYSPACE [IF EXISTS] name}. */
public record DropKeyspace(String name, boolean ifExists) implements SchemaStatement {}
