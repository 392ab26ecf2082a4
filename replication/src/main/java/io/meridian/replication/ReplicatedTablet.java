package io.meridian.replication;

import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.Mutation;
import io.meridian.storage.MutationChecks;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.Tablet;
import io.meridian.storage.TokenRange;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A tablet whose writes and reads go through its Raft group: {@link #apply} appends the mutation
 * to the group's log and completes once the entry is committed (on a majority) and applied to the
 * leader's storage by {@link TabletStateMachine}. Followers apply it on their own shortly after.
 *
 * <p>Retries after a lost leader are made by the Raft client with the same call id, and Ratis'
 * retry cache answers a retried call that was already applied, so a retry never writes twice.
 * A request refused by a leader handing over leadership was not acted on; it is sent again as a
 * new call ({@link #retryingSteppingDown}).
 *
 * <p>Reads ({@link #readPartition}, {@link #scanPage}) are Ratis read-only requests answered by a
 * replica's state machine from its engine: {@link ReadMode#LINEARIZABLE} through the read index,
 * {@link ReadMode#ANY_REPLICA} from {@code localReplica} (or, without one, from the leader's state
 * without the read index). Conditional writes are optimistic: see {@link ConditionalWriteLoop}.
 */
public final class ReplicatedTablet implements Tablet {
  /** How long a request a stepping-down leader refused is sent again (see {@link #retryingSteppingDown}). */
  static final long STEPPING_DOWN_RETRY_MS = 10_000;
  private static final long STEPPING_DOWN_PAUSE_MS = 50;

  private final UUID tableId;
  private final TokenRange range;
  private final RaftClient client;
  private final RaftPeerId localReplica;
  private final ConditionalRetry conditionalRetry;
  private final WriteBatcher batcher = new WriteBatcher(this::sendBlindEntry);
  private final SharedQuestion<ReadCodec.TabletStatus> leaderStatus = new SharedQuestion<>(
      () -> statusReply(read(new ReadCodec.AppliedIndexRead(), ReadMode.LEADER)));

  public ReplicatedTablet(UUID tableId, TokenRange range, RaftClient client) {
    this(tableId, range, client, null, ConditionalRetry.DEFAULT);
  }

  /**
   * @param localReplica the replica {@link ReadMode#ANY_REPLICA} reads ask (usually the one on this
   *     node), or null to ask the leader
   * @param conditionalRetry bounds of the conditional write loop
   */
  public ReplicatedTablet(UUID tableId, TokenRange range, RaftClient client, RaftPeerId localReplica,
                          ConditionalRetry conditionalRetry) {
    this.tableId = tableId;
    this.range = range;
    this.client = client;
    this.localReplica = localReplica;
    this.conditionalRetry = conditionalRetry;
  }

  @Override
  public TokenRange range() {
    return range;
  }

  UUID tableId() {
    return tableId;
  }

  @Override
  public CompletableFuture<Void> apply(Mutation mutation) {
    return applyAtomically(List.of(mutation));
  }

  /**
   * Removes every row of the table in this tablet (TRUNCATE), as one log entry ordered with the
   * tablet's writes: writes acknowledged before it are removed, writes after it stay.
   */
  public CompletableFuture<Void> truncate() {
    CompletableFuture<RaftClientReply> sent;
    try {
      Message truncation = Message.valueOf(UnsafeByteOperations.unsafeWrap(MutationCodec.encodeTruncate(tableId)));
      sent = retryingSteppingDown(() -> client.async().send(truncation));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      if (error != null || !reply.isSuccess()) {
        Throwable cause = error != null ? error : reply.getException();
        throw new ReplicatedWriteException("truncation of tablet " + range + " of table " + tableId
            + " has an unknown outcome: " + cause, cause);
      }
      checkNotSealed(reply);
      return null;
    });
  }

  /**
   * Seals the tablet ahead of a split at {@code splitToken} (see {@link MutationCodec.Seal}).
   * Completes with the seal's log index once the leader applied it; sealing again at the same
   * token succeeds again (with the new entry's index, at or after the seal).
   */
  public CompletableFuture<Long> seal(long splitToken) {
    if (splitToken <= range.start() || splitToken >= range.end()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "split token " + splitToken + " is not inside tablet " + range));
    }
    return send(MutationCodec.encodeControl(new MutationCodec.Seal(tableId, splitToken)),
        ReplicatedWriteException.WriteType.SIMPLE).thenApply(reply -> {
          checkNotSealed(reply);
          return reply.getLogIndex();
        });
  }

  /** An entry that changes nothing, so the applied index moves; completes with its log index. */
  public CompletableFuture<Long> barrier() {
    return send(MutationCodec.encodeControl(new MutationCodec.Barrier(tableId)), ReplicatedWriteException.WriteType.SIMPLE)
        .thenApply(RaftClientReply::getLogIndex);
  }

  /** The leader's report on the tablet (no read index: sizes and seals need no linearizability). */
  public CompletableFuture<ReadCodec.TabletStatus> status() {
    return statusReply(read(new ReadCodec.StatusRead(), ReadMode.LEADER));
  }

  /**
   * The leader's report, asked after this call, so its applied index covers every write
   * acknowledged before the call (the leader applies a write before acknowledging it). Calls made
   * while one such question is out share the next one ({@link SharedQuestion}).
   */
  public CompletableFuture<ReadCodec.TabletStatus> leaderStatusAfterNow() {
    return leaderStatus.answerAfterNow();
  }

  /**
   * Replica {@code peer}'s report, once it has applied log entry {@code minIndex} (it answers with
   * an error until then).
   */
  public CompletableFuture<ReadCodec.TabletStatus> status(RaftPeerId peer, long minIndex) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(ReadCodec.encode(new ReadCodec.StatusRead())));
    return statusReply(staleRead(message, minIndex, peer).thenApply(reply -> {
      if (!reply.isSuccess()) {
        throw new ReplicatedReadException("replica " + peer + " of tablet " + range + " has not applied entry "
            + minIndex + ": " + reply.getException(), reply.getException());
      }
      return reply;
    }));
  }

  /**
   * A read from one given replica, once it has applied {@code minIndex}. Sent with the blocking
   * API on a thread of its own, outside the client's ordered stream: in that stream a request
   * addressed to a follower holds up the client's later requests to the leader (seen with Ratis
   * 3.1.3: a write after a stale read to a follower never completed).
   */
  private CompletableFuture<RaftClientReply> staleRead(Message message, long minIndex, RaftPeerId peer) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return client.io().sendStaleRead(message, minIndex, peer);
      } catch (java.io.IOException e) {
        throw new CompletionException(e);
      }
    }, STALE_READS);
  }

  /** Threads for {@link #staleRead}: rare requests (reads without a majority, split checks). */
  private static final java.util.concurrent.ExecutorService STALE_READS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "meridian-stale-read");
    t.setDaemon(true);
    return t;
  });

  private static CompletableFuture<ReadCodec.TabletStatus> statusReply(CompletableFuture<RaftClientReply> reply) {
    return reply.thenApply(r -> ReadCodec.decodeStatus(r.getMessage().getContent().asReadOnlyByteBuffer()));
  }

  /** Fails with {@link TabletSealedException} when the tablet refused an entry because it was sealed. */
  private RaftClientReply checkNotSealed(RaftClientReply reply) {
    if (ApplyVerdict.decode(reply.getMessage().getContent().asReadOnlyByteBuffer()) == ApplyVerdict.SEALED) {
      throw sealed();
    }
    return reply;
  }

  private TabletSealedException sealed() {
    return new TabletSealedException("tablet " + range + " of table " + tableId
        + " is being split; the request was not applied, retry it on the new tablets");
  }

  /**
   * Applies several mutations of this tablet as one log entry: all or none (a logged batch whose
   * partitions all live in this tablet).
   */
  public CompletableFuture<Void> applyAtomically(List<Mutation> mutations) {
    ReplicatedWriteException.WriteType type =
        mutations.size() > 1 ? ReplicatedWriteException.WriteType.BATCH : ReplicatedWriteException.WriteType.SIMPLE;
    long payloadBytes;
    try {
      checkMutations(mutations);
      payloadBytes = MutationCodec.payloadBytes(mutations);
      if (payloadBytes > MutationCodec.ENTRY_BYTES_MAX) {
        MutationCodec.encode(mutations); // refuses with the entry limit in its message
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Shares a log entry with writes submitted meanwhile; a failure is reported as this write's own.
    return batcher.submit(mutations, payloadBytes).handle((ok, error) -> {
      if (error != null) {
        Throwable cause = unwrap(error);
        if (cause instanceof ReplicatedWriteException e && e.writeType() != type) {
          throw new ReplicatedWriteException(type, e.getMessage(), e.getCause());
        }
        throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
      }
      return null;
    });
  }

  /** One entry of blind writes, possibly several writers' (see {@link WriteBatcher}). */
  private CompletableFuture<Void> sendBlindEntry(List<Mutation> mutations) {
    byte[] entry;
    try {
      entry = MutationCodec.encode(mutations);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return send(entry, ReplicatedWriteException.WriteType.SIMPLE).thenApply(reply -> {
      checkNotSealed(reply);
      return null;
    });
  }

  /**
   * Proposes a guarded entry: {@code mutations} (validated, all on one partition in {@code guard}'s
   * bucket) land only if the bucket's conflict version is still {@code guard.expectedVersion()}.
   * Completes with the state machine's verdict; fails with {@link ReplicatedWriteException} (CAS)
   * when the outcome is unknown.
   */
  CompletableFuture<ApplyVerdict> proposeGuarded(MutationCodec.Guard guard, List<Mutation> mutations) {
    byte[] entry;
    try {
      checkMutations(mutations);
      entry = MutationCodec.encodeGuarded(guard, mutations);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return send(entry, ReplicatedWriteException.WriteType.CAS)
        .thenApply(reply -> ApplyVerdict.decode(checkNotSealed(reply).getMessage().getContent().asReadOnlyByteBuffer()));
  }

  private void checkMutations(List<Mutation> mutations) {
    for (Mutation m : mutations) {
      // Refused here, not in the log: storage would refuse it on every replica.
      MutationChecks.validate(m);
      if (!m.tableId().equals(tableId) || !range.contains(m.key().token())) {
        throw new IllegalArgumentException("mutation for table " + m.tableId()
            + " token " + m.key().token() + " sent to tablet " + range + " of table " + tableId);
      }
    }
  }

  private CompletableFuture<RaftClientReply> send(byte[] entry, ReplicatedWriteException.WriteType type) {
    CompletableFuture<RaftClientReply> sent;
    try {
      Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(entry));
      sent = retryingSteppingDown(() -> client.async().send(message));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      if (error != null) {
        Throwable cause = unwrap(error);
        throw new ReplicatedWriteException(type, "replicated write to tablet " + range + " of table " + tableId
            + " has an unknown outcome: " + cause, cause);
      }
      if (!reply.isSuccess()) {
        throw new ReplicatedWriteException(type, "replicated write to tablet " + range + " of table " + tableId
            + " was not confirmed: " + reply.getException(), reply.getException());
      }
      return reply;
    });
  }

  // ------------------------------------------------------------------ reads

  /** One partition's slice, read through the group: empty if the partition has no live data in range. */
  public CompletableFuture<Optional<PartitionData>> readPartition(PartitionKey key, ReadRange readRange, int nowSeconds,
                                                                  ReadMode mode) {
    return readWithVersion(key, readRange, nowSeconds, mode).thenApply(ReadCodec.PartitionResult::data);
  }

  /** As {@link #readPartition}, with the visible conflict version of the partition's bucket. */
  CompletableFuture<ReadCodec.PartitionResult> readWithVersion(PartitionKey key, ReadRange readRange, int nowSeconds,
                                                              ReadMode mode) {
    if (!range.contains(key.token())) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "token " + key.token() + " read from tablet " + range + " of table " + tableId));
    }
    return read(new ReadCodec.PartitionRead(key, readRange, nowSeconds), mode)
        .thenApply(reply -> ReadCodec.decodePartitionResult(dataOf(reply)));
  }

  /**
   * Up to {@code partitionsMax} partitions of {@code tokens} (within this tablet's range) in token
   * order, after {@code after} if not null, each with rows in {@code perPartition}. A page may hold
   * fewer partitions when they are large ({@link TabletStateMachine#SCAN_PAGE_BYTES_MAX});
   * {@link ScanPage#more()} says whether to ask again.
   */
  public CompletableFuture<ScanPage> scanPage(TokenRange tokens, PartitionKey after, ReadRange perPartition,
                                              int nowSeconds, int partitionsMax, ReadMode mode) {
    if (tokens.start() < range.start() || tokens.end() > range.end() || tokens.start() >= tokens.end()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "scan of tokens " + tokens + " is not within tablet " + range + " of table " + tableId));
    }
    if (partitionsMax < 1) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("partitionsMax must be >= 1"));
    }
    return read(new ReadCodec.ScanRead(tokens, after, perPartition, nowSeconds, partitionsMax), mode)
        .thenApply(reply -> ReadCodec.decodeScanPage(dataOf(reply)));
  }

  /**
   * Up to {@code hitsMax} index entries within this tablet's range (see {@link ReadCodec.IndexRead}),
   * from the replica {@code mode} picks; a page that is not ready means that replica's entries
   * for the column are incomplete.
   */
  public CompletableFuture<ReadCodec.IndexPage> indexPage(ReadCodec.IndexRead request, ReadMode mode) {
    TokenRange tokens = request.tokens();
    if (tokens.start() < range.start() || tokens.end() > range.end() || tokens.start() >= tokens.end()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "index read of tokens " + tokens + " is not within tablet " + range + " of table " + tableId));
    }
    return read(request, mode).thenApply(reply -> ReadCodec.decodeIndexPage(dataOf(reply)));
  }

  /** The reply's bytes, or {@link TabletSealedException} when a sealed tablet answered instead of data. */
  private java.nio.ByteBuffer dataOf(RaftClientReply reply) {
    java.nio.ByteBuffer content = reply.getMessage().getContent().asReadOnlyByteBuffer();
    if (ReadCodec.isSealed(content)) {
      throw sealed();
    }
    return content;
  }

  private CompletableFuture<RaftClientReply> read(ReadCodec.Request request, ReadMode mode) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(ReadCodec.encode(request)));
    CompletableFuture<RaftClientReply> sent;
    try {
      if (mode == ReadMode.LINEARIZABLE) {
        sent = retryingSteppingDown(() -> client.async().sendReadOnly(message));
      } else if (mode == ReadMode.LEADER) {
        sent = retryingSteppingDown(() -> client.async().sendReadOnlyNonLinearizable(message));
      } else if (localReplica != null) {
        sent = staleRead(message, 0, localReplica);
      } else {
        sent = retryingSteppingDown(() -> client.async().sendReadOnlyNonLinearizable(message));
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      Throwable cause = error != null ? unwrap(error) : reply.isSuccess() ? null : reply.getException();
      if (cause != null) {
        throw new ReplicatedReadException("read of tablet " + range + " of table " + tableId + " (" + mode
            + ") failed: " + cause, cause);
      }
      return reply;
    });
  }

  // ------------------------------------------------------------------ conditional writes

  /**
   * Read-decide-write through the group, optimistically: a linearizable read of the partition and
   * its bucket's conflict version, {@code write.decide}, then a guarded entry that lands only if no
   * write reached the bucket since the read; on conflict the whole step is retried within
   * {@link ConditionalRetry}. Fails with {@link ReplicatedWriteException} of type CAS when the
   * budget runs out or the outcome of the guarded entry is unknown.
   *
   * <p>Unlike a local tablet, {@code decide} runs on the caller's side (a Raft client thread), not
   * in the state machine, and once per attempt: it must have no side effects beyond its result.
   * Only its mutations enter the log, so replicas never run it.
   */
  @Override
  public <T> CompletableFuture<T> applyConditionally(PartitionKey key, ReadRange readRange, int nowSeconds,
                                                     ConditionalWrite<T> write) {
    if (write.derives()) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException(
          "materialized views are not maintained on replicated tablets yet: a conditional write that derives "
              + "view updates cannot be applied to tablet " + range + " of table " + tableId));
    }
    if (!range.contains(key.token())) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "token " + key.token() + " written through tablet " + range + " of table " + tableId));
    }
    return new ConditionalWriteLoop<>(this, key, readRange, nowSeconds, write, conditionalRetry).start();
  }

  /**
   * Sends with {@code attempt}, and again after a pause while the leader answers that it is
   * stepping down (handing leadership over, e.g. back to the tablet's preferred leader once that
   * replica has caught up). Such a leader refuses the request before appending or reading
   * anything, so sending it again is safe; Ratis' blocking client does so itself, its async client
   * hands the refusal back, which would otherwise reach the client as a timeout of unknown outcome.
   */
  private static CompletableFuture<RaftClientReply> retryingSteppingDown(
      Supplier<CompletableFuture<RaftClientReply>> attempt) {
    return retryingSteppingDown(attempt, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEPPING_DOWN_RETRY_MS));
  }

  private static CompletableFuture<RaftClientReply> retryingSteppingDown(
      Supplier<CompletableFuture<RaftClientReply>> attempt, long deadlineNanos) {
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = attempt.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      Throwable cause = error != null ? unwrap(error) : reply.isSuccess() ? null : reply.getException();
      if (steppingDown(cause) && System.nanoTime() - deadlineNanos < 0) {
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(STEPPING_DOWN_PAUSE_MS, TimeUnit.MILLISECONDS))
            .thenCompose(v -> retryingSteppingDown(attempt, deadlineNanos));
      }
      return error != null ? CompletableFuture.<RaftClientReply>failedFuture(error) : CompletableFuture.completedFuture(reply);
    }).thenCompose(next -> next);
  }

  private static boolean steppingDown(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof LeaderSteppingDownException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
