package io.meridian.replication;

import io.meridian.common.Clock;
import io.meridian.storage.CommitPolicy;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.TokenRange;
import io.meridian.storage.rocks.RocksStorageEngine;
import io.meridian.testsupport.RaftPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;

/**
 * One tablet's Raft group of real peers in this JVM: each peer is a gRPC Ratis server on
 * 127.0.0.1 with its own Raft log directory and its own RocksDB storage engine, like a node.
 * A peer can be stopped (server and engine closed) and restarted from its directories.
 */
final class LocalRaftCluster implements AutoCloseable {
  static final int ENGINE_COMMIT_QUEUE_CAPACITY = 32;
  final UUID tableId = UUID.randomUUID();
  final TokenRange range = TokenRange.FULL;
  final RaftGroup group;
  final SnapshotSettings snapshots;
  private final Path root;
  private final List<Peer> peers = new ArrayList<>();
  /** The storage each peer's state machine is given, as a view of the peer's engine (tests may wrap it). */
  UnaryOperator<StorageEngine> stateMachineStorage = UnaryOperator.identity();

  final class Peer {
    final RaftPeer raftPeer;
    final Path raftDir;
    final Path storageDir;
    /** The group the server starts with: the initial one, or no peers for a peer joining later. */
    final RaftGroup startGroup;
    RocksStorageEngine engine;
    TabletStateMachine stateMachine;
    RaftServer server;

    Peer(RaftPeer raftPeer, RaftGroup startGroup) {
      this.raftPeer = raftPeer;
      this.startGroup = startGroup;
      this.raftDir = root.resolve(raftPeer.getId() + "-raft");
      this.storageDir = root.resolve(raftPeer.getId() + "-storage");
    }

    void start(RaftStorage.StartupOption option) throws IOException {
      // A commit queue far smaller than the writes in flight: the state machine's back-pressure
      // must keep it from overflowing (an OVERLOADED apply would stop the replica).
      // Periodic WAL sync, as on a node: the Raft log is the commit log (see TabletStateMachine).
      engine = RocksStorageEngine.open(StorageConfig.defaults(storageDir)
          .withCommitPolicy(CommitPolicy.PERIODIC, 10)
          .withCommitQueue(ENGINE_COMMIT_QUEUE_CAPACITY, 16), Clock.SYSTEM);
      engine.createTable(tableId, 1);
      stateMachine = new TabletStateMachine(stateMachineStorage.apply(engine), tableId, range, 64,
          ENGINE_COMMIT_QUEUE_CAPACITY / 2);
      server = RaftServer.newBuilder()
          .setServerId(raftPeer.getId())
          .setGroup(startGroup)
          .setProperties(serverProperties(raftPeer, raftDir, snapshots))
          .setStateMachine(stateMachine)
          .setOption(option)
          .build();
      server.start();
    }

    boolean running() {
      return server != null;
    }

    boolean isLeader() throws IOException {
      return running() && server.getDivision(group.getGroupId()).getInfo().isLeader();
    }

    /** First index still in this peer's Raft log: moves up when the log is purged after a snapshot. */
    long logStartIndex() throws IOException {
      return server.getDivision(group.getGroupId()).getRaftLog().getStartIndex();
    }

    long appliedIndex() {
      TermIndex ti = stateMachine.getLastAppliedTermIndex();
      return ti == null ? -1 : ti.getIndex();
    }

    long latestSnapshotIndex() {
      return stateMachine.getLatestSnapshot() == null ? -1 : stateMachine.getLatestSnapshot().getIndex();
    }

    void stop() throws IOException {
      server.close(); // closes the state machine, which records its applied index
      server = null;
      engine.close();
      engine = null;
    }
  }

  /** A group without snapshots: the log is kept whole. */
  LocalRaftCluster(int size) throws IOException {
    this(size, SnapshotSettings.NONE);
  }

  LocalRaftCluster(int size, SnapshotSettings snapshots) throws IOException {
    this.snapshots = snapshots;
    root = Files.createTempDirectory("meridian-raft-");
    List<RaftPeer> raftPeers = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      raftPeers.add(RaftPeer.newBuilder().setId("n" + i).setAddress("127.0.0.1:" + RaftPorts.free()).build());
    }
    group = RaftGroup.valueOf(RaftGroupId.randomId(), raftPeers);
    for (RaftPeer p : raftPeers) {
      peers.add(new Peer(p, group));
    }
  }

  void startAll() throws IOException {
    for (Peer p : peers) {
      p.start(RaftStorage.StartupOption.FORMAT);
    }
  }

  /** A new peer (not started, not yet in the group's configuration): it starts knowing no peers. */
  Peer addPeer() throws IOException {
    RaftPeer p = RaftPeer.newBuilder().setId("n" + peers.size()).setAddress("127.0.0.1:" + RaftPorts.free()).build();
    Peer peer = new Peer(p, RaftGroup.valueOf(group.getGroupId()));
    peers.add(peer);
    return peer;
  }

  List<RaftPeer> raftPeers() {
    return peers.stream().map(p -> p.raftPeer).toList();
  }

  List<Peer> peers() {
    return peers;
  }

  Optional<Peer> leader() throws IOException {
    for (Peer p : peers) {
      if (p.isLeader()) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  RaftClient newClient() {
    RaftProperties props = new RaftProperties();
    return RaftClient.newBuilder()
        .setProperties(props)
        .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), raftPeers()))
        // Bounded: after ~10 s without a leader the write's outcome is reported unknown.
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
  }

  private static RaftProperties serverProperties(RaftPeer peer, Path raftDir, SnapshotSettings snapshots) {
    String address = peer.getAddress();
    RaftProperties props = ReplicationProperties.newRaftProperties(raftDir,
        Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    snapshots.applyTo(props);
    return props;
  }

  @Override
  public void close() {
    for (Peer p : peers) {
      try {
        if (p.running()) {
          p.stop();
        }
      } catch (IOException | RuntimeException e) {
        // keep closing the others
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
