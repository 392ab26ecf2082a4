package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Assignment;
import io.meridian.schema.ColumnMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;

/**
 * Counter updates ({@code c = c + n}, {@code c = c - n}). A counter is stored as an ordinary
 * 8-byte cell holding its total; an update reads the total and writes the new one inside a
 * read-decide-write step on the tablet, so concurrent increments never lose each other. Unlike
 * Cassandra's shard-based counters, a replayed increment is applied again only if the client
 * retries it, which is the same guarantee Cassandra gives (counter updates are not idempotent).
 */
final class CounterOperations {
  private CounterOperations() {}

  /** Refuses assignments a counter does not support, before anything is read. */
  static void check(ColumnMetadata c, Assignment a) {
    if (a instanceof Assignment.SetValue) {
      throw MeridianException.invalid("Cannot set the value of counter column " + c.name()
          + " (counters can only be incremented/decremented, not set)");
    }
    if (!(a instanceof Assignment.Add) && !(a instanceof Assignment.Subtract)) {
      throw MeridianException.invalid("Invalid operation for counter column " + c.name()
          + " (counters can only be incremented/decremented)");
    }
  }

  /**
   * The cell holding the new total, or null when the increment is unset. Its timestamp is above
   * the current cell's, so the new total always wins over the one it was computed from.
   */
  static Cell apply(Terms terms, ColumnMetadata c, Assignment a, StoredRow row, long ts, int nowSeconds) {
    ByteBuffer v = terms.evaluate(a instanceof Assignment.Add add ? add.value() : ((Assignment.Subtract) a).value(),
        CqlTypes.COUNTER, c.name());
    if (BoundValues.isUnset(v)) {
      return null;
    }
    if (v == null) {
      throw MeridianException.invalid("Invalid null value for counter increment");
    }
    long delta = v.getLong(v.position());
    long total = 0;
    long timestamp = ts;
    Cell existing = liveCell(row, c.name(), nowSeconds);
    if (existing != null) {
      total = ByteBuffer.wrap(existing.value()).getLong();
      timestamp = Math.max(ts, existing.timestampMicros() + 1);
    }
    // Counters wrap on overflow, as Cassandra's do.
    long next = a instanceof Assignment.Add ? total + delta : total - delta;
    return Cell.live(c.name(), ByteBuffer.allocate(8).putLong(next).array(), timestamp);
  }

  private static Cell liveCell(StoredRow row, String column, int nowSeconds) {
    if (row == null) {
      return null;
    }
    for (Cell cell : row.cells()) {
      if (cell.column().equals(column) && cell.isLive(nowSeconds) && cell.value() != null && cell.value().length == 8) {
        return cell;
      }
    }
    return null;
  }
}
