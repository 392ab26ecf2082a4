package io.meridian.storage.rocks;

import io.meridian.storage.Cell;
import io.meridian.storage.IndexTerms;
import io.meridian.storage.TableIndexing;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code index} column family in step with the rows. Every method that writes runs on
 * the committer thread and adds to the caller's batch, so an entry lands in the same atomic write
 * as the row change it describes. Entries are kept for every cell holding a value, including TTL
 * cells past their expiry until a purge drops them: a reader checks each row it finds, so a stale
 * entry costs a lookup, never a wrong answer; a missing one would lose a row, so none may be.
 */
final class RowIndexes {
  private static final Logger log = LoggerFactory.getLogger(RowIndexes.class);
  /** Rows read per build step between commit groups: bounds the write latency a build adds. */
  static final int BUILD_ROWS_PER_STEP = 1_000;

  private final RocksDB db;
  private final ColumnFamilyHandle metaCf;
  private final ColumnFamilyHandle dataCf;
  private final ColumnFamilyHandle indexCf;
  /** How each table's cells become terms, as last set by the schema layer; none after a restart until set. */
  private final Map<UUID, TableIndexing> indexings = new ConcurrentHashMap<>();
  /** The persisted catalog, mirrored; replaced whole, so readers on other threads see one state. */
  private final Map<UUID, IndexCatalog.State> states = new ConcurrentHashMap<>();
  private final Map<UUID, Build> builds = new ConcurrentHashMap<>();
  private final ArrayDeque<UUID> buildQueue = new ArrayDeque<>();

  /** A pass over one table's rows writing the entries of the columns being built. */
  static final class Build {
    final UUID tableId;
    final Set<String> columns;
    byte[] cursor;
    volatile long rowsScanned;

    Build(UUID tableId, Set<String> columns) {
      this.tableId = tableId;
      this.columns = Set.copyOf(columns);
      this.cursor = KeyCodec.tablePrefix(tableId);
    }
  }

  /** What a build has done so far, for operators. */
  record BuildProgress(Set<String> columns, long rowsScanned) {}

  RowIndexes(RocksDB db, ColumnFamilyHandle metaCf, ColumnFamilyHandle dataCf, ColumnFamilyHandle indexCf) {
    this.db = db;
    this.metaCf = metaCf;
    this.dataCf = dataCf;
    this.indexCf = indexCf;
  }

  ColumnFamilyHandle columnFamily() {
    return indexCf;
  }

  void load() throws RocksDBException {
    try (RocksIterator it = db.newIterator(metaCf)) {
      for (it.seek(IndexCatalog.KEY_PREFIX); it.isValid() && KeyCodec.startsWith(it.key(), IndexCatalog.KEY_PREFIX); it.next()) {
        states.put(IndexCatalog.tableId(it.key()), IndexCatalog.decode(it.key(), it.value()));
      }
      it.status();
    }
  }

  /** The columns whose entries are complete; only these may answer queries. */
  Set<String> ready(UUID tableId) {
    IndexCatalog.State s = states.get(tableId);
    return s == null || !indexings.containsKey(tableId) ? Set.of() : s.ready();
  }

  Map<UUID, BuildProgress> progress() {
    Map<UUID, BuildProgress> out = new java.util.HashMap<>();
    builds.forEach((id, b) -> out.put(id, new BuildProgress(b.columns, b.rowsScanned)));
    return out;
  }

  // ---------------------------------------------------------------- committer thread only

  /**
   * Takes the table's new indexing: drops the entries of columns no longer indexed (or indexed
   * differently) and queues a build of every indexed column that is not complete.
   */
  void setIndexing(WriteBatch batch, UUID tableId, TableIndexing indexing) throws RocksDBException {
    IndexCatalog.State old = states.getOrDefault(tableId, IndexCatalog.State.EMPTY);
    Map<String, String> columns = indexing.columns();
    Set<String> ready = new TreeSet<>();
    for (var e : old.columns().entrySet()) {
      String column = e.getKey();
      if (e.getValue().equals(columns.get(column))) {
        if (old.ready().contains(column)) {
          ready.add(column);
        }
      } else {
        deleteColumn(batch, tableId, column);
      }
    }
    IndexCatalog.State next = new IndexCatalog.State(columns, ready);
    Set<String> toBuild = new TreeSet<>(columns.keySet());
    toBuild.removeAll(ready);
    Build running = builds.get(tableId);
    if (running != null && !running.columns.equals(toBuild)) {
      builds.remove(tableId); // restarted below with the new set of columns
      buildQueue.remove(tableId);
    }
    if (!toBuild.isEmpty() && !builds.containsKey(tableId)) {
      builds.put(tableId, new Build(tableId, toBuild));
      buildQueue.add(tableId);
      log.info("building the index entries of table {} for columns {}", tableId, toBuild);
    }
    persist(batch, tableId, next);
    indexings.put(tableId, indexing);
  }

  private void deleteColumn(WriteBatch batch, UUID tableId, String column) throws RocksDBException {
    byte[] from = IndexKeys.termPrefix(KeyCodec.tablePrefix(tableId), IndexTerms.columnPrefix(column));
    batch.deleteRange(indexCf, from, KeyCodec.prefixSuccessor(from));
  }

  private void persist(WriteBatch batch, UUID tableId, IndexCatalog.State state) throws RocksDBException {
    batch.put(metaCf, IndexCatalog.key(tableId), IndexCatalog.encode(state));
    states.put(tableId, state);
  }

  /**
   * Updates the entries of the row stored under {@code rowKey}: {@code before} is what is stored
   * now (null for nothing), {@code after} what the batch writes (null or empty for a deletion).
   */
  void rowChanged(WriteBatch batch, byte[] rowKey, RowState before, RowState after) throws RocksDBException {
    UUID tableId = KeyCodec.tableId(rowKey);
    TableIndexing indexing = indexings.get(tableId);
    if (indexing == null) {
      // The table has entries but nobody said how to make them (a write replayed before the
      // schema was loaded): they are no longer complete, and are built again once it is.
      IndexCatalog.State s = states.get(tableId);
      if (s != null && !s.ready().isEmpty()) {
        persist(batch, tableId, s.withNoneReady());
      }
      return;
    }
    Set<ByteBuffer> old;
    Set<ByteBuffer> now;
    try {
      old = terms(indexing, before, c -> true);
      now = terms(indexing, after, c -> true);
    } catch (RuntimeException e) {
      // A cell the indexing cannot turn into terms must not stop the write: the table's entries
      // are no longer complete, so queries stop using them until the indexing is set again.
      log.error("cannot index a row of table {}; its indexes are out of use until rebuilt", tableId, e);
      indexings.remove(tableId);
      persist(batch, tableId, states.getOrDefault(tableId, IndexCatalog.State.EMPTY).withNoneReady());
      return;
    }
    for (ByteBuffer t : old) {
      if (!now.contains(t)) {
        batch.delete(indexCf, IndexKeys.entry(rowKey, t.array()));
      }
    }
    for (ByteBuffer t : now) {
      if (!old.contains(t)) {
        batch.put(indexCf, IndexKeys.entry(rowKey, t.array()), IndexKeys.EMPTY_VALUE);
      }
    }
  }

  private static Set<ByteBuffer> terms(TableIndexing indexing, RowState row, Predicate<String> columns) {
    if (row == null || row.cells.isEmpty()) {
      return Set.of();
    }
    Set<ByteBuffer> out = new HashSet<>();
    for (Cell cell : row.cells.values()) {
      if (cell.value() != null && columns.test(cell.column())) {
        indexing.terms(cell, t -> out.add(ByteBuffer.wrap(t)));
      }
    }
    return out;
  }

  /** The table's entries go with its rows (truncate) or with the table (drop, also forgetting its catalog). */
  void deleteTable(WriteBatch batch, UUID tableId, boolean dropped) throws RocksDBException {
    byte[] from = KeyCodec.tablePrefix(tableId);
    byte[] to = KeyCodec.prefixSuccessor(from);
    if (to == null) {
      to = new byte[KeyCodec.TABLE_ID_BYTES + 1];
      java.util.Arrays.fill(to, (byte) 0xFF);
      batch.delete(indexCf, to);
    }
    batch.deleteRange(indexCf, from, to);
    if (dropped) {
      batch.delete(metaCf, IndexCatalog.key(tableId));
      states.remove(tableId);
      indexings.remove(tableId);
      builds.remove(tableId);
      buildQueue.remove(tableId);
    }
  }

  /**
   * Adds ({@code add}) or removes the entries of every row stored in [lower, upper) of the data
   * column family: around a replace of a token range, whose rows arrive as files, not writes.
   */
  void indexStoredRange(byte[] lower, byte[] upper, boolean add, WriteOptions sync) throws RocksDBException {
    UUID tableId = KeyCodec.tableId(lower);
    TableIndexing indexing = indexings.get(tableId);
    try (WriteBatch batch = new WriteBatch()) {
      if (indexing == null) {
        IndexCatalog.State s = states.get(tableId);
        if (s != null && !s.ready().isEmpty()) {
          persist(batch, tableId, s.withNoneReady());
        }
      } else {
        try (Slice lo = new Slice(lower);
             Slice hi = upper == null ? null : new Slice(upper);
             ReadOptions ro = hi == null ? new ReadOptions().setIterateLowerBound(lo)
                 : new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
             RocksIterator it = db.newIterator(dataCf, ro)) {
          for (it.seekToFirst(); it.isValid() && (upper != null || KeyCodec.startsWith(it.key(), KeyCodec.tablePrefix(tableId))); it.next()) {
            byte[] key = it.key();
            RowState row = ValueCodec.decodeRow(key, it.value());
            if (add) {
              rowChanged(batch, key, null, row);
            } else {
              rowChanged(batch, key, row, null);
            }
          }
          it.status();
        }
      }
      db.write(sync, batch);
    }
  }

  /** Drops the oldest build; its columns stay incomplete (not ready) until the indexing is set again. */
  void abandonBuild() {
    UUID tableId = buildQueue.poll();
    if (tableId != null) {
      builds.remove(tableId);
    }
  }

  boolean building() {
    return !buildQueue.isEmpty();
  }

  /**
   * Indexes the next rows of the oldest build; completes it when its table has no more rows. The
   * caller writes the batch, then runs the returned step (null when there is none): it makes the
   * built columns ready, which must not happen before their last entries are in the store, or a
   * query could read through the index in between and miss those rows.
   */
  Runnable buildStep(WriteBatch batch, Predicate<UUID> tableExists) throws RocksDBException {
    UUID tableId = buildQueue.peek();
    Build b = tableId == null ? null : builds.get(tableId);
    if (b == null || !tableExists.test(tableId)) {
      buildQueue.poll();
      if (tableId != null) {
        builds.remove(tableId);
      }
      return null;
    }
    TableIndexing indexing = indexings.get(tableId);
    byte[] tablePrefix = KeyCodec.tablePrefix(tableId);
    boolean done = false;
    try (RocksIterator it = db.newIterator(dataCf)) {
      it.seek(b.cursor);
      int budget = BUILD_ROWS_PER_STEP;
      for (; it.isValid() && budget > 0 && KeyCodec.startsWith(it.key(), tablePrefix); it.next(), budget--) {
        byte[] key = it.key();
        RowState row = ValueCodec.decodeRow(key, it.value());
        for (ByteBuffer t : terms(indexing, row, b.columns::contains)) {
          batch.put(indexCf, IndexKeys.entry(key, t.array()), IndexKeys.EMPTY_VALUE);
        }
        b.cursor = java.util.Arrays.copyOf(key, key.length + 1);
        b.rowsScanned++;
      }
      it.status();
      done = !it.isValid() || !KeyCodec.startsWith(it.key(), tablePrefix);
    }
    if (!done) {
      return null;
    }
    buildQueue.poll();
    builds.remove(tableId);
    IndexCatalog.State built = states.getOrDefault(tableId, IndexCatalog.State.EMPTY).withReady(b.columns);
    batch.put(metaCf, IndexCatalog.key(tableId), IndexCatalog.encode(built));
    return () -> {
      states.put(tableId, built);
      log.info("index entries of table {} built for columns {} ({} rows read)", tableId, b.columns, b.rowsScanned);
    };
  }
}
