package io.meridian.storage.rocks;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StoredRow;
import io.meridian.storage.TokenRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory reference for the storage semantics, written independently of the engine: it
 * keeps every write ever applied (no merging, no eager shadowing) and resolves on read.
 */
final class ReferenceModel {
  static final Comparator<PartitionKey> PARTITION_ORDER =
      Comparator.comparingLong(PartitionKey::token).thenComparing(PartitionKey::serialized, Arrays::compareUnsigned);

  /** Version order of one cell: the last one in this order is the winner. */
  static final Comparator<Cell> VERSION_ORDER = Comparator.comparingLong(Cell::timestampMicros)
      .thenComparing(c -> c.value() == null ? 1 : 0)
      .thenComparing((a, b) -> a.value() == null || b.value() == null ? 0 : Arrays.compareUnsigned(a.value(), b.value()))
      .thenComparingInt(Cell::localDeletionTime);

  private static final class Facts {
    final List<DeletionTime> partitionDeletions = new ArrayList<>();
    final List<RangeTombstone> rangeTombstones = new ArrayList<>();
    final TreeMap<byte[], List<RowUpdate>> rows = new TreeMap<>(Arrays::compareUnsigned);
  }

  private final TreeMap<PartitionKey, Facts> partitions = new TreeMap<>(PARTITION_ORDER);

  void apply(Mutation m) {
    Facts f = partitions.computeIfAbsent(m.key(), k -> new Facts());
    f.partitionDeletions.add(m.partitionDeletion());
    f.rangeTombstones.addAll(m.rangeTombstones());
    for (RowUpdate u : m.rows()) {
      f.rows.computeIfAbsent(u.clustering(), c -> new ArrayList<>()).add(u);
    }
  }

  Optional<PartitionData> read(PartitionKey key, ReadRange range, int now) {
    Facts f = partitions.get(key);
    if (f == null) {
      return Optional.empty();
    }
    StoredRow staticRow = null;
    if (range.includeStatic() && f.rows.containsKey(new byte[0])) {
      staticRow = resolve(f, new byte[0], now);
    }
    List<StoredRow> rows = new ArrayList<>();
    List<byte[]> clusterings = new ArrayList<>(f.rows.keySet());
    if (range.reversed()) {
      java.util.Collections.reverse(clusterings);
    }
    for (byte[] c : clusterings) {
      if (rows.size() >= range.limitRows()) {
        break;
      }
      boolean inRange = c.length > 0 && Arrays.compareUnsigned(range.start(), c) <= 0
          && (range.end() == null || Arrays.compareUnsigned(c, range.end()) < 0);
      if (inRange) {
        StoredRow r = resolve(f, c, now);
        if (r != null) {
          rows.add(r);
        }
      }
    }
    if (staticRow == null && rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PartitionData(key, staticRow, rows));
  }

  List<PartitionData> scan(TokenRange tokens, PartitionKey after, ReadRange range, int now) {
    List<PartitionData> out = new ArrayList<>();
    for (PartitionKey k : partitions.keySet()) {
      if (!tokens.contains(k.token()) || (after != null && PARTITION_ORDER.compare(k, after) <= 0)) {
        continue;
      }
      read(k, range, now).ifPresent(out::add);
    }
    return out;
  }

  private static StoredRow resolve(Facts f, byte[] clustering, int now) {
    boolean isStatic = clustering.length == 0;
    long deletedAt = Long.MIN_VALUE;
    for (DeletionTime d : f.partitionDeletions) {
      deletedAt = Math.max(deletedAt, d.markedForDeleteAtMicros());
    }
    if (!isStatic) {
      for (RangeTombstone rt : f.rangeTombstones) {
        boolean covered = Arrays.compareUnsigned(rt.start(), clustering) <= 0
            && (rt.end() == null || Arrays.compareUnsigned(clustering, rt.end()) < 0);
        if (covered) {
          deletedAt = Math.max(deletedAt, rt.deletion().markedForDeleteAtMicros());
        }
      }
    }
    List<RowUpdate> updates = f.rows.get(clustering);
    for (RowUpdate u : updates) {
      deletedAt = Math.max(deletedAt, u.rowDeletion().markedForDeleteAtMicros());
    }
    RowUpdate liveness = null;
    for (RowUpdate u : updates) {
      if (u.primaryKeyLivenessMicros() < 0) {
        continue;
      }
      if (liveness == null || u.primaryKeyLivenessMicros() > liveness.primaryKeyLivenessMicros()
          || (u.primaryKeyLivenessMicros() == liveness.primaryKeyLivenessMicros()
              && u.livenessLocalDeletionTime() > liveness.livenessLocalDeletionTime())) {
        liveness = u;
      }
    }
    boolean livenessLive = liveness != null && liveness.primaryKeyLivenessMicros() > deletedAt
        && (liveness.livenessTtlSeconds() == 0 || liveness.livenessLocalDeletionTime() > now);
    TreeMap<String, Long> columnDeletedAt = new TreeMap<>();
    for (RowUpdate u : updates) {
      u.columnDeletions().forEach((column, d) -> columnDeletedAt.merge(column, d.markedForDeleteAtMicros(), Math::max));
    }
    TreeMap<CellName, Cell> winners = new TreeMap<>();
    for (RowUpdate u : updates) {
      for (Cell c : u.cells()) {
        winners.merge(CellName.of(c), c, (a, b) -> VERSION_ORDER.compare(a, b) >= 0 ? a : b);
      }
    }
    List<Cell> cells = new ArrayList<>();
    for (Cell c : winners.values()) {
      if (c.timestampMicros() > deletedAt && c.timestampMicros() > columnDeletedAt.getOrDefault(c.column(), Long.MIN_VALUE)
          && c.isLive(now)) {
        cells.add(c);
      }
    }
    if (!livenessLive && cells.isEmpty()) {
      return null;
    }
    return livenessLive
        ? new StoredRow(clustering, liveness.primaryKeyLivenessMicros(), liveness.livenessTtlSeconds(),
            liveness.livenessLocalDeletionTime(), cells)
        : new StoredRow(clustering, -1, 0, Cell.NO_DELETION_TIME, cells);
  }

  /** A value-based rendering for comparing engine and model results. */
  static String render(Optional<PartitionData> p) {
    return p.map(ReferenceModel::render).orElse("<none>");
  }

  static String render(PartitionData p) {
    StringBuilder sb = new StringBuilder();
    sb.append("partition ").append(p.key().token()).append('/').append(hex(p.key().serialized()));
    sb.append("\n  static: ").append(p.staticRow() == null ? "-" : render(p.staticRow()));
    for (StoredRow r : p.rows()) {
      sb.append("\n  row ").append(render(r));
    }
    return sb.toString();
  }

  static String render(StoredRow r) {
    StringBuilder sb = new StringBuilder();
    sb.append(hex(r.clustering())).append(" liveness=").append(r.livenessMicros()).append('/')
        .append(r.livenessTtlSeconds()).append('/').append(r.livenessLocalDeletionTime());
    for (Cell c : r.cells()) {
      sb.append(" [").append(c.column()).append(':').append(hex(c.path())).append('=')
          .append(c.value() == null ? "null" : hex(c.value())).append('@').append(c.timestampMicros())
          .append(" ttl=").append(c.ttlSeconds()).append(" ldt=").append(c.localDeletionTime()).append(']');
    }
    return sb.toString();
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Distinct clusterings ever written, for debugging output. */
  TreeSet<String> debugKeys() {
    TreeSet<String> out = new TreeSet<>();
    partitions.forEach((k, f) -> f.rows.keySet().forEach(c -> out.add(k.token() + "/" + hex(k.serialized()) + "/" + hex(c))));
    return out;
  }
}
