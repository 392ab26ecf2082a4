package io.meridian.server;

import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import com.datastax.oss.protocol.internal.response.event.TopologyChangeEvent;
import io.meridian.cluster.ClusterNode;
import io.meridian.cluster.ClusterSettings;
import io.meridian.cluster.ClusterState;
import io.meridian.cluster.ClusterStorageEngine;
import io.meridian.cluster.NodeRecord;
import io.meridian.protocol.ServerEvents;
import io.meridian.schema.SchemaChange;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.system.NodeInfo;
import io.meridian.schema.system.PeerTraceSource;
import io.meridian.schema.system.SystemTables;
import io.meridian.schema.system.TraceCodec;
import io.meridian.schema.system.TraceStore;
import io.meridian.storage.StorageEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's membership of a cluster, seen from the server: starts the {@link ClusterNode}, gives the
 * query layer a {@link ClusterStorageEngine}, describes the members to drivers (system.local and
 * system.peers) and turns what the metadata log reports into protocol events.
 */
final class ClusterMember implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
  private final ClusterNode node;
  private final ClusterStorageEngine storage;
  private final String clusterName;
  private final int gossipGeneration;

  private ClusterMember(ClusterNode node, ClusterStorageEngine storage, String clusterName, int gossipGeneration) {
    this.node = node;
    this.storage = storage;
    this.clusterName = clusterName;
    this.gossipGeneration = gossipGeneration;
  }

  static ClusterMember start(ServerConfig config, UUID hostId, InetAddress listen, Path dataDir, StorageEngine local,
                             SchemaManager schema, ServerEvents events, int gossipGeneration) {
    List<String> seeds = Arrays.stream(config.get(ServerConfigKeys.SEEDS).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    ClusterSettings settings = new ClusterSettings(hostId, config.get(ServerConfigKeys.CLUSTER_NAME),
        config.get(ServerConfigKeys.LISTEN_ADDRESS), config.get(ServerConfigKeys.RAFT_PORT), seeds, dataDir.resolve("raft"),
        config.get(ServerConfigKeys.DATA_CENTER), config.get(ServerConfigKeys.RACK),
        config.get(ServerConfigKeys.TABLETS_PER_TABLE), config.get(ServerConfigKeys.ELECTION_TIMEOUT_MS),
        config.get(ServerConfigKeys.TABLET_SPLIT_BYTES));
    ClusterNode.Listener listener = new ClusterNode.Listener() {
      @Override
      public void schemaChanged(List<SchemaChange> changes) {
        for (SchemaChange c : changes) {
          events.publish(new SchemaChangeEvent(c.type().name(), c.target().name(), c.keyspace(),
              c.target() == SchemaChange.Target.KEYSPACE ? null : c.name(), c.argumentTypes()));
        }
      }

      @Override
      public void nodeStatus(NodeRecord member, boolean up) {
        events.publish(new com.datastax.oss.protocol.internal.response.event.StatusChangeEvent(
            up ? com.datastax.oss.protocol.internal.ProtocolConstants.StatusChangeType.UP
                : com.datastax.oss.protocol.internal.ProtocolConstants.StatusChangeType.DOWN,
            new InetSocketAddress(member.cqlAddress(), member.cqlPort())));
      }

      @Override
      public void nodeRemoved(NodeRecord removed) {
        events.publish(new TopologyChangeEvent(com.datastax.oss.protocol.internal.ProtocolConstants.TopologyChangeType.REMOVED_NODE,
            new InetSocketAddress(removed.cqlAddress(), removed.cqlPort())));
      }

      @Override
      public void nodeJoined(NodeRecord joined) {
        if (!joined.hostId().equals(hostId)) {
          events.publish(new TopologyChangeEvent(com.datastax.oss.protocol.internal.ProtocolConstants.TopologyChangeType.NEW_NODE,
              new InetSocketAddress(joined.cqlAddress(), joined.cqlPort())));
        }
      }
    };
    ClusterNode node = ClusterNode.start(settings, local, schema, listener, config.get(ServerConfigKeys.PORT),
        io.meridian.index.SchemaIndexing::of);
    return new ClusterMember(node, new ClusterStorageEngine(node, local), config.get(ServerConfigKeys.CLUSTER_NAME),
        gossipGeneration);
  }

  /** Most bytes of trace sessions one node sends another for a system_traces read (the newest fit). */
  static final int PEER_TRACE_BYTES_MAX = 4 << 20;
  /** How long a system_traces read waits for the other nodes' sessions. */
  static final Duration PEER_TRACE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Makes system_traces on every node show every node's sessions, as on Cassandra, where traces
   * are rows of a replicated table: this node hands its sessions to peers that ask, and reads
   * theirs when its own system_traces is read. A request is traced only by its coordinator, and a
   * driver reads the trace through whichever node it picks.
   */
  void shareTraces(TraceStore traces, SystemTables tables) {
    node.setTraceSource(() -> TraceCodec.encode(traces.sessions(), PEER_TRACE_BYTES_MAX));
    tables.setPeerTraces(this::peerTraces);
  }

  private List<PeerTraceSource.NodeTraces> peerTraces() {
    ClusterState state = node.state();
    List<PeerTraceSource.NodeTraces> out = new ArrayList<>();
    for (Map.Entry<NodeRecord, byte[]> e : node.peerTraces(PEER_TRACE_TIMEOUT).entrySet()) {
      List<TraceStore.Session> sessions;
      try {
        sessions = TraceCodec.decode(e.getValue());
      } catch (IllegalArgumentException bad) {
        // A member of another version answers in a form this one does not read: left out.
        LOG.debug("Trace sessions of {} do not decode: {}", e.getKey().peerId(), bad.getMessage());
        continue;
      }
      NodeInfo info = info(state, e.getKey());
      out.add(new PeerTraceSource.NodeTraces(info.broadcastAddress(), info.broadcastPort(),
          sessions));
    }
    return out;
  }

  StorageEngine storage() {
    return storage;
  }

  ClusterNode node() {
    return node;
  }

  /** Once the CQL server is bound (port 0 picks one), the members learn the real port. */
  void announceCqlPort(int port) {
    ClusterState state = node.state();
    if (state.node(node.settings().hostId()).map(n -> n.cqlPort() != port).orElse(true)) {
      node.announce(port);
    }
  }

  NodeInfo self() {
    ClusterState state = node.state();
    return state.node(node.settings().hostId()).map(n -> info(state, n))
        .orElseThrow(() -> new IllegalStateException("this node is not a member yet"));
  }

  List<NodeInfo> peers() {
    ClusterState state = node.state();
    List<NodeInfo> out = new ArrayList<>();
    for (NodeRecord n : state.nodes()) {
      if (!n.hostId().equals(node.settings().hostId())) {
        out.add(info(state, n));
      }
    }
    return out;
  }

  private NodeInfo info(ClusterState state, NodeRecord n) {
    InetAddress address;
    try {
      address = InetAddress.getByName(n.cqlAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("member address " + n.cqlAddress() + " does not resolve", e);
    }
    int raftPort = Integer.parseInt(n.raftAddress().substring(n.raftAddress().lastIndexOf(':') + 1));
    LinkedHashSet<String> tokens = new LinkedHashSet<>();
    n.tokens().forEach(t -> tokens.add(Long.toString(t)));
    return new NodeInfo(n.hostId(), clusterName, n.dataCenter(), n.rack(), address, raftPort, address, raftPort,
        address, n.cqlPort(), tokens,
        gossipGeneration, NodeInfo.RELEASE_VERSION);
  }

  @Override
  public void close() {
    storage.close();
    node.close();
  }
}
