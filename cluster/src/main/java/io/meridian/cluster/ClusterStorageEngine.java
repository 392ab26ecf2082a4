package io.meridian.cluster;

import io.meridian.common.MeridianException;
import io.meridian.common.ReplicasUnavailable;
import io.meridian.replication.ReadMode;
import io.meridian.replication.ReplicatedTablet;
import io.meridian.replication.ScanPage;
import io.meridian.replication.TabletSealedException;
import io.meridian.replication.TabletStateMachine;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadConsistency;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.Tablet;
import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * The query layer's storage on a cluster node: every table's tablets are Raft groups placed by the
 * metadata group, and this engine routes each request to the tablet owning its token through a Raft
 * client. The client finds the group's leader itself (a node that is not a replica forwards the
 * same way), so any node serves any request. Writes are acknowledged once committed by a majority
 * and applied on the leader; reads are linearizable (answered by the leader under its lease, or
 * after a read-index round).
 */
public final class ClusterStorageEngine implements StorageEngine {
  /** Partitions per remote scan page. */
  private static final int SCAN_PAGE_PARTITIONS = 128;
  /** How long a request refused by a tablet being split waits for the split to reach the placement. */
  private static final long SPLIT_WAIT_MS = 15_000;
  private static final long SPLIT_POLL_MS = 20;
  private static final long GROUP_OPEN_WAIT_MS = 5_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterStorageEngine.class);

  private final ClusterNode node;
  private final StorageEngine local;
  /** How long a Raft client replaced after a tablet move stays open for the requests still using it. */
  private static final long RETIRED_CLIENT_CLOSE_AFTER_MS = 60_000;

  /** A tablet's client, built for one replica list: a move (new replicas) gets a new one. */
  private record CachedTablet(List<String> replicas, ReplicatedTablet tablet, RaftClient client) {}

  private record RetiredClient(RaftClient client, long retiredAtMs) {}

  private final Map<String, CachedTablet> tablets = new ConcurrentHashMap<>();
  /** The cluster state whose gone tablets were last retired from {@link #tablets}. */
  private volatile ClusterState sweptState;
  private final List<RaftClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final LoggedBatches loggedBatches = new LoggedBatches(this);
  private final BatchReplayer batchReplayer;
  private final java.util.Queue<RetiredClient> retired = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Leader reads (partitions and scan pages) served from this node's own replica. */
  private final java.util.concurrent.atomic.AtomicLong localLeaderReads = new java.util.concurrent.atomic.AtomicLong();
  private final FollowerReads followerReads;
  /**
   * Where an asynchronous read goes on after a wait ({@link #readPartitionAsync}): reads of this
   * node's replica, and the caller's continuations. Never the threads that answered (the Raft
   * client's, a replica's applier): those must stay free.
   */
  private final ExecutorService readCompletionPool;
  private final Executor readCompletions;

  public ClusterStorageEngine(ClusterNode node, StorageEngine local) {
    this(node, local, BatchSettings.DEFAULTS);
  }

  public ClusterStorageEngine(ClusterNode node, StorageEngine local, BatchSettings batchSettings) {
    this.node = node;
    this.local = local;
    this.followerReads = new FollowerReads(node);
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    this.readCompletionPool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "meridian-read-completion-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.readCompletions = task -> {
      try {
        readCompletionPool.execute(task);
      } catch (RejectedExecutionException e) {
        task.run(); // closing: finish on the answering thread rather than leave the read unanswered
      }
    };
    this.batchReplayer = new BatchReplayer(node, this, batchSettings);
    batchReplayer.start();
  }

  /** Tablets this engine holds a Raft client for (tests: the clients of split tablets are let go). */
  int cachedTablets() {
    return tablets.size();
  }

  long localLeaderReads() {
    return localLeaderReads.get();
  }

  FollowerReads followerReads() {
    return followerReads;
  }

  LoggedBatches loggedBatches() {
    return loggedBatches;
  }

  BatchReplayer batchReplayer() {
    return batchReplayer;
  }

  boolean hasPlacement(UUID tableId) {
    return node.state().placements().containsKey(tableId);
  }

  /** The ids of the table's tablets, in token order. */
  List<Integer> tabletIds(UUID tableId) {
    return placement(tableId).tablets().stream().map(TablePlacement.Tablet::id).toList();
  }

  /** The tokens tablet {@code tabletId} owns. */
  TokenRange rangeOf(UUID tableId, int tabletId) {
    TablePlacement p = placement(tableId);
    return p.range(position(tableId, p, tabletId));
  }

  private static int position(UUID tableId, TablePlacement p, int tabletId) {
    return p.positionOfId(tabletId).orElseThrow(() -> MeridianException.server(
        "Tablet " + tabletId + " of table " + tableId + " no longer exists (it split or the table was recreated)", null));
  }

  private TablePlacement placement(UUID tableId) {
    TablePlacement p = node.state().placements().get(tableId);
    if (p == null) {
      throw MeridianException.invalid("Table " + tableId + " has no tablets on this cluster (was it just dropped?)");
    }
    return p;
  }

  /**
   * The tablet's client for its current replicas. When the placement changed since the client was
   * built (a tablet move), a new client replaces it; the old one keeps serving the requests already
   * using it (Ratis follows the group's leader even to a peer it was not built with) and is closed
   * a minute later.
   */
  ReplicatedTablet tablet(UUID tableId, int tabletId) {
    ClusterState state = node.state();
    TablePlacement p = state.placements().get(tableId);
    if (p == null) {
      placement(tableId); // throws the usual error
    }
    int at = position(tableId, p, tabletId);
    List<String> replicas = p.tablet(at).replicas();
    CachedTablet known = tablets.get(tableId + "/" + tabletId);
    if ((known == null || !known.replicas().equals(replicas)) && tabletId >= p.baseTabletCount()) {
      awaitGroupOpen(state, tableId, tabletId, replicas);
    }
    CachedTablet cached = tablets.compute(tableId + "/" + tabletId, (k, old) -> {
      if (old != null && old.replicas().equals(replicas)) {
        return old;
      }
      if (old != null) {
        retire(old.client());
      }
      // Bounded: with no leader for ~10 s the request's outcome is reported unknown (a timeout).
      RaftClient client = node.newClient(node.tabletGroup(state, tableId, tabletId, replicas),
          RetryPolicies.retryUpToMaximumCountWithFixedSleep(100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
      clients.add(client);
      // ONE reads ask this node's replica when it has one (no network hop), else the preferred leader.
      String asked = replicas.contains(node.peerId()) ? node.peerId() : replicas.get(0);
      return new CachedTablet(replicas, new ReplicatedTablet(tableId, p.range(at),
          client, org.apache.ratis.protocol.RaftPeerId.valueOf(asked), io.meridian.replication.ConditionalRetry.DEFAULT),
          client);
    });
    if (state != sweptState) {
      sweptState = state;
      retireGoneTablets(state);
    }
    closeRetiredClients(System.currentTimeMillis() - RETIRED_CLIENT_CLOSE_AFTER_MS);
    return cached.tablet();
  }

  /** Retires the clients of tablets the placement no longer has (split, or their table dropped). */
  private void retireGoneTablets(ClusterState state) {
    for (Map.Entry<String, CachedTablet> e : tablets.entrySet()) {
      String key = e.getKey();
      int slash = key.indexOf('/');
      TablePlacement p = state.placements().get(UUID.fromString(key.substring(0, slash)));
      if (p == null || p.positionOfId(Integer.parseInt(key.substring(slash + 1))).isEmpty()) {
        if (tablets.remove(key, e.getValue())) {
          retire(e.getValue().client());
        }
      }
    }
  }

  /**
   * Waits (bounded) until every live replica has opened the group of a tablet made by a split:
   * each node opens the halves when it applies the split, and a Raft client that reaches a replica
   * without the group is closed for good by Ratis ("group not found").
   */
  private void awaitGroupOpen(ClusterState state, UUID tableId, int tabletId, List<String> replicas) {
    org.apache.ratis.protocol.RaftGroup group = node.tabletGroup(state, tableId, tabletId, replicas);
    long deadline = System.currentTimeMillis() + GROUP_OPEN_WAIT_MS;
    for (org.apache.ratis.protocol.RaftPeer peer : group.getPeers()) {
      while (node.isUp(peer.getId().toString()) && !node.hasGroup(peer, group.getGroupId())
          && System.currentTimeMillis() < deadline) {
        ClusterNode.sleep(SPLIT_POLL_MS);
      }
    }
  }

  /** Stops handing out {@code client}; it is closed a minute later, after the requests using it. */
  private void retire(RaftClient client) {
    clients.remove(client);
    retired.add(new RetiredClient(client, System.currentTimeMillis()));
  }

  private void closeRetiredClients(long retiredBeforeMs) {
    RetiredClient r;
    while ((r = retired.peek()) != null && r.retiredAtMs() <= retiredBeforeMs) {
      if (retired.remove(r)) {
        closeQuietly(r.client());
      }
    }
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // nothing left to do for a client being discarded
    }
  }

  /**
   * Fails fast, as Cassandra's coordinator does, when fewer replicas of the tablet are up than the
   * request needs: a majority for anything that goes through the leader, one for a ONE read.
   */
  void checkAlive(UUID tableId, int tabletId, boolean anyReplica) {
    List<String> replicas = replicasOf(tableId, tabletId);
    int alive = liveReplicas(replicas);
    int required = anyReplica ? 1 : majority(replicas);
    if (alive < required) {
      throw new ReplicasUnavailable("Cannot achieve consistency: " + alive + " of the " + replicas.size()
          + " replicas of this partition's tablet are up, " + required + " needed", required, alive);
    }
  }

  /** The tablet of {@code token}, after checking enough of its replicas are up. */
  private ReplicatedTablet live(UUID tableId, long token, boolean anyReplica) {
    int tabletId = tabletIdFor(tableId, token);
    checkAlive(tableId, tabletId, anyReplica);
    return tablet(tableId, tabletId);
  }

  /** The id of the tablet owning {@code token} now. */
  int tabletIdFor(UUID tableId, long token) {
    return placement(tableId).tabletFor(token).id();
  }

  private List<String> replicasOf(UUID tableId, int tabletId) {
    TablePlacement p = placement(tableId);
    return p.tablet(position(tableId, p, tabletId)).replicas();
  }

  @Override
  public void createTable(UUID tableId, int tabletCount) {
    // The metadata group placed the table when the schema change committed; nothing to do but check.
    placement(tableId);
  }

  @Override
  public void dropTable(UUID tableId) {
    // Replicas close the table's groups and drop its rows when they apply the schema change.
    tablets.entrySet().removeIf(e -> {
      if (e.getKey().startsWith(tableId + "/")) {
        retire(e.getValue().client());
        return true;
      }
      return false;
    });
  }

  /** One truncation entry per tablet, in parallel: each removes the rows its tablet held before it. */
  @Override
  public CompletableFuture<Void> truncate(UUID tableId) {
    List<Integer> ids = tabletIds(tableId);
    for (int id : ids) {
      checkAlive(tableId, id, false);
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>(ids.size());
    for (int id : ids) {
      parts.add(tablet(tableId, id).truncate());
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]));
  }

  @Override
  public List<Tablet> tablets(UUID tableId) {
    List<Tablet> out = new ArrayList<>();
    for (int id : tabletIds(tableId)) {
      out.add(tablet(tableId, id));
    }
    return out;
  }

  @Override
  public Tablet tabletFor(UUID tableId, long token) {
    return live(tableId, token, false);
  }

  /**
   * All or nothing. Within one tablet that is one log entry of its group. Across tablets the batch
   * goes through the batch log ({@link LoggedBatches}): logged first, then each tablet's part, so
   * every part is eventually applied once any is (not isolated: readers may see some parts first).
   * UNAVAILABLE is reported before anything is written when a part's tablet has no live majority.
   */
  /** A blind write: sent again on the half that owns it when its tablet splits under it. */
  @Override
  public CompletableFuture<Void> apply(Mutation mutation) {
    return onOwner(mutation.tableId(), mutation.key().token(), true, tabletId -> {
      checkAlive(mutation.tableId(), tabletId, false);
      return tablet(mutation.tableId(), tabletId).apply(mutation);
    });
  }

  @Override
  public <T> CompletableFuture<T> applyConditionally(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds,
                                                     io.meridian.storage.ConditionalWrite<T> write) {
    // Not idempotent: only a refusal by a sealed tablet (nothing done) is sent again.
    return onOwner(tableId, key.token(), false, tabletId -> {
      checkAlive(tableId, tabletId, false);
      return tablet(tableId, tabletId).applyConditionally(key, range, nowSeconds, write);
    });
  }

  @Override
  public CompletableFuture<Void> applyAtomically(List<Mutation> mutations) {
    return applyAtomically(mutations, splitDeadline());
  }

  /** As {@link #applyAtomically(List)}; a write refused by a tablet being split is sent again after it. */
  private CompletableFuture<Void> applyAtomically(List<Mutation> mutations, long splitDeadlineNanos) {
    List<LoggedBatches.Part> parts;
    try {
      parts = LoggedBatches.partsOf(mutations, this);
      for (LoggedBatches.Part p : parts) {
        checkAlive(p.tableId(), p.tabletId(), false);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (parts.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (parts.size() == 1) {
      LoggedBatches.Part only = parts.get(0);
      // Blind writes carry their own timestamps, so sending one again after its tablet split is harmless.
      return tablet(only.tableId(), only.tabletId()).applyAtomically(only.mutations()).exceptionallyCompose(error ->
          retriesAfterSplit(only.tableId(), only.tabletId(), unwrap(error), true)
              ? afterSplit(only.tableId(), only.tabletId(), splitDeadlineNanos, unwrap(error))
                  .thenCompose(v -> applyAtomically(mutations, splitDeadlineNanos))
              : CompletableFuture.failedFuture(unwrap(error)));
    }
    if (!hasPlacement(BatchLog.TABLE_ID)) {
      // A cluster formed before the batch log existed gets it with its next schema change.
      LOG.warn("No batch log placed yet: a batch across {} tablets is applied part by part", parts.size());
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (LoggedBatches.Part p : parts) {
        sent.add(tablet(p.tableId(), p.tabletId()).applyAtomically(p.mutations()));
      }
      return CompletableFuture.allOf(sent.toArray(new CompletableFuture[0]));
    }
    return loggedBatches.apply(mutations, parts);
  }

  @Override
  public Optional<PartitionData> readPartition(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds) {
    return readPartition(tableId, key, range, nowSeconds, ReadConsistency.LINEARIZABLE);
  }

  @Override
  public Optional<PartitionData> readPartition(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds,
                                               ReadConsistency consistency) {
    return join(onOwner(tableId, key.token(), true, tabletId -> {
      ReadMode mode = mode(tableId, tabletId, consistency);
      checkAlive(tableId, tabletId, mode == ReadMode.ANY_REPLICA);
      Optional<PartitionData> here = mode == ReadMode.LEADER
          ? readHere(answersLocally(tableId, tabletId), () -> local.readPartition(tableId, key, range, nowSeconds))
          : null;
      return here != null ? CompletableFuture.completedFuture(here)
          : tablet(tableId, tabletId).readPartition(key, range, nowSeconds, mode);
    }));
  }

  /**
   * {@link #readPartition} without blocking: the result completes at once on the calling thread
   * (a read of this node's replica that needs no wait) or on a read-completion thread.
   */
  @Override
  public CompletableFuture<Optional<PartitionData>> readPartitionAsync(UUID tableId, PartitionKey key, ReadRange range,
                                                                       int nowSeconds, ReadConsistency consistency) {
    return onOwner(tableId, key.token(), true, tabletId -> {
      ReadMode mode = mode(tableId, tabletId, consistency);
      checkAlive(tableId, tabletId, mode == ReadMode.ANY_REPLICA);
      if (mode != ReadMode.LEADER) {
        return handOff(tablet(tableId, tabletId).readPartition(key, range, nowSeconds, mode));
      }
      CompletableFuture<LocalReplica> here = whenAnswersLocally(tableId, tabletId);
      Function<LocalReplica, CompletableFuture<Optional<PartitionData>>> read = replica -> {
        Optional<PartitionData> data = readHere(replica, () -> local.readPartition(tableId, key, range, nowSeconds));
        return data != null ? CompletableFuture.completedFuture(data)
            : handOff(tablet(tableId, tabletId).readPartition(key, range, nowSeconds, mode));
      };
      return here.isDone() ? here.thenCompose(read) : here.thenComposeAsync(read, readCompletions);
    });
  }

  /** {@code f}, completing on a read-completion thread unless it is complete already. */
  private <T> CompletableFuture<T> handOff(CompletableFuture<T> f) {
    return f.isDone() ? f : f.whenCompleteAsync((v, e) -> { }, readCompletions);
  }

  @Override
  public PartitionIterator scan(UUID tableId, TokenRange tokens, PartitionKey after, ReadRange perPartition,
                                int nowSeconds) {
    return scan(tableId, tokens, after, perPartition, nowSeconds, ReadConsistency.LINEARIZABLE);
  }

  @Override
  public PartitionIterator scan(UUID tableId, TokenRange tokens, PartitionKey after, ReadRange perPartition,
                                int nowSeconds, ReadConsistency consistency) {
    return new ClusterScan(tableId, tokens, after, perPartition, nowSeconds, consistency);
  }

  /**
   * ONE reads get the leader's state without a read index while a majority of the tablet's replicas
   * is up (so a client reads its own writes, as Cassandra users expect at ONE), and a single replica's
   * when it is not (available, like Cassandra at ONE, but possibly stale). Other levels are
   * linearizable. A leader read is served from the local engine directly when this node's replica
   * leads the tablet or has caught up with the leader ({@link #answersLocally}).
   */
  private ReadMode mode(UUID tableId, int tabletId, ReadConsistency consistency) {
    if (consistency != ReadConsistency.ANY_REPLICA) {
      return ReadMode.LINEARIZABLE;
    }
    List<String> replicas = replicasOf(tableId, tabletId);
    return liveReplicas(replicas) >= majority(replicas) ? ReadMode.LEADER : ReadMode.ANY_REPLICA;
  }

  /**
   * Whether a {@link ReadMode#LEADER} read is answered from this node's own engine, without a Raft
   * request: when its replica leads the tablet (the state the request would read), or follows it
   * and has caught up with everything the leader acknowledged before the read ({@link FollowerReads}).
   */
  private LocalReplica answersLocally(UUID tableId, int tabletId) {
    return whenAnswersLocally(tableId, tabletId).join(); // never fails
  }

  /**
   * {@link #answersLocally} without blocking; it completes on the thread that answered, with the
   * replica to read (see {@link #readHere}) or null to ask the leader.
   */
  private CompletableFuture<LocalReplica> whenAnswersLocally(UUID tableId, int tabletId) {
    TabletStateMachine led = node.ledTabletStateMachine(tableId, tabletId);
    if (led != null && !led.isSealed()) { // a sealed tablet's halves answer for its rows
      localLeaderReads.incrementAndGet();
      return CompletableFuture.completedFuture(LocalReplica.of(led));
    }
    return followerReads.caughtUp(tableId, tabletId, () -> tablet(tableId, tabletId));
  }

  /**
   * {@code read} of this node's engine, if {@code here} may answer (not null) and no snapshot
   * install replaced the replica's rows while it ran; else null, and the caller asks the leader.
   */
  private <T> T readHere(LocalReplica here, Supplier<T> read) {
    if (here == null) {
      return null;
    }
    T result = read.get();
    if (here.stillSame()) {
      return result;
    }
    LOG.debug("A snapshot install overlapped a read of this node's replica; reading through the leader");
    return null;
  }

  // --- tablets being split ---------------------------------------------------------------------

  private static long splitDeadline() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SPLIT_WAIT_MS);
  }

  /**
   * Runs {@code op} with the id of the tablet owning {@code token} now. A tablet being split
   * refuses requests without acting on them ({@link TabletSealedException}); then this waits until
   * the split is in the placement and runs {@code op} again, on the half that owns the token.
   */
  private <T> CompletableFuture<T> onOwner(UUID tableId, long token, boolean idempotent,
                                           IntFunction<CompletableFuture<T>> op) {
    return onOwner(tableId, token, idempotent, op, splitDeadline());
  }

  private <T> CompletableFuture<T> onOwner(UUID tableId, long token, boolean idempotent,
                                           IntFunction<CompletableFuture<T>> op, long deadlineNanos) {
    int tabletId;
    CompletableFuture<T> attempt;
    try {
      tabletId = tabletIdFor(tableId, token);
      attempt = op.apply(tabletId);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return attempt.exceptionallyCompose(error -> retriesAfterSplit(tableId, tabletId, unwrap(error), idempotent)
        ? afterSplit(tableId, tabletId, deadlineNanos, unwrap(error))
            .thenCompose(v -> onOwner(tableId, token, idempotent, op, deadlineNanos))
        : CompletableFuture.failedFuture(unwrap(error)));
  }

  /**
   * Whether a request that failed on a tablet is sent again once the tablet's split is in the
   * placement: always when the sealed tablet refused it (nothing was done); for an idempotent
   * request (a read, a blind write) also when any other error came from a tablet that has split
   * meanwhile (its group was closed under the request: "group not found").
   */
  private boolean retriesAfterSplit(UUID tableId, int tabletId, Throwable error, boolean idempotent) {
    if (groupNotOpen(error)) {
      // The client is unusable now (Ratis closes its ordered stream); the next request builds a new one.
      dropClient(tableId, tabletId);
    }
    if (error instanceof TabletSealedException) {
      return true;
    }
    if (!idempotent || error instanceof io.meridian.common.ReplicasUnavailable) {
      return false;
    }
    TablePlacement p = node.state().placements().get(tableId);
    // Gone: it split under the request. Not open: a half whose replica has not opened its group yet.
    return p != null && (p.positionOfId(tabletId).isEmpty() || groupNotOpen(error));
  }

  /** A replica answered that it has no such group (not opened yet, or closed), or the client closed after that. */
  private static boolean groupNotOpen(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof org.apache.ratis.protocol.exceptions.GroupMismatchException
          || t instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException) {
        return true;
      }
    }
    return false;
  }

  private void dropClient(UUID tableId, int tabletId) {
    CachedTablet old = tablets.remove(tableId + "/" + tabletId);
    if (old != null) {
      retire(old.client());
    }
  }

  /**
   * Completes once the placement no longer holds the tablet (its split, or its table's drop, is
   * in), or after a short pause when {@code cause} is not the sealed tablet's refusal (a half's
   * group not open yet); fails with {@code cause} at the deadline.
   */
  private CompletableFuture<Void> afterSplit(UUID tableId, int tabletId, long deadlineNanos, Throwable cause) {
    TablePlacement p = node.state().placements().get(tableId);
    if (p == null || p.positionOfId(tabletId).isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (System.nanoTime() > deadlineNanos) {
      return CompletableFuture.failedFuture(cause);
    }
    if (!(cause instanceof TabletSealedException)) {
      // The tablet is still placed: a group not open yet on the replica asked; try again shortly.
      return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(SPLIT_POLL_MS, TimeUnit.MILLISECONDS));
    }
    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(SPLIT_POLL_MS, TimeUnit.MILLISECONDS))
        .thenCompose(v -> afterSplit(tableId, tabletId, deadlineNanos, cause));
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private int liveReplicas(List<String> replicas) {
    return (int) replicas.stream().filter(node::isUp).count();
  }

  private static int majority(List<String> replicas) {
    return replicas.size() / 2 + 1;
  }

  /**
   * Walks the tablets overlapping the range in token order, one remote page at a time. Progress is
   * kept as tokens and keys, not tablet positions, so a tablet split during the scan is followed:
   * each page asks the current placement which tablet owns the next token.
   */
  private final class ClusterScan implements PartitionIterator {
    private final UUID tableId;
    private final ReadRange perPartition;
    private final int nowSeconds;
    /** Every token up to here (inclusive) has been read. */
    private long doneUpTo;
    /** Beyond {@link #doneUpTo}, every partition up to this key has been read (null: none yet). */
    private PartitionKey after;
    private final Deque<PartitionData> buffer = new ArrayDeque<>();
    private final TokenRange tokens;
    private final ReadConsistency consistency;

    ClusterScan(UUID tableId, TokenRange tokens, PartitionKey after, ReadRange perPartition, int nowSeconds,
                ReadConsistency consistency) {
      this.tableId = tableId;
      this.consistency = consistency;
      this.tokens = tokens;
      this.perPartition = perPartition;
      this.nowSeconds = nowSeconds;
      this.doneUpTo = tokens.start();
      this.after = after;
      placement(tableId); // an unknown table fails here, as on a single node
    }

    @Override
    public boolean hasNext() {
      while (buffer.isEmpty()) {
        if (doneUpTo >= tokens.end()) {
          return false;
        }
        TablePlacement p = placement(tableId);
        int at = p.positionOf(doneUpTo + 1);
        TokenRange tabletRange = p.range(at);
        long end = Math.min(tabletRange.end(), tokens.end());
        if (after != null && after.token() > end) {
          doneUpTo = end; // read before this tablet split off the part after it
          continue;
        }
        TokenRange part = new TokenRange(Math.max(tabletRange.start(), doneUpTo), end);
        int tabletId = p.tablet(at).id();
        ReadMode mode = mode(tableId, tabletId, consistency);
        checkAlive(tableId, tabletId, mode == ReadMode.ANY_REPLICA);
        ScanPage page;
        try {
          ScanPage here = mode == ReadMode.LEADER ? readHere(answersLocally(tableId, tabletId), () -> localPage(part)) : null;
          page = here != null ? here
              : join(tablet(tableId, tabletId).scanPage(part, after, perPartition, nowSeconds, SCAN_PAGE_PARTITIONS,
                  mode));
        } catch (RuntimeException e) {
          if (!retriesAfterSplit(tableId, tabletId, e, true)) {
            throw e;
          }
          join(afterSplit(tableId, tabletId, splitDeadline(), e)); // then read on from the half that owns the next token
          continue;
        }
        buffer.addAll(page.partitions());
        if (page.more() && !page.partitions().isEmpty()) {
          after = page.partitions().get(page.partitions().size() - 1).key();
        } else {
          doneUpTo = end;
          after = null;
        }
      }
      return true;
    }

    /** A page read from this node's own replica (see {@link #answersLocally}): no Raft request. */
    private ScanPage localPage(TokenRange range) {
      List<PartitionData> partitions = new ArrayList<>();
      try (PartitionIterator it = local.scan(tableId, range, after, perPartition, nowSeconds)) {
        while (partitions.size() < SCAN_PAGE_PARTITIONS && it.hasNext()) {
          partitions.add(it.next());
        }
        return new ScanPage(partitions, it.hasNext());
      }
    }

    @Override
    public PartitionData next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return buffer.poll();
    }

    @Override
    public void close() {
      buffer.clear();
    }
  }

  // --- indexes -----------------------------------------------------------------------------------

  @Override
  public void setIndexing(UUID tableId, io.meridian.storage.TableIndexing indexing) {
    node.setIndexing(tableId, indexing);
  }

  /**
   * The columns whose entries are complete in this node's store when it holds tablets of the table
   * (the other replicas apply the same log, so they are most likely complete too); every indexed
   * column when it holds none. Either way a replica whose entries are not complete answers "not
   * ready" ({@link io.meridian.storage.IndexNotReadyException}) and the query reads without them.
   */
  @Override
  public java.util.Set<String> readyIndexes(UUID tableId) {
    try {
      if (!local.tablets(tableId).isEmpty()) {
        return local.readyIndexes(tableId);
      }
    } catch (io.meridian.common.MeridianException notHere) {
      // no tablet of the table on this node
    }
    return node.indexedColumns(tableId);
  }

  @Override
  public Map<String, Long> indexBuildsInProgress(UUID tableId) {
    try {
      return local.indexBuildsInProgress(tableId);
    } catch (io.meridian.common.MeridianException notHere) {
      return Map.of();
    }
  }

  @Override
  public IndexIterator indexScan(UUID tableId, io.meridian.storage.TermRange terms, TokenRange tokens,
                                 io.meridian.storage.IndexHit after) {
    return indexScan(tableId, terms, tokens, after, ReadConsistency.LINEARIZABLE);
  }

  @Override
  public IndexIterator indexScan(UUID tableId, io.meridian.storage.TermRange terms, TokenRange tokens,
                                 io.meridian.storage.IndexHit after, ReadConsistency consistency) {
    return new ClusterIndexScan(tableId, terms, tokens, after, consistency);
  }

  /** Entries asked of a replica per request. */
  private static final int INDEX_PAGE_HITS = 512;

  /**
   * The entries of every tablet overlapping the tokens, merged into (term, token, partition key,
   * clustering) order. The first page of every tablet is asked for at once (scatter), then each
   * tablet is read on when its entries run out (gather). A tablet that splits meanwhile is read on
   * from its halves, each from the last entry used.
   */
  private final class ClusterIndexScan implements IndexIterator {
    private final UUID tableId;
    private final io.meridian.storage.TermRange terms;
    private final String column;
    private final ReadConsistency consistency;
    private final java.util.PriorityQueue<Part> heads = new java.util.PriorityQueue<>(
        (a, b) -> compareHits(a.buffer.peek(), b.buffer.peek()));
    private final List<Part> waiting = new ArrayList<>();

    /** One token range read from one tablet; {@code after} is the last entry taken from it. */
    private final class Part {
      final TokenRange tokens;
      io.meridian.storage.IndexHit after;
      final Deque<io.meridian.storage.IndexHit> buffer = new ArrayDeque<>();
      boolean more = true;
      CompletableFuture<List<Part>> pending;

      Part(TokenRange tokens, io.meridian.storage.IndexHit after) {
        this.tokens = tokens;
        this.after = after;
      }
    }

    ClusterIndexScan(UUID tableId, io.meridian.storage.TermRange terms, TokenRange tokens,
                     io.meridian.storage.IndexHit after, ReadConsistency consistency) {
      this.tableId = tableId;
      this.terms = terms;
      this.column = io.meridian.storage.IndexTerms.column(terms.prefix());
      this.consistency = consistency;
      for (TokenRange r : partsOf(tokens)) {
        Part part = new Part(r, after);
        part.pending = fetch(part);
        waiting.add(part);
      }
    }

    /** The tokens split at the current tablet boundaries. */
    private List<TokenRange> partsOf(TokenRange tokens) {
      TablePlacement p = placement(tableId);
      List<TokenRange> out = new ArrayList<>();
      long from = tokens.start();
      while (from < tokens.end()) {
        TokenRange tablet = p.range(p.positionOf(from + 1));
        long end = Math.min(tablet.end(), tokens.end());
        out.add(new TokenRange(from, end));
        from = end;
      }
      return out;
    }

    /** Asks the part's tablet for its next entries; a tablet that split gives way to parts on its halves. */
    private CompletableFuture<List<Part>> fetch(Part part) {
      TablePlacement p = placement(tableId);
      int at = p.positionOf(part.tokens.end());
      TokenRange tabletRange = p.range(at);
      if (part.tokens.start() < tabletRange.start()) {
        // The tablet split since the part was made: read its pieces from the halves.
        List<Part> pieces = new ArrayList<>();
        for (TokenRange r : partsOf(part.tokens)) {
          pieces.add(new Part(r, part.after));
        }
        return CompletableFuture.completedFuture(pieces);
      }
      int tabletId = p.tablet(at).id();
      io.meridian.replication.ReadCodec.IndexRead request = new io.meridian.replication.ReadCodec.IndexRead(column, terms, part.tokens, part.after, INDEX_PAGE_HITS);
      ReadMode mode = mode(tableId, tabletId, consistency);
      CompletableFuture<io.meridian.replication.ReadCodec.IndexPage> page;
      try {
        checkAlive(tableId, tabletId, mode == ReadMode.ANY_REPLICA);
        io.meridian.replication.ReadCodec.IndexPage here = mode == ReadMode.LEADER
            ? readHere(answersLocally(tableId, tabletId),
                () -> TabletStateMachine.indexPage(local, tableId, tabletRange, request))
            : null;
        // A replica here whose entries are still being built leaves the page to the leader.
        page = here != null && here.ready() ? CompletableFuture.completedFuture(here)
            : tablet(tableId, tabletId).indexPage(request, mode);
      } catch (RuntimeException e) {
        page = CompletableFuture.failedFuture(e);
      }
      return page.<List<Part>>handle((result, error) -> {
        if (error == null) {
          if (!result.ready()) {
            throw new io.meridian.storage.IndexNotReadyException(column, "a replica of tablet " + tabletRange);
          }
          part.buffer.addAll(result.hits());
          part.more = result.more();
          return List.of(part);
        }
        Throwable cause = unwrap(error);
        if (!retriesAfterSplit(tableId, tabletId, cause, true)) {
          throw cause instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(cause);
        }
        return null; // read again once the split is in the placement
      }).thenCompose(parts -> parts != null ? CompletableFuture.completedFuture(parts)
          : afterSplit(tableId, tabletId, splitDeadline(), new IllegalStateException("tablet split")).thenCompose(v -> fetch(part)));
    }

    /** Waits for every part asked for, and queues those with entries. */
    private void gather() {
      while (!waiting.isEmpty()) {
        List<Part> now = new ArrayList<>(waiting);
        waiting.clear();
        for (Part part : now) {
          for (Part p : join(part.pending)) {
            p.pending = null;
            if (!p.buffer.isEmpty()) {
              heads.add(p);
            } else if (p.more) {
              p.pending = fetch(p); // a fresh piece of a split tablet (more until read), or an empty page with more behind it
              waiting.add(p);
            }
          }
        }
      }
    }

    @Override
    public boolean hasNext() {
      gather();
      return !heads.isEmpty();
    }

    @Override
    public io.meridian.storage.IndexHit next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Part part = heads.poll();
      io.meridian.storage.IndexHit hit = part.buffer.poll();
      part.after = hit;
      if (!part.buffer.isEmpty()) {
        heads.add(part);
      } else if (part.more) {
        part.pending = fetch(part);
        waiting.add(part);
      }
      return hit;
    }

    @Override
    public void close() {
      heads.clear();
      waiting.clear();
    }
  }

  /** Index order: term, then token, partition key and clustering, each as unsigned bytes. */
  private static int compareHits(io.meridian.storage.IndexHit a, io.meridian.storage.IndexHit b) {
    int c = java.util.Arrays.compareUnsigned(a.term(), b.term());
    if (c != 0) {
      return c;
    }
    c = Long.compare(a.key().token(), b.key().token());
    if (c != 0) {
      return c;
    }
    c = java.util.Arrays.compareUnsigned(a.key().serialized(), b.key().serialized());
    return c != 0 ? c : java.util.Arrays.compareUnsigned(a.clustering(), b.clustering());
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public void flush() {
    local.flush();
  }

  /** Closes the Raft clients; the node and the local engine are closed by their owner. */
  @Override
  public void close() {
    batchReplayer.close();
    readCompletionPool.shutdown();
    for (RaftClient c : clients) {
      closeQuietly(c);
    }
    clients.clear();
    closeRetiredClients(Long.MAX_VALUE);
    tablets.clear();
  }
}
