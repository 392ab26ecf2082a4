package io.meridian.cluster;

import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageEngine.PartitionIterator;
import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes logged batches whose coordinator did not (it died, or a part was not confirmed). Every
 * node runs one; each round it looks only at the batch log tablets this node currently leads, so
 * every tablet of the log has one replayer at a time (after a leader change the new leader takes
 * over). An entry older than {@link BatchSettings#replayAfterMs} has every part applied again,
 * then is removed. A part whose table was dropped meanwhile is skipped. A round stops at
 * {@link #ENTRIES_PER_TABLET_MAX} entries per tablet; the rest wait for the next round.
 */
final class BatchReplayer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchReplayer.class);
  static final int ENTRIES_PER_TABLET_MAX = 256;

  private final ClusterNode node;
  private final ClusterStorageEngine engine;
  private final BatchSettings settings;
  private final ScheduledExecutorService timer;
  private final AtomicLong batchesReplayed = new AtomicLong();
  /** Damaged entries already reported, so a round does not log them again. */
  private final Set<UUID> damagedReported = java.util.concurrent.ConcurrentHashMap.newKeySet();

  BatchReplayer(ClusterNode node, ClusterStorageEngine engine, BatchSettings settings) {
    this.node = node;
    this.engine = engine;
    this.settings = settings;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meridian-batchlog-replay");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    timer.scheduleWithFixedDelay(this::roundQuietly, settings.replayIntervalMs(), settings.replayIntervalMs(),
        TimeUnit.MILLISECONDS);
  }

  long batchesReplayed() {
    return batchesReplayed.get();
  }

  private void roundQuietly() {
    try {
      replayOnce();
    } catch (RuntimeException e) {
      // A tablet without leader or quorum: the next round tries again.
      LOG.debug("Batch log replay round stopped: {}", e.toString());
    }
  }

  /** One round; returns the batches finished. */
  int replayOnce() {
    if (!engine.hasPlacement(BatchLog.TABLE_ID)) {
      return 0;
    }
    int replayed = 0;
    for (int tabletId : engine.tabletIds(BatchLog.TABLE_ID)) {
      if (leads(tabletId)) {
        for (BatchLog.Entry entry : dueEntries(engine.rangeOf(BatchLog.TABLE_ID, tabletId))) {
          replay(entry, tabletId);
          replayed++;
        }
      }
    }
    return replayed;
  }

  private boolean leads(int tabletId) {
    try {
      return node.server().getDivision(TabletGroups.groupId(BatchLog.TABLE_ID, tabletId)).getInfo().isLeader();
    } catch (IOException e) {
      return false; // not a replica of this tablet
    }
  }

  private List<BatchLog.Entry> dueEntries(TokenRange range) {
    long nowMicros = System.currentTimeMillis() * 1000;
    long dueBeforeMicros = nowMicros - settings.replayAfterMs() * 1000;
    List<BatchLog.Entry> due = new ArrayList<>();
    try (PartitionIterator it = engine.scan(BatchLog.TABLE_ID, range, null, ReadRange.all(),
        (int) (nowMicros / 1_000_000))) {
      while (it.hasNext() && due.size() < ENTRIES_PER_TABLET_MAX) {
        PartitionData p = it.next();
        BatchLog.Entry entry;
        try {
          entry = BatchLog.decode(p);
        } catch (RuntimeException e) {
          // Left in place for an operator: applying part of a damaged batch would break it further.
          if (damagedReported.add(UUID.nameUUIDFromBytes(p.key().serialized()))) {
            LOG.error("Batch log entry with key {} is damaged and is not replayed: {}", p.key(), e.toString());
          }
          continue;
        }
        if (entry.loggedAtMicros() <= dueBeforeMicros) {
          due.add(entry);
        }
      }
    }
    return due;
  }

  /** Applies every part (in parallel, waiting for all), then removes the entry. */
  private void replay(BatchLog.Entry entry, int logTablet) {
    List<Mutation> live = new ArrayList<>();
    Set<UUID> dropped = new HashSet<>();
    for (Mutation m : entry.mutations()) {
      if (engine.hasPlacement(m.tableId())) {
        live.add(m);
      } else {
        dropped.add(m.tableId());
      }
    }
    if (!dropped.isEmpty()) {
      LOG.info("Batch {}: skipping the mutations of dropped tables {}", entry.id(), dropped);
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (LoggedBatches.Part part : LoggedBatches.partsOf(live, engine)) {
      sent.add(engine.tablet(part.tableId(), part.tabletId()).applyAtomically(part.mutations()));
    }
    CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).join();
    int nowSeconds = (int) (System.currentTimeMillis() / 1000);
    engine.tablet(BatchLog.TABLE_ID, logTablet).applyAtomically(List.of(BatchLog.remove(entry, nowSeconds))).join();
    batchesReplayed.incrementAndGet();
    LOG.info("Replayed logged batch {} ({} mutations) left unfinished by its coordinator", entry.id(),
        entry.mutations().size());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
