package io.meridian.storage.rocks;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import java.util.TreeMap;

/**
 * Everything stored for one row: its deletion, its primary-key liveness and one cell per
 * (column, path) — the last-write-wins winner — and the newest deletion of each column that has one. Mutable; owned by one thread at a time.
 */
final class RowState {
  static final long NO_LIVENESS = -1;

  DeletionTime rowDeletion = DeletionTime.LIVE;
  long livenessMicros = NO_LIVENESS;
  int livenessTtlSeconds;
  int livenessLocalDeletionTime = Cell.NO_DELETION_TIME;
  final TreeMap<CellName, Cell> cells = new TreeMap<>();
  /** Per-column deletions: each shadows the cells of its column with timestamp <= it. */
  final TreeMap<String, DeletionTime> columnDeletions = new TreeMap<>();

  boolean hasLiveness() {
    return livenessMicros >= 0;
  }

  boolean isEmpty() {
    return rowDeletion.isLive() && !hasLiveness() && cells.isEmpty() && columnDeletions.isEmpty();
  }

  void clearLiveness() {
    livenessMicros = NO_LIVENESS;
    livenessTtlSeconds = 0;
    livenessLocalDeletionTime = Cell.NO_DELETION_TIME;
  }

  RowState copy() {
    RowState c = new RowState();
    c.rowDeletion = rowDeletion;
    c.livenessMicros = livenessMicros;
    c.livenessTtlSeconds = livenessTtlSeconds;
    c.livenessLocalDeletionTime = livenessLocalDeletionTime;
    c.cells.putAll(cells);
    c.columnDeletions.putAll(columnDeletions);
    return c;
  }
}
