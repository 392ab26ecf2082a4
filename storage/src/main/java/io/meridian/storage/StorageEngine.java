package io.meridian.storage;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The node's store. Thread-safe. Reads see every write whose apply future has completed.
 * {@code nowSeconds} decides TTL expiry for the read.
 */
public interface StorageEngine extends AutoCloseable {
  /** Creates the tablets of a new table (idempotent). */
  void createTable(UUID tableId, int tabletCount);

  /** Removes every row and tablet of the table. */
  void dropTable(UUID tableId);

  /** Removes every row of the table, keeping it. Durable when the future completes. */
  CompletableFuture<Void> truncate(UUID tableId);

  List<Tablet> tablets(UUID tableId);

  /** The tablet owning {@code token}. */
  Tablet tabletFor(UUID tableId, long token);

  /** Routes to the owning tablet and applies. */
  default CompletableFuture<Void> apply(Mutation mutation) {
    return tabletFor(mutation.tableId(), mutation.key().token()).apply(mutation);
  }

  /** Routes to the tablet owning {@code key} and applies conditionally: see {@link Tablet#applyConditionally}. */
  default <T> CompletableFuture<T> applyConditionally(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds,
                                                      ConditionalWrite<T> write) {
    return tabletFor(tableId, key.token()).applyConditionally(key, range, nowSeconds, write);
  }

  /**
   * Applies all the mutations or none of them (one log entry / one storage batch), even across
   * tablets. Durable when the future completes if the store fsyncs every write (its commit policy
   * says), else once a later {@link #sync} returns.
   */
  CompletableFuture<Void> applyAtomically(List<Mutation> mutations);

  /** One partition's slice; empty if the partition has no live data in range. */
  Optional<PartitionData> readPartition(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds);

  /** {@link #readPartition} at a consistency; a single node's reads are always linearizable. */
  default Optional<PartitionData> readPartition(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds,
                                                ReadConsistency consistency) {
    return readPartition(tableId, key, range, nowSeconds);
  }

  /**
   * {@link #readPartition} without holding the calling thread while a replica elsewhere answers. A
   * store that reads only its own disk reads at once, on the calling thread.
   */
  default CompletableFuture<Optional<PartitionData>> readPartitionAsync(UUID tableId, PartitionKey key, ReadRange range,
                                                                        int nowSeconds, ReadConsistency consistency) {
    try {
      return CompletableFuture.completedFuture(readPartition(tableId, key, range, nowSeconds, consistency));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@link #scan} at a consistency; a single node's reads are always linearizable. */
  default PartitionIterator scan(UUID tableId, TokenRange tokens, PartitionKey after, ReadRange perPartition,
                                 int nowSeconds, ReadConsistency consistency) {
    return scan(tableId, tokens, after, perPartition, nowSeconds);
  }

  /**
   * Partitions in token order whose token is in {@code tokens}, starting after {@code after} if
   * not null (resuming a scan), each with rows in {@code perPartition}. Lazily read: the caller
   * stops when it has enough. The iterator must be closed.
   */
  PartitionIterator scan(UUID tableId, TokenRange tokens, PartitionKey after, ReadRange perPartition, int nowSeconds);

  interface PartitionIterator extends Iterator<PartitionData>, AutoCloseable {
    @Override
    void close();
  }

  /**
   * Sets how the table's cells are indexed, durably; returns once writes keep entries that way.
   * Entries of columns no longer indexed (or indexed differently) are dropped; columns whose
   * entries are not complete are built from the stored rows in the background, while reads and
   * writes go on, and become {@link #readyIndexes ready} when done.
   */
  default void setIndexing(UUID tableId, TableIndexing indexing) {}

  /** The indexed columns whose entries are complete, so {@link #indexScan} finds every match. */
  default Set<String> readyIndexes(UUID tableId) {
    return Set.of();
  }

  /** Columns whose entries are being built, each with the number of rows read so far. */
  default Map<String, Long> indexBuildsInProgress(UUID tableId) {
    return Map.of();
  }

  /**
   * Index entries of the table with a term in {@code terms} and a token in {@code tokens}, in
   * (term, token, partition key, clustering) order, starting after {@code after} if not null.
   * Entries may be stale (the row changed since): the caller checks each row it reads. Lazily
   * read; the iterator must be closed.
   */
  default IndexIterator indexScan(UUID tableId, TermRange terms, TokenRange tokens, IndexHit after) {
    throw new UnsupportedOperationException("this store keeps no indexes");
  }

  /** {@link #indexScan} at a consistency; a single node's reads are always linearizable. */
  default IndexIterator indexScan(UUID tableId, TermRange terms, TokenRange tokens, IndexHit after,
                                  ReadConsistency consistency) {
    return indexScan(tableId, terms, tokens, after);
  }

  interface IndexIterator extends Iterator<IndexHit>, AutoCloseable {
    @Override
    void close();
  }

  /** Flushes memtables and waits; used by tests and clean shutdown. */
  void flush();

  /**
   * Returns once every write completed so far is durable. A store whose commit policy already
   * makes each write durable before completing it has nothing to do; one that defers its fsyncs
   * (because another log, such as a tablet's Raft log, holds the writes meanwhile) syncs now, so
   * its owner may then forget that log's copies.
   */
  default void sync() {}

  @Override
  void close();
}
