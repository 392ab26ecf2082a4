package io.meridian.cql.ast;

/**
 * What a DELETE removes: a whole column, {@code column[key]} (key non-null) or
 * {@code column.field} (field non-null).
 */
public record DeleteTarget(String column, Term key, String field) {}
