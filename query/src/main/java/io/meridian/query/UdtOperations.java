package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Assignment;
import io.meridian.schema.ColumnMetadata;
import io.meridian.storage.Cell;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Field-level writes to non-frozen user type columns: {@code SET u.f = v} and {@code DELETE u.f},
 * each one cell at the field's path (see {@link UdtCells}), with Cassandra's errors for frozen and
 * non-user-type columns and unknown fields.
 */
final class UdtOperations {
  private UdtOperations() {}

  /** The cell {@code SET c.field = value} writes; empty for an unset value. */
  static List<Cell> setField(Terms terms, ColumnMetadata c, Assignment.SetField set, long ts, int ttl, int nowSeconds) {
    int position = checkSetField(c, set);
    UserType ut = (UserType) c.type();
    ByteBuffer value = terms.evaluate(set.value(), ut.fieldTypes().get(position), c.name() + "." + set.field());
    if (BoundValues.isUnset(value)) {
      return List.of();
    }
    return List.of(UdtCells.fieldCell(c.name(), position, value, ts, ttl, nowSeconds));
  }

  /** The position of the field {@code SET c.field = ...} assigns; INVALID unless c is a non-frozen user type with that field. */
  static int checkSetField(ColumnMetadata c, Assignment.SetField set) {
    String operation = c.name() + "." + set.field() + " = " + io.meridian.cql.ast.CqlPrinter.print(set.value());
    if (!(c.type() instanceof UserType ut)) {
      throw MeridianException.invalid("Invalid operation (" + operation + ") for non-UDT column " + c.name());
    }
    if (!ut.isMultiCell()) {
      throw MeridianException.invalid("Invalid operation (" + operation + ") for frozen UDT column " + c.name());
    }
    return UdtCells.fieldPosition(ut, c.name(), set.field());
  }

  /** The tombstone {@code DELETE c.field} writes. */
  static Cell deleteField(ColumnMetadata c, String field, long ts, int nowSeconds) {
    if (!(c.type() instanceof UserType ut)) {
      throw MeridianException.invalid("Invalid field deletion operation for non-UDT column " + c.name());
    }
    if (!ut.isMultiCell()) {
      throw MeridianException.invalid("Frozen UDT column " + c.name() + " does not support field deletions");
    }
    int position = UdtCells.fieldPosition(ut, c.name(), field);
    return UdtCells.fieldCell(c.name(), position, null, ts, 0, nowSeconds);
  }
}
