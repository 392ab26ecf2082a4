package io.meridian.storage;

import io.meridian.common.MeridianException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one storage engine. Every bound is chosen here, up front; {@link #defaults(Path)}
 * gives production values and the {@code with*} methods derive variants (mostly for tests).
 *
 * @param dataDir the RocksDB directory (created if missing)
 * @param commitPolicy when an acknowledged write is durable
 * @param periodicSyncMs WAL fsync interval under {@link CommitPolicy#PERIODIC}
 * @param tabletsPerTable tablets of a table created without an explicit count
 * @param blockCacheBytes size of the shared LRU block cache
 * @param memtableBytes size of each column family's memtable (RocksDB's write buffer) before it is flushed
 * @param gcGraceSeconds how long tombstones and expired cells are kept before purge
 * @param commitQueueCapacity bound of the commit queue; apply fails with OVERLOADED when full
 * @param commitBatchMutationsMax most mutations committed in one RocksDB write batch
 * @param purgeIntervalMs how often a background purge pass starts (0 = only on request)
 * @param purgeBatchEntriesMax most stored entries one purge step examines before yielding to writes
 * @param rangeTombstonesPerPartitionMax bound on range tombstones kept in one partition header
 */
public record StorageConfig(
    Path dataDir,
    CommitPolicy commitPolicy,
    long periodicSyncMs,
    int tabletsPerTable,
    long blockCacheBytes,
    long memtableBytes,
    int gcGraceSeconds,
    int commitQueueCapacity,
    int commitBatchMutationsMax,
    long purgeIntervalMs,
    int purgeBatchEntriesMax,
    int rangeTombstonesPerPartitionMax) {

  public static final long PERIODIC_SYNC_MS_DEFAULT = 10;
  public static final int TABLETS_PER_TABLE_DEFAULT = 8;
  public static final long BLOCK_CACHE_BYTES_DEFAULT = 64L * 1024 * 1024;
  /**
   * Smaller than RocksDB's 64 MiB: an insert into a memtable's skip list walks one node per level,
   * and in a smaller list more of those nodes are in the CPU cache. Measured in benchmarks.md
   * ("Smaller memtables").
   */
  public static final long MEMTABLE_BYTES_DEFAULT = 8L * 1024 * 1024;
  public static final int GC_GRACE_SECONDS_DEFAULT = 864_000;
  public static final int COMMIT_QUEUE_CAPACITY_DEFAULT = 4096;
  public static final int COMMIT_BATCH_MUTATIONS_MAX_DEFAULT = 256;
  public static final long PURGE_INTERVAL_MS_DEFAULT = 10 * 60 * 1000L;
  public static final int PURGE_BATCH_ENTRIES_MAX_DEFAULT = 1000;
  public static final int RANGE_TOMBSTONES_PER_PARTITION_MAX_DEFAULT = 10_000;

  public StorageConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(commitPolicy, "commitPolicy");
    require(periodicSyncMs > 0, "periodicSyncMs must be > 0, got " + periodicSyncMs);
    require(tabletsPerTable >= 1 && tabletsPerTable <= 65_536,
        "tabletsPerTable must be in [1, 65536], got " + tabletsPerTable);
    require(blockCacheBytes >= 1024 * 1024, "blockCacheBytes must be >= 1 MiB, got " + blockCacheBytes);
    require(memtableBytes >= 1024 * 1024, "memtableBytes must be >= 1 MiB, got " + memtableBytes);
    require(gcGraceSeconds >= 0, "gcGraceSeconds must be >= 0, got " + gcGraceSeconds);
    require(commitQueueCapacity >= 1, "commitQueueCapacity must be >= 1, got " + commitQueueCapacity);
    require(commitBatchMutationsMax >= 1,
        "commitBatchMutationsMax must be >= 1, got " + commitBatchMutationsMax);
    require(purgeIntervalMs >= 0, "purgeIntervalMs must be >= 0, got " + purgeIntervalMs);
    require(purgeBatchEntriesMax >= 1, "purgeBatchEntriesMax must be >= 1, got " + purgeBatchEntriesMax);
    require(rangeTombstonesPerPartitionMax >= 1,
        "rangeTombstonesPerPartitionMax must be >= 1, got " + rangeTombstonesPerPartitionMax);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw MeridianException.configError("storage config: " + message);
    }
  }

  public static StorageConfig defaults(Path dataDir) {
    return new StorageConfig(dataDir, CommitPolicy.SYNC, PERIODIC_SYNC_MS_DEFAULT,
        TABLETS_PER_TABLE_DEFAULT, BLOCK_CACHE_BYTES_DEFAULT, MEMTABLE_BYTES_DEFAULT, GC_GRACE_SECONDS_DEFAULT,
        COMMIT_QUEUE_CAPACITY_DEFAULT, COMMIT_BATCH_MUTATIONS_MAX_DEFAULT, PURGE_INTERVAL_MS_DEFAULT,
        PURGE_BATCH_ENTRIES_MAX_DEFAULT, RANGE_TOMBSTONES_PER_PARTITION_MAX_DEFAULT);
  }

  public StorageConfig withCommitPolicy(CommitPolicy policy, long syncMs) {
    return new StorageConfig(dataDir, policy, syncMs, tabletsPerTable, blockCacheBytes,
        memtableBytes, gcGraceSeconds, commitQueueCapacity, commitBatchMutationsMax, purgeIntervalMs,
        purgeBatchEntriesMax, rangeTombstonesPerPartitionMax);
  }

  public StorageConfig withTabletsPerTable(int tablets) {
    return new StorageConfig(dataDir, commitPolicy, periodicSyncMs, tablets, blockCacheBytes,
        memtableBytes, gcGraceSeconds, commitQueueCapacity, commitBatchMutationsMax, purgeIntervalMs,
        purgeBatchEntriesMax, rangeTombstonesPerPartitionMax);
  }

  public StorageConfig withGcGraceSeconds(int seconds) {
    return new StorageConfig(dataDir, commitPolicy, periodicSyncMs, tabletsPerTable, blockCacheBytes,
        memtableBytes, seconds, commitQueueCapacity, commitBatchMutationsMax, purgeIntervalMs,
        purgeBatchEntriesMax, rangeTombstonesPerPartitionMax);
  }

  public StorageConfig withCommitQueue(int capacity, int batchMutationsMax) {
    return new StorageConfig(dataDir, commitPolicy, periodicSyncMs, tabletsPerTable, blockCacheBytes,
        memtableBytes, gcGraceSeconds, capacity, batchMutationsMax, purgeIntervalMs, purgeBatchEntriesMax,
        rangeTombstonesPerPartitionMax);
  }

  public StorageConfig withCaches(long blockCache, long memtable) {
    return new StorageConfig(dataDir, commitPolicy, periodicSyncMs, tabletsPerTable, blockCache,
        memtable, gcGraceSeconds, commitQueueCapacity, commitBatchMutationsMax, purgeIntervalMs,
        purgeBatchEntriesMax, rangeTombstonesPerPartitionMax);
  }

  public StorageConfig withPurge(long intervalMs, int batchEntriesMax) {
    return new StorageConfig(dataDir, commitPolicy, periodicSyncMs, tabletsPerTable, blockCacheBytes,
        memtableBytes, gcGraceSeconds, commitQueueCapacity, commitBatchMutationsMax, intervalMs, batchEntriesMax,
        rangeTombstonesPerPartitionMax);
  }
}
