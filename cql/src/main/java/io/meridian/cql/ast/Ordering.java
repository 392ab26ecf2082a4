package io.meridian.cql.ast;

/**
 * One ORDER BY item.
 *
 * @param annOf for {@code ORDER BY v ANN OF term} (vector search), the target vector; else null
 */
public record Ordering(String column, boolean descending, Term annOf) {}
