package io.meridian.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A tablet's rows moved as files, for Raft snapshots: many tablets share one store, so a tablet's
 * snapshot is its key range exported at one consistent point, not a copy of the whole store.
 *
 * <p>The files are the engine's own format (for RocksDB: SST files, one per column family), so an
 * export is a sequential read and an import is a file ingestion, not a replay of writes. Stored
 * values are copied byte for byte: tombstones, TTL cells and deletion times survive unchanged.
 */
public interface TabletSnapshots {
  /**
   * Writes every stored record of {@code tableId} whose token is in {@code range} (start
   * exclusive, end inclusive), read at one point in time, into files in {@code dir} (created if
   * missing; files of an earlier export there are replaced).
   *
   * @return the files written, empty when the range holds nothing; they are synced when this returns
   */
  List<Path> exportRange(UUID tableId, TokenRange range, Path dir);

  /**
   * Makes the range hold exactly what {@link #exportRange} wrote into {@code dir}: every record of
   * the range is removed, then the files are ingested. Records outside the range are untouched.
   * The files are checked (checksums, every key inside the range) before anything is removed.
   * Durable when this returns; ordered with the engine's writes. A failure part way can leave the
   * range partly replaced: the caller must remember that a replace is in progress and repeat it.
   */
  void replaceRange(UUID tableId, TokenRange range, Path dir);

  /**
   * About how many bytes the table's records in {@code range} take in the store (files and
   * memtables, as the store estimates them): what decides when a tablet is large enough to split.
   */
  long approximateBytes(UUID tableId, TokenRange range);
}
