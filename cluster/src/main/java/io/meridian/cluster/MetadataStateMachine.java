package io.meridian.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of the metadata group: it folds the log's {@link MetadataCommand}s into a
 * {@link ClusterState}. Applying is a pure function of the state before and the command, so every
 * member computes the same state at the same index. What a node does about a new state (install
 * the schema, open tablet groups, tell drivers) is the {@link Listener}'s business, run in log
 * order on the apply thread.
 *
 * <p>The listener persists each new state with its log index before the entry is acknowledged
 * (the node's local copy); a restarted node starts from that copy and skips the entries it
 * reflects, so replaying the log never takes the node back through old schemas and placements.
 * No Ratis snapshots yet: the log is small (one entry per join and per schema change) and a new
 * member replays it from the start.
 */
final class MetadataStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);
  static final String APPLIED = "applied";
  static final String CONFLICT = "conflict";

  interface Listener {
    /** Called after each command is applied, with the state before and after it. */
    void applied(MetadataCommand command, ClusterState before, ClusterState after, long index);
  }

  /**
   * The content of a read-only request for this node's trace sessions (see {@link #query}); it is
   * answered by the addressed member itself (a stale read), not by the leader.
   */
  static final byte[] TRACES_REQUEST = "meridian-traces/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Listener listener;
  private final java.util.function.Supplier<byte[]> localTraces;
  private final long restoredIndex;
  private volatile ClusterState state;

  /** Starts from {@code restored}, the state after entry {@code restoredIndex} (0 and EMPTY for none). */
  MetadataStateMachine(Listener listener, java.util.function.Supplier<byte[]> localTraces, ClusterState restored,
                       long restoredIndex) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.localTraces = Objects.requireNonNull(localTraces, "localTraces");
    this.state = restored;
    this.restoredIndex = restoredIndex;
  }

  ClusterState state() {
    return state;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex termIndex = TermIndex.valueOf(entry);
    if (termIndex.getIndex() <= restoredIndex) {
      updateLastAppliedTermIndex(termIndex.getTerm(), termIndex.getIndex());
      return CompletableFuture.completedFuture(reply(APPLIED));
    }
    MetadataCommand command;
    try {
      command = MetadataCodec.decodeCommand(entry.getStateMachineLogEntry().getLogData().toByteArray());
    } catch (IllegalArgumentException e) {
      // Every member refuses the same bytes the same way, so skipping keeps them in agreement;
      // the proposer validated the command, so this means corruption on the way, not a bad DDL.
      LOG.error("Metadata entry {} does not decode; it is ignored: {}", termIndex, e.getMessage());
      updateLastAppliedTermIndex(termIndex.getTerm(), termIndex.getIndex());
      return CompletableFuture.completedFuture(reply(CONFLICT));
    }
    ClusterState before = state;
    String verdict = APPLIED;
    ClusterState after;
    if (command instanceof MetadataCommand.Join join) {
      after = before.withNode(join.node());
    } else if (command instanceof MetadataCommand.CommitSchema c) {
      if (Objects.equals(c.baseVersion(), before.schemaVersion())) {
        after = before.withSchema(c.schema(), c.version(), c.added(), liveTableIds(c));
      } else {
        verdict = CONFLICT;
        after = before;
      }
    } else {
      after = applyMembershipOrMove(before, command);
      if (after == null) {
        verdict = CONFLICT;
        after = before;
      }
    }
    state = after;
    if (verdict.equals(APPLIED)) {
      try {
        listener.applied(command, before, after, termIndex.getIndex());
      } catch (RuntimeException e) {
        // The agreed state moved on; this node failed to act on it (for example a full disk while
        // writing its schema file). Logged loudly; the node reconciles again on the next change.
        LOG.error("This node failed to act on metadata entry {}: {}", termIndex, e.toString(), e);
      }
    }
    updateLastAppliedTermIndex(termIndex.getTerm(), termIndex.getIndex());
    return CompletableFuture.completedFuture(reply(verdict));
  }

  /**
   * Answers {@link #TRACES_REQUEST} with this node's finished trace sessions, as the node's trace
   * source encodes them; any other read-only request with the whole state, encoded as
   * {@link MetadataCodec#encode(ClusterState, long)}: what a tool outside the cluster reads (see
   * {@link ClusterAdmin}). The index is a lower bound of the state's.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    if (request.getContent().equals(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(TRACES_REQUEST))) {
      return CompletableFuture.completedFuture(Message.valueOf(
          org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations.unsafeWrap(localTraces.get())));
    }
    TermIndex applied = getLastAppliedTermIndex();
    ClusterState current = state;
    return CompletableFuture.completedFuture(Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString
        .copyFrom(MetadataCodec.encode(current, applied == null ? -1 : applied.getIndex()))));
  }

  /** The state after a move or a decommission step, or null when the command no longer fits the state. */
  static ClusterState applyMembershipOrMove(ClusterState before, MetadataCommand command) {
    if (command instanceof MetadataCommand.SetReplicas m) {
      TablePlacement p = before.placements().get(m.tableId());
      java.util.Optional<Integer> at = p == null ? java.util.Optional.empty() : p.positionOfId(m.tabletId());
      if (at.isEmpty() || !p.tablet(at.get()).replicas().equals(m.expected())
          || m.replicas().isEmpty() || new java.util.HashSet<>(m.replicas()).size() != m.replicas().size()
          || !m.replicas().stream().allMatch(peer -> before.nodeByPeer(peer).isPresent())) {
        return null;
      }
      return before.withReplicas(m.tableId(), m.tabletId(), m.replicas());
    }
    if (command instanceof MetadataCommand.SplitTablet s) {
      return split(before, s);
    }
    if (command instanceof MetadataCommand.Decommission d) {
      return before.nodeByPeer(d.peerId()).isPresent() ? before.withLeaving(d.peerId()) : null;
    }
    MetadataCommand.RemoveNode r = (MetadataCommand.RemoveNode) command;
    java.util.Optional<NodeRecord> node = before.node(r.hostId());
    if (node.isEmpty()) {
      return null;
    }
    for (TablePlacement p : before.placements().values()) {
      for (java.util.List<String> replicas : p.replicas()) {
        if (replicas.contains(node.get().peerId())) {
          return null;
        }
      }
    }
    return before.withoutNode(r.hostId());
  }

  private static ClusterState split(ClusterState before, MetadataCommand.SplitTablet s) {
    TablePlacement p = before.placements().get(s.tableId());
    java.util.Optional<Integer> at = p == null ? java.util.Optional.empty() : p.positionOfId(s.tabletId());
    if (at.isEmpty() || s.replicas().isEmpty() || new java.util.HashSet<>(s.replicas()).size() != s.replicas().size()
        || !p.tablet(at.get()).replicas().containsAll(s.replicas())) {
      return null;
    }
    io.meridian.storage.TokenRange range = p.range(at.get());
    if (s.splitToken() <= range.start() || s.splitToken() >= range.end()) {
      return null;
    }
    TablePlacement next = p.split(s.tabletId(), s.splitToken());
    int low = p.nextTabletId();
    next = next.withReplicas(low, s.replicas()).withReplicas(low + 1, s.replicas());
    return before.withPlacement(s.tableId(), next);
  }

  private static java.util.Set<java.util.UUID> liveTableIds(MetadataCommand.CommitSchema c) {
    java.util.Set<java.util.UUID> ids = new java.util.HashSet<>();
    ids.add(BatchLog.TABLE_ID); // internal, in no schema, but placed like a table
    for (io.meridian.schema.KeyspaceMetadata ks : io.meridian.schema.SchemaStore.fromBytes(c.schema()).keyspaces().values()) {
      ks.tables().values().forEach(t -> ids.add(t.id()));
    }
    return ids;
  }

  private static Message reply(String verdict) {
    return Message.valueOf(verdict);
  }

  static String verdict(Message reply) {
    return reply.getContent().toString(StandardCharsets.UTF_8);
  }
}
