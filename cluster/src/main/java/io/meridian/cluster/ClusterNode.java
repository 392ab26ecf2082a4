package io.meridian.cluster;

import io.meridian.cluster.TabletGroups.TabletSpec;
import io.meridian.common.MeridianException;
import io.meridian.replication.ReplicationProperties;
import io.meridian.replication.SnapshotSettings;
import io.meridian.replication.TabletStateMachine;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.ReplicationParams;
import io.meridian.schema.Schema;
import io.meridian.schema.SchemaChange;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaStore;
import io.meridian.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in the cluster: one Ratis server hosting the metadata group (every node is a
 * voting member) and the Raft groups of the tablets placed on this node.
 *
 * <p><b>Forming and joining.</b> The first seed founds the cluster when it has no metadata group
 * on disk: it creates the group with itself as the only member. Every other node asks a seed for
 * the group's members, opens the group locally and adds itself to it (a Raft configuration
 * change); a restarted node finds the group on disk. Then the node announces its addresses with a
 * {@link MetadataCommand.Join} entry.
 *
 * <p><b>Schema.</b> {@link ClusterSchemaLog} commits each DDL as one
 * {@link MetadataCommand.CommitSchema} entry; every node installs the new schema when it applies
 * the entry (here, in log order), and opens (or closes) the tablet groups the change places on it.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  private static final String STATE_FILE = "cluster-state.bin";
  /** Entries in flight to storage per tablet: the node's tablets together stay below the commit queue. */
  private static final int TABLET_APPLIES_IN_FLIGHT_MAX = 16;
  private static final long RECONCILE_RETRY_MILLIS = 1_000;
  /** When a reconcile that opened groups looks again at whether they are still running. */
  private static final long OPENED_GROUP_RECHECK_MILLIS = 2_000;
  /** How often the node reconciles its groups with the placement when nothing changed. */
  private static final long RECONCILE_PERIOD_MILLIS = 10_000;
  private static final long JOIN_TIMEOUT_MS = 120_000;

  /** What the rest of the node learns from the metadata log. */
  public interface Listener {
    /** Schema changes committed by another node (this node's own are reported by its DDL path). */
    void schemaChanged(List<SchemaChange> changes);

    /** A node joined or changed its addresses. */
    void nodeJoined(NodeRecord node);

    /** A node was decommissioned: it is no longer a member. */
    default void nodeRemoved(NodeRecord node) {}

    /** This node's view of another member changed (see {@link MemberLiveness}). */
    default void nodeStatus(NodeRecord node, boolean up) {}
  }

  private final ClusterSettings settings;
  private final StorageEngine engine;
  private final SchemaManager schema;
  private final Listener listener;
  private final RaftPeer self;
  private final RaftGroupId metadataGroupId;
  private volatile MetadataStateMachine metadata;
  private final Map<RaftGroupId, TabletSpec> localTablets = new ConcurrentHashMap<>();
  /** How each table is indexed, as the query layer last said; given to the store with each local tablet. */
  private final Map<UUID, io.meridian.storage.TableIndexing> indexings = new ConcurrentHashMap<>();
  /** How a table of the schema is indexed, for tablets opened before the query layer says so (see stateMachineFor). */
  private final java.util.function.Function<io.meridian.schema.TableMetadata, io.meridian.storage.TableIndexing> indexingOf;
  private final RaftProperties clientProperties = new RaftProperties();
  private final ScheduledExecutorService reconciler;
  private final AtomicBoolean reconcileQueued = new AtomicBoolean();
  private final ReopenBackoff reopenBackoff = new ReopenBackoff();
  private final Object stateChanged = new Object();
  private volatile RaftServer server;
  private volatile RaftClient metadataClient;
  private volatile MemberLiveness liveness;
  private final Map<String, RaftClient> adminClients = new ConcurrentHashMap<>();
  /** This node's finished trace sessions, encoded, for peers that serve system_traces (none until set). */
  private volatile java.util.function.Supplier<byte[]> traceSource;
  private volatile Rebalancer rebalancer;
  private volatile TabletSplitter splitter;
  private volatile boolean closed;
  private final AtomicBoolean decommissionStarted = new AtomicBoolean();
  private final CompletableFuture<Void> decommissioned = new CompletableFuture<>();

  private ClusterNode(ClusterSettings settings, StorageEngine engine, SchemaManager schema, Listener listener,
                      java.util.function.Function<io.meridian.schema.TableMetadata, io.meridian.storage.TableIndexing> indexingOf) {
    this.settings = settings;
    this.indexingOf = java.util.Objects.requireNonNull(indexingOf, "indexingOf");
    this.engine = engine;
    this.schema = schema;
    this.listener = listener;
    this.self = RaftPeer.newBuilder().setId(NodeRecord.peerIdFor(settings.raftAddress()))
        .setAddress(settings.raftAddress()).build();
    this.metadataGroupId = TabletGroups.metadataGroupId(settings.clusterName());
    this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meridian-cluster-reconciler");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts the node's Raft server, founds or joins the cluster, and waits until the metadata log is
   * applied up to this node's join (so the schema is current before clients are served).
   */
  public static ClusterNode start(ClusterSettings settings, StorageEngine engine, SchemaManager schema,
                                  Listener listener, int cqlPort) {
    return start(settings, engine, schema, listener, cqlPort, table -> null);
  }

  /**
   * As above, with {@code indexingOf} saying how a table of the schema is indexed (null: not at
   * all). A tablet group opened before the query layer gives its table's indexing (at start, Ratis
   * replays log entries into the store as soon as the group opens) takes it from the schema on
   * disk, so the replayed writes keep the index entries complete instead of forcing a rebuild.
   */
  public static ClusterNode start(ClusterSettings settings, StorageEngine engine, SchemaManager schema,
                                  Listener listener, int cqlPort,
                                  java.util.function.Function<io.meridian.schema.TableMetadata, io.meridian.storage.TableIndexing> indexingOf) {
    ClusterNode node = new ClusterNode(settings, engine, schema, listener, indexingOf);
    try {
      node.startServer();
      node.joinMetadataGroup();
      node.announce(cqlPort);
      schema.replicateThrough(new ClusterSchemaLog(node, schema));
      node.liveness = new MemberLiveness(node::state, node.peerId(), listener::nodeStatus);
      node.rebalancer = new Rebalancer(node);
      node.rebalancer.request();
      node.splitter = new TabletSplitter(node);
      node.reconcileEveryPeriod();
      if (node.state().leaving().contains(node.peerId())) {
        node.finishDecommission(); // stopped while leaving: carry on
      }
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  public String peerId() {
    return self.getId().toString();
  }

  public ClusterState state() {
    return metadata.state();
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** Index of the last metadata entry this node applied (-1 before any). */
  long metadataAppliedIndex() {
    var applied = metadata.getLastAppliedTermIndex();
    return applied == null ? -1 : applied.getIndex();
  }

  SchemaManager schema() {
    return schema;
  }

  /** Whether this node believes the member is up (see {@link MemberLiveness}). */
  public boolean isUp(String peerId) {
    MemberLiveness l = liveness;
    return l == null || l.isUp(peerId);
  }

  // --- start-up ----------------------------------------------------------------------------------

  private void startServer() {
    try {
      Files.createDirectories(settings.raftDir());
      // Tablet groups found on disk are reopened by Ratis at start; it asks the registry for
      // their state machines, so the placements must be known before the server starts.
      MetadataCodec.IndexedState cached = loadCachedState();
      metadata = new MetadataStateMachine(this::applied, this::localTraces, cached.state(), cached.appliedIndex());
      rememberLocalTablets(cached.state());
      RaftProperties props = serverProperties();
      server = RaftServer.newBuilder()
          .setServerId(self.getId())
          .setProperties(props)
          .setStateMachineRegistry(this::stateMachineFor)
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Raft server on " + settings.raftAddress() + ": " + e.getMessage(), e);
    }
  }

  /** The table's indexing by the schema this node has installed, or null (no such table, or not indexed). */
  private io.meridian.storage.TableIndexing indexingOnDisk(UUID tableId) {
    for (io.meridian.schema.KeyspaceMetadata ks : schema.current().userKeyspaces().values()) {
      for (io.meridian.schema.TableMetadata t : ks.tables().values()) {
        if (t.id().equals(tableId)) {
          return indexingOf.apply(t);
        }
      }
    }
    return null;
  }

  private StateMachine stateMachineFor(RaftGroupId groupId) {
    if (groupId.equals(metadataGroupId)) {
      return metadata;
    }
    TabletSpec spec = localTablets.get(groupId);
    if (spec == null) {
      spec = anyTablet(metadata.state(), groupId);
      if (spec == null) {
        // A tablet group left on disk whose table is gone (the node stopped between the metadata
        // change and closing the group): an inert state machine until reconcile deletes it.
        LOG.warn("Raft group {} on disk belongs to no known table; it will be removed", groupId);
        return new org.apache.ratis.statemachine.impl.BaseStateMachine();
      }
      // A tablet moved away while this node was stopped: opened to be closed and emptied by reconcile.
      localTablets.put(groupId, spec);
    }
    engine.createTable(spec.tableId(), spec.baseTabletCount());
    io.meridian.storage.TableIndexing indexing = indexings.computeIfAbsent(spec.tableId(), this::indexingOnDisk);
    if (indexing != null) {
      engine.setIndexing(spec.tableId(), indexing);
    }
    return new TabletStateMachine(engine, spec.tableId(), spec.range(),
        TabletStateMachine.APPLIED_INDEX_PERSIST_EVERY_ENTRIES_DEFAULT, TABLET_APPLIES_IN_FLIGHT_MAX);
  }

  private RaftProperties serverProperties() {
    RaftProperties props = ReplicationProperties.newRaftProperties(settings.raftDir(), settings.raftPort());
    GrpcConfigKeys.Server.setHost(props, settings.raftHost());
    int min = settings.electionTimeoutMinMs();
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(min, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2L * min, TimeUnit.MILLISECONDS));
    // Tablets snapshot their range every so many entries, so logs are purged and a lagging or new
    // replica is repaired by snapshot install. (The metadata group takes none: its log stays small.)
    SnapshotSettings.DEFAULTS.applyTo(props);
    return props;
  }

  private boolean hasLocalGroup(RaftGroupId id) {
    for (RaftGroupId g : server.getGroupIds()) {
      if (g.equals(id)) {
        return true;
      }
    }
    return false;
  }

  private void joinMetadataGroup() {
    if (hasLocalGroup(metadataGroupId)) {
      LOG.info("Rejoining cluster '{}' from the metadata group on disk", settings.clusterName());
      return;
    }
    long deadline = System.currentTimeMillis() + JOIN_TIMEOUT_MS;
    Exception last = null;
    while (System.currentTimeMillis() < deadline && !closed) {
      for (String seed : settings.seeds()) {
        if (seed.equals(settings.raftAddress())) {
          continue;
        }
        try {
          RaftGroup existing = askSeedForMetadataGroup(seed);
          // A previous attempt may have opened the group here and then failed the configuration
          // change; the change is simply tried again.
          openMetadataCopy(existing);
          try (RaftClient client = newClient(existing, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
              50, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))) {
            RaftClientReply reply = client.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(List.of(self)).setMode(SetConfigurationRequest.Mode.ADD).build());
            if (!reply.isSuccess()) {
              throw reply.getException() != null ? reply.getException() : new IOException("configuration change refused");
            }
          }
          LOG.info("Joined cluster '{}' through seed {}", settings.clusterName(), seed);
          return;
        } catch (IOException | RuntimeException e) {
          last = e;
          LOG.debug("Seed {} could not take this node in yet: {}", seed, e.toString());
        }
      }
      if (settings.isFoundingSeed() && !hasLocalGroup(metadataGroupId)) {
        // No other seed knows a cluster: found it. (A founding seed that was wiped founds a new
        // cluster; seeds are expected to keep their data.)
        addLocalGroup(RaftGroup.valueOf(metadataGroupId, List.of(self)));
        LOG.info("Founded cluster '{}' as its first member", settings.clusterName());
        return;
      }
      sleep(500);
    }
    throw new IllegalStateException("Could not join cluster '" + settings.clusterName() + "' through seeds "
        + settings.seeds() + " within " + JOIN_TIMEOUT_MS / 1000 + " s" + (last == null ? "" : ": " + last));
  }

  /**
   * Opens this node's copy of the metadata group, with a fresh state machine, unless a live copy is
   * open already. A copy whose division died while joining (seen, rarely, when three nodes start at
   * once; the cause is not known yet) is removed and opened again rather than retried forever.
   */
  private void openMetadataCopy(RaftGroup existing) throws IOException {
    if (hasLocalGroup(metadataGroupId)) {
      if (server.getDivision(metadataGroupId).getInfo().isAlive()) {
        return;
      }
      LOG.warn("This node's copy of the metadata group stopped while joining ({}); opening it again",
          server.getDivision(metadataGroupId).getInfo().getLifeCycleState());
      server.groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(), self.getId(), 0, metadataGroupId,
          true, false));
    }
    // A state machine instance serves one division only: a new copy gets a new one.
    metadata = new MetadataStateMachine(this::applied, this::localTraces, ClusterState.EMPTY, 0);
    addLocalGroup(RaftGroup.valueOf(metadataGroupId, with(existing.getPeers(), self)));
  }

  private RaftGroup askSeedForMetadataGroup(String seed) throws IOException {
    RaftPeer seedPeer = RaftPeer.newBuilder().setId(NodeRecord.peerIdFor(seed)).setAddress(seed).build();
    try (RaftClient client = newClient(RaftGroup.valueOf(metadataGroupId, seedPeer), RetryPolicies.noRetry())) {
      GroupInfoReply info = client.getGroupManagementApi(seedPeer.getId()).info(metadataGroupId);
      if (!info.isSuccess() || info.getGroup() == null || info.getGroup().getPeers().isEmpty()) {
        throw new IOException("seed " + seed + " has no metadata group yet");
      }
      return info.getGroup();
    }
  }

  /** Whether this node's division of group {@code id} is closing or closed (it shut itself down). */
  private boolean localGroupClosed(RaftGroupId id) {
    try {
      return !server.getDivision(id).getInfo().isAlive();
    } catch (IOException e) {
      return false; // gone meanwhile: the next reconcile adds it
    }
  }

  /**
   * Reconciles now and then without a metadata change as well: a division may shut down at any
   * time (Ratis closes one on some errors), and nothing else would notice that it is placed here
   * but no longer running.
   */
  private void reconcileEveryPeriod() {
    reconciler.scheduleWithFixedDelay(this::requestReconcile, RECONCILE_PERIOD_MILLIS, RECONCILE_PERIOD_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private static long soonest(long a, long b) {
    return a < 0 ? b : Math.min(a, b);
  }

  /**
   * Opens again a group whose division shut down while placed here, on the log it has on disk;
   * {@code times} counts the reopenings in a row (see {@link ReopenBackoff}).
   */
  private void reopenLocalGroup(RaftGroup group, int times) {
    if (times == 1) {
      LOG.warn("Raft group {} is placed here but its division shut down; opening it again", group.getGroupId());
    } else {
      LOG.warn("Raft group {} is placed here but its division shut down again; opening it again ({} times in a row;"
          + " the next try waits {} s)", group.getGroupId(), times, ReopenBackoff.waitAfter(times) / 1000);
    }
    removeLocalGroup(group.getGroupId(), false);
    addLocalGroup(group, false);
  }

  /** @param deleteDirectory also delete its log and files, else keep them to open it again */
  private void removeLocalGroup(RaftGroupId id, boolean deleteDirectory) {
    try {
      server.groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(), self.getId(), 0, id,
          deleteDirectory, false));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close Raft group " + id + ": " + e.getMessage(), e);
    }
  }

  private void addLocalGroup(RaftGroup group) {
    addLocalGroup(group, true);
  }

  /** @param format a new replica (empty log), else one recovering the log it has on disk */
  private void addLocalGroup(RaftGroup group, boolean format) {
    try {
      RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(
          ClientId.randomId(), self.getId(), 0, group, format));
      if (!reply.isSuccess()) {
        throw new IllegalStateException("Cannot open Raft group " + group.getGroupId() + ": " + reply.getException());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open Raft group " + group.getGroupId() + ": " + e.getMessage(), e);
    }
  }

  private static List<RaftPeer> with(java.util.Collection<RaftPeer> peers, RaftPeer extra) {
    List<RaftPeer> out = new ArrayList<>();
    for (RaftPeer p : peers) {
      if (!p.getId().equals(extra.getId())) {
        out.add(p);
      }
    }
    out.add(extra);
    return out;
  }

  /** Records (or refreshes) this node's addresses in the metadata and waits until it is applied here. */
  public void announce(int cqlPort) {
    NodeRecord record = new NodeRecord(settings.hostId(), peerId(), settings.raftAddress(), settings.raftHost(),
        cqlPort, settings.dataCenter(), settings.rack());
    submitMetadata(new MetadataCommand.Join(record));
    // The record applied carries the tokens the metadata group gave (or kept); compare the rest.
    waitUntil(() -> record.equals(metadata.state().node(settings.hostId()).map(n -> n.withTokens(List.of())).orElse(null)),
        "this node's join to apply");
  }

  // --- the metadata log ---------------------------------------------------------------------------

  private String submitMetadata(MetadataCommand command) {
    return MetadataStateMachine.verdict(submitMetadataReply(command).getMessage());
  }

  RaftClientReply submitMetadataReply(MetadataCommand command) {
    byte[] bytes = MetadataCodec.encode(command);
    try {
      RaftClientReply reply = metadataClient().io().send(Message.valueOf(
          org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(bytes)));
      if (!reply.isSuccess()) {
        throw MeridianException.server("The cluster metadata change was not committed: " + reply.getException(),
            reply.getException());
      }
      return reply;
    } catch (IOException e) {
      throw MeridianException.server("The cluster metadata change has an unknown outcome: " + e.getMessage(), e);
    }
  }

  RaftClient metadataClient() {
    RaftClient c = metadataClient;
    if (c == null) {
      synchronized (this) {
        if (metadataClient == null) {
          RaftGroup group;
          try {
            group = server.getDivision(metadataGroupId).getGroup();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          metadataClient = newClient(group, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
              100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
        }
        c = metadataClient;
      }
    }
    return c;
  }

  /**
   * Where this node's finished trace sessions come from (encoded by the server), so that a driver
   * reading {@code system_traces} through another node finds them.
   */
  public void setTraceSource(java.util.function.Supplier<byte[]> source) {
    traceSource = java.util.Objects.requireNonNull(source, "source");
  }

  private byte[] localTraces() {
    java.util.function.Supplier<byte[]> source = traceSource;
    return source == null ? new byte[0] : source.get();
  }

  /**
   * Every other member's trace sessions, as its trace source encoded them, asked of all at once.
   * A member that is down, does not answer within {@code timeout} or answers with an error is
   * left out: a trace read should not fail because one node is away.
   */
  public Map<NodeRecord, byte[]> peerTraces(java.time.Duration timeout) {
    Map<NodeRecord, CompletableFuture<byte[]>> asked = new java.util.LinkedHashMap<>();
    for (NodeRecord n : state().nodes()) {
      if (n.hostId().equals(settings.hostId())) {
        continue;
      }
      RaftPeer peer = RaftPeer.newBuilder().setId(n.peerId()).setAddress(n.raftAddress()).build();
      RaftClient client = adminClients.computeIfAbsent("traces/" + n.peerId(),
          id -> newClient(RaftGroup.valueOf(metadataGroupId, peer), RetryPolicies.noRetry()));
      // The blocking API on a thread of its own: a stale read addressed to one member must not
      // wait in a client's ordered stream (see ReplicatedTablet.staleRead).
      asked.put(n, CompletableFuture.supplyAsync(() -> {
        try {
          RaftClientReply reply = client.io().sendStaleRead(
              Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(
                  MetadataStateMachine.TRACES_REQUEST)), 0, peer.getId());
          if (!reply.isSuccess()) {
            throw new IOException("member " + n.peerId() + " refused: " + reply.getException());
          }
          return reply.getMessage().getContent().toByteArray();
        } catch (IOException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }, TRACE_READS));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<NodeRecord, byte[]> answers = new java.util.LinkedHashMap<>();
    for (Map.Entry<NodeRecord, CompletableFuture<byte[]>> e : asked.entrySet()) {
      try {
        answers.put(e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
        LOG.debug("No trace sessions from {}: {}", e.getKey().peerId(), ex.toString());
      }
    }
    return answers;
  }

  /** Threads for {@link #peerTraces}: one blocking request per member, rare (trace reads). */
  private static final java.util.concurrent.ExecutorService TRACE_READS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "meridian-trace-read");
    t.setDaemon(true);
    return t;
  });

  RaftClient newClient(RaftGroup group, RetryPolicy retry) {
    return RaftClient.newBuilder().setProperties(clientProperties).setRaftGroup(group).setRetryPolicy(retry)
        .setClientRpc(new GrpcFactory(new Parameters()).newRaftClientRpc(ClientId.randomId(), clientProperties))
        .build();
  }

  boolean hasGroup(RaftPeer peer, RaftGroupId groupId) {
    if (peer.getId().equals(self.getId())) {
      return hasLocalGroup(groupId);
    }
    // One admin client per peer, kept: a new gRPC channel for every probe is far slower than the probe.
    RaftClient client = adminClients.computeIfAbsent(peer.getId().toString(),
        id -> newClient(RaftGroup.valueOf(groupId, peer), RetryPolicies.noRetry()));
    try {
      return client.getGroupManagementApi(peer.getId()).info(groupId).isSuccess();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Replicas per tablet from the keyspace's replication options (all data centers together). */
  static int replicationFactor(KeyspaceMetadata ks) {
    return ReplicationParams.totalReplicas(ks.replication());
  }

  /** Called on the metadata group's apply thread, in log order, for every applied command. */
  private void applied(MetadataCommand command, ClusterState before, ClusterState after, long index) {
    writeCachedState(after, index);
    if (command instanceof MetadataCommand.Join join) {
      listener.nodeJoined(join.node());
      requestRebalance();
    } else if (command instanceof MetadataCommand.Decommission d) {
      requestRebalance();
      if (d.peerId().equals(peerId()) && after.leaving().contains(peerId())) {
        finishDecommission();
      }
    } else if (command instanceof MetadataCommand.RemoveNode r) {
      before.node(r.hostId()).ifPresent(listener::nodeRemoved);
    } else if (command instanceof MetadataCommand.CommitSchema c) {
      schema.install(SchemaStore.fromBytes(c.schema()));
      if (!c.originPeer().equals(peerId())) {
        listener.schemaChanged(c.changes());
      }
    }
    rememberLocalTablets(after);
    requestReconcile();
    synchronized (stateChanged) {
      stateChanged.notifyAll();
    }
  }

  // --- tablet groups on this node -----------------------------------------------------------------

  private void rememberLocalTablets(ClusterState state) {
    for (Map.Entry<UUID, TablePlacement> e : state.placements().entrySet()) {
      TablePlacement p = e.getValue();
      for (int i = 0; i < p.tabletCount(); i++) {
        if (p.tablet(i).replicas().contains(peerId())) {
          localTablets.putIfAbsent(TabletGroups.groupId(e.getKey(), p.tablet(i).id()), TabletSpec.of(e.getKey(), p, i));
        }
      }
    }
  }

  /** The tablet whose group this is, placed here or not; null when no table has it. */
  private static TabletSpec anyTablet(ClusterState state, RaftGroupId groupId) {
    for (Map.Entry<UUID, TablePlacement> e : state.placements().entrySet()) {
      for (int i = 0; i < e.getValue().tabletCount(); i++) {
        if (TabletGroups.groupId(e.getKey(), e.getValue().tablet(i).id()).equals(groupId)) {
          return TabletSpec.of(e.getKey(), e.getValue(), i);
        }
      }
    }
    return null;
  }

  private void requestReconcile() {
    requestReconcile(0);
  }

  private void requestReconcile(long delayMillis) {
    if (closed || !reconcileQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      reconciler.schedule(() -> {
        reconcileQueued.set(false);
        try {
          reconcileTablets(metadata.state());
        } catch (RuntimeException e) {
          if (!closed) {
            // No later metadata change may come to retry it (the last DDL of a burst): retry alone.
            LOG.warn("Opening or closing tablet groups failed; retrying in {} ms", RECONCILE_RETRY_MILLIS, e);
            requestReconcile(RECONCILE_RETRY_MILLIS);
          }
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      reconcileQueued.set(false); // closing
    }
  }

  /** Opens the groups of tablets placed here and closes those of dropped tables. */
  private void reconcileTablets(ClusterState state) {
    if (closed) {
      return;
    }
    long lookAgainMillis = -1; // when to look at the groups again, if at all
    Set<RaftGroupId> wanted = new HashSet<>();
    // Taken once, for both loops: looking up each placed tablet in the server's list is quadratic.
    Set<RaftGroupId> local = new HashSet<>();
    server.getGroupIds().forEach(local::add);
    for (Map.Entry<UUID, TablePlacement> e : state.placements().entrySet()) {
      for (TablePlacement.Tablet t : e.getValue().tablets()) {
        if (!t.replicas().contains(peerId())) {
          continue;
        }
        RaftGroupId id = TabletGroups.groupId(e.getKey(), t.id());
        wanted.add(id);
        if (!local.contains(id)) {
          addLocalGroup(tabletGroup(state, e.getKey(), t.id()));
          lookAgainMillis = soonest(lookAgainMillis, OPENED_GROUP_RECHECK_MILLIS);
        } else if (localGroupClosed(id)) {
          long now = System.currentTimeMillis();
          long wait = reopenBackoff.waitMillis(id, now);
          if (wait == 0) {
            int times = reopenBackoff.reopened(id, now);
            reopenLocalGroup(tabletGroup(state, e.getKey(), t.id()), times);
            lookAgainMillis = soonest(lookAgainMillis, OPENED_GROUP_RECHECK_MILLIS);
          } else {
            lookAgainMillis = soonest(lookAgainMillis, wait);
          }
        }
      }
    }
    if (lookAgainMillis >= 0) {
      // A replica added to a running group starts with the placement's peers, and may stand for
      // election before the leader's configuration change reaches it; the leader, not knowing it
      // yet, tells it to shut down. Look again once that would have happened, or once a division
      // that keeps shutting down may be opened again (scheduled apart from the queued reconcile,
      // which may run sooner than that).
      try {
        reconciler.schedule(() -> requestReconcile(), lookAgainMillis, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
    for (RaftGroupId id : local) { // groups opened above are wanted: none of them is removed
      TabletSpec spec = localTablets.get(id);
      if (!id.equals(metadataGroupId) && !wanted.contains(id)) {
        removeLocalGroup(id, true);
        localTablets.remove(id);
        reopenBackoff.forget(id);
        if (spec == null) {
          continue; // an orphan found on disk at start (see stateMachineFor)
        }
        if (!state.placements().containsKey(spec.tableId())) {
          engine.dropTable(spec.tableId());
        } else {
          deleteMovedRows(spec, localRanges(state, spec.tableId()));
        }
      }
    }
  }

  /** The token ranges of the table's tablets placed on this node, in ring order. */
  private List<io.meridian.storage.TokenRange> localRanges(ClusterState state, UUID tableId) {
    List<io.meridian.storage.TokenRange> out = new ArrayList<>();
    TablePlacement p = state.placements().get(tableId);
    for (int i = 0; p != null && i < p.tabletCount(); i++) {
      if (p.tablet(i).replicas().contains(peerId())) {
        out.add(p.range(i));
      }
    }
    return out;
  }

  /**
   * The tablet moved to other nodes, or split: its rows leave this node's store, except where a
   * tablet still placed here owns them (the halves of a split start from those rows). A replace
   * with nothing is a range delete, ordered after the group's last writes. If the tablet comes back
   * later it arrives by snapshot or log replay, from empty.
   */
  private void deleteMovedRows(TabletSpec spec, List<io.meridian.storage.TokenRange> kept) {
    List<io.meridian.storage.TokenRange> gone = new ArrayList<>();
    long from = spec.range().start();
    for (io.meridian.storage.TokenRange k : kept) {
      if (k.end() <= from || k.start() >= spec.range().end()) {
        continue;
      }
      if (k.start() > from) {
        gone.add(new io.meridian.storage.TokenRange(from, k.start()));
      }
      from = Math.max(from, k.end());
    }
    if (from < spec.range().end()) {
      gone.add(new io.meridian.storage.TokenRange(from, spec.range().end()));
    }
    for (io.meridian.storage.TokenRange range : gone) {
      deleteRows(spec, range);
    }
  }

  private void deleteRows(TabletSpec spec, io.meridian.storage.TokenRange range) {
    if (!(engine instanceof io.meridian.storage.TabletSnapshots snapshots)) {
      LOG.warn("The store cannot delete a range; rows of moved tablet {} of table {} stay on disk",
          spec.tabletId(), spec.tableId());
      return;
    }
    Path empty = settings.raftDir().resolve("empty-range");
    try {
      Files.createDirectories(empty);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    snapshots.replaceRange(spec.tableId(), range, empty);
    LOG.info("Tablet {} of table {} moved away; its rows in {} were deleted from this node", spec.tabletId(),
        spec.tableId(), range);
  }

  // --- indexes ---------------------------------------------------------------------------------------

  /**
   * Records how the table is indexed and tells this node's store, if it holds any of the table's
   * tablets; a tablet that arrives later gets it when its group opens. Entries of rows applied
   * before then are built by the store (see {@link StorageEngine#setIndexing}).
   */
  public void setIndexing(UUID tableId, io.meridian.storage.TableIndexing indexing) {
    indexings.put(tableId, indexing);
    boolean held;
    try {
      held = !engine.tablets(tableId).isEmpty();
    } catch (io.meridian.common.MeridianException unknownHere) {
      held = false;
    }
    if (held) {
      engine.setIndexing(tableId, indexing);
    }
  }

  /** The indexed columns of the table, as last given (empty when none). */
  public java.util.Set<String> indexedColumns(UUID tableId) {
    io.meridian.storage.TableIndexing indexing = indexings.get(tableId);
    return indexing == null ? java.util.Set.of() : indexing.columns().keySet();
  }

  // --- moving tablets ------------------------------------------------------------------------------

  /**
   * This node's replica of the tablet if it leads the tablet's group and has applied the first
   * entry of its term (so its state holds every write acknowledged before it became leader), else
   * null.
   */
  TabletStateMachine ledTabletStateMachine(UUID tableId, int tabletId) {
    org.apache.ratis.server.RaftServer.Division d = tabletDivision(tableId, tabletId);
    return d != null && d.getInfo().isLeader() && d.getInfo().isLeaderReady()
        && d.getStateMachine() instanceof TabletStateMachine sm ? sm : null;
  }

  /**
   * This node's replica of the tablet if it is a voting follower in its group, running and not
   * sealed, else null. Its state may lag the leader's; see {@link FollowerReads}.
   */
  TabletStateMachine followedTabletStateMachine(UUID tableId, int tabletId) {
    org.apache.ratis.server.RaftServer.Division d = tabletDivision(tableId, tabletId);
    return d != null && d.getInfo().isFollower() && d.getStateMachine() instanceof TabletStateMachine sm
        && sm.getLifeCycleState() == org.apache.ratis.util.LifeCycle.State.RUNNING && !sm.isSealed() ? sm : null;
  }

  /** This node's member of the tablet's group, or null when it has none (or is stopping). */
  private org.apache.ratis.server.RaftServer.Division tabletDivision(UUID tableId, int tabletId) {
    RaftServer s = server;
    if (closed || s == null) {
      return null;
    }
    try {
      return s.getDivision(TabletGroups.groupId(tableId, tabletId));
    } catch (IOException e) {
      return null; // not a replica here
    }
  }

  /** Commits the split of a sealed tablet onto {@code replicas}; false when refused (the placement moved on). */
  boolean splitTablet(UUID tableId, int tabletId, long splitToken, List<String> replicas) {
    return MetadataStateMachine.APPLIED.equals(
        submitMetadata(new MetadataCommand.SplitTablet(tableId, tabletId, splitToken, replicas)));
  }

  /** Tablet splits this node has made (for tests and monitoring). */
  public long tabletSplitsDone() {
    TabletSplitter s = splitter;
    return s == null ? 0 : s.splitsDone();
  }

  /** Runs a split check now (tests): finishes a sealed tablet or splits one too large, if this node leads it. */
  int splitTabletsNow() {
    TabletSplitter s = splitter;
    return s == null ? 0 : s.check();
  }

  boolean isMetadataLeader() {
    try {
      return !closed && server.getDivision(metadataGroupId).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  private void requestRebalance() {
    Rebalancer r = rebalancer;
    if (r != null && isMetadataLeader()) {
      r.request();
    }
  }

  /** Commits a tablet's new replicas if they are still {@code expected}; false when refused. */
  boolean setReplicas(UUID tableId, int tabletId, List<String> expected, List<String> replicas) {
    return MetadataStateMachine.APPLIED.equals(
        submitMetadata(new MetadataCommand.SetReplicas(tableId, tabletId, expected, replicas)));
  }

  /**
   * Runs a rebalancing pass now if this node leads the metadata group (otherwise the leader runs
   * them: after joins, decommissions and every few seconds). Returns the moves made.
   */
  public int rebalance() {
    Rebalancer r = rebalancer;
    return r == null || !isMetadataLeader() ? 0 : r.pass();
  }

  /** Tablet moves this node has performed as rebalancing leader (for tests and monitoring). */
  public long tabletMovesDone() {
    Rebalancer r = rebalancer;
    return r == null ? 0 : r.movesDone();
  }

  /**
   * Takes this node out of the cluster for good: marks it leaving, waits while the leader moves
   * every replica it holds to the other nodes (clients keep working), then removes it from the
   * member list and from the metadata group. Afterwards the node holds nothing and should be shut
   * down; its data folder must be wiped before it can join again.
   */
  public void decommission(long timeoutMs) {
    ClusterState state = metadata.state();
    if (state.activeNodes().size() <= 1 && !state.leaving().contains(peerId())) {
      throw MeridianException.invalid("Cannot decommission the last member of the cluster");
    }
    if (!state.leaving().contains(peerId())) {
      submitMetadata(new MetadataCommand.Decommission(peerId())); // applying it starts the finishing thread
    }
    finishDecommission();
    try {
      decommissioned.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw MeridianException.server("Timed out moving this node's replicas away for its decommission", null);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : MeridianException.server(e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MeridianException.server("Interrupted during decommission", e);
    }
  }

  /**
   * Completes a decommission once the metadata says this node is leaving, whoever asked for it (this
   * node, or {@code bin/meridian decommission} through {@link ClusterAdmin}): waits until the
   * rebalancer has moved every replica away, removes the node from the member list and leaves the
   * metadata group. Runs once, on its own thread; a restart while leaving starts it again.
   */
  private void finishDecommission() {
    if (!decommissionStarted.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        awaitNoReplicasHere();
        leaveCluster();
        decommissioned.complete(null);
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.error("Decommission of this node failed", e);
        }
        decommissioned.completeExceptionally(e);
      }
    }, "meridian-decommission");
    t.setDaemon(true);
    t.start();
  }

  private void awaitNoReplicasHere() {
    synchronized (stateChanged) {
      while (holdsReplicas(metadata.state())) {
        if (closed) {
          throw MeridianException.server("The node closed during its decommission", null);
        }
        try {
          stateChanged.wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw MeridianException.server("Interrupted during decommission", e);
        }
      }
    }
  }

  private void leaveCluster() {
    if (metadata.state().node(settings.hostId()).isPresent()
        && !MetadataStateMachine.APPLIED.equals(submitMetadata(new MetadataCommand.RemoveNode(settings.hostId())))) {
      throw MeridianException.server("The cluster refused to remove this node", null);
    }
    try {
      ClusterAdmin.removeFromMetadataGroup(metadataClient(), server.getDivision(metadataGroupId).getGroup().getPeers(),
          peerId());
    } catch (IOException e) {
      throw MeridianException.server("Leaving the metadata group failed: " + e.getMessage(), e);
    }
    LOG.info("Decommissioned: this node holds no replicas and is no longer a member of cluster '{}'; "
        + "it can be stopped", settings.clusterName());
  }

  /** Completes when this node has left the cluster after a decommission. */
  public CompletableFuture<Void> decommissioned() {
    return decommissioned;
  }

  private boolean holdsReplicas(ClusterState state) {
    for (TablePlacement p : state.placements().values()) {
      for (List<String> replicas : p.replicas()) {
        if (replicas.contains(peerId())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The Raft group of tablet {@code tabletId} of {@code tableId}; its first replica is the preferred leader. */
  RaftGroup tabletGroup(ClusterState state, UUID tableId, int tabletId) {
    TablePlacement p = state.placements().get(tableId);
    int at = p.positionOfId(tabletId).orElseThrow(
        () -> new IllegalStateException("table " + tableId + " has no tablet " + tabletId));
    return tabletGroup(state, tableId, tabletId, p.tablet(at).replicas());
  }

  /** The tablet's Raft group with {@code replicas} as its peers (the first preferred as leader). */
  RaftGroup tabletGroup(ClusterState state, UUID tableId, int tabletId, List<String> replicas) {
    List<RaftPeer> peers = new ArrayList<>();
    for (int r = 0; r < replicas.size(); r++) {
      String peer = replicas.get(r);
      NodeRecord node = state.nodeByPeer(peer).orElseThrow(
          () -> new IllegalStateException("tablet replica " + peer + " is not a known node"));
      peers.add(RaftPeer.newBuilder().setId(peer).setAddress(node.raftAddress()).setPriority(r == 0 ? 1 : 0).build());
    }
    return RaftGroup.valueOf(TabletGroups.groupId(tableId, tabletId), peers);
  }

  // --- local copy of the state ---------------------------------------------------------------------

  private MetadataCodec.IndexedState loadCachedState() throws IOException {
    Path file = settings.raftDir().resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return new MetadataCodec.IndexedState(ClusterState.EMPTY, 0);
    }
    return MetadataCodec.decodeState(Files.readAllBytes(file));
  }

  /** Written (and synced) before the entry is acknowledged, so a restart resumes exactly after it. */
  private void writeCachedState(ClusterState state, long index) {
    Path file = settings.raftDir().resolve(STATE_FILE);
    Path temp = settings.raftDir().resolve(STATE_FILE + ".tmp");
    try {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(temp,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
          java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(MetadataCodec.encode(state, index));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(settings.raftDir(),
          java.nio.file.StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  // --- helpers -------------------------------------------------------------------------------------

  void waitUntil(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.currentTimeMillis() + 30_000;
    synchronized (stateChanged) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || closed) {
          throw MeridianException.server("Timed out waiting for " + what, null);
        }
        try {
          stateChanged.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw MeridianException.server("Interrupted waiting for " + what, e);
        }
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining the cluster", e);
    }
  }

  RaftServer server() {
    return server;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (liveness != null) {
      liveness.close();
    }
    if (rebalancer != null) {
      rebalancer.close();
    }
    if (splitter != null) {
      splitter.close();
    }
    reconciler.shutdownNow();
    for (RaftClient c : adminClients.values()) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Closing an admin client failed: {}", e.toString());
      }
    }
    try {
      if (metadataClient != null) {
        metadataClient.close();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Closing the metadata client failed: {}", e.toString());
    }
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Closing the Raft server failed: {}", e.toString());
    }
  }
}
