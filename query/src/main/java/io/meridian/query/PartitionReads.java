package io.meridian.query;

import io.meridian.storage.PartitionData;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StoredRow;
import java.util.Arrays;
import java.util.List;

/** Reads that precede a write: the slice of a partition to read, and finding a row in what was read. */
final class PartitionReads {
  private PartitionReads() {}

  /**
   * The static row and the smallest slice holding every one of {@code clusterings} (full
   * clustering keys); only the static row when there are none.
   */
  static ReadRange covering(List<byte[]> clusterings) {
    byte[] min = null;
    byte[] max = null;
    for (byte[] c : clusterings) {
      if (min == null || Arrays.compareUnsigned(c, min) < 0) {
        min = c;
      }
      if (max == null || Arrays.compareUnsigned(c, max) > 0) {
        max = c;
      }
    }
    if (min == null) {
      return new ReadRange(new byte[0], null, false, 0, true);
    }
    // The smallest key after max is max followed by a zero byte.
    return new ReadRange(min, Arrays.copyOf(max, max.length + 1), false, Integer.MAX_VALUE, true);
  }

  /** The row at {@code clustering} in what was read: the static row for the empty clustering, else null if absent. */
  static StoredRow rowAt(PartitionData p, byte[] clustering) {
    if (clustering.length == 0) {
      return p.staticRow();
    }
    for (StoredRow r : p.rows()) {
      if (Arrays.equals(r.clustering(), clustering)) {
        return r;
      }
    }
    return null;
  }
}
