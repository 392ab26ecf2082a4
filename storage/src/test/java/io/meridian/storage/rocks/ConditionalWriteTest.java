package io.meridian.storage.rocks;

import static io.meridian.storage.rocks.Muts.b;
import static io.meridian.storage.rocks.Muts.pk;
import static io.meridian.storage.rocks.Muts.row;
import static io.meridian.storage.rocks.Muts.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.MeridianException;
import io.meridian.storage.Cell;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.ConditionalWrite.Decision;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read-decide-write steps: atomic with respect to every other write of the tablet, and durable. */
class ConditionalWriteTest {
  static final int NOW = 1_000_000;
  static final UUID T = UUID.fromString("00000000-0000-0000-0000-0000000000cc");
  static final byte[] ROW = b(0);

  @TempDir Path dir;
  RocksStorageEngine engine;
  final AtomicLong timestamps = new AtomicLong(1);

  @BeforeEach
  void open() {
    engine = RocksStorageEngine.open(StorageConfig.defaults(dir), new ManualClock(NOW));
    engine.createTable(T);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  static long valueOf(Optional<PartitionData> p) {
    return p.flatMap(d -> d.rows().stream().findFirst())
        .flatMap(r -> r.cells().stream().filter(c -> c.column().equals("n")).findFirst())
        .map(c -> ByteBuffer.wrap(c.value()).getLong())
        .orElse(0L);
  }

  /** Adds one to column n and returns the value it saw: a counter built on read-decide-write. */
  CompletableFuture<Long> increment(PartitionKey key) {
    return engine.applyConditionally(T, key, ReadRange.all(), NOW, current -> {
      long seen = valueOf(current);
      byte[] next = ByteBuffer.allocate(8).putLong(seen + 1).array();
      return new Decision<>(List.of(rows(T, key, row(ROW, Cell.live("n", next, timestamps.incrementAndGet())))), seen);
    });
  }

  @Test
  void concurrentIncrementsNeverLoseAnUpdate() throws Exception {
    PartitionKey key = pk("counter");
    int threads = 4;
    int each = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<CompletableFuture<Long>> seen = new ArrayList<>();
    try {
      List<java.util.concurrent.Future<List<CompletableFuture<Long>>>> batches = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        batches.add(pool.submit(() -> {
          List<CompletableFuture<Long>> mine = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            mine.add(increment(key));
          }
          return mine;
        }));
      }
      for (var f : batches) {
        seen.addAll(f.get());
      }
    } finally {
      pool.shutdown();
    }
    // Every increment saw a distinct value: no two read the same state.
    List<Long> values = seen.stream().map(CompletableFuture::join).sorted().toList();
    for (int i = 0; i < values.size(); i++) {
      assertEquals(i, values.get(i));
    }
    assertEquals(threads * each, valueOf(engine.readPartition(T, key, ReadRange.all(), NOW)));
  }

  @Test
  void stepsOnManyPartitionsShareGroupsYetEachPartitionStaysSerial() {
    // Steps on different partitions may join one group commit; on one partition they must still
    // see each other. Interleave increments over ten partitions and check each partition's history.
    int partitions = 10;
    int each = 60;
    List<List<CompletableFuture<Long>>> seen = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      seen.add(new ArrayList<>());
    }
    for (int i = 0; i < each; i++) {
      for (int p = 0; p < partitions; p++) {
        seen.get(p).add(increment(pk("part-" + p)));
      }
    }
    for (int p = 0; p < partitions; p++) {
      List<Long> values = seen.get(p).stream().map(CompletableFuture::join).toList();
      for (int i = 0; i < each; i++) {
        assertEquals(i, values.get(i), "partition " + p + " step " + i);
      }
      assertEquals(each, valueOf(engine.readPartition(T, pk("part-" + p), ReadRange.all(), NOW)));
    }
  }

  @Test
  void aStepAfterAPlainWriteToItsPartitionInTheSameGroupSeesIt() {
    PartitionKey key = pk("mixed");
    for (int i = 0; i < 20; i++) {
      byte[] v = ByteBuffer.allocate(8).putLong(100 + i).array();
      engine.apply(rows(T, key, row(ROW, Cell.live("n", v, timestamps.incrementAndGet()))));
      long read = engine.applyConditionally(T, key, ReadRange.all(), NOW,
          current -> Decision.noWrite(valueOf(current))).join();
      assertEquals(100 + i, read);
    }
  }

  @Test
  void decisionSeesEveryWriteQueuedBeforeIt() {
    PartitionKey key = pk("p");
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] v = ByteBuffer.allocate(8).putLong(i + 1).array();
      writes.add(engine.apply(rows(T, key, row(ROW, Cell.live("n", v, timestamps.incrementAndGet())))));
    }
    long seen = engine.applyConditionally(T, key, ReadRange.all(), NOW,
        current -> Decision.noWrite(valueOf(current))).join();
    assertEquals(50, seen);
    writes.forEach(CompletableFuture::join);
  }

  @Test
  void aDecisionWithoutMutationsWritesNothing() {
    PartitionKey key = pk("empty");
    String result = engine.applyConditionally(T, key, ReadRange.all(), NOW,
        current -> Decision.noWrite(current.isPresent() ? "present" : "absent")).join();
    assertEquals("absent", result);
    assertTrue(engine.readPartition(T, key, ReadRange.all(), NOW).isEmpty());
  }

  @Test
  void aThrowingDecisionFailsOnlyItsOwnFuture() {
    PartitionKey key = pk("boom");
    CompletableFuture<Object> failed = engine.applyConditionally(T, key, ReadRange.all(), NOW, current -> {
      throw MeridianException.invalid("condition refused");
    });
    CompletionException e = assertThrows(CompletionException.class, failed::join);
    assertInstanceOf(MeridianException.class, e.getCause());
    assertEquals(1L, increment(key).join() + 1, "the engine still applies writes after a failed decision");
  }

  @Test
  void aMutationOutsideTheReadPartitionIsRefused() {
    PartitionKey key = pk("a");
    PartitionKey other = pk("b");
    ConditionalWrite<Void> stray = current -> new Decision<>(
        List.of(rows(T, other, row(ROW, Cell.live("n", b(1), 5)))), null);
    assertThrows(CompletionException.class, () -> engine.applyConditionally(T, key, ReadRange.all(), NOW, stray).join());
    assertTrue(engine.readPartition(T, other, ReadRange.all(), NOW).isEmpty());
  }

  @Test
  void anAcknowledgedConditionalWriteSurvivesReopen() {
    PartitionKey key = pk("durable");
    increment(key).join();
    increment(key).join();
    engine.close();
    engine = RocksStorageEngine.open(StorageConfig.defaults(dir), new ManualClock(NOW));
    assertEquals(2, valueOf(engine.readPartition(T, key, ReadRange.all(), NOW)));
  }

  @Test
  void anUnknownTableFailsTheFuture() {
    UUID missing = UUID.randomUUID();
    assertThrows(MeridianException.class,
        () -> engine.applyConditionally(missing, pk("x"), ReadRange.all(), NOW, c -> Decision.noWrite(1)));
  }
}
