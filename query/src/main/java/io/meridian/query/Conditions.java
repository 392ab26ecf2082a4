package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Condition;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.Term;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IF conditions of a lightweight transaction, bound to values and checked against the row as
 * it is when the transaction runs. Comparison with a missing value follows Cassandra: {@code =}
 * and {@code IN} match null only with null, {@code !=} is true against null, and the ordering
 * operators are false.
 */
final class Conditions {
  /** One condition with its values evaluated; {@code values} holds the IN candidates or the single value. */
  record Bound(ColumnMetadata column, ByteBuffer elementKey, int fieldPosition, Operator op, CqlType valueType,
               List<ByteBuffer> values) {}

  private Conditions() {}

  /** The type a condition's right-hand side is read as. */
  static CqlType receiverType(ColumnMetadata c, Condition cond) {
    CqlType type = c.type();
    if (cond.key() != null) {
      if (type instanceof ListType lt) {
        return lt.elementType();
      }
      if (type instanceof MapType mt) {
        return mt.valueType();
      }
      throw MeridianException.invalid("Invalid element access syntax for non-collection column " + c.name());
    }
    if (cond.field() != null) {
      if (!(type instanceof UserType ut)) {
        throw MeridianException.invalid("Invalid field selection: " + c.name() + " of type " + type.cqlName()
            + " is not a user type");
      }
      int pos = ut.fieldPosition(cond.field());
      if (pos < 0) {
        throw MeridianException.invalid("Unknown field " + cond.field() + " in user type " + ut.typeName());
      }
      return ut.fieldTypes().get(pos);
    }
    if (cond.op() == Operator.CONTAINS || cond.op() == Operator.CONTAINS_KEY) {
      return CollectionFilters.elementType(c, cond.op() == Operator.CONTAINS_KEY);
    }
    return type;
  }

  static List<Bound> bind(TableMetadata table, List<Condition> conditions, Terms terms) {
    List<Bound> out = new ArrayList<>(conditions.size());
    for (Condition cond : conditions) {
      ColumnMetadata c = WhereClause.column(table, cond.column());
      if (c.isPrimaryKey()) {
        throw MeridianException.invalid("PRIMARY KEY column '" + c.name() + "' cannot have IF conditions");
      }
      if (cond.op() == Operator.LIKE) {
        throw MeridianException.invalid("LIKE is not supported in IF conditions");
      }
      CqlType type = receiverType(c, cond);
      if (isSlice(cond.op()) && (type == CqlTypes.DURATION || c.type() == CqlTypes.DURATION)) {
        throw MeridianException.invalid("Slice conditions ( " + cond.op().cql() + " ) are not supported on durations");
      }
      ByteBuffer key = null;
      if (cond.key() != null) {
        key = terms.evaluate(cond.key(), c.type() instanceof MapType mt ? mt.keyType() : CqlTypes.INT, c.name());
        if (key == null) {
          throw MeridianException.invalid("Invalid null value for " + (c.type() instanceof MapType ? "map key" : "list index"));
        }
        checkSet(key);
      }
      int field = cond.field() == null ? -1 : ((UserType) c.type()).fieldPosition(cond.field());
      List<ByteBuffer> values = new ArrayList<>();
      if (cond.op() == Operator.IN) {
        if (cond.value() instanceof Term.InValues in) {
          for (Term t : in.values()) {
            ByteBuffer v = terms.evaluate(t, type, c.name());
            // An unset candidate in IN (...) is skipped, as in Cassandra; a whole unset list is an error.
            if (!BoundValues.isUnset(v)) {
              values.add(v);
            }
          }
        } else {
          ByteBuffer list = terms.evaluate(cond.value(), new ListType(type, false), c.name());
          checkSet(list);
          if (list != null) {
            values.addAll(new ListType(type, false).elements(list));
          }
        }
      } else {
        ByteBuffer v = terms.evaluate(cond.value(), type, c.name());
        checkSet(v);
        if (v == null && (isSlice(cond.op()) || cond.op() == Operator.CONTAINS || cond.op() == Operator.CONTAINS_KEY)) {
          throw MeridianException.invalid("Invalid comparison with null for operator \"" + cond.op().cql() + "\"");
        }
        values.add(v);
      }
      out.add(new Bound(c, key, field, cond.op(), type, values));
    }
    return out;
  }

  private static void checkSet(ByteBuffer v) {
    if (BoundValues.isUnset(v)) {
      throw MeridianException.invalid("Invalid 'unset' value in condition");
    }
  }

  private static boolean isSlice(Operator op) {
    return op == Operator.LT || op == Operator.LTE || op == Operator.GT || op == Operator.GTE;
  }

  /** True if the condition holds for {@code row} (a view of the current row; its values may be null). */
  static boolean holds(Bound b, RowView row) {
    ByteBuffer whole = row == null ? null : row.value(b.column);
    ByteBuffer current = focus(b, whole);
    CqlType type = b.valueType;
    switch (b.op) {
      case EQ:
        return equal(type, current, b.values.get(0));
      case NEQ:
        return !equal(type, current, b.values.get(0));
      case IN:
        for (ByteBuffer v : b.values) {
          if (equal(type, current, v)) {
            return true;
          }
        }
        return false;
      case LT:
      case LTE:
      case GT:
      case GTE:
        if (current == null) {
          return false;
        }
        int cmp = type.compare(current, b.values.get(0));
        return switch (b.op) {
          case LT -> cmp < 0;
          case LTE -> cmp <= 0;
          case GT -> cmp > 0;
          default -> cmp >= 0;
        };
      case CONTAINS:
        return current != null && CollectionFilters.contains(b.column.type(), false, current, b.values.get(0));
      case CONTAINS_KEY:
        return current != null && CollectionFilters.contains(b.column.type(), true, current, b.values.get(0));
      default:
        throw MeridianException.invalid("Operator " + b.op.cql() + " is not supported in IF conditions");
    }
  }

  /** The part of the column's value a condition looks at: the whole value, an element or a field. */
  private static ByteBuffer focus(Bound b, ByteBuffer whole) {
    if (whole == null) {
      return null;
    }
    if (b.elementKey != null) {
      CqlType type = b.column.type();
      if (type instanceof ListType lt) {
        int i = b.elementKey.getInt(b.elementKey.position());
        List<ByteBuffer> elements = lt.elements(whole);
        return i >= 0 && i < elements.size() ? elements.get(i) : null;
      }
      MapType mt = (MapType) type;
      for (Map.Entry<ByteBuffer, ByteBuffer> e : mt.entries(whole)) {
        if (mt.keyType().compare(e.getKey(), b.elementKey) == 0) {
          return e.getValue();
        }
      }
      return null;
    }
    if (b.fieldPosition >= 0) {
      List<ByteBuffer> fields = ((UserType) b.column.type()).fields(whole);
      return b.fieldPosition < fields.size() ? fields.get(b.fieldPosition) : null;
    }
    return whole;
  }

  private static boolean equal(CqlType type, ByteBuffer a, ByteBuffer b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    return type.compare(a, b) == 0;
  }

}
