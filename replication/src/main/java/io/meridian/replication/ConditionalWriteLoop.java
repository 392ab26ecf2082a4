package io.meridian.replication;

import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One conditional write on a replicated tablet, as a loop of attempts. Each attempt:
 *
 * <ol>
 *   <li>reads the partition linearizably, with its bucket's visible conflict version V;</li>
 *   <li>calls {@code decide} on what it read;</li>
 *   <li>proposes a guarded entry "apply if the bucket's version is V". The state machine applies it
 *       only if no entry before it in the log wrote the bucket after V, which is exactly "nothing
 *       changed the partition between the read and this write", so the decision still holds.</li>
 * </ol>
 *
 * A decision that writes nothing (a condition that failed, a SERIAL read) is confirmed the same
 * way, with a guarded entry holding no mutation: its result, the values it read, is then known to
 * be the partition's state at a point in the log, so a not-applied answer is linearizable even if
 * the read was served by a replica that had not caught up. A chaos run with network partitions
 * caught not-applied answers carrying values replaced seconds before; see docs/reliability.md.
 *
 * A {@link ApplyVerdict#CONFLICT} means nothing was written, so the attempt is repeated after a
 * jittered backoff, within {@link ConditionalRetry}. A failed read also wrote nothing and is
 * retried the same way. A guarded entry whose outcome is unknown is not retried (it may have
 * landed, and repeating it could apply a counter increment twice): the write fails with
 * {@link ReplicatedWriteException} of type CAS, as when the budget runs out.
 */
final class ConditionalWriteLoop<T> {
  private final ReplicatedTablet tablet;
  private final PartitionKey key;
  private final ReadRange readRange;
  private final int nowSeconds;
  private final ConditionalWrite<T> write;
  private final ConditionalRetry retry;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final long startNanos = System.nanoTime();
  private int attempts;

  ConditionalWriteLoop(ReplicatedTablet tablet, PartitionKey key, ReadRange readRange, int nowSeconds,
                       ConditionalWrite<T> write, ConditionalRetry retry) {
    this.tablet = tablet;
    this.key = key;
    this.readRange = readRange;
    this.nowSeconds = nowSeconds;
    this.write = write;
    this.retry = retry;
  }

  CompletableFuture<T> start() {
    attempt();
    return result;
  }

  private void attempt() {
    attempts++;
    tablet.readWithVersion(key, readRange, nowSeconds, ReadMode.LINEARIZABLE).whenComplete((read, readError) -> {
      if (readError != null) {
        retryOrGiveUp(readError);
        return;
      }
      ConditionalWrite.Decision<T> decision;
      try {
        decision = write.decide(read.data());
        if (decision == null) {
          throw new NullPointerException("ConditionalWrite.decide returned null");
        }
        checkOnePartition(decision);
      } catch (Throwable t) {
        result.completeExceptionally(t);
        return;
      }
      MutationCodec.Guard guard = new MutationCodec.Guard(ConflictVersions.bucketOf(key), read.bucketVersion());
      boolean noWrite = decision.mutations().isEmpty();
      tablet.proposeGuarded(guard, decision.mutations()).whenComplete((verdict, writeError) -> {
        if (writeError != null && noWrite) {
          retryOrGiveUp(writeError); // a guarded no-op changes nothing, so repeating it is safe
        } else if (writeError != null) {
          Throwable cause = writeError.getCause() != null ? writeError.getCause() : writeError;
          result.completeExceptionally(cause);
        } else if (verdict == ApplyVerdict.APPLIED) {
          result.complete(decision.result());
        } else {
          retryOrGiveUp(null);
        }
      });
    });
  }

  /** A decision may only write the partition it read: the guard covers that partition alone. */
  private void checkOnePartition(ConditionalWrite.Decision<T> decision) {
    for (Mutation m : decision.mutations()) {
      if (!m.tableId().equals(tablet.tableId()) || !m.key().equals(key)) {
        throw new IllegalArgumentException("a conditional write on " + key + " of table " + tablet.tableId()
            + " decided a mutation for " + m.key() + " of table " + m.tableId()
            + "; decisions may only write the partition they read");
      }
    }
  }

  private void retryOrGiveUp(Throwable cause) {
    Throwable root = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
        ? cause.getCause() : cause;
    if (root instanceof TabletSealedException sealed) {
      // Nothing was written, and this tablet will refuse every attempt: its halves must take it.
      result.completeExceptionally(sealed);
      return;
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    long backoffMs = retry.backoffMs(attempts, ThreadLocalRandom.current().nextDouble());
    if (attempts >= retry.attemptsMax() || elapsedMs + backoffMs >= retry.timeoutMs()) {
      String why = cause == null ? "concurrent writes to the partition kept winning" : "last read failed: " + cause;
      result.completeExceptionally(new ReplicatedWriteException(ReplicatedWriteException.WriteType.CAS,
          "conditional write to " + key + " of table " + tablet.tableId() + " gave up after " + attempts
              + " attempts in " + elapsedMs + " ms (" + why + "); nothing was written", cause));
      return;
    }
    CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS).execute(this::attempt);
  }
}
