package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.storage.Cell;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * How a non-frozen user type is laid out in cells, as Cassandra does: one cell per non-null
 * field, its path the field's position as a 2-byte big-endian number. Positions never change
 * (ALTER TYPE only appends fields or renames them), so stored cells keep their meaning; a field
 * added later simply has no cells in older rows and reads as null.
 *
 * <p>A whole-value write is a column deletion just before the write (see {@link
 * CollectionCells#overwriteDeletion}) plus one cell per non-null field, so fields left out or
 * null in the new value disappear. The value reads as null when no field cell is live.
 */
final class UdtCells {
  private static final int PATH_BYTES = 2;

  private UdtCells() {}

  static byte[] path(int position) {
    return new byte[] {(byte) (position >>> 8), (byte) position};
  }

  /** The field position a cell path names; -1 for a path that is not one (such as a legacy marker). */
  static int position(byte[] path) {
    return path.length == PATH_BYTES ? ((path[0] & 0xff) << 8) | (path[1] & 0xff) : -1;
  }

  /** One cell per non-null field of {@code value}, a serialized value of {@code type}. */
  static List<Cell> fieldCells(UserType type, String column, ByteBuffer value, long ts, int ttl, int nowSeconds) {
    List<ByteBuffer> fields = type.fields(value);
    List<Cell> out = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i) != null) {
        out.add(CollectionCells.cell(column, path(i), CollectionCells.bytes(fields.get(i)), ts, ttl, nowSeconds));
      }
    }
    return out;
  }

  /** The cell {@code SET u.f = value} writes: the field's value, or a tombstone for null. */
  static Cell fieldCell(String column, int position, ByteBuffer value, long ts, int ttl, int nowSeconds) {
    if (value == null) {
      return new Cell(column, path(position), null, ts, 0, nowSeconds);
    }
    return CollectionCells.cell(column, path(position), CollectionCells.bytes(value), ts, ttl, nowSeconds);
  }

  /**
   * The value assembled from the live cells of the column, or null when no field is live. Cells
   * at or before {@code minTimestampExclusive} (a dropped column's drop time) are ignored, and so
   * are cells of positions the type does not have.
   */
  static ByteBuffer assemble(UserType type, List<Cell> cells, long minTimestampExclusive) {
    List<ByteBuffer> fields = new ArrayList<>(type.fieldTypes().size());
    for (int i = 0; i < type.fieldTypes().size(); i++) {
      fields.add(null);
    }
    boolean any = false;
    for (Cell c : cells) {
      int position = position(c.path());
      if (position < 0 || position >= fields.size() || c.timestampMicros() <= minTimestampExclusive) {
        continue;
      }
      fields.set(position, ByteBuffer.wrap(c.value()));
      any = true;
    }
    return any ? type.serializeFields(fields) : null;
  }

  /** The live cell of field {@code position} among the column's cells, or null. */
  static Cell fieldCellOf(List<Cell> cells, int position, long minTimestampExclusive) {
    for (Cell c : cells) {
      if (position(c.path()) == position && c.timestampMicros() > minTimestampExclusive) {
        return c;
      }
    }
    return null;
  }

  /** INVALID unless {@code field} names a field of the column's type; its position otherwise. */
  static int fieldPosition(UserType type, String column, String field) {
    int position = type.fieldPosition(field);
    if (position < 0) {
      throw MeridianException.invalid("UDT column " + column + " does not have a field named " + field);
    }
    return position;
  }
}
