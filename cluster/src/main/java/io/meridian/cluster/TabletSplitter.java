package io.meridian.cluster;

import io.meridian.replication.ReadCodec;
import io.meridian.replication.ReplicatedTablet;
import io.meridian.replication.TabletStateMachine;
import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the tablets this node leads once their range holds more than
 * {@link ClusterSettings#tabletSplitBytes} (the local store's estimate), where one spans two
 * sections of the token ring its table follows ({@link TokenRing#boundaryInside}), or while a
 * table placed per node has fewer tablets than it needs to spread over the cluster's nodes
 * ({@link #tooFewToSpread}), one at a time:
 *
 * <ol>
 *   <li>the tablet's group seals itself at the split token (the middle of its range, or where a
 *       section of the ring begins; a log entry, see
 *       {@code MutationCodec.Seal}): every replica applies the entries before the seal and then
 *       refuses every read and write, so from then on its rows are exactly the log up to the seal;
 *   <li>each replica is asked, directly, whether it has applied the seal; the ones that confirm
 *       (at least a majority, since the seal was committed) hold the rows both halves start from;
 *   <li>metadata: {@link MetadataCommand.SplitTablet} replaces the tablet by two, with new ids and
 *       Raft groups, on the confirmed replicas. Each node opens the halves' groups over the rows
 *       it already has and closes the sealed group (its rows stay: the halves own them now). A
 *       replica that did not confirm deletes its copy; the rebalancer gives the halves their
 *       missing replicas from a snapshot.
 * </ol>
 *
 * Clients whose requests reach the sealed tablet get {@code TabletSealedException}, and the
 * cluster's routing waits for the split to reach the placement and sends them to the halves.
 * A split interrupted after the seal is finished by whichever replica leads the sealed tablet next.
 */
final class TabletSplitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TabletSplitter.class);
  static final long CHECK_PERIOD_MS = 5_000;
  /** Ranges narrower than this are not split further (a hot partition cannot be split anyway). */
  static final long RANGE_WIDTH_MIN = 1L << 20;
  private static final long STEP_TIMEOUT_MS = 30_000;
  private static final long CONFIRM_WAIT_MS = 10_000;

  private final ClusterNode node;
  private final ScheduledExecutorService executor;
  private volatile boolean closed;
  private volatile long splitsDone;
  private byte[] factorsSchema; // the schema factors was read from (states share it until it changes)
  private java.util.function.ToIntFunction<UUID> factors;

  TabletSplitter(ClusterNode node) {
    this.node = node;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meridian-tablet-splitter");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::checkQuietly, CHECK_PERIOD_MS, CHECK_PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  long splitsDone() {
    return splitsDone;
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("A tablet split stopped part way; the next check resumes it: {}", e.toString());
      }
    }
  }

  /** Finishes a sealed tablet, or splits one that grew too large, among those this node leads. Returns the splits made. */
  synchronized int check() {
    ClusterState state = node.state();
    int activeNodes = state.activeNodes().size();
    java.util.function.ToIntFunction<UUID> replicationFactors = replicationFactors(state);
    TokenRing ring = new TokenRing(state.activeNodes());
    for (Map.Entry<UUID, TablePlacement> e : state.placements().entrySet()) {
      UUID tableId = e.getKey();
      if (tableId.equals(BatchLog.TABLE_ID)) {
        continue; // small, and written by every coordinator: not worth splitting
      }
      TablePlacement p = e.getValue();
      int rf = Math.min(replicationFactors.applyAsInt(tableId), activeNodes);
      boolean onRing = RebalancePlan.followsRing(tableId, rf, activeNodes);
      boolean spreadBySplitting = !onRing && p.tabletCount() < activeNodes && tooFewToSpread(p, rf, activeNodes);
      for (int at = 0; at < p.tabletCount() && !closed; at++) {
        TablePlacement.Tablet t = p.tablet(at);
        TabletStateMachine replica = node.ledTabletStateMachine(tableId, t.id());
        if (replica == null) {
          continue;
        }
        ReadCodec.TabletStatus status = replica.status();
        TokenRange range = p.range(at);
        Long token = status.sealedSplitToken();
        if (token == null && status.approximateBytes() > node.settings().tabletSplitBytes()) {
          token = middle(range);
        }
        if (token == null && onRing) {
          token = ring.boundaryInside(range, rf).orElse(null);
        }
        if (token == null && spreadBySplitting && widest(p, at)) {
          token = middle(range);
        }
        if (token != null && token > range.start() && token < range.end()) {
          if (split(state, tableId, t, range, token, status.approximateBytes())) {
            splitsDone++;
            return 1;
          }
        }
      }
    }
    return 0;
  }

  /** The tables' replication factors, read from the schema again only when it changed. */
  private java.util.function.ToIntFunction<UUID> replicationFactors(ClusterState state) {
    if (factors == null || factorsSchema != state.schema()) {
      factors = Rebalancer.replicationFactors(state);
      factorsSchema = state.schema();
    }
    return factors;
  }

  /**
   * A table placed per node and created when every node held all of it may have fewer tablets
   * than it needs on today's nodes (see {@link TablePlacement#tabletsToSpread}); such a
   * table is split, widest tablet first, until it has that many, so the rebalancer can spread it
   * over the new nodes. (Its keyspace's factor, not its replica count: a table whose factor grows
   * with the cluster gains a replica instead.)
   */
  static boolean tooFewToSpread(TablePlacement p, int replicationFactor, int activeNodes) {
    return p.tabletCount() < TablePlacement.tabletsToSpread(activeNodes, replicationFactor);
  }

  /** Whether the tablet at {@code at} is the table's widest (the first of equals). */
  static boolean widest(TablePlacement p, int at) {
    long width = width(p.range(at));
    for (int j = 0; j < p.tabletCount(); j++) {
      int c = Long.compareUnsigned(width(p.range(j)), width);
      if (c > 0 || (c == 0 && j < at)) {
        return false;
      }
    }
    return true;
  }

  private static long width(TokenRange range) {
    return range.end() - range.start(); // unsigned: the full ring is 2^64 - 1
  }

  /** The token halfway through the range, or null when the range is too narrow to split. */
  static Long middle(TokenRange range) {
    long width = width(range);
    if (Long.compareUnsigned(width, RANGE_WIDTH_MIN) < 0) {
      return null;
    }
    return range.start() + Long.divideUnsigned(width, 2);
  }

  private boolean split(ClusterState state, UUID tableId, TablePlacement.Tablet t, TokenRange range, long token,
                        long bytes) {
    LOG.info("Splitting tablet {} of table {} ({} bytes, range {}) at token {}", t.id(), tableId, bytes, range, token);
    try (RaftClient client = node.newClient(node.tabletGroup(state, tableId, t.id(), t.replicas()),
        RetryPolicies.retryUpToMaximumCountWithFixedSleep(100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))) {
      ReplicatedTablet tablet = new ReplicatedTablet(tableId, range, client);
      // Sealing again at the same token (a resumed split) is accepted, at a later index.
      long sealIndex = tablet.seal(token).get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<String> confirmed = confirmed(tablet, t.replicas(), sealIndex);
      if (confirmed.size() <= t.replicas().size() / 2) {
        LOG.warn("Only {} of the replicas {} of tablet {} confirmed its seal; the split is retried later",
            confirmed, t.replicas(), t.id());
        return false;
      }
      if (!node.splitTablet(tableId, t.id(), token, confirmed)) {
        LOG.info("The placement of tablet {} of table {} changed during its split; checking again", t.id(), tableId);
        return false;
      }
      LOG.info("Split tablet {} of table {} at token {} onto {}", t.id(), tableId, token, confirmed);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | IOException e) {
      LOG.warn("Splitting tablet {} of table {} failed; retried on the next check: {}", t.id(), tableId, e.toString());
      return false;
    }
  }

  /** The replicas, in their order, that report having applied log entry {@code sealIndex}. */
  private List<String> confirmed(ReplicatedTablet tablet, List<String> replicas, long sealIndex)
      throws InterruptedException {
    List<String> confirmed = new ArrayList<>();
    long deadline = System.currentTimeMillis() + CONFIRM_WAIT_MS;
    for (String peer : replicas) {
      while (!closed) {
        try {
          ReadCodec.TabletStatus s = tablet.status(RaftPeerId.valueOf(peer), sealIndex).get(
              Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
          if (s.sealedSplitToken() != null) {
            confirmed.add(peer);
          }
          break;
        } catch (ExecutionException | TimeoutException e) {
          if (System.currentTimeMillis() >= deadline || !node.isUp(peer)) {
            break; // down or behind: it gets its copy of the halves later, from a snapshot
          }
          Thread.sleep(100);
        }
      }
    }
    return confirmed;
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }
}
