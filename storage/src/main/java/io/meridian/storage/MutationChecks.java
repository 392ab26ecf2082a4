package io.meridian.storage;

import io.meridian.common.MeridianException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The structural checks every mutation must pass before it is applied, in the API so that a
 * replicated tablet can refuse a mutation before it enters the Raft log: an entry the storage
 * engine rejects would stop every replica's state machine.
 */
public final class MutationChecks {
  /** Longest column name a stored row can hold (UTF-8 bytes). */
  public static final int COLUMN_NAME_BYTES_MAX = 0xFFFF;

  private MutationChecks() {}

  /** Throws INVALID when {@code m} is malformed. */
  public static void validate(Mutation m) {
    if (m == null || m.tableId() == null || m.key() == null || m.key().serialized() == null
        || m.partitionDeletion() == null || m.rangeTombstones() == null || m.rows() == null) {
      throw MeridianException.invalid("mutation has a null table id, key, deletion or list");
    }
    if (m.key().token() == Long.MIN_VALUE) {
      throw MeridianException.invalid("token Long.MIN_VALUE is not a valid partition token");
    }
    for (var rt : m.rangeTombstones()) {
      if (rt == null || rt.start() == null || rt.deletion() == null || rt.deletion().isLive()) {
        throw MeridianException.invalid("range tombstone needs a start and a deletion");
      }
      if (rt.end() != null && Arrays.compareUnsigned(rt.start(), rt.end()) >= 0) {
        throw MeridianException.invalid("range tombstone start must sort before its end");
      }
    }
    for (RowUpdate r : m.rows()) {
      if (r == null || r.clustering() == null || r.rowDeletion() == null || r.cells() == null) {
        throw MeridianException.invalid("row update has a null clustering, deletion or cell list");
      }
      if (r.primaryKeyLivenessMicros() < -1 || r.livenessTtlSeconds() < 0) {
        throw MeridianException.invalid("row liveness " + r.primaryKeyLivenessMicros() + " / ttl "
            + r.livenessTtlSeconds() + " out of range");
      }
      for (var c : r.cells()) {
        if (c == null || c.column() == null || c.path() == null) {
          throw MeridianException.invalid("cell has a null column or path");
        }
        if (c.ttlSeconds() < 0 || (c.isTombstone() && c.ttlSeconds() != 0)) {
          throw MeridianException.invalid("cell " + c.column() + " has ttl " + c.ttlSeconds());
        }
        if (c.column().getBytes(StandardCharsets.UTF_8).length > COLUMN_NAME_BYTES_MAX) {
          throw MeridianException.invalid("column name longer than " + COLUMN_NAME_BYTES_MAX + " bytes");
        }
      }
      if (r.columnDeletions() == null) {
        throw MeridianException.invalid("row update has a null column deletion map");
      }
      for (var e : r.columnDeletions().entrySet()) {
        if (e.getKey() == null || e.getValue() == null || e.getValue().isLive()) {
          throw MeridianException.invalid("column deletion needs a column and a deletion");
        }
        if (e.getKey().getBytes(StandardCharsets.UTF_8).length > COLUMN_NAME_BYTES_MAX) {
          throw MeridianException.invalid("column name longer than " + COLUMN_NAME_BYTES_MAX + " bytes");
        }
      }
    }
  }
}
