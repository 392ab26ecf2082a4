package io.meridian.storage.rocks;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StoredRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Last-write-wins reconciliation, shadowing by deletions, TTL expiry and purge rules. Pure
 * functions over {@link RowState} and {@link PartitionHeader}; no I/O.
 */
final class Reconcile {
  private Reconcile() {}

  /**
   * The surviving version of one cell. Higher timestamp wins; on a tie a tombstone beats a live
   * cell, then the greater value (unsigned bytes) wins, then the later local deletion time.
   */
  static Cell winner(Cell a, Cell b) {
    if (a.timestampMicros() != b.timestampMicros()) {
      return a.timestampMicros() > b.timestampMicros() ? a : b;
    }
    if (a.isTombstone() != b.isTombstone()) {
      return a.isTombstone() ? a : b;
    }
    if (!a.isTombstone()) {
      int c = Arrays.compareUnsigned(a.value(), b.value());
      if (c != 0) {
        return c > 0 ? a : b;
      }
    }
    return a.localDeletionTime() >= b.localDeletionTime() ? a : b;
  }

  /** Merges {@code update} into {@code row} (LWW per cell, newest deletions and liveness). */
  static void merge(RowState row, RowUpdate update) {
    row.rowDeletion = row.rowDeletion.supersede(update.rowDeletion());
    for (Map.Entry<String, DeletionTime> e : update.columnDeletions().entrySet()) {
      if (!e.getValue().isLive()) {
        row.columnDeletions.merge(e.getKey(), e.getValue(), Reconcile::newer);
      }
    }
    long l = update.primaryKeyLivenessMicros();
    if (l >= 0 && (l > row.livenessMicros
        || (l == row.livenessMicros && update.livenessLocalDeletionTime() > row.livenessLocalDeletionTime))) {
      row.livenessMicros = l;
      row.livenessTtlSeconds = update.livenessTtlSeconds();
      row.livenessLocalDeletionTime = update.livenessLocalDeletionTime();
    }
    for (Cell c : update.cells()) {
      row.cells.merge(CellName.of(c), c, Reconcile::winner);
    }
  }

  /** The newer of two deletions; on a tie the later local deletion time (deterministic). */
  static DeletionTime newer(DeletionTime a, DeletionTime b) {
    if (a.markedForDeleteAtMicros() != b.markedForDeleteAtMicros()) {
      return a.markedForDeleteAtMicros() > b.markedForDeleteAtMicros() ? a : b;
    }
    return a.localDeletionTime() >= b.localDeletionTime() ? a : b;
  }

  /** Merges a mutation's partition-level deletions into {@code header}. */
  static void merge(PartitionHeader h, DeletionTime partitionDeletion, List<RangeTombstone> rts) {
    h.partitionDeletion = h.partitionDeletion.supersede(partitionDeletion);
    for (RangeTombstone rt : rts) {
      boolean merged = false;
      for (int i = 0; i < h.rangeTombstones.size(); i++) {
        RangeTombstone e = h.rangeTombstones.get(i);
        if (Arrays.equals(e.start(), rt.start()) && Arrays.equals(e.end(), rt.end())) {
          h.rangeTombstones.set(i, new RangeTombstone(e.start(), e.end(), e.deletion().supersede(rt.deletion())));
          merged = true;
          break;
        }
      }
      if (!merged) {
        h.rangeTombstones.add(rt);
      }
    }
    // A range tombstone the partition deletion covers says nothing more.
    h.rangeTombstones.removeIf(rt -> !h.partitionDeletion.isLive()
        && rt.deletion().markedForDeleteAtMicros() <= h.partitionDeletion.markedForDeleteAtMicros());
  }

  /** The newest deletion that applies to a row: partition, covering range tombstones, its own. */
  static DeletionTime deletionFor(PartitionHeader h, byte[] clustering, boolean isStatic, DeletionTime rowDeletion) {
    DeletionTime d = rowDeletion;
    if (h == null) {
      return d;
    }
    d = d.supersede(h.partitionDeletion);
    if (!isStatic) {
      for (RangeTombstone rt : h.rangeTombstones) {
        if (covers(rt, clustering)) {
          d = d.supersede(rt.deletion());
        }
      }
    }
    return d;
  }

  static boolean covers(RangeTombstone rt, byte[] clustering) {
    return Arrays.compareUnsigned(rt.start(), clustering) <= 0
        && (rt.end() == null || Arrays.compareUnsigned(clustering, rt.end()) < 0);
  }

  /**
   * Removes from {@code row} everything {@code deletion} shadows (the deletion itself is kept
   * only if it is the row's own), column deletions it covers, and every cell a column deletion of
   * the row shadows. Returns true if anything changed.
   */
  static boolean dropShadowed(RowState row, DeletionTime deletion) {
    boolean changed = false;
    if (!deletion.isLive()) {
      if (row.hasLiveness() && deletion.deletes(row.livenessMicros)) {
        row.clearLiveness();
        changed = true;
      }
      Iterator<Cell> it = row.cells.values().iterator();
      while (it.hasNext()) {
        if (deletion.deletes(it.next().timestampMicros())) {
          it.remove();
          changed = true;
        }
      }
      changed |= row.columnDeletions.values().removeIf(cd -> deletion.deletes(cd.markedForDeleteAtMicros()));
    }
    if (!row.columnDeletions.isEmpty()) {
      changed |= row.cells.values().removeIf(c -> shadowedByColumn(row, c));
    }
    return changed;
  }

  /** True when a deletion of {@code c}'s column in {@code row} shadows it. */
  static boolean shadowedByColumn(RowState row, Cell c) {
    DeletionTime cd = row.columnDeletions.get(c.column());
    return cd != null && cd.deletes(c.timestampMicros());
  }

  /** True when a deletion or expiry at {@code localDeletionTime} may be forgotten. */
  static boolean purgeable(int localDeletionTime, int nowSeconds, int gcGraceSeconds) {
    return (long) localDeletionTime + gcGraceSeconds < nowSeconds;
  }

  /**
   * Drops tombstones, column deletions, expired cells and expired liveness older than the grace
   * period. Must only be
   * called after {@link #dropShadowed} with every deletion that applies to the row.
   */
  static boolean purge(RowState row, int nowSeconds, int gcGraceSeconds) {
    boolean changed = false;
    if (!row.rowDeletion.isLive() && purgeable(row.rowDeletion.localDeletionTime(), nowSeconds, gcGraceSeconds)) {
      row.rowDeletion = DeletionTime.LIVE;
      changed = true;
    }
    changed |= row.columnDeletions.values().removeIf(
        cd -> purgeable(cd.localDeletionTime(), nowSeconds, gcGraceSeconds));
    if (row.hasLiveness() && row.livenessTtlSeconds > 0
        && purgeable(row.livenessLocalDeletionTime, nowSeconds, gcGraceSeconds)) {
      row.clearLiveness();
      changed = true;
    }
    Iterator<Cell> it = row.cells.values().iterator();
    while (it.hasNext()) {
      Cell c = it.next();
      boolean dead = c.isTombstone() || c.ttlSeconds() > 0;
      if (dead && purgeable(c.localDeletionTime(), nowSeconds, gcGraceSeconds)) {
        it.remove();
        changed = true;
      }
    }
    return changed;
  }

  static boolean purge(PartitionHeader h, int nowSeconds, int gcGraceSeconds) {
    boolean changed = false;
    if (!h.partitionDeletion.isLive()
        && purgeable(h.partitionDeletion.localDeletionTime(), nowSeconds, gcGraceSeconds)) {
      h.partitionDeletion = DeletionTime.LIVE;
      changed = true;
    }
    changed |= h.rangeTombstones.removeIf(
        rt -> purgeable(rt.deletion().localDeletionTime(), nowSeconds, gcGraceSeconds));
    return changed;
  }

  /**
   * The row as a reader sees it at {@code nowSeconds}, or null if nothing of it is live. Column
   * deletions are never returned and alone never make a row live.
   */
  static StoredRow live(byte[] clustering, RowState row, DeletionTime deletion, int nowSeconds) {
    boolean livenessLive = row.hasLiveness()
        && !deletion.deletes(row.livenessMicros)
        && (row.livenessTtlSeconds == 0 || row.livenessLocalDeletionTime > nowSeconds);
    List<Cell> cells = new ArrayList<>(row.cells.size());
    for (Cell c : row.cells.values()) {
      if (c.isLive(nowSeconds) && !deletion.deletes(c.timestampMicros()) && !shadowedByColumn(row, c)) {
        cells.add(c);
      }
    }
    if (!livenessLive && cells.isEmpty()) {
      return null;
    }
    return livenessLive
        ? new StoredRow(clustering, row.livenessMicros, row.livenessTtlSeconds, row.livenessLocalDeletionTime, List.copyOf(cells))
        : new StoredRow(clustering, -1, 0, Cell.NO_DELETION_TIME, List.copyOf(cells));
  }
}
