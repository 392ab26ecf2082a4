package io.meridian.storage;

import java.util.List;
import java.util.Map;

/**
 * Changes to one row, identified by its byte-comparable clustering key (empty for a table without
 * clustering columns, and for the static row, see {@link #STATIC_CLUSTERING}).
 *
 * @param rowDeletion if not live, deletes the whole row as of that time (applied before cells)
 * @param primaryKeyLivenessMicros when >= 0, INSERT semantics: the row exists even if all regular
 *     columns are null (Cassandra's primary key liveness); -1 for UPDATE
 * @param livenessTtlSeconds TTL of that liveness marker (0 = none)
 * @param columnDeletions per-column ("complex") deletions, keyed by column name: each shadows every
 *     cell of that column (any path, including the empty one) with {@code timestamp <=
 *     markedForDeleteAt}. Used for whole-collection overwrites and deletions of multi-cell columns.
 *     Applied before the cells of this update, like {@code rowDeletion}.
 */
public record RowUpdate(
    byte[] clustering,
    DeletionTime rowDeletion,
    long primaryKeyLivenessMicros,
    int livenessTtlSeconds,
    int livenessLocalDeletionTime,
    List<Cell> cells,
    Map<String, DeletionTime> columnDeletions) {

  /** The static row sorts before every clustering key: it is stored under this special key. */
  public static final byte[] STATIC_CLUSTERING = new byte[0];

  /** An update without column deletions. */
  public RowUpdate(byte[] clustering, DeletionTime rowDeletion, long primaryKeyLivenessMicros,
                   int livenessTtlSeconds, int livenessLocalDeletionTime, List<Cell> cells) {
    this(clustering, rowDeletion, primaryKeyLivenessMicros, livenessTtlSeconds, livenessLocalDeletionTime, cells, Map.of());
  }
}
