package io.meridian.cluster;

import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.SchemaStore;
import io.meridian.schema.TableMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves tablets, one at a time, towards the placement {@link RebalancePlan} asks for. Runs on the
 * metadata group's leader only: after a member joins or starts leaving, on demand, and every few
 * seconds (so a new leader finishes what an old one started).
 *
 * <p>A move of tablet T from replica O to replica N keeps T available and its rows exactly once:
 *
 * <ol>
 *   <li>metadata: T's replicas become {@code current + N} (N last, so not the preferred leader);
 *       N's reconciler opens T's Raft group locally, empty;
 *   <li>T's Raft group: configuration {@code current + N}. Ratis first brings N up to date (log
 *       replay, or a snapshot install when the log was purged) and only then commits the change;
 *   <li>T's Raft group: configuration {@code target} (O left out; if O led, it steps down and a
 *       caught-up replica takes over); writes go on meanwhile, committed by the new majority;
 *   <li>metadata: T's replicas become {@code target}; O's reconciler closes its copy of the group
 *       and deletes T's rows from its local store; clients rebuild their Raft client for T.
 * </ol>
 *
 * Metadata steps are compare-and-set ({@link MetadataCommand.SetReplicas}): a step whose expected
 * replicas are no longer current is refused and the plan is recomputed. A move interrupted after
 * step 1 leaves T with one extra replica, which the next plan removes.
 */
final class Rebalancer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
  static final long PERIOD_MS = 5_000;
  private static final long OPEN_WAIT_MS = 30_000;
  private static final long CONFIGURATION_WAIT_MS = 120_000;
  private static final int MOVES_PER_PASS_MAX = 10_000;

  private final ClusterNode node;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean closed;
  private volatile long movesDone;

  Rebalancer(ClusterNode node) {
    this.node = node;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meridian-rebalancer");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::request, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /** Queues a pass (coalesced with one already queued); it does nothing unless this node leads. */
  void request() {
    if (!closed && queued.compareAndSet(false, true)) {
      executor.execute(() -> {
        queued.set(false);
        try {
          pass();
        } catch (RuntimeException e) {
          if (!closed) {
            LOG.warn("Rebalancing stopped part way; it resumes on the next pass: {}", e.toString());
          }
        }
      });
    }
  }

  long movesDone() {
    return movesDone;
  }

  /** Performs moves until the plan is empty; returns how many. Only on the metadata leader. */
  synchronized int pass() {
    int moves = 0;
    while (!closed && node.isMetadataLeader() && moves < MOVES_PER_PASS_MAX) {
      ClusterState state = node.state();
      Optional<RebalancePlan.Move> next = RebalancePlan.next(state, replicationFactors(state), node::isUp);
      if (next.isEmpty()) {
        break;
      }
      move(state, next.get());
      moves++;
      movesDone++;
    }
    return moves;
  }

  /** Each placed table's replication factor as its keyspace asks (uncapped), else its first tablet's replica count. */
  static java.util.function.ToIntFunction<UUID> replicationFactors(ClusterState state) {
    Map<UUID, Integer> rf = new HashMap<>();
    if (state.schema() != null) {
      for (KeyspaceMetadata ks : SchemaStore.fromBytes(state.schema()).keyspaces().values()) {
        for (TableMetadata t : ks.tables().values()) {
          rf.put(t.id(), ClusterNode.replicationFactor(ks));
        }
      }
    }
    return table -> {
      Integer factor = rf.get(table);
      TablePlacement p = state.placements().get(table);
      return factor != null ? factor : p == null ? 1 : p.replicas().get(0).size();
    };
  }

  private void move(ClusterState state, RebalancePlan.Move move) {
    LOG.info("Moving tablet {} of table {}: {} -> {}", move.tabletId(), move.tableId(), move.current(), move.target());
    List<String> current = move.current();
    List<String> added = move.added();
    if (!added.isEmpty() && bornFromSplit(state, move)) {
      snapshotReplicas(state, move);
    }
    if (!added.isEmpty()) {
      List<String> staging = new ArrayList<>(current);
      staging.addAll(added);
      if (!node.setReplicas(move.tableId(), move.tabletId(), current, staging)) {
        return; // the placement changed under us: plan again
      }
      current = staging;
      ClusterState now = node.state();
      RaftGroup group = node.tabletGroup(now, move.tableId(), move.tabletId(), staging);
      for (RaftPeer peer : group.getPeers()) {
        if (added.contains(peer.getId().toString())) {
          awaitOpen(peer, group);
        }
      }
      configure(group, group);
    }
    ClusterState now = node.state();
    Set<String> union = new LinkedHashSet<>(current);
    union.addAll(move.target());
    RaftGroup all = node.tabletGroup(now, move.tableId(), move.tabletId(), List.copyOf(union));
    configure(all, node.tabletGroup(now, move.tableId(), move.tabletId(), move.target()));
    if (!node.setReplicas(move.tableId(), move.tabletId(), current, move.target())) {
      LOG.info("Tablet {} of table {} changed during its move; planning again", move.tabletId(), move.tableId());
    }
  }

  /** A tablet made by a split (ids from the table's tablet count up) has no log from its beginning. */
  private static boolean bornFromSplit(ClusterState state, RebalancePlan.Move move) {
    TablePlacement p = state.placements().get(move.tableId());
    return p != null && move.tabletId() >= p.baseTabletCount();
  }

  /**
   * A tablet made by a split started from rows its replicas already held, not from its own log, so
   * a new replica can only get them from a snapshot. Ratis sends a joining replica the leader's
   * latest snapshot when the leader has one; so every live replica takes one first (a barrier
   * entry makes sure each has something new to snapshot), whichever of them leads when the new
   * replica joins.
   */
  private void snapshotReplicas(ClusterState state, RebalancePlan.Move move) {
    TablePlacement p = state.placements().get(move.tableId());
    io.meridian.storage.TokenRange range = p.range(p.positionOfId(move.tabletId()).orElseThrow());
    RaftGroup group = node.tabletGroup(state, move.tableId(), move.tabletId(), move.current());
    try (RaftClient client = node.newClient(group, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
        50, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))) {
      io.meridian.replication.ReplicatedTablet tablet =
          new io.meridian.replication.ReplicatedTablet(move.tableId(), range, client);
      long barrier = tablet.barrier().get(CONFIGURATION_WAIT_MS, TimeUnit.MILLISECONDS);
      for (String peer : move.current()) {
        if (!node.isUp(peer)) {
          continue;
        }
        org.apache.ratis.protocol.RaftPeerId id = org.apache.ratis.protocol.RaftPeerId.valueOf(peer);
        tablet.status(id, barrier).get(OPEN_WAIT_MS, TimeUnit.MILLISECONDS);
        RaftClientReply reply = client.getSnapshotManagementApi(id).create(1, OPEN_WAIT_MS);
        if (!reply.isSuccess()) {
          throw new IllegalStateException("replica " + peer + " of tablet " + move.tabletId() + " took no snapshot: "
              + reply.getException());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while snapshotting a tablet before its move", e);
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("tablet " + move.tabletId() + " of table " + move.tableId()
          + " could not be snapshotted before its move: " + e, e);
    }
  }

  private void awaitOpen(RaftPeer peer, RaftGroup group) {
    long deadline = System.currentTimeMillis() + OPEN_WAIT_MS;
    while (!node.hasGroup(peer, group.getGroupId())) {
      if (closed || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("replica " + peer.getId() + " did not open tablet group " + group.getGroupId());
      }
      sleep(50);
    }
  }

  /**
   * Sets the Raft configuration of the tablet group to {@code target}'s peers (with their
   * priorities), asking any of {@code reach}'s peers; retried until it commits. Setting the
   * configuration already in force succeeds at once, so a retried move repeats it harmlessly.
   */
  private void configure(RaftGroup reach, RaftGroup target) {
    long deadline = System.currentTimeMillis() + CONFIGURATION_WAIT_MS;
    Exception last = null;
    while (!closed && System.currentTimeMillis() < deadline) {
      try (RaftClient client = node.newClient(reach, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
          50, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))) {
        RaftClientReply reply = client.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
            .setServersInNewConf(List.copyOf(target.getPeers()))
            .setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY).build());
        if (reply.isSuccess()) {
          return;
        }
        last = reply.getException();
      } catch (IOException | RuntimeException e) {
        last = e;
      }
      LOG.debug("Configuration of tablet group {} not changed yet: {}", target.getGroupId(), String.valueOf(last));
      sleep(200);
    }
    throw new IllegalStateException("tablet group " + target.getGroupId() + " did not take configuration "
        + target.getPeers() + ": " + last);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while moving a tablet", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }
}
