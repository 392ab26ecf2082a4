package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Assignment;
import io.meridian.cql.ast.Term;
import io.meridian.schema.ColumnMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * List operations that depend on the list's current elements: {@code l[i] = v},
 * {@code l = l - [x, ...]} and {@code DELETE l[i]}. They run inside a read-decide-write step (see
 * {@link io.meridian.storage.ConditionalWrite}), so the list they read is the one they change.
 */
final class ListReadOperations {
  private ListReadOperations() {}

  /** True if the assignment to {@code c} needs the current list. */
  static boolean needsRead(ColumnMetadata c, Assignment a) {
    return c.type() instanceof ListType && c.type().isMultiCell()
        && (a instanceof Assignment.SetElement || a instanceof Assignment.Subtract);
  }

  /** True if deleting {@code c[key]} needs the current list. */
  static boolean deleteNeedsRead(ColumnMetadata c, Term key) {
    return key != null && c.type() instanceof ListType && c.type().isMultiCell();
  }

  static List<Cell> assign(Terms terms, ColumnMetadata c, Assignment a, StoredRow current, long ts, int ttl, int nowSeconds) {
    List<Cell> elements = elements(current, c, nowSeconds);
    ListType type = (ListType) c.type();
    if (a instanceof Assignment.Subtract sub) {
      ByteBuffer v = terms.evaluate(sub.value(), type, c.name());
      if (v == null || BoundValues.isUnset(v)) {
        return List.of();
      }
      List<ByteBuffer> remove = type.elements(v);
      List<Cell> out = new ArrayList<>();
      for (Cell e : elements) {
        for (ByteBuffer r : remove) {
          if (ByteBuffer.wrap(e.value()).equals(r)) {
            out.add(new Cell(c.name(), e.path(), null, ts, 0, nowSeconds));
            break;
          }
        }
      }
      return out;
    }
    Assignment.SetElement set = (Assignment.SetElement) a;
    int index = index(terms, set.key(), c);
    ByteBuffer value = terms.evaluate(set.value(), type.elementType(), c.name());
    if (BoundValues.isUnset(value)) {
      return List.of();
    }
    if (current == null || elements.isEmpty()) {
      throw MeridianException.invalid("Attempted to set an element on a list which is null");
    }
    byte[] path = at(elements, index).path();
    return List.of(value == null
        ? new Cell(c.name(), path, null, ts, 0, nowSeconds)
        : CollectionCells.cell(c.name(), path, CollectionCells.bytes(value), ts, ttl, nowSeconds));
  }

  static Cell delete(Terms terms, ColumnMetadata c, Term key, StoredRow current, long ts, int nowSeconds) {
    int index = index(terms, key, c);
    List<Cell> elements = elements(current, c, nowSeconds);
    if (elements.isEmpty()) {
      throw MeridianException.invalid("Attempted to delete an element from a list which is null");
    }
    return new Cell(c.name(), at(elements, index).path(), null, ts, 0, nowSeconds);
  }

  private static int index(Terms terms, Term key, ColumnMetadata c) {
    ByteBuffer v = terms.evaluate(key, CqlTypes.INT, c.name());
    if (v == null) {
      throw MeridianException.invalid("Invalid null value for list index");
    }
    if (BoundValues.isUnset(v)) {
      throw MeridianException.invalid("Invalid unset value for list index");
    }
    return v.getInt(v.position());
  }

  private static Cell at(List<Cell> elements, int index) {
    if (index < 0 || index >= elements.size()) {
      throw MeridianException.invalid("List index " + index + " out of bound, list has size " + elements.size());
    }
    return elements.get(index);
  }

  /** The list's live element cells in list order. */
  private static List<Cell> elements(StoredRow row, ColumnMetadata c, int nowSeconds) {
    return CollectionCells.liveElements(row, c.name(), nowSeconds, Long.MIN_VALUE);
  }

}
