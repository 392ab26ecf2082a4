package io.meridian.cql.ast;

/**
 * One IF condition of a lightweight transaction: {@code column op value},
 * {@code column[key] op value} (key non-null) or {@code column.field op value} (field non-null).
 * For IN, value is a {@link Term.InValues} or a {@link BindMarker}.
 */
public record Condition(String column, Term key, String field, Operator op, Term value) {}
