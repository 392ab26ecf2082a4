package io.meridian.query;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlType;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a non-frozen (multi-cell) collection is laid out in cells, one cell per element:
 *
 * <ul>
 *   <li>set: path = element bytes, value empty;
 *   <li>map: path = key bytes, value = value bytes;
 *   <li>list: path = an 8-byte ordering key (see {@link #listPaths}), value = element bytes.
 * </ul>
 *
 * <p>Storage keeps one last-write-wins cell per (column, path). A whole-collection deletion
 * (DELETE c, c = null, or the implicit one before c = value) is a storage column deletion
 * ({@link io.meridian.storage.RowUpdate#columnDeletions()}), which shadows every element cell of
 * the column at or before its timestamp; storage drops shadowed elements itself, so reads only
 * see surviving elements.
 *
 * <p>Element paths are never empty (a set or map key of an empty blob is refused, see {@link
 * #path}). Earlier builds wrote <em>deletion markers</em> instead: live cells with the empty path
 * and an empty value whose timestamp shadowed older elements. {@link #assemble} still honours and
 * hides them, so such data reads as before.
 */
final class CollectionCells {
  private static final byte[] EMPTY = new byte[0];
  /** Last list ordering key handed out; keys only grow (append) or, negated, only shrink (prepend). */
  private static long lastListKey = System.currentTimeMillis() * 1000;

  private CollectionCells() {}

  /**
   * The column deletion written before an overwrite at {@code ts}: shadows what was there, not the
   * new elements written at {@code ts}.
   */
  static DeletionTime overwriteDeletion(long timestampMicros, int nowSeconds) {
    return new DeletionTime(timestampMicros - 1, nowSeconds);
  }

  /** The column deletion of DELETE c and c = null: shadows every element written at or before {@code ts}. */
  static DeletionTime deletion(long timestampMicros, int nowSeconds) {
    return new DeletionTime(timestampMicros, nowSeconds);
  }

  /** A deletion marker written by earlier builds (see the class comment); never an element. */
  static boolean isMarker(Cell cell) {
    return cell.path().length == 0;
  }

  /**
   * One cell per element of {@code value} (a serialized collection of {@code type}); list elements
   * get fresh ordering keys after (or, when {@code prepend}, before) every existing element.
   */
  static List<Cell> elementCells(CqlType type, String column, ByteBuffer value, long ts, int ttl, int nowSeconds, boolean prepend) {
    List<Cell> out = new ArrayList<>();
    if (type instanceof SetType st) {
      for (ByteBuffer e : st.elements(value)) {
        out.add(cell(column, path(e), EMPTY, ts, ttl, nowSeconds));
      }
    } else if (type instanceof MapType mt) {
      for (Map.Entry<ByteBuffer, ByteBuffer> e : mt.entries(value)) {
        out.add(cell(column, path(e.getKey()), bytes(e.getValue()), ts, ttl, nowSeconds));
      }
    } else {
      List<ByteBuffer> elements = ((ListType) type).elements(value);
      byte[][] paths = listPaths(elements.size(), prepend);
      for (int i = 0; i < elements.size(); i++) {
        out.add(cell(column, paths[i], bytes(elements.get(i)), ts, ttl, nowSeconds));
      }
    }
    return out;
  }

  /** Tombstones for the given set elements or map keys. */
  static List<Cell> elementTombstones(String column, List<ByteBuffer> keys, long ts, int nowSeconds) {
    List<Cell> out = new ArrayList<>(keys.size());
    for (ByteBuffer k : keys) {
      out.add(new Cell(column, path(k), null, ts, 0, nowSeconds));
    }
    return out;
  }

  static Cell cell(String column, byte[] path, byte[] value, long ts, int ttl, int nowSeconds) {
    return ttl > 0
        ? new Cell(column, path, value, ts, ttl, nowSeconds + ttl)
        : new Cell(column, path, value, ts, 0, Cell.NO_DELETION_TIME);
  }

  /** A set element or map key as a cell path; never empty, so it cannot be taken for a marker. */
  static byte[] path(ByteBuffer key) {
    if (!key.hasRemaining()) {
      throw io.meridian.common.MeridianException.invalid("Empty values are not supported as set elements or map keys");
    }
    return bytes(key);
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /**
   * {@code n} list ordering keys in list order. Appended keys are larger than every key handed
   * out before; prepended keys smaller (negative, and more negative each time). They are 8-byte
   * big-endian with the sign bit flipped, so the storage's unsigned path order is numeric order.
   * Seeded from the clock in microseconds so keys keep growing across restarts.
   */
  static byte[][] listPaths(int n, boolean prepend) {
    long first;
    synchronized (CollectionCells.class) {
      first = Math.max(lastListKey + 1, System.currentTimeMillis() * 1000);
      lastListKey = first + n - 1;
    }
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      // Prepend block [first, first+n) maps to [-(first+n), -(first+1)]: below every earlier key.
      long key = prepend ? -(first + n) + i : first + i;
      out[i] = ByteBuffer.allocate(8).putLong(key ^ Long.MIN_VALUE).array();
    }
    return out;
  }

  /**
   * The live element (or field) cells of one multi-cell column of {@code row}, in element order:
   * legacy markers hidden and honoured, and cells at or before {@code minTimestampExclusive} (a
   * dropped column's drop time, or Long.MIN_VALUE) left out. Empty for a null row.
   */
  static List<Cell> liveElements(StoredRow row, String column, int nowSeconds, long minTimestampExclusive) {
    if (row == null) {
      return List.of();
    }
    long shadow = minTimestampExclusive;
    for (Cell cell : row.cells()) {
      if (cell.column().equals(column) && isMarker(cell)) {
        shadow = Math.max(shadow, cell.timestampMicros());
      }
    }
    List<Cell> out = new ArrayList<>();
    for (Cell cell : row.cells()) {
      if (cell.column().equals(column) && cell.isLive(nowSeconds) && cell.value() != null && !isMarker(cell)
          && cell.timestampMicros() > shadow) {
        out.add(cell);
      }
    }
    out.sort((a, b) -> Arrays.compareUnsigned(a.path(), b.path()));
    return out;
  }

  /**
   * Reassembles a multi-cell collection from the row's live cells of that column (any order;
   * legacy markers are honoured and hidden), or null if no element is live. {@code minTimestampExclusive} shadows older
   * element cells (a dropped column's drop time, or Long.MIN_VALUE).
   */
  static ByteBuffer assemble(CqlType type, List<Cell> cells, long minTimestampExclusive) {
    long shadow = minTimestampExclusive;
    for (Cell c : cells) {
      if (isMarker(c)) {
        shadow = Math.max(shadow, c.timestampMicros());
      }
    }
    List<Cell> live = new ArrayList<>();
    for (Cell c : cells) {
      if (!isMarker(c) && c.timestampMicros() > shadow) {
        live.add(c);
      }
    }
    if (live.isEmpty()) {
      return null;
    }
    live.sort((a, b) -> Arrays.compareUnsigned(a.path(), b.path()));
    if (type instanceof MapType mt) {
      List<Map.Entry<ByteBuffer, ByteBuffer>> entries = new ArrayList<>(live.size());
      for (Cell c : live) {
        entries.add(new AbstractMap.SimpleImmutableEntry<>(ByteBuffer.wrap(c.path()), ByteBuffer.wrap(c.value())));
      }
      return mt.serializeEntries(entries);
    }
    List<ByteBuffer> elements = new ArrayList<>(live.size());
    for (Cell c : live) {
      elements.add(ByteBuffer.wrap(type instanceof SetType ? c.path() : c.value()));
    }
    return type instanceof SetType st ? st.serializeElements(elements) : ((ListType) type).serializeElements(elements);
  }
}
