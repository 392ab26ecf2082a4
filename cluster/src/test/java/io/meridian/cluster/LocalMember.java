package io.meridian.cluster;

import io.meridian.common.Clock;
import io.meridian.schema.SchemaChange;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaStore;
import io.meridian.storage.CommitPolicy;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.TokenRange;
import io.meridian.storage.rocks.RocksStorageEngine;
import io.meridian.testsupport.RaftPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * One real cluster node for tests in this package: its own RocksDB, schema and Raft server on
 * 127.0.0.1 at a free port, started and stopped like a process would be.
 */
final class LocalMember implements ClusterNode.Listener {
  final UUID hostId = UUID.randomUUID();
  final int raftPort;
  final Path dir;
  final List<SchemaChange> remoteChanges = new CopyOnWriteArrayList<>();
  final List<NodeRecord> joined = new CopyOnWriteArrayList<>();
  private final int tabletsPerTable;
  private final UnaryOperator<ClusterSettings> tune;
  RocksStorageEngine engine;
  SchemaManager schema;
  ClusterNode node;

  /** A member under {@code root}, with {@code tune} applied to its settings (e.g. a small split size). */
  LocalMember(Path root, int index, int tabletsPerTable, UnaryOperator<ClusterSettings> tune) throws IOException {
    raftPort = RaftPorts.free();
    this.dir = root.resolve("node" + index);
    this.tabletsPerTable = tabletsPerTable;
    this.tune = tune;
  }

  void start(String seed) {
    // Periodic WAL sync, as a cluster node runs its storage (the Raft logs are the commit log).
    engine = RocksStorageEngine.open(StorageConfig.defaults(dir.resolve("rocksdb"))
        .withCommitPolicy(CommitPolicy.PERIODIC, 10), Clock.SYSTEM);
    schema = new SchemaManager(List.of(), new SchemaStore(dir.resolve("schema")), Set.of("datacenter1"),
        Clock.SYSTEM, UUID::randomUUID);
    ClusterSettings settings = tune.apply(new ClusterSettings(hostId, "test", "127.0.0.1", raftPort, List.of(seed),
        dir.resolve("raft"), "datacenter1", "rack1", tabletsPerTable, 300));
    node = ClusterNode.start(settings, engine, schema, this, 9042, io.meridian.index.SchemaIndexing::of);
  }

  void stop() {
    node.close();
    engine.close();
    node = null;
  }

  String address() {
    return "127.0.0.1:" + raftPort;
  }

  int localGroups() {
    int n = 0;
    for (RaftGroupId ignored : node.server().getGroupIds()) {
      n++;
    }
    return n;
  }

  /** Rows of the table in this node's own store (-1 when the table is not open here yet). */
  int localRows(UUID tableId) {
    int n = 0;
    try (var it = engine.scan(tableId, TokenRange.FULL, null, ReadRange.all(), (int) (System.currentTimeMillis() / 1000))) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    } catch (RuntimeException e) {
      return -1;
    }
    return n;
  }

  /** Stops the members still running and deletes their folder. */
  static void stopAll(List<LocalMember> members, Path root) throws IOException {
    for (LocalMember m : members) {
      if (m.node != null) {
        m.stop();
      }
    }
    deleteTree(root);
  }

  /** Deletes a test's folder of members (after they stopped). */
  static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Override
  public void schemaChanged(List<SchemaChange> changes) {
    remoteChanges.addAll(changes);
  }

  @Override
  public void nodeJoined(NodeRecord record) {
    joined.add(record);
  }
}
