package io.meridian.replication;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.storage.Mutation;
import io.meridian.storage.MutationChecks;
import io.meridian.storage.PartitionData;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.TabletSnapshots;
import io.meridian.storage.TokenRange;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one tablet's Raft group: each committed log entry is a list of mutations
 * (see {@link MutationCodec}) applied to the local {@link StorageEngine} in one atomic batch.
 *
 * <p><b>Durability.</b> The future handed back to Ratis completes once
 * {@link StorageEngine#applyAtomically} has completed, i.e. once the batch is in storage and
 * visible; on the leader, Ratis replies to the client only after that. The entry itself is durable
 * before that, in the Raft log, fsynced on a majority before it commits. So storage need not fsync
 * each batch (a node runs it with a periodic WAL sync): the log is the commit log, and storage is
 * made durable ({@link StorageEngine#sync}) before the state machine lets the log forget entries,
 * that is before it records an applied index, takes a snapshot or reports a seal.
 *
 * <p><b>Applied index and restarts.</b> Without snapshots Ratis replays the whole log into a
 * restarted replica. The state machine records the last entry whose batch is durable in
 * {@link AppliedIndexFile} (after syncing storage) and skips entries at or below it on replay. The
 * file is rewritten every {@code appliedIndexPersistEveryEntries} entries and on close, not after
 * every entry (that would add a second fsync to every write). So after a crash up to that many
 * entries, and any batches storage had not synced, are applied again.
 * That is harmless: every entry carries its own write timestamps and local deletion times, and
 * storage reconciles by last-write-wins (ties broken deterministically), so applying an entry
 * whose effects are already stored changes nothing. Guarded entries keep this property: their
 * verdict is judged again on replay against the versions recorded with the index (below), and
 * their mutations are blind writes.
 *
 * <p><b>Conditional writes.</b> A guarded entry ({@link MutationCodec#encodeGuarded}) is applied
 * only if its bucket's conflict version is still the one its writer read; otherwise nothing is
 * written and the reply says {@link ApplyVerdict#CONFLICT}. Two views of the versions are kept
 * (see {@link ConflictVersions}): {@code logOrderVersions}, moved on the apply thread when an
 * entry is handed to storage, judges guards, so the verdict is a function of the log prefix and
 * every replica reaches the same one; {@code visibleVersions}, moved when the entry's batch is
 * durable and visible (in log order, just before the applied index), is what reads report. The
 * applied-index file records the visible versions of exactly the entries up to its index, so after
 * a restart replayed guarded entries are judged again against the same versions and give the
 * same verdict; their mutations are blind writes, harmless to apply twice.
 *
 * <p><b>Reads.</b> {@link #query} answers {@link ReadCodec} requests from the local engine on a
 * small bounded pool ({@link #READ_THREADS}, {@link #READ_QUEUE_MAX}), not on Ratis' threads.
 * A partition read reports its bucket's visible version, read before the data, so the data is at
 * least as new as the version: a write after the version makes a guard fail, never pass wrongly.
 *
 * <p><b>Failures.</b> An entry that does not decode, or names a token outside the tablet, or whose
 * storage write fails, stops the state machine: later entries are refused rather than applied
 * over a gap, because a replica that skips an entry silently diverges from the others.
 *
 * <p><b>Snapshots.</b> When the engine implements {@link TabletSnapshots}, {@link #takeSnapshot}
 * exports the tablet's range (see {@link TabletSnapshotter}), Ratis purges the log up to it, and a
 * replica that needs purged entries receives the snapshot files from the leader; {@link #reinitialize}
 * then replaces its range from them. Otherwise there are no snapshots and the log is kept whole.
 */
public final class TabletStateMachine extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(TabletStateMachine.class);
  public static final int APPLIED_INDEX_PERSIST_EVERY_ENTRIES_DEFAULT = 256;
  /** How long a snapshot this replica asked its server for may take. */
  static final long SNAPSHOT_REQUEST_TIMEOUT_MS = 10 * 60_000;
  /**
   * Most entries handed to storage and not yet written by it. Ratis does not wait for our futures, so
   * without this a replaying or lagging replica would flood the engine's bounded commit queue,
   * which answers OVERLOADED and would stop the state machine. Blocking Ratis' apply thread here
   * is the back-pressure. The sum over the tablets of one node must stay below the engine's
   * commit queue capacity; the node-level wiring will size both together.
   */
  public static final int APPLIES_IN_FLIGHT_MAX_DEFAULT = 256;
  /** Bound on completed batches waiting for the applied index to be advanced. */
  private static final int COMPLETION_QUEUE_CAPACITY = 65_536;
  /** Threads serving reads of this tablet; reads beyond them wait in a queue of {@link #READ_QUEUE_MAX}. */
  public static final int READ_THREADS = 2;
  /** Reads waiting for a thread; one more is refused with OVERLOADED. */
  public static final int READ_QUEUE_MAX = 1024;
  /** Upper bound on one scan page's encoded bytes (well under Ratis' message limits). */
  public static final int SCAN_PAGE_BYTES_MAX = 4 * 1024 * 1024;

  private final StorageEngine engine;
  private final UUID tableId;
  private final TokenRange range;
  private final int appliedIndexPersistEveryEntries;
  private final ExecutorService completions;
  private final Semaphore appliesInFlight;
  private final AtomicLong entriesApplied = new AtomicLong();
  private final AtomicLong entriesSkippedOnReplay = new AtomicLong();
  private final AtomicLong guardedEntriesRefused = new AtomicLong();
  private final ExecutorService reads;
  /** Judges guards; written on Ratis' apply thread only. */
  private final ConflictVersions logOrderVersions = new ConflictVersions();
  /** Reported by reads and recorded with the applied index; written on the completion thread only. */
  private final ConflictVersions visibleVersions = new ConflictVersions();
  private final AtomicLong snapshotsInstalled = new AtomicLong();
  /**
   * Moves when a snapshot install may begin to replace this replica's rows (Ratis pauses the
   * replica first) and again when it has replaced them (reinitialize): see {@link #rowsEpoch}.
   */
  private final AtomicLong rowsEpoch = new AtomicLong();
  /** Null when the engine cannot export a range: no snapshots then. */
  private final TabletSnapshotter snapshotter;
  /** Asks this replica's server for snapshots; off until {@link #initialize} reads the settings. */
  private volatile SnapshotTrigger snapshotTrigger = new SnapshotTrigger(0, 0, () -> 0, () -> { });
  private final org.apache.ratis.protocol.ClientId snapshotRequester = org.apache.ratis.protocol.ClientId.randomId();
  private final AtomicLong snapshotRequests = new AtomicLong();

  private AppliedIndexFile appliedIndexFile;
  /** Records a seal (its index and split token) so it survives restarts; see {@link #applyControl}. */
  private SealFile sealFile;
  /** The seal's log index once this replica applied it, in log order (apply thread only); -1: unsealed. */
  private long sealIndex = -1;
  /** The split token of that seal (apply thread only). */
  private Long sealedSplitTokenInLog;
  /** The seal's split token once the seal is applied and everything before it is durable; null: unsealed. */
  private volatile Long sealedSplitToken;
  /** Highest index known durable in storage when this replica started; replayed entries up to it are skipped. */
  private volatile long durableIndexAtStart = -1;
  private volatile Throwable failure;
  private CompletableFuture<Void> orderTail = CompletableFuture.completedFuture(null); // guarded by this
  /** Futures of {@link #whenApplied}, lowest index first; guarded by itself. */
  private final PriorityQueue<AppliedWaiter> appliedWaiters =
      new PriorityQueue<>(Comparator.comparingLong(AppliedWaiter::index));
  private long entriesSincePersist; // completion thread only
  private TermIndex lastPersisted; // completion thread only

  public TabletStateMachine(StorageEngine engine, UUID tableId, TokenRange range) {
    this(engine, tableId, range, APPLIED_INDEX_PERSIST_EVERY_ENTRIES_DEFAULT, APPLIES_IN_FLIGHT_MAX_DEFAULT);
  }

  /**
   * @param appliedIndexPersistEveryEntries how often the applied index is recorded (entries)
   * @param appliesInFlightMax most entries handed to storage and not yet written by it
   */
  public TabletStateMachine(StorageEngine engine, UUID tableId, TokenRange range, int appliedIndexPersistEveryEntries,
                            int appliesInFlightMax) {
    if (appliedIndexPersistEveryEntries < 1) {
      throw new IllegalArgumentException(
          "appliedIndexPersistEveryEntries must be >= 1, got " + appliedIndexPersistEveryEntries);
    }
    if (appliesInFlightMax < 1) {
      throw new IllegalArgumentException("appliesInFlightMax must be >= 1, got " + appliesInFlightMax);
    }
    this.appliesInFlight = new Semaphore(appliesInFlightMax);
    this.engine = engine;
    this.tableId = tableId;
    this.range = range;
    this.appliedIndexPersistEveryEntries = appliedIndexPersistEveryEntries;
    this.snapshotter = engine instanceof TabletSnapshots ts ? new TabletSnapshotter(ts, tableId, range) : null;
    // One thread keeps completions in log order; the queue is bounded and Ratis' own pending
    // limits keep it far below the bound.
    this.completions = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(COMPLETION_QUEUE_CAPACITY), r -> {
          Thread t = new Thread(r, "meridian-tablet-sm-" + range.start());
          t.setDaemon(true);
          return t;
        });
    this.reads = new ThreadPoolExecutor(READ_THREADS, READ_THREADS, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(READ_QUEUE_MAX), r -> {
          Thread t = new Thread(r, "meridian-tablet-read-" + range.start());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    File dir = storage.getStorageDir().getStateMachineDir();
    Files.createDirectories(dir.toPath());
    appliedIndexFile = new AppliedIndexFile(dir.toPath());
    sealFile = new SealFile(dir.toPath());
    sealFile.read().ifPresent(seal -> {
      sealIndex = seal.index();
      sealedSplitTokenInLog = seal.splitToken();
      sealedSplitToken = seal.splitToken();
      log.info("tablet {} of table {}: sealed for a split at token {} by log entry {}", range, tableId,
          seal.splitToken(), seal.index());
    });
    // The applied index itself starts from nothing: Ratis replays the log from its start and the
    // replay advances it, entry by entry, through the ones storage already holds.
    appliedIndexFile.read().ifPresent(recorded -> {
      TermIndex ti = recorded.applied();
      if (recorded.versions() == null) {
        // A format 1 file has no conflict versions: replay the whole log (blind writes, so
        // harmless) to rebuild them rather than judge guards against versions that are wrong.
        log.info("tablet {} of table {}: applied index {} recorded without conflict versions; replaying the log",
            range, tableId, ti);
        return;
      }
      durableIndexAtStart = ti.getIndex();
      lastPersisted = ti;
      logOrderVersions.restore(recorded.versions());
      visibleVersions.restore(recorded.versions());
      log.info("tablet {} of table {}: storage holds log entries up to {}", range, tableId, ti);
    });
    if (snapshotter != null) {
      snapshotter.init(storage);
      restoreFromSnapshot();
      TabletSnapshots snapshots = (TabletSnapshots) engine;
      snapshotTrigger = new SnapshotTrigger(SnapshotSettings.everyEntries(server.getProperties()),
          SnapshotSettings.tabletBytesPerLogByte(server.getProperties()),
          () -> snapshots.approximateBytes(tableId, range), () -> askForSnapshot(server, groupId));
    }
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /**
   * Leader side: refuse an entry before it enters the log if it would not decode, names another
   * tablet, or would be refused by storage; once in the log it would stop every replica.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    try {
      MutationCodec.Entry entry = MutationCodec.decodeEntry(request.getMessage().getContent().asReadOnlyByteBuffer());
      checkInRange(entry.mutations());
      checkGuard(entry);
      checkTruncation(entry);
      checkControl(entry);
      entry.mutations().forEach(MutationChecks::validate);
    } catch (RuntimeException e) {
      // Ratis' way to refuse: the client gets a StateMachineException and its ordered stream goes on.
      trx.setException(e);
    }
    return trx;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    CompletableFuture<Message> applied = apply(trx);
    snapshotTrigger.applied(trx.getLogEntry().getSerializedSize());
    return applied;
  }

  /**
   * Asks this replica's own server for a snapshot (Ratis takes it on its apply thread, through
   * {@link #takeSnapshot}); not waited for, as that thread is the caller.
   */
  private void askForSnapshot(RaftServer server, RaftGroupId groupId) {
    org.apache.ratis.protocol.SnapshotManagementRequest request = org.apache.ratis.protocol.SnapshotManagementRequest
        .newCreate(snapshotRequester, server.getId(), groupId, snapshotRequests.incrementAndGet(),
            SNAPSHOT_REQUEST_TIMEOUT_MS, 1);
    CompletableFuture<org.apache.ratis.protocol.RaftClientReply> reply;
    try {
      reply = server.snapshotManagementAsync(request);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, error) -> {
      if (error != null || !r.isSuccess()) {
        log.warn("tablet {} of table {}: snapshot request failed: {}", range, tableId,
            error != null ? error.toString() : r.getException());
      }
      snapshotTrigger.answered();
    });
  }

  private CompletableFuture<Message> apply(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex termIndex = TermIndex.valueOf(entry);
    Throwable failed = failure;
    if (failed != null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "tablet " + range + " stopped applying after a failure; refusing entry " + termIndex, failed));
    }
    if (termIndex.getIndex() <= durableIndexAtStart) {
      entriesSkippedOnReplay.incrementAndGet();
      return inLogOrder(CompletableFuture.completedFuture(null), termIndex, false, NO_BUCKETS, ApplyVerdict.APPLIED);
    }
    List<Mutation> mutations;
    int[] buckets;
    try {
      MutationCodec.Entry decoded =
          MutationCodec.decodeEntry(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
      if (decoded.control() != null) {
        checkControl(decoded);
        return applyControl(decoded.control(), termIndex);
      }
      if (sealIndex >= 0 && termIndex.getIndex() > sealIndex) {
        // Sealed for a split: the halves took over the range; this entry changes nothing here.
        return inLogOrder(CompletableFuture.completedFuture(null), termIndex, false, NO_BUCKETS, ApplyVerdict.SEALED);
      }
      if (decoded.truncatedTable() != null) {
        return truncate(decoded, termIndex);
      }
      mutations = decoded.mutations();
      checkInRange(mutations);
      checkGuard(decoded);
      MutationCodec.Guard guard = decoded.guard();
      if (guard != null && logOrderVersions.get(guard.bucket()) != guard.expectedVersion()) {
        // Someone wrote the partition's bucket after the writer read it: refuse, write nothing.
        guardedEntriesRefused.incrementAndGet();
        return inLogOrder(CompletableFuture.completedFuture(null), termIndex, false, NO_BUCKETS,
            ApplyVerdict.CONFLICT);
      }
      if (mutations.isEmpty()) {
        // A guarded no-op that held: the decision that wrote nothing is confirmed; nothing to store.
        return inLogOrder(CompletableFuture.completedFuture(null), termIndex, false, NO_BUCKETS, ApplyVerdict.APPLIED);
      }
      buckets = bucketsOf(mutations);
    } catch (RuntimeException e) {
      return fail(termIndex, e);
    }
    for (int b : buckets) {
      logOrderVersions.set(b, termIndex.getIndex());
    }
    CompletableFuture<Void> stored;
    try {
      appliesInFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(termIndex, e);
    }
    try {
      stored = engine.applyAtomically(mutations);
    } catch (RuntimeException e) {
      appliesInFlight.release();
      return fail(termIndex, e);
    }
    stored.whenComplete((ok, error) -> appliesInFlight.release());
    return inLogOrder(stored, termIndex, true, buckets, ApplyVerdict.APPLIED);
  }

  private static final int[] NO_BUCKETS = new int[0];
  private static final int[] ALL_BUCKETS = java.util.stream.IntStream.range(0, ConflictVersions.BUCKETS).toArray();

  /**
   * Removes the table's rows in this tablet's range. Entries before it were handed to storage
   * already and storage orders the range replace after them; entries after it are handed over only
   * once it returns. Every bucket's version moves, so a conditional write that read before the
   * truncation is refused and reads again.
   */
  private CompletableFuture<Message> truncate(MutationCodec.Entry decoded, TermIndex termIndex) {
    try {
      checkTruncation(decoded);
      if (!(engine instanceof io.meridian.storage.TabletSnapshots ranges)) {
        throw new IllegalStateException("this storage engine cannot remove a token range");
      }
      java.nio.file.Path empty = java.nio.file.Files.createTempDirectory("meridian-truncate-");
      try {
        ranges.replaceRange(tableId, range, empty);
      } finally {
        java.nio.file.Files.deleteIfExists(empty);
      }
    } catch (IOException | RuntimeException e) {
      return fail(termIndex, e);
    }
    for (int b : ALL_BUCKETS) {
      logOrderVersions.set(b, termIndex.getIndex());
    }
    return inLogOrder(CompletableFuture.completedFuture(null), termIndex, true, ALL_BUCKETS, ApplyVerdict.APPLIED);
  }

  private void checkControl(MutationCodec.Entry entry) {
    MutationCodec.Control c = entry.control();
    if (c == null) {
      return;
    }
    if (!c.tableId().equals(tableId)) {
      throw new LogEntryCorruptionException("control entry of table " + c.tableId() + " sent to tablet " + range
          + " of table " + tableId);
    }
    if (c instanceof MutationCodec.Seal s && (s.splitToken() <= range.start() || s.splitToken() >= range.end())) {
      throw new LogEntryCorruptionException("split token " + s.splitToken() + " is not inside tablet " + range);
    }
  }

  /**
   * A barrier changes nothing. A seal, the first time, makes this replica refuse every later data
   * entry (they get {@link ApplyVerdict#SEALED} and write nothing) and, once every entry before it
   * is durable, every data read: from then on the range's rows here are exactly the log up to the
   * seal, which is what the two tablets of the split start from. The seal is recorded in its own
   * file before it is reported applied. A second seal changes nothing; it reports APPLIED if it
   * names the same split token, else SEALED.
   */
  private CompletableFuture<Message> applyControl(MutationCodec.Control control, TermIndex termIndex) {
    if (!(control instanceof MutationCodec.Seal seal)) {
      return inLogOrder(CompletableFuture.completedFuture(null), termIndex, false, NO_BUCKETS, ApplyVerdict.APPLIED);
    }
    if (sealIndex >= 0 && termIndex.getIndex() != sealIndex) {
      boolean same = Long.valueOf(seal.splitToken()).equals(sealedSplitTokenInLog);
      return inLogOrder(CompletableFuture.completedFuture(null), termIndex, false, NO_BUCKETS,
          same ? ApplyVerdict.APPLIED : ApplyVerdict.SEALED);
    }
    sealIndex = termIndex.getIndex();
    sealedSplitTokenInLog = seal.splitToken();
    return inLogOrder(CompletableFuture.completedFuture(null), termIndex, false, NO_BUCKETS, ApplyVerdict.APPLIED,
        () -> {
          // The split's halves start from the rows stored here, and the parent's log goes away.
          engine.sync();
          try {
            sealFile.write(new SealFile.Seal(termIndex.getIndex(), seal.splitToken()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          sealedSplitToken = seal.splitToken();
          log.info("tablet {} of table {}: sealed for a split at token {} by log entry {}", range, tableId,
              seal.splitToken(), termIndex);
        });
  }

  private void checkTruncation(MutationCodec.Entry entry) {
    if (entry.truncatedTable() != null && !entry.truncatedTable().equals(tableId)) {
      throw new LogEntryCorruptionException("truncation of table " + entry.truncatedTable()
          + " sent to tablet " + range + " of table " + tableId);
    }
  }

  private static int[] bucketsOf(List<Mutation> mutations) {
    return mutations.stream().mapToInt(m -> ConflictVersions.bucketOf(m.key())).distinct().toArray();
  }

  /** A guarded entry writes one partition, and its guard names that partition's bucket. */
  private static void checkGuard(MutationCodec.Entry entry) {
    if (entry.guard() == null || entry.mutations().isEmpty()) {
      return;
    }
    for (Mutation m : entry.mutations()) {
      if (!m.key().equals(entry.mutations().get(0).key())) {
        throw new LogEntryCorruptionException("a guarded entry writes more than one partition");
      }
    }
    int bucket = ConflictVersions.bucketOf(entry.mutations().get(0).key());
    if (bucket != entry.guard().bucket()) {
      throw new LogEntryCorruptionException("guard names bucket " + entry.guard().bucket()
          + " but its partition is in bucket " + bucket);
    }
  }

  /**
   * Ratis hands entries over in log order but does not wait for our futures, and it reports
   * entries that are not ours (configuration, metadata) through {@link #notifyTermIndexUpdated}
   * at once. Every advance of the applied index is therefore chained behind the previous one, on
   * one thread, so it moves forwards only and never past an entry still being written.
   */
  private CompletableFuture<Message> inLogOrder(CompletableFuture<Void> stored, TermIndex termIndex,
                                                boolean applied, int[] buckets, ApplyVerdict verdict) {
    return inLogOrder(stored, termIndex, applied, buckets, verdict, null);
  }

  /** As above; {@code whenStored} runs once every entry up to this one is stored, before the index moves. */
  private synchronized CompletableFuture<Message> inLogOrder(CompletableFuture<Void> stored, TermIndex termIndex,
                                                             boolean applied, int[] buckets, ApplyVerdict verdict,
                                                             Runnable whenStored) {
    CompletableFuture<Message> done = orderTail.thenCombine(stored, (a, b) -> b)
        .handleAsync((ok, error) -> {
          if (error == null && whenStored != null) {
            try {
              whenStored.run();
            } catch (RuntimeException e) {
              error = e;
            }
          }
          if (error != null) {
            fail(termIndex, error);
            throw new IllegalStateException("storage did not apply log entry " + termIndex, error);
          }
          if (applied) {
            entriesApplied.incrementAndGet();
          }
          // Visible before the applied index moves: a read that waited for this index sees both.
          for (int b : buckets) {
            visibleVersions.set(b, termIndex.getIndex());
          }
          advance(termIndex);
          return Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations
              .unsafeWrap(verdict.encode()));
        }, completions);
    // The next step waits for this one whether it succeeded or not; a failure stops later ones anyway.
    orderTail = done.handle((m, e) -> null);
    return done;
  }

  @Override
  public synchronized void notifyTermIndexUpdated(long term, long index) {
    TermIndex termIndex = TermIndex.valueOf(term, index);
    orderTail = orderTail.thenRunAsync(() -> advance(termIndex), completions);
  }

  private CompletableFuture<Message> fail(TermIndex termIndex, Throwable cause) {
    if (failure == null) {
      failure = cause;
      log.error("tablet {} of table {}: cannot apply log entry {}; no further entry will be applied",
          range, tableId, termIndex, cause);
    }
    return CompletableFuture.failedFuture(cause);
  }

  private void advance(TermIndex termIndex) {
    updateLastAppliedTermIndex(termIndex);
    releaseAppliedWaiters();
    if (++entriesSincePersist >= appliedIndexPersistEveryEntries) {
      persistAppliedIndex();
    }
  }

  private void persistAppliedIndex() {
    TermIndex applied = getLastAppliedTermIndex();
    // Never move the recorded index backwards (a close during replay sees a lower applied index).
    if (applied == null || appliedIndexFile == null
        || (lastPersisted != null && applied.getIndex() <= lastPersisted.getIndex())) {
      return;
    }
    try {
      // Entries up to the recorded index are never replayed: their batches must be on disk first.
      engine.sync();
      appliedIndexFile.write(applied, visibleVersions.toArray());
      lastPersisted = applied;
      entriesSincePersist = 0;
    } catch (IOException | RuntimeException e) {
      // Not fatal: an older recorded index only means more (idempotent) replay after a restart.
      log.warn("tablet {}: cannot record applied index {}: {}", range, applied, e.toString());
    }
  }

  private void checkInRange(List<Mutation> mutations) {
    for (Mutation m : mutations) {
      if (!m.tableId().equals(tableId) || !range.contains(m.key().token())) {
        throw new LogEntryCorruptionException("mutation for table " + m.tableId() + " token " + m.key().token()
            + " does not belong to tablet " + range + " of table " + tableId);
      }
    }
  }

  // ------------------------------------------------------------------ reads

  /** Answers a {@link ReadCodec} request from the local engine, on the read pool. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    ReadCodec.Request read;
    try {
      read = ReadCodec.decodeRequest(request.getContent().asReadOnlyByteBuffer());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (read instanceof ReadCodec.StatusRead || read instanceof ReadCodec.AppliedIndexRead) {
      ReadCodec.TabletStatus status = status(read instanceof ReadCodec.StatusRead);
      return CompletableFuture.completedFuture(Message.valueOf(
          org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations.unsafeWrap(ReadCodec.encodeStatus(status))));
    }
    Long sealed = sealedSplitToken;
    if (sealed != null) {
      return CompletableFuture.completedFuture(Message.valueOf(
          org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations.unsafeWrap(ReadCodec.encodeSealed(sealed))));
    }
    try {
      return CompletableFuture.supplyAsync(() -> Message.valueOf(
          org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations.unsafeWrap(answer(read))), reads);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new MeridianException(CqlErrorCode.OVERLOADED,
          "tablet " + range + " has " + READ_QUEUE_MAX + " reads waiting; try again later"));
    }
  }

  private record AppliedWaiter(long index, CompletableFuture<Void> applied) {}

  /** Waiters above this many are swept of the ones their callers gave up on. */
  private static final int APPLIED_WAITERS_SWEEP_AT = 4096;

  /** The index of the last log entry this replica applied (visible to reads), or -1. */
  public long appliedIndex() {
    TermIndex applied = getLastAppliedTermIndex();
    return applied == null ? -1 : applied.getIndex();
  }

  /**
   * Completes once this replica has applied log entry {@code index} (at once if it has): a read of
   * the local engine after that sees every write up to it. It may never complete (a replica that
   * stopped following); callers bound the wait, and may cancel the future when they give up.
   */
  public CompletableFuture<Void> whenApplied(long index) {
    if (appliedIndex() >= index) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> applied = new CompletableFuture<>();
    synchronized (appliedWaiters) {
      // Again under the lock: an advance in between released the waiters before this one was added.
      if (appliedIndex() >= index) {
        return CompletableFuture.completedFuture(null);
      }
      if (appliedWaiters.size() >= APPLIED_WAITERS_SWEEP_AT) {
        appliedWaiters.removeIf(w -> w.applied().isDone());
      }
      appliedWaiters.add(new AppliedWaiter(index, applied));
    }
    return applied;
  }

  private void releaseAppliedWaiters() {
    long applied = appliedIndex();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    synchronized (appliedWaiters) {
      while (!appliedWaiters.isEmpty() && appliedWaiters.peek().index() <= applied) {
        ready.add(appliedWaiters.poll().applied());
      }
    }
    ready.forEach(f -> f.complete(null));
  }

  /** This replica's report on its tablet: size, applied index and seal. */
  public ReadCodec.TabletStatus status() {
    return status(true);
  }

  /** As {@link #status()}; without the size (-1) unless {@code withSize}, which costs the store a look. */
  private ReadCodec.TabletStatus status(boolean withSize) {
    long bytes = withSize && engine instanceof TabletSnapshots ts ? ts.approximateBytes(tableId, range) : -1;
    return new ReadCodec.TabletStatus(bytes, appliedIndex(), sealedSplitToken);
  }

  /** True once this replica applied a seal and everything before it is durable. */
  public boolean isSealed() {
    return sealedSplitToken != null;
  }

  private byte[] answer(ReadCodec.Request request) {
    if (request instanceof ReadCodec.PartitionRead r) {
      if (!range.contains(r.key().token())) {
        throw new IllegalArgumentException("token " + r.key().token() + " is outside tablet " + range);
      }
      // The version first: the data read after it is at least as new.
      long version = visibleVersions.get(ConflictVersions.bucketOf(r.key()));
      Optional<PartitionData> data = engine.readPartition(tableId, r.key(), r.range(), r.nowSeconds());
      return ReadCodec.encodePartitionResult(new ReadCodec.PartitionResult(data, version));
    }
    if (request instanceof ReadCodec.IndexRead r) {
      return ReadCodec.encodeIndexPage(indexPage(r));
    }
    ReadCodec.ScanRead s = (ReadCodec.ScanRead) request;
    if (s.tokens().start() < range.start() || s.tokens().end() > range.end()) {
      throw new IllegalArgumentException("scan of tokens " + s.tokens() + " is not within tablet " + range);
    }
    List<PartitionData> page = new ArrayList<>();
    boolean more;
    try (StorageEngine.PartitionIterator it =
             engine.scan(tableId, s.tokens(), s.after(), s.perPartition(), s.nowSeconds())) {
      while (page.size() < s.partitionsMax() && it.hasNext()) {
        page.add(it.next());
      }
      more = it.hasNext();
    }
    return ReadCodec.encodeScanPage(page, more, SCAN_PAGE_BYTES_MAX);
  }

  /** Entries from this replica's store, when its entries for the column are complete. */
  public ReadCodec.IndexPage indexPage(ReadCodec.IndexRead r) {
    return indexPage(engine, tableId, range, r);
  }

  /** An index page of {@code engine} for a tablet of {@code range}; shared with reads served by the local leader. */
  public static ReadCodec.IndexPage indexPage(StorageEngine engine, java.util.UUID tableId, TokenRange range,
                                              ReadCodec.IndexRead r) {
    if (r.tokens().start() < range.start() || r.tokens().end() > range.end()) {
      throw new IllegalArgumentException("index read of tokens " + r.tokens() + " is not within tablet " + range);
    }
    if (!engine.readyIndexes(tableId).contains(r.column())) {
      return new ReadCodec.IndexPage(List.of(), false, false);
    }
    List<io.meridian.storage.IndexHit> hits = new ArrayList<>();
    boolean more;
    try (StorageEngine.IndexIterator it = engine.indexScan(tableId, r.terms(), r.tokens(), r.after())) {
      while (hits.size() < r.hitsMax() && it.hasNext()) {
        hits.add(it.next());
      }
      more = it.hasNext();
    }
    return new ReadCodec.IndexPage(hits, more, true);
  }

  // ------------------------------------------------------------------ state for snapshots

  /**
   * The log-ordered state that is not in storage (the conflict versions), as of the applied index,
   * in the applied-index file's format 2 (which names that term-index). Taken on the completion
   * thread, so the versions are exactly those of the entries up to the index it names. A snapshot
   * stores these bytes next to its storage checkpoint.
   */
  public byte[] logOrderedState() {
    try {
      return completions.submit(() -> AppliedIndexFile.encode(
          Optional.ofNullable(getLastAppliedTermIndex()).orElse(TermIndex.valueOf(0, -1)), visibleVersions.toArray()))
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the conflict versions", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the conflict versions of tablet " + range, e);
    }
  }

  /**
   * Restores bytes from {@link #logOrderedState} when a snapshot is installed or loaded, before
   * Ratis replays the entries after it. Both views take the snapshot's versions.
   */
  public void restoreLogOrderedState(byte[] state) {
    long[] versions;
    try {
      versions = AppliedIndexFile.decode(state, "snapshot conflict versions").versions();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (versions == null) {
      throw new IllegalArgumentException("snapshot conflict versions are in format 1, which has none");
    }
    logOrderVersions.restore(versions);
    visibleVersions.restore(versions);
  }

  /** The visible conflict versions (a copy), for tests comparing replicas. */
  long[] visibleVersions() {
    return visibleVersions.toArray();
  }

  /** Guarded entries refused because their bucket's version had moved, since this replica started. */
  public long guardedEntriesRefused() {
    return guardedEntriesRefused.get();
  }

  /** Entries whose batch this replica applied to storage since it started. */
  public long entriesApplied() {
    return entriesApplied.get();
  }

  /** Entries replayed by Ratis after a restart that storage already held, so were not applied again. */
  public long entriesSkippedOnReplay() {
    return entriesSkippedOnReplay.get();
  }

  /** Snapshots this replica installed into its storage (from the leader, or again after a crash mid-install). */
  public long snapshotsInstalled() {
    return snapshotsInstalled.get();
  }


  /**
   * Ratis calls this on its apply thread (the one calling {@link #applyTransaction}), after the
   * futures of the entries it applied have completed: no entry after the last applied one has
   * been handed to storage. Waiting for the in-order completion chain then makes every entry up
   * to it durable, so a RocksDB snapshot taken now holds exactly the entries up to that index
   * for this tablet's range (other tablets' writes fall outside the exported keys).
   */
  @Override
  public long takeSnapshot() throws IOException {
    if (snapshotter == null) {
      return super.takeSnapshot();
    }
    TermIndex applied = awaitAppliesDone();
    if (applied == null || failure != null) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    if (sealedSplitToken != null) {
      // A sealed tablet's log must keep its seal: a replica catching up from a snapshot taken
      // after it would miss it. Nothing is taken; the tablet is about to be replaced anyway.
      // (Checked after the applies are done, so a seal applied just now is seen.)
      SnapshotInfo latest = getLatestSnapshot();
      return latest == null ? RaftLog.INVALID_LOG_INDEX : latest.getIndex();
    }
    snapshotter.take(applied, logOrderedState());
    snapshotTrigger.taken();
    return applied.getIndex();
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return snapshotter == null ? super.getLatestSnapshot() : snapshotter.getLatestSnapshot();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshotter == null ? super.getStateMachineStorage() : snapshotter;
  }

  /** Ratis installed a snapshot from the leader into the state machine directory (we are paused). */
  @Override
  public void reinitialize() throws IOException {
    awaitAppliesDone();
    onCompletionThread(() -> {
      restoreFromSnapshot();
      return null;
    });
    rowsEpoch.incrementAndGet(); // before running again: a read that began earlier may have seen a mix
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Afterwards storage reflects at least the latest snapshot and replay starts after it. */
  private void restoreFromSnapshot() throws IOException {
    Optional<TabletSnapshotter.Restored> r = snapshotter.restore(appliedIndexFile);
    if (r.isEmpty()) {
      return;
    }
    TabletSnapshotter.Restored restored = r.get();
    setLastAppliedTermIndex(restored.snapshot());
    releaseAppliedWaiters();
    durableIndexAtStart = restored.durable().getIndex();
    lastPersisted = restored.durable();
    entriesSincePersist = 0;
    if (restored.logOrderedState() != null) {
      restoreLogOrderedState(restored.logOrderedState());
    }
    if (restored.installed()) {
      snapshotsInstalled.incrementAndGet();
      snapshotTrigger.taken();
    }
  }

  /**
   * Waits until every entry handed over is stored and counted, records the applied index (syncing
   * storage first), returns it.
   */
  private TermIndex awaitAppliesDone() throws IOException {
    CompletableFuture<Void> tail;
    synchronized (this) {
      tail = orderTail;
    }
    try {
      tail.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for applies", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause()); // not reached: the tail swallows failures
    }
    return onCompletionThread(() -> {
      persistAppliedIndex();
      return getLastAppliedTermIndex();
    });
  }

  private <T> T onCompletionThread(Callable<T> task) throws IOException {
    try {
      return completions.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /**
   * For reading this replica's rows straight from the engine: take the epoch once the replica may
   * answer, read, then ask {@link #sameRowsSince}. A read between the two saw the rows before a
   * snapshot install or after it, never a tablet it was halfway through replacing.
   */
  public long rowsEpoch() {
    return rowsEpoch.get();
  }

  /** True if this replica runs and no snapshot install began or ended since {@code epoch} ({@link #rowsEpoch}). */
  public boolean sameRowsSince(long epoch) {
    return getLifeCycleState() == LifeCycle.State.RUNNING && rowsEpoch.get() == epoch;
  }

  @Override
  public void pause() {
    rowsEpoch.incrementAndGet();
    flushAppliedIndex();
    // Ratis pauses once per received snapshot chunk and reloads only a PAUSED state machine.
    if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void close() throws IOException {
    flushAppliedIndex();
    completions.shutdown();
    reads.shutdown();
    super.close();
  }

  /** Records the applied index now (on the completion thread, after the batches before it). */
  private void flushAppliedIndex() {
    if (completions.isShutdown()) {
      return;
    }
    try {
      completions.submit(this::persistAppliedIndex).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("tablet {}: cannot record applied index on close: {}", range, e.toString());
    }
  }
}
