package io.meridian.cql.ast;

import java.util.List;

/**
 * One WHERE restriction. For {@link Operator#IN} the value is either a {@link BindMarker} (IN ?)
 * or a {@link Term.InValues} listing the candidates as written.
 */
public sealed interface Relation {

  /**
   * {@code column op value}, or {@code column[key] op value} when {@code key} is non-null, or
   * {@code column.field op value} (a field of a user-defined type; Meridian's extension) when
   * {@code field} is non-null.
   */
  record ColumnRelation(String column, Term key, Operator op, Term value, String field) implements Relation {
    public ColumnRelation(String column, Term key, Operator op, Term value) {
      this(column, key, op, value, null);
    }
  }

  /** {@code token(a, b) op value}. */
  record TokenRelation(List<String> columns, Operator op, Term value) implements Relation {
    public TokenRelation {
      columns = List.copyOf(columns);
    }
  }

  /**
   * {@code (a, b) op value}: value is a tuple literal or marker; for IN an {@link Term.InValues} of
   * tuples or markers, or a single marker.
   */
  record MultiColumnRelation(List<String> columns, Operator op, Term value) implements Relation {
    public MultiColumnRelation {
      columns = List.copyOf(columns);
    }
  }

  /** {@code column IS NOT NULL} (materialized view definitions). */
  record IsNotNull(String column) implements Relation {}
}
