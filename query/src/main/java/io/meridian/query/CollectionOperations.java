package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Assignment;
import io.meridian.cql.ast.Term;
import io.meridian.schema.ColumnMetadata;
import io.meridian.storage.Cell;
import io.meridian.types.CqlType;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Element-level writes to non-frozen collections: c = c + v, c = c - v, c = v + c, m[k] = v and
 * DELETE c[k]. Only operations that need no read of the current value are supported; those that
 * do (list removal by value or by index, list element replacement) are refused with a clear error.
 */
final class CollectionOperations {
  private CollectionOperations() {}

  /** The element cells an assignment other than c = v writes to the multi-cell column {@code c}. */
  static List<Cell> cells(Terms terms, ColumnMetadata c, Assignment a, long ts, int ttl, int nowSeconds) {
    CqlType type = c.type();
    if (a instanceof Assignment.Add add) {
      ByteBuffer v = terms.evaluate(add.value(), type, c.name());
      return absent(v) ? List.of() : CollectionCells.elementCells(type, c.name(), v, ts, ttl, nowSeconds, false);
    }
    if (a instanceof Assignment.Prepend prepend) {
      if (!(type instanceof ListType)) {
        throw MeridianException.invalid("Invalid operation (" + c.name() + " = ... + " + c.name() + ") for non list column " + c.name());
      }
      ByteBuffer v = terms.evaluate(prepend.value(), type, c.name());
      return absent(v) ? List.of() : CollectionCells.elementCells(type, c.name(), v, ts, ttl, nowSeconds, true);
    }
    if (a instanceof Assignment.Subtract sub) {
      if (type instanceof ListType) {
        throw readBeforeWrite("Removing list elements by value (" + c.name() + " = " + c.name() + " - [...])");
      }
      SetType keys = removalType(type);
      ByteBuffer v = terms.evaluate(sub.value(), keys, c.name());
      return absent(v) ? List.of() : CollectionCells.elementTombstones(c.name(), keys.elements(v), ts, nowSeconds);
    }
    if (a instanceof Assignment.SetElement set) {
      if (type instanceof ListType) {
        throw readBeforeWrite("Setting a list element by index (" + c.name() + "[i] = ...)");
      }
      if (!(type instanceof MapType mt)) {
        throw MeridianException.invalid("Invalid operation (" + c.name() + "[...] = ...) for set column " + c.name());
      }
      ByteBuffer key = mapKey(terms, mt, set.key(), c);
      ByteBuffer value = terms.evaluate(set.value(), mt.valueType(), c.name());
      if (BoundValues.isUnset(value)) {
        return List.of();
      }
      return List.of(value == null
          ? new Cell(c.name(), CollectionCells.path(key), null, ts, 0, nowSeconds)
          : CollectionCells.cell(c.name(), CollectionCells.path(key), CollectionCells.bytes(value), ts, ttl, nowSeconds));
    }
    throw MeridianException.invalid("Field assignments on " + c.name() + " arrive with a later release");
  }

  /** The tombstone DELETE c[k] writes: a map entry or set element. */
  static Cell deleteElement(Terms terms, ColumnMetadata c, Term key, long ts, int nowSeconds) {
    CqlType type = c.type();
    if (!type.isMultiCell() || type instanceof io.meridian.types.UserType) {
      throw MeridianException.invalid("Invalid deletion operation for " + (type instanceof io.meridian.types.CollectionType
          ? "frozen collection" : "non collection") + " column " + c.name());
    }
    if (type instanceof ListType) {
      throw readBeforeWrite("Deleting a list element by index (DELETE " + c.name() + "[i])");
    }
    CqlType keyType = type instanceof MapType mt ? mt.keyType() : ((SetType) type).elementType();
    ByteBuffer k = terms.evaluate(key, keyType, c.name());
    if (k == null || BoundValues.isUnset(k)) {
      throw MeridianException.invalid("Invalid " + (k == null ? "null" : "unset") + " value for " + c.name() + " element");
    }
    return new Cell(c.name(), CollectionCells.path(k), null, ts, 0, nowSeconds);
  }

  /** The type of the right-hand side of c = c - v: the set itself, or a set of the map's keys. */
  static SetType removalType(CqlType type) {
    return type instanceof MapType mt ? new SetType(mt.keyType(), true) : (SetType) type;
  }

  private static ByteBuffer mapKey(Terms terms, MapType mt, Term key, ColumnMetadata c) {
    ByteBuffer k = terms.evaluate(key, mt.keyType(), c.name());
    if (k == null) {
      throw MeridianException.invalid("Invalid null map key");
    }
    if (BoundValues.isUnset(k)) {
      throw MeridianException.invalid("Invalid unset map key");
    }
    return k;
  }

  private static boolean absent(ByteBuffer v) {
    return v == null || BoundValues.isUnset(v);
  }

  private static MeridianException readBeforeWrite(String what) {
    return MeridianException.invalid(what + " needs a read before the write and is not supported yet");
  }
}
