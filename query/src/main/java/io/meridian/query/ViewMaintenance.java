package io.meridian.query;

import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RowChange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StoredRow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps materialized views in sync with their base table. A write to a base table with views runs
 * as a read-decide-write step on the base partition ({@link ConditionalWrite#derive}): storage
 * hands over how each touched base row changes, and this class turns that into view mutations,
 * which land in the same batch as the base write.
 *
 * <p>Per view and changed base row: the row has a view row when it exists, every view primary key
 * column is non-null and the WHERE restrictions hold. When the view key changes or the view row
 * goes away, the old view row is deleted at the largest timestamp in the base row before the
 * change (which shadows everything copied from it, and nothing newer). The new view row gets the
 * base row's selected cells with their own timestamps and TTLs, tombstones for selected cells that
 * went away, and the base row's liveness; when the view key holds a regular base column, the
 * view row lives as long as that column's cell (its timestamp and TTL), as in Cassandra.
 *
 * <p>A view row that comes back under a key it had before (v: 1 → 2 → 1) must not be shadowed by
 * the deletion written when it left; Cassandra uses shadowable tombstones for this. Meridian writes
 * the re-created row's liveness and cells at no less than the base row's newest timestamp instead,
 * so they always outlive the earlier deletion (only their WRITETIME in the view can differ).
 */
final class ViewMaintenance {
  private ViewMaintenance() {}

  /** A view ready for maintenance: its metadata, parsed WHERE clause and the base regular column in its key. */
  record View(TableMetadata table, ViewRestrictions restrictions, ColumnMetadata regularKeyColumn) {}

  private record Prepared(TableMetadata base, TableMetadata view, View prepared) {}

  private static final Map<java.util.UUID, Prepared> CACHE = new ConcurrentHashMap<>();

  /** The views of {@code base}, prepared (cached per view and schema version of both tables). */
  static List<View> prepare(TableMetadata base, List<TableMetadata> views) {
    List<View> out = new ArrayList<>(views.size());
    for (TableMetadata v : views) {
      Prepared p = CACHE.get(v.id());
      if (p == null || !p.base.equals(base) || !p.view.equals(v)) {
        ColumnMetadata regular = null;
        for (ColumnMetadata c : v.primaryKey()) {
          ColumnMetadata b = base.column(c.name()).orElseThrow();
          if (!b.isPrimaryKey()) {
            regular = b;
          }
        }
        p = new Prepared(base, v, new View(v, ViewRestrictions.parse(base, v.view().whereClause()), regular));
        CACHE.put(v.id(), p);
      }
      out.add(p.prepared);
    }
    return out;
  }

  /** A step that applies {@code mutations} (all on one base partition) and derives the view writes. */
  static ConditionalWrite<Void> write(TableMetadata base, List<View> views, List<Mutation> mutations, int nowSeconds) {
    return withViews(current -> new ConditionalWrite.Decision<>(mutations, null), base, views, nowSeconds);
  }

  /** {@code decide} plus derivation of the view writes. */
  static <T> ConditionalWrite<T> withViews(Function<Optional<PartitionData>, ConditionalWrite.Decision<T>> decide,
                                           TableMetadata base, List<View> views, int nowSeconds) {
    return new ConditionalWrite<>() {
      @Override
      public Decision<T> decide(Optional<PartitionData> current) {
        return decide.apply(current);
      }

      @Override
      public boolean derives() {
        return true;
      }

      @Override
      public List<Mutation> derive(List<RowChange> changes) {
        return mutations(base, views, changes, nowSeconds);
      }
    };
  }

  /** The view mutations for a set of base row changes. */
  static List<Mutation> mutations(TableMetadata base, List<View> views, List<RowChange> changes, int nowSeconds) {
    List<Mutation> out = new ArrayList<>();
    for (RowChange change : changes) {
      if (change.clustering().length == 0 && !base.clusteringColumns().isEmpty()) {
        continue; // the static row: views hold no static columns
      }
      List<ByteBuffer> pk = KeyEncoder.splitPartitionKey(base, change.key().serialized());
      PartitionData partition = new PartitionData(change.key(), null, List.of());
      RowView before = change.before() == null ? null : new RowView(base, partition, pk, change.before(), nowSeconds);
      RowView after = change.after() == null ? null : new RowView(base, partition, pk, change.after(), nowSeconds);
      for (View view : views) {
        derive(view, change, before, after, nowSeconds, out);
      }
    }
    return out;
  }

  /** Where a base row sits in a view. */
  private record ViewKey(PartitionKey partition, byte[] clustering) {
    boolean same(ViewKey o) {
      return o != null && partition.equals(o.partition) && Arrays.equals(clustering, o.clustering);
    }
  }

  private static ViewKey keyOf(View view, RowView row) {
    if (row == null || !row.hasLiveContent() || !view.restrictions.accepts(row)) {
      return null;
    }
    TableMetadata v = view.table;
    List<ByteBuffer> partition = new ArrayList<>();
    for (ColumnMetadata c : v.partitionKey()) {
      ByteBuffer value = row.value(baseColumn(row, c));
      if (value == null) {
        return null;
      }
      partition.add(value);
    }
    List<ByteBuffer> clustering = new ArrayList<>();
    for (ColumnMetadata c : v.clusteringColumns()) {
      ByteBuffer value = row.value(baseColumn(row, c));
      if (value == null) {
        return null;
      }
      clustering.add(value);
    }
    return new ViewKey(KeyEncoder.partitionKey(v, partition), KeyEncoder.clustering(v, clustering));
  }

  private static ColumnMetadata baseColumn(RowView row, ColumnMetadata viewColumn) {
    return row.table().column(viewColumn.name()).orElseThrow();
  }

  private static void derive(View view, RowChange change, RowView before, RowView after, int now, List<Mutation> out) {
    ViewKey oldKey = keyOf(view, before);
    ViewKey newKey = keyOf(view, after);
    TableMetadata v = view.table;
    if (oldKey != null && !oldKey.same(newKey)) {
      RowUpdate delete = new RowUpdate(oldKey.clustering, new DeletionTime(maxTimestamp(change.before()), now), -1, 0,
          Cell.NO_DELETION_TIME, List.of());
      out.add(new Mutation(v.id(), oldKey.partition, DeletionTime.LIVE, List.of(), List.of(delete)));
    }
    if (newKey == null) {
      return;
    }
    StoredRow row = change.after();
    boolean moved = !newKey.same(oldKey);
    // A row re-created under a key it may have had before must outlive that key's old deletion.
    long floor = moved && view.regularKeyColumn != null ? maxTimestamp(row) : Long.MIN_VALUE;
    List<Cell> cells = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Cell c : row.cells()) {
      if (selectedRegular(v, c.column())) {
        cells.add(c.timestampMicros() >= floor ? c
            : new Cell(c.column(), c.path(), c.value(), floor, c.ttlSeconds(), c.localDeletionTime()));
        present.add(c.column() + "\u0000" + Arrays.toString(c.path()));
      }
    }
    if (!moved && change.before() != null) {
      long tombstoneFloor = view.regularKeyColumn != null ? maxTimestamp(change.before()) : Long.MIN_VALUE;
      for (Cell c : change.before().cells()) {
        if (selectedRegular(v, c.column()) && !present.contains(c.column() + "\u0000" + Arrays.toString(c.path()))) {
          cells.add(new Cell(c.column(), c.path(), null, Math.max(c.timestampMicros(), tombstoneFloor), 0, now));
        }
      }
    }
    long livenessTs;
    int ttl;
    int ldt;
    Cell keyCell = view.regularKeyColumn == null ? null : cell(row, view.regularKeyColumn.name());
    if (keyCell != null) {
      livenessTs = keyCell.timestampMicros();
      ttl = keyCell.ttlSeconds();
      ldt = keyCell.localDeletionTime();
    } else if (row.livenessMicros() >= 0) {
      livenessTs = row.livenessMicros();
      ttl = row.livenessTtlSeconds();
      ldt = row.livenessLocalDeletionTime();
    } else if (cells.stream().anyMatch(c -> !c.isTombstone())) {
      livenessTs = -1; // the copied cells carry the view row, as they carry the base row
      ttl = 0;
      ldt = Cell.NO_DELETION_TIME;
    } else {
      // Only unselected cells keep the base row alive: a marker that expires with the last of them.
      livenessTs = maxTimestamp(row);
      Cell longest = null;
      for (Cell c : row.cells()) {
        if (longest == null || Integer.compareUnsigned(c.localDeletionTime(), longest.localDeletionTime()) > 0) {
          longest = c;
        }
      }
      ttl = longest == null ? 0 : longest.ttlSeconds();
      ldt = longest == null ? Cell.NO_DELETION_TIME : longest.localDeletionTime();
    }
    if (livenessTs >= 0) {
      livenessTs = Math.max(livenessTs, floor);
    }
    if (keyCell != null && keyCell.ttlSeconds() > 0) {
      // Cassandra's strict liveness: the view row ends when the key column's cell expires, even if
      // other cells would outlive it, so they expire with it.
      cells.replaceAll(c -> c.isTombstone() || (c.ttlSeconds() > 0 && c.localDeletionTime() <= keyCell.localDeletionTime())
          ? c : new Cell(c.column(), c.path(), c.value(), c.timestampMicros(), keyCell.ttlSeconds(), keyCell.localDeletionTime()));
    }
    RowUpdate update = new RowUpdate(newKey.clustering, DeletionTime.LIVE, livenessTs, ttl, ldt, cells);
    out.add(new Mutation(v.id(), newKey.partition, DeletionTime.LIVE, List.of(), List.of(update)));
  }

  private static boolean selectedRegular(TableMetadata view, String column) {
    return view.column(column).map(c -> !c.isPrimaryKey()).orElse(false);
  }

  private static Cell cell(StoredRow row, String column) {
    for (Cell c : row.cells()) {
      if (c.column().equals(column)) {
        return c;
      }
    }
    return null;
  }

  /** The newest timestamp in a row: its liveness or any of its cells. */
  static long maxTimestamp(StoredRow row) {
    long max = row.livenessMicros();
    for (Cell c : row.cells()) {
      max = Math.max(max, c.timestampMicros());
    }
    return max;
  }
}
