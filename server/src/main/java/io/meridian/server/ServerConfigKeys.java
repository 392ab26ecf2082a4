package io.meridian.server;

import io.meridian.common.ConfigKey;
import io.meridian.storage.CommitPolicy;
import java.util.List;

/** The catalogue of node settings: one key each, with its default, validation and meaning. */
public final class ServerConfigKeys {
  private ServerConfigKeys() {}

  public static final ConfigKey<String> LISTEN_ADDRESS = ConfigKey.stringKey(
      "server.listen-address", "127.0.0.1", "address the CQL native protocol listens on");

  public static final ConfigKey<Integer> PORT = ConfigKey.intKey(
      "server.port", 9042, 0, 65535, "CQL native protocol port (0 picks a free one)");

  public static final ConfigKey<String> CLUSTER_NAME = ConfigKey.stringKey(
      "server.cluster-name", "Meridian Cluster", "cluster name shown in system.local");

  public static final ConfigKey<Integer> FRAME_BYTES_MAX = ConfigKey.intKey(
      "protocol.frame-bytes-max", 16 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024,
      "largest request frame accepted; a larger one closes the connection");

  public static final ConfigKey<Integer> CONNECTION_IN_FLIGHT_MAX = ConfigKey.intKey(
      "protocol.connection-in-flight-max", 2048, 1, 32768,
      "requests one connection may have in flight before it gets OVERLOADED");

  public static final ConfigKey<String> DATA_DIR = ConfigKey.stringKey(
      "storage.data-dir", "data", "folder holding the node's data (RocksDB, schema, node id)");

  public static final ConfigKey<CommitPolicy> COMMIT_POLICY = ConfigKey.enumKey(
      "storage.commit-policy", CommitPolicy.SYNC, CommitPolicy.class,
      "sync: fsync the log before acknowledging a write (no acknowledged write is lost);"
          + " periodic: fsync every storage.periodic-sync-ms (a crash may lose that window);"
          + " not used on a cluster node, whose writes are fsynced in their tablets' Raft logs");

  public static final ConfigKey<Integer> PERIODIC_SYNC_MS = ConfigKey.intKey(
      "storage.periodic-sync-ms", 10, 1, 60_000, "fsync interval under the periodic commit policy");

  /**
   * A cluster node's storage holds nothing its tablets' Raft logs do not hold until storage is
   * synced (a tablet syncs it before letting its log forget entries), so its background sync only
   * bounds how much of the logs a restart after a power loss replays: it can be rare.
   */
  public static final ConfigKey<Integer> CLUSTER_STORAGE_SYNC_MS = ConfigKey.intKey(
      "cluster.storage-sync-ms", 1000, 1, 60_000,
      "how often a cluster node fsyncs its storage in the background; the Raft logs hold the writes meanwhile");

  /** 0 picks a count that suits the node's role; see {@link MeridianNode#singleNodeTablets}. */
  public static final ConfigKey<Integer> TABLETS_PER_TABLE = ConfigKey.intKey(
      "storage.tablets-per-table", 0, 0, 4096,
      "token-range tablets a new table is split into; 0: 8 on a single node; on a cluster one per node,"
          + " at RF 3 one per section of the token ring (a replica set of 3 nodes), or one while every node holds"
          + " the table");

  public static final ConfigKey<Long> BLOCK_CACHE_BYTES = ConfigKey.longKey(
      "storage.block-cache-bytes", 256L * 1024 * 1024, 1024 * 1024, 1L << 40, "RocksDB block cache size");

  public static final ConfigKey<Long> MEMTABLE_BYTES = ConfigKey.longKey(
      "storage.memtable-bytes", io.meridian.storage.StorageConfig.MEMTABLE_BYTES_DEFAULT, 1024 * 1024, 1L << 34,
      "RocksDB memtable (write buffer) size per column family; smaller inserts faster, larger flushes less often");

  public static final ConfigKey<Integer> QUERY_THREADS = ConfigKey.intKey(
      "query.threads", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 1, 1024,
      "threads executing requests (reads block on storage, so not on the network threads)");

  public static final ConfigKey<Integer> QUERY_QUEUE_MAX = ConfigKey.intKey(
      "query.queue-max", 16384, 1, 1 << 20, "requests waiting for a query thread before OVERLOADED");

  public static final ConfigKey<Long> BATCH_WARN_BYTES = ConfigKey.longKey(
      "query.batch-warn-bytes", 5L * 1024, 1, 1L << 30,
      "a batch over several partitions larger than this gets a client warning (Cassandra's batch_size_warn_threshold)");

  public static final ConfigKey<Long> BATCH_FAIL_BYTES = ConfigKey.longKey(
      "query.batch-fail-bytes", 50L * 1024, 1, 1L << 30,
      "a batch over several partitions larger than this is refused as Invalid (batch_size_fail_threshold);"
          + " must be at least query.batch-warn-bytes");

  public static final ConfigKey<Integer> UNLOGGED_BATCH_PARTITIONS_WARN = ConfigKey.intKey(
      "query.unlogged-batch-partitions-warn", 10, 1, 1 << 20,
      "an unlogged batch over more partitions than this gets a client warning"
          + " (unlogged_batch_across_partitions_warn_threshold)");

  public static final ConfigKey<Integer> TRACE_SESSIONS_MAX = ConfigKey.intKey(
      "query.trace-sessions-max", 1000, 1, 100_000,
      "tracing sessions kept in memory for system_traces; the oldest is dropped beyond it");

  public static final ConfigKey<String> SEEDS = ConfigKey.stringKey(
      "cluster.seeds", "",
      "comma-separated host:port Raft addresses of nodes to join through; empty runs a single node"
          + " without replication. The first seed founds the cluster");

  public static final ConfigKey<Integer> RAFT_PORT = ConfigKey.intKey(
      "cluster.raft-port", 7000, 1, 65535, "inter-node (Raft) port, on the listen address");

  public static final ConfigKey<Integer> ELECTION_TIMEOUT_MS = ConfigKey.intKey(
      "cluster.election-timeout-ms", 1000, 50, 60_000,
      "a follower that hears nothing from its leader for between this and twice this starts an election");

  public static final ConfigKey<Long> TABLET_SPLIT_BYTES = ConfigKey.longKey(
      "cluster.tablet-split-bytes", 1L << 30, 1L << 16, 1L << 50,
      "a tablet whose token range holds more than this many bytes (the store's estimate) splits in two");

  public static final ConfigKey<String> DATA_CENTER = ConfigKey.stringKey(
      "cluster.data-center", "datacenter1", "data center name shown to drivers");

  public static final ConfigKey<String> RACK = ConfigKey.stringKey(
      "cluster.rack", "rack1", "rack name shown to drivers");

  public static final List<ConfigKey<?>> ALL = List.of(
      LISTEN_ADDRESS, PORT, CLUSTER_NAME, FRAME_BYTES_MAX, CONNECTION_IN_FLIGHT_MAX, DATA_DIR,
      COMMIT_POLICY, PERIODIC_SYNC_MS, TABLETS_PER_TABLE, BLOCK_CACHE_BYTES, MEMTABLE_BYTES, QUERY_THREADS, QUERY_QUEUE_MAX,
      BATCH_WARN_BYTES, BATCH_FAIL_BYTES, UNLOGGED_BATCH_PARTITIONS_WARN, TRACE_SESSIONS_MAX,
      SEEDS, RAFT_PORT, ELECTION_TIMEOUT_MS, CLUSTER_STORAGE_SYNC_MS, TABLET_SPLIT_BYTES, DATA_CENTER, RACK);
}
