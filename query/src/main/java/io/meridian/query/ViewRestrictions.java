package io.meridian.query;

import io.meridian.common.Clock;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.CqlPrinter;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.Statement;
import io.meridian.cql.ast.Term;
import io.meridian.cql.parser.CqlParser;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The WHERE clause of a materialized view: which base columns must be non-null (IS NOT NULL) and
 * which primary key restrictions ({@code c = 1}, {@code c > 0}, {@code c IN (1, 2)}) a base row
 * must meet to have a view row. Validated at CREATE with Cassandra's rules and messages; the
 * schema keeps the clause as CQL text ({@link #text}), parsed again by {@link #parse}.
 */
final class ViewRestrictions {
  /** One restriction on a base primary key column, its values already evaluated. */
  private record Bound(ColumnMetadata column, Operator op, List<ByteBuffer> values) {}

  private final Set<String> notNull;
  private final List<Bound> bounds;
  /** Non-key columns restricted by value, which Cassandra refuses. */
  private final List<String> illegal;

  private ViewRestrictions(Set<String> notNull, List<Bound> bounds, List<String> illegal) {
    this.notNull = notNull;
    this.bounds = bounds;
    this.illegal = illegal;
  }

  /** Checks {@code where} against the base table and prepares it; errors are Cassandra's. */
  static ViewRestrictions analyze(TableMetadata base, List<Relation> where) {
    Set<String> notNull = new LinkedHashSet<>();
    List<Bound> bounds = new ArrayList<>();
    Terms terms = new Terms(BoundValues.NONE, Clock.SYSTEM);
    List<String> illegal = new ArrayList<>();
    for (Relation r : where) {
      if (r instanceof Relation.TokenRelation) {
        throw MeridianException.invalid("Cannot use token relation when defining a materialized view");
      }
      if (r instanceof Relation.IsNotNull n) {
        column(base, n.column());
        notNull.add(n.column());
        continue;
      }
      if (r instanceof Relation.MultiColumnRelation) {
        throw MeridianException.invalid("Multi-column relations are not supported in materialized view WHERE clauses"
            + " by Meridian yet");
      }
      Relation.ColumnRelation cr = (Relation.ColumnRelation) r;
      ColumnMetadata c = column(base, cr.column());
      if (!c.isPrimaryKey()) {
        illegal.add(c.name());
        continue;
      }
      if (cr.key() != null || cr.field() != null || cr.op() == Operator.CONTAINS || cr.op() == Operator.CONTAINS_KEY
          || cr.op() == Operator.LIKE || cr.op() == Operator.NEQ) {
        throw MeridianException.invalid("Unsupported restriction " + cr.op().cql() + " on column " + c.name()
            + " in a materialized view WHERE clause");
      }
      List<ByteBuffer> values = new ArrayList<>();
      if (cr.op() == Operator.IN) {
        if (!(cr.value() instanceof Term.InValues in)) {
          throw MeridianException.invalid("Bind variables are not allowed in CREATE MATERIALIZED VIEW statements");
        }
        for (Term t : in.values()) {
          values.add(terms.evaluate(t, c.type(), c.name()));
        }
      } else {
        values.add(terms.evaluate(cr.value(), c.type(), c.name()));
      }
      if (values.stream().anyMatch(v -> v == null)) {
        throw MeridianException.invalid("Invalid null value in condition for column " + c.name());
      }
      bounds.add(new Bound(c, cr.op(), values));
    }
    return new ViewRestrictions(notNull, bounds, illegal);
  }

  /** Cassandra's check, made after the primary key one: other columns may only be IS NOT NULL. */
  void checkOnlyKeyColumnsRestricted() {
    if (!illegal.isEmpty()) {
      throw MeridianException.invalid("Non-primary key columns can only be restricted with 'IS NOT NULL' (got: "
          + String.join(",", illegal) + " restricted illegally)");
    }
  }

  /** Parses a stored WHERE clause (already validated when the view was created). */
  static ViewRestrictions parse(TableMetadata base, String whereClause) {
    if (whereClause.isEmpty()) {
      return analyze(base, List.of());
    }
    Statement s = CqlParser.parse("SELECT * FROM " + CqlPrinter.identifier(base.name()) + " WHERE " + whereClause);
    return analyze(base, ((Select) s).where());
  }

  /** The WHERE clause as system_schema.views.where_clause shows it. */
  static String text(List<Relation> where) {
    Select select = new Select(false, false, true, List.of(), QualifiedName.of("t"), where, List.of(), List.of(),
        null, null, false, List.of());
    String printed = CqlPrinter.print(select);
    int at = printed.indexOf(" WHERE ");
    return at < 0 ? "" : printed.substring(at + " WHERE ".length());
  }

  /** True if {@code column} is restricted (IS NOT NULL or a value restriction). */
  boolean restricts(String column) {
    return notNull.contains(column) || bounds.stream().anyMatch(b -> b.column.name().equals(column));
  }

  /** Whether a base row (seen through {@code row}) meets every value restriction. */
  boolean accepts(RowView row) {
    for (Bound b : bounds) {
      ByteBuffer v = row.value(b.column);
      if (v == null || !holds(b, v)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(Bound b, ByteBuffer v) {
    if (b.op == Operator.IN) {
      return b.values.stream().anyMatch(x -> b.column.type().compare(v.duplicate(), x.duplicate()) == 0);
    }
    int c = b.column.type().compare(v.duplicate(), b.values.get(0).duplicate());
    return switch (b.op) {
      case EQ -> c == 0;
      case LT -> c < 0;
      case LTE -> c <= 0;
      case GT -> c > 0;
      case GTE -> c >= 0;
      default -> false;
    };
  }

  private static ColumnMetadata column(TableMetadata base, String name) {
    return base.column(name).orElseThrow(() ->
        MeridianException.invalid("Undefined column name " + name + " in table " + base.keyspace() + "." + base.name()));
  }
}
