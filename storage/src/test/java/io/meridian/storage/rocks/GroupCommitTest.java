package io.meridian.storage.rocks;

import static io.meridian.storage.rocks.Muts.b;
import static io.meridian.storage.rocks.Muts.pk;
import static io.meridian.storage.rocks.Muts.row;
import static io.meridian.storage.rocks.Muts.rows;
import static io.meridian.storage.rocks.Muts.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.Cell;
import io.meridian.storage.PartitionData;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers, one committer: every acknowledged write is readable and fsyncs are shared. */
class GroupCommitTest {
  @TempDir Path dir;

  @Test
  void concurrentWritersShareCommitGroups() throws Exception {
    ManualClock clock = new ManualClock(1_000);
    UUID t = UUID.randomUUID();
    int writers = 8;
    int perWriter = 200;
    try (RocksStorageEngine e = RocksStorageEngine.open(StorageConfig.defaults(dir).withPurge(0, 100), clock)) {
      e.createTable(t);
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        Thread th = new Thread(() -> {
          try {
            start.await();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < perWriter; i++) {
              // every writer also bumps one shared hot row, so groups hold conflicting updates
              inFlight.add(e.apply(rows(t, pk("w" + id + "-" + i), row(b(1), Cell.live("v", s("x" + i), i)))));
              inFlight.add(e.apply(rows(t, pk("hot"), row(b(id), Cell.live("v", s("n" + i), i)))));
              if (inFlight.size() >= 32) {
                CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
                inFlight.clear();
              }
            }
            CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
          } catch (Exception ex) {
            errors.add(ex);
          }
        });
        threads.add(th);
        th.start();
      }
      start.countDown();
      for (Thread th : threads) {
        th.join(60_000);
      }
      assertTrue(errors.isEmpty(), errors.toString());
      long mutations = (long) writers * perWriter * 2;
      assertEquals(mutations, e.committedMutationsTotal());
      assertTrue(e.commitGroupsTotal() < mutations / 2,
          "expected group commit: " + e.commitGroupsTotal() + " groups for " + mutations + " mutations");
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < perWriter; i++) {
          PartitionData p = e.readPartition(t, pk("w" + w + "-" + i), ReadRange.all(), 1_000).orElseThrow();
          assertArrayEquals(s("x" + i), p.rows().get(0).cells().get(0).value());
        }
      }
      PartitionData hot = e.readPartition(t, pk("hot"), ReadRange.all(), 1_000).orElseThrow();
      assertEquals(writers, hot.rows().size());
      for (var r : hot.rows()) {
        assertArrayEquals(s("n" + (perWriter - 1)), r.cells().get(0).value());
      }
    }
  }
}
