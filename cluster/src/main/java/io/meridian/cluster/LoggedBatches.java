package io.meridian.cluster;

import io.meridian.common.ReplicasUnavailable;
import io.meridian.storage.Mutation;
import io.meridian.storage.MutationChecks;
import io.meridian.storage.PartitionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator side of a logged batch whose partitions live in several tablets (Cassandra's
 * batch log guarantee: once any part may be visible, every part is eventually applied; parts are
 * not isolated from readers meanwhile).
 *
 * <ol>
 *   <li>The whole batch is written as one entry to a batch log tablet (see {@link BatchLog}), a
 *       Raft group of its own: once committed it survives this coordinator.</li>
 *   <li>Each tablet's part is applied as one entry of that tablet's group, all in parallel.</li>
 *   <li>The batch is acknowledged, and its log entry removed in the background.</li>
 * </ol>
 * If the coordinator dies after step 1, or a part fails, the {@link BatchReplayer} of the batch log
 * tablet's leader applies every part again and removes the entry. Applying a part twice is harmless:
 * its mutations are blind writes carrying their own timestamps (last write wins).
 */
final class LoggedBatches {
  private static final Logger LOG = LoggerFactory.getLogger(LoggedBatches.class);

  /** One tablet's share of a batch. */
  record Part(UUID tableId, int tabletId, List<Mutation> mutations) {}

  private final ClusterStorageEngine engine;
  private final AtomicLong batchesLogged = new AtomicLong();
  private final AtomicLong logRemovalsFailed = new AtomicLong();
  /**
   * Test hook: when >= 0, parts are applied one after another and only this many of them, then the
   * batch fails as if the coordinator had died (its log entry is left for the replayer).
   */
  volatile int stopAfterPartsForTest = -1;
  /** Test hook: when set, the batch log write is reported unconfirmed without being sent. */
  volatile boolean failLogWriteForTest;

  LoggedBatches(ClusterStorageEngine engine) {
    this.engine = engine;
  }

  long batchesLogged() {
    return batchesLogged.get();
  }

  CompletableFuture<Void> apply(List<Mutation> mutations, List<Part> parts) {
    BatchLog.Entry entry;
    Mutation logWrite;
    int logTablet;
    try {
      // A part refused by a tablet would be refused again by every replay: refuse the batch first.
      mutations.forEach(MutationChecks::validate);
      logTablet = liveLogTablet();
      UUID id = BatchLog.newId(System.currentTimeMillis() * 1000, ThreadLocalRandom.current().nextLong());
      PartitionKey key = BatchLog.key(id, engine.rangeOf(BatchLog.TABLE_ID, logTablet));
      logWrite = BatchLog.write(id, key, mutations);
      entry = new BatchLog.Entry(id, key, id.getMostSignificantBits(), mutations);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> logWritten = failLogWriteForTest
        ? CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("test hook: log write lost"))
        : engine.tablet(BatchLog.TABLE_ID, logTablet).applyAtomically(List.of(logWrite));
    return logWritten
        .handle((ok, error) -> {
          if (error != null) {
            throw BatchWriteTimeout.logWrite(unwrap(error));
          }
          batchesLogged.incrementAndGet();
          return null;
        })
        .thenCompose(logged -> applyParts(parts)
            .handle((ok, error) -> {
              if (error != null) {
                throw BatchWriteTimeout.part(unwrap(error));
              }
              removeInBackground(entry, logTablet);
              return (Void) null;
            }));
  }

  /**
   * A batch log tablet with a live majority, starting from a random one so batches spread over
   * the log; fails as UNAVAILABLE when none has (Cassandra: no live batch log endpoints).
   */
  private int liveLogTablet() {
    List<Integer> ids = engine.tabletIds(BatchLog.TABLE_ID);
    int start = ThreadLocalRandom.current().nextInt(ids.size());
    ReplicasUnavailable last = null;
    for (int i = 0; i < ids.size(); i++) {
      int tabletId = ids.get((start + i) % ids.size());
      try {
        engine.checkAlive(BatchLog.TABLE_ID, tabletId, false);
        return tabletId;
      } catch (ReplicasUnavailable e) {
        last = e;
      }
    }
    throw last;
  }

  private CompletableFuture<Void> applyParts(List<Part> parts) {
    int stopAfter = stopAfterPartsForTest;
    if (stopAfter >= 0) {
      return applyPartsThenStop(parts, stopAfter);
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>(parts.size());
    for (Part p : parts) {
      sent.add(engine.tablet(p.tableId(), p.tabletId()).applyAtomically(p.mutations()));
    }
    return CompletableFuture.allOf(sent.toArray(new CompletableFuture[0]));
  }

  private CompletableFuture<Void> applyPartsThenStop(List<Part> parts, int stopAfter) {
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Part p : parts.subList(0, Math.min(stopAfter, parts.size()))) {
      chain = chain.thenCompose(v -> engine.tablet(p.tableId(), p.tabletId()).applyAtomically(p.mutations()));
    }
    return chain.thenCompose(v -> CompletableFuture.failedFuture(
        new IllegalStateException("test hook: coordinator stopped after " + stopAfter + " parts")));
  }

  /** The batch is acknowledged without waiting: a removal that fails only means a harmless replay. */
  private void removeInBackground(BatchLog.Entry entry, int logTablet) {
    int nowSeconds = (int) (System.currentTimeMillis() / 1000);
    try {
      engine.tablet(BatchLog.TABLE_ID, logTablet).applyAtomically(List.of(BatchLog.remove(entry, nowSeconds)))
          .whenComplete((ok, error) -> {
            if (error != null) {
              logRemovalsFailed.incrementAndGet();
              LOG.debug("Batch log entry {} not removed (the replayer will): {}", entry.id(), error.toString());
            }
          });
    } catch (RuntimeException e) {
      logRemovalsFailed.incrementAndGet();
      LOG.debug("Batch log entry {} not removed (the replayer will): {}", entry.id(), e.toString());
    }
  }

  static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Groups mutations by the tablet that owns them, in first-seen order. */
  static List<Part> partsOf(List<Mutation> mutations, ClusterStorageEngine engine) {
    java.util.Map<String, Part> byTablet = new java.util.LinkedHashMap<>();
    for (Mutation m : mutations) {
      int tabletId = engine.tabletIdFor(m.tableId(), m.key().token());
      byTablet.computeIfAbsent(m.tableId() + "/" + tabletId, k -> new Part(m.tableId(), tabletId, new ArrayList<>()))
          .mutations().add(m);
    }
    return List.copyOf(byTablet.values());
  }
}
