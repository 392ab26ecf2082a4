package io.meridian.server;

import com.datastax.oss.protocol.internal.response.Event;
import io.meridian.common.Clock;
import io.meridian.protocol.CqlServer;
import io.meridian.protocol.ServerEvents;
import io.meridian.protocol.ServerOptions;
import io.meridian.query.QueryProcessor;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.system.HostIdStore;
import io.meridian.schema.system.NodeInfo;
import io.meridian.schema.system.SystemTables;
import io.meridian.schema.system.TraceStore;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.rocks.RocksStorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Meridian node: storage, schema, query layer and the CQL server, started in that
 * order and closed in reverse. Tests start it in-process; bin/meridian starts it through Main.
 */
public final class MeridianNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MeridianNode.class);
  /** Cassandra's inter-node port, shown in system.local; nothing listens on it yet. */
  private static final int STORAGE_PORT = 7000;

  private final RocksStorageEngine storage;
  private final QueryProcessor processor;
  private final CqlServer server;
  /** Null on a node running alone. */
  private final ClusterMember cluster;
  private boolean closed;

  private MeridianNode(RocksStorageEngine storage, QueryProcessor processor, CqlServer server, ClusterMember cluster) {
    this.storage = storage;
    this.processor = processor;
    this.server = server;
    this.cluster = cluster;
  }

  public static MeridianNode start(ServerConfig config) {
    Clock clock = Clock.SYSTEM;
    Path dataDir = Path.of(config.get(ServerConfigKeys.DATA_DIR)).toAbsolutePath();
    InetAddress listen;
    UUID hostId;
    try {
      Files.createDirectories(dataDir);
      listen = InetAddress.getByName(config.get(ServerConfigKeys.LISTEN_ADDRESS));
      hostId = HostIdStore.loadOrCreate(dataDir, UUID::randomUUID);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare data directory " + dataDir + ": " + e.getMessage(), e);
    }
    LOG.info("Starting Meridian node {} with data in {}", hostId, dataDir);

    boolean clustered = !config.get(ServerConfigKeys.SEEDS).isBlank();
    StorageConfig storageConfig = storageConfig(config, dataDir, clustered);
    RocksStorageEngine storage = RocksStorageEngine.open(storageConfig, clock);
    QueryProcessor processor = null;
    ClusterMember cluster = null;
    try {
      // The node's address and port are known only once the server is bound (port 0 in tests).
      AtomicReference<NodeInfo> node = new AtomicReference<>();
      String clusterName = config.get(ServerConfigKeys.CLUSTER_NAME);
      int gossipGeneration = clock.nowInSeconds();
      node.set(NodeInfo.singleNode(hostId, clusterName, listen, STORAGE_PORT, config.get(ServerConfigKeys.PORT), gossipGeneration));
      AtomicReference<ClusterMember> member = new AtomicReference<>();
      TraceStore traces = new TraceStore(config.get(ServerConfigKeys.TRACE_SESSIONS_MAX), clock);
      SystemTables systemTables = new SystemTables(
          () -> member.get() == null ? node.get() : member.get().self(),
          () -> member.get() == null ? java.util.List.of() : member.get().peers(),
          traces);
      SchemaManager schema = systemTables.newSchemaManager(dataDir.resolve("schema"), clock);
      int tablets = singleNodeTablets(config.get(ServerConfigKeys.TABLETS_PER_TABLE));
      ForwardingEvents events = new ForwardingEvents();
      io.meridian.storage.StorageEngine queryStorage = storage;
      if (clustered) {
        cluster = ClusterMember.start(config, hostId, listen, dataDir, storage, schema, events, gossipGeneration);
        member.set(cluster);
        cluster.shareTraces(traces, systemTables);
        queryStorage = cluster.storage();
      } else {
        for (KeyspaceMetadata ks : schema.current().userKeyspaces().values()) {
          for (TableMetadata t : ks.tables().values()) {
            storage.createTable(t.id(), tablets); // idempotent: restores nothing, checks the table is known
          }
        }
      }

      long batchWarnBytes = config.get(ServerConfigKeys.BATCH_WARN_BYTES);
      long batchFailBytes = config.get(ServerConfigKeys.BATCH_FAIL_BYTES);
      if (batchFailBytes < batchWarnBytes) {
        throw new IllegalArgumentException(ServerConfigKeys.BATCH_FAIL_BYTES.key() + " is " + batchFailBytes
            + ", expected at least " + ServerConfigKeys.BATCH_WARN_BYTES.key() + " (" + batchWarnBytes + ")");
      }
      processor = new QueryProcessor(schema, systemTables, queryStorage, events, clock,
          config.get(ServerConfigKeys.QUERY_THREADS), config.get(ServerConfigKeys.QUERY_QUEUE_MAX), tablets,
          batchWarnBytes, batchFailBytes, config.get(ServerConfigKeys.UNLOGGED_BATCH_PARTITIONS_WARN));
      ServerOptions options = ServerOptions.defaults(listen, config.get(ServerConfigKeys.PORT))
          .withFrameBytesMax(config.get(ServerConfigKeys.FRAME_BYTES_MAX))
          .withInFlightRequestsPerConnectionMax(config.get(ServerConfigKeys.CONNECTION_IN_FLIGHT_MAX));
      CqlServer server = CqlServer.start(options, processor);
      events.target.set(server);
      node.set(NodeInfo.singleNode(hostId, clusterName, listen, STORAGE_PORT, server.boundPort(), gossipGeneration));
      if (cluster != null) {
        cluster.announceCqlPort(server.boundPort());
      }
      return new MeridianNode(storage, processor, server, cluster);
    } catch (RuntimeException | Error e) {
      // Whatever was opened is closed again, so a failed start leaves the data folder unlocked
      // and no threads behind.
      try {
        if (processor != null) {
          processor.close();
        }
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      try {
        if (cluster != null) {
          cluster.close();
        }
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      try {
        storage.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  public int port() {
    return server.boundPort();
  }

  /** This node's cluster membership (tablet moves, decommission), or null for a single node. */
  public io.meridian.cluster.ClusterNode clusterNode() {
    return cluster == null ? null : cluster.node();
  }

  /** Stops accepting clients, drains the query threads, then flushes and closes storage. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close();
    processor.close();
    if (cluster != null) {
      cluster.close();
    }
    storage.close();
    LOG.info("Meridian node stopped");
  }

  /**
   * Storage settings of the node. On a cluster node the tablets' Raft logs are the commit log: an
   * entry is fsynced there before it commits, and each tablet syncs storage before it lets its log
   * forget entries. A second fsync per batch in storage would protect nothing more, so storage syncs
   * in the background, every {@code cluster.storage-sync-ms}.
   */
  static StorageConfig storageConfig(ServerConfig config, Path dataDir, boolean clustered) {
    io.meridian.storage.CommitPolicy commitPolicy = clustered
        ? io.meridian.storage.CommitPolicy.PERIODIC : config.get(ServerConfigKeys.COMMIT_POLICY);
    int syncMs = config.get(clustered ? ServerConfigKeys.CLUSTER_STORAGE_SYNC_MS : ServerConfigKeys.PERIODIC_SYNC_MS);
    return StorageConfig.defaults(dataDir.resolve("rocksdb"))
        .withCommitPolicy(commitPolicy, syncMs)
        .withTabletsPerTable(singleNodeTablets(config.get(ServerConfigKeys.TABLETS_PER_TABLE)))
        .withCaches(config.get(ServerConfigKeys.BLOCK_CACHE_BYTES), config.get(ServerConfigKeys.MEMTABLE_BYTES));
  }

  /**
   * Tablets of a table created on a single node: the configured count, or 8 for 0 ("auto").
   * Eight lets a node's storage work on a table's ranges in parallel. A cluster reads the setting
   * itself: there 0 means one tablet per node, because every tablet is a Raft group whose threads
   * and log cost more than a local range (see docs/cluster.md).
   */
  static int singleNodeTablets(int configured) {
    return configured == 0 ? io.meridian.storage.StorageConfig.TABLETS_PER_TABLE_DEFAULT : configured;
  }

  /** Lets the query layer publish events before the server that delivers them exists. */
  static final class ForwardingEvents implements ServerEvents {
    final AtomicReference<ServerEvents> target = new AtomicReference<>();

    @Override
    public void publish(Event event) {
      ServerEvents t = target.get();
      if (t != null) {
        t.publish(event);
      }
    }
  }
}
