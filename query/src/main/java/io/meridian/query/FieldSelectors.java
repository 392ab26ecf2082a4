package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Selector;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.types.CqlTypes;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Selectors on one field of a user type value: {@code u.f} on any user type expression, and
 * {@code writetime(u.f)} / {@code ttl(u.f)} on a user type column (the field's own cell when the
 * column is not frozen, the column's cell when it is).
 */
final class FieldSelectors {
  private FieldSelectors() {}

  /** {@code inner.field}; its name is printed as Cassandra does ({@code u.f}). */
  static FunctionExpr field(TableMetadata table, Selector.Field selector) {
    FunctionExpr inner = FunctionSelectors.build(table, selector.udt());
    if (!(inner.type() instanceof UserType ut)) {
      throw MeridianException.invalid("Invalid field selection: " + inner.name() + " of type " + inner.type().cqlName()
          + " is not a user type");
    }
    int position = ut.fieldPosition(selector.field());
    if (position < 0) {
      throw MeridianException.invalid(inner.name() + " of type " + ut.cqlName() + " has no field " + selector.field());
    }
    String name = inner.name() + "." + selector.field();
    return FunctionSelectors.expr(ut.fieldTypes().get(position), name, (row, terms) -> {
      ByteBuffer value = inner.eval(row, terms);
      return value == null ? null : ut.fields(value).get(position);
    });
  }

  /** writetime(c.f), maxwritetime(c.f) or ttl(c.f) for a user type column c. */
  static FunctionExpr metadata(TableMetadata table, Selector.MetadataKind kind, Selector.Field selector) {
    if (!(selector.udt() instanceof Selector.Column c)) {
      throw MeridianException.invalid("Invalid field selection in " + kind.name().toLowerCase(Locale.ROOT) + "(): expected column.field");
    }
    ColumnMetadata col = WhereClause.column(table, c.name());
    if (col.isPrimaryKey()) {
      throw MeridianException.invalid("Cannot use selection function " + (kind == Selector.MetadataKind.TTL ? "ttl" : "writeTime")
          + " on PRIMARY KEY part " + col.name());
    }
    FunctionExpr field = field(table, selector);
    int position = ((UserType) col.type()).fieldPosition(selector.field());
    String name = kind.name().toLowerCase(Locale.ROOT) + "(" + field.name() + ")";
    return kind == Selector.MetadataKind.TTL
        ? FunctionSelectors.expr(CqlTypes.INT, name, (row, terms) -> row.fieldTtl(col, position))
        : FunctionSelectors.expr(CqlTypes.BIGINT, name, (row, terms) -> row.fieldWritetime(col, position));
  }
}
