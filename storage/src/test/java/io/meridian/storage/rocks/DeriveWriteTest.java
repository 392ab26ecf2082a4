package io.meridian.storage.rocks;

import static io.meridian.storage.rocks.Muts.b;
import static io.meridian.storage.rocks.Muts.insert;
import static io.meridian.storage.rocks.Muts.partitionDelete;
import static io.meridian.storage.rocks.Muts.pk;
import static io.meridian.storage.rocks.Muts.rangeDelete;
import static io.meridian.storage.rocks.Muts.row;
import static io.meridian.storage.rocks.Muts.rowDelete;
import static io.meridian.storage.rocks.Muts.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.Cell;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.ConditionalWrite.Decision;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowChange;
import io.meridian.storage.StorageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The derive phase of read-decide-write steps: the row changes it is handed and the atomic landing of derived writes. */
class DeriveWriteTest {
  static final int NOW = 1_000_000;
  static final UUID BASE = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
  static final UUID DERIVED = UUID.fromString("00000000-0000-0000-0000-0000000000d1");

  @TempDir Path dir;
  RocksStorageEngine engine;

  @BeforeEach
  void open() {
    engine = RocksStorageEngine.open(StorageConfig.defaults(dir), new ManualClock(NOW));
    engine.createTable(BASE);
    engine.createTable(DERIVED);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  /** A step that writes {@code mutations} and records the changes it is handed; derive answers with {@code derived}. */
  static final class Recording implements ConditionalWrite<Void> {
    final List<Mutation> mutations;
    final Function<List<RowChange>, List<Mutation>> derived;
    final List<RowChange> seen = new ArrayList<>();

    Recording(List<Mutation> mutations, Function<List<RowChange>, List<Mutation>> derived) {
      this.mutations = mutations;
      this.derived = derived;
    }

    @Override
    public Decision<Void> decide(Optional<PartitionData> current) {
      return new Decision<>(mutations, null);
    }

    @Override
    public boolean derives() {
      return true;
    }

    @Override
    public List<Mutation> derive(List<RowChange> changes) {
      seen.addAll(changes);
      return derived.apply(changes);
    }
  }

  Recording step(PartitionKey key, List<Mutation> mutations, Function<List<RowChange>, List<Mutation>> derived) {
    Recording r = new Recording(mutations, derived);
    engine.applyConditionally(BASE, key, ReadRange.all(), NOW, r).join();
    return r;
  }

  static Cell cell(RowChange c, String column, boolean after) {
    var row = after ? c.after() : c.before();
    return row == null ? null : row.cells().stream().filter(x -> x.column().equals(column)).findFirst().orElse(null);
  }

  @Test
  void insertIntoEmptyRowHasNoBeforeAndTheMergedAfter() {
    PartitionKey key = pk("a");
    Recording r = step(key, List.of(rows(BASE, key, insert(b(1), 10, Cell.live("v", b(7), 10)))), c -> List.of());
    assertEquals(1, r.seen.size());
    RowChange c = r.seen.get(0);
    assertArrayEquals(b(1), c.clustering());
    assertNull(c.before());
    assertNotNull(c.after());
    assertEquals(10, c.after().livenessMicros());
    assertArrayEquals(b(7), cell(c, "v", true).value());
  }

  @Test
  void updateSeesTheStoredRowBeforeAndMergedCellsAfter() {
    PartitionKey key = pk("a");
    engine.apply(rows(BASE, key, insert(b(1), 10, Cell.live("v", b(1), 10), Cell.live("w", b(2), 10)))).join();
    Recording r = step(key, List.of(rows(BASE, key, row(b(1), Cell.live("v", b(3), 20)))), c -> List.of());
    RowChange c = r.seen.get(0);
    assertArrayEquals(b(1), cell(c, "v", false).value());
    assertArrayEquals(b(3), cell(c, "v", true).value());
    assertEquals(20, cell(c, "v", true).timestampMicros());
    assertArrayEquals(b(2), cell(c, "w", true).value(), "untouched cells stay in after");
  }

  @Test
  void olderWriteLosesInAfterAsItWouldInStorage() {
    PartitionKey key = pk("a");
    engine.apply(rows(BASE, key, insert(b(1), 50, Cell.live("v", b(1), 50)))).join();
    Recording r = step(key, List.of(rows(BASE, key, row(b(1), Cell.live("v", b(9), 40)))), c -> List.of());
    assertArrayEquals(b(1), cell(r.seen.get(0), "v", true).value());
  }

  @Test
  void rowDeletionLeavesNoAfter() {
    PartitionKey key = pk("a");
    engine.apply(rows(BASE, key, insert(b(1), 10, Cell.live("v", b(1), 10)))).join();
    Recording r = step(key, List.of(rows(BASE, key, rowDelete(b(1), 20, NOW))), c -> List.of());
    assertNotNull(r.seen.get(0).before());
    assertNull(r.seen.get(0).after());
  }

  @Test
  void partitionDeletionTouchesEveryRowRead() {
    PartitionKey key = pk("a");
    for (int i = 1; i <= 3; i++) {
      engine.apply(rows(BASE, key, insert(b(i), 10, Cell.live("v", b(i), 10)))).join();
    }
    Recording r = step(key, List.of(partitionDelete(BASE, key, 20, NOW)), c -> List.of());
    assertEquals(3, r.seen.size());
    r.seen.forEach(c -> {
      assertNotNull(c.before());
      assertNull(c.after());
    });
  }

  @Test
  void rangeTombstoneTouchesOnlyTheRowsItCovers() {
    PartitionKey key = pk("a");
    for (int i = 1; i <= 4; i++) {
      engine.apply(rows(BASE, key, insert(b(i), 10, Cell.live("v", b(i), 10)))).join();
    }
    Recording r = step(key, List.of(rangeDelete(BASE, key, b(2), b(4), 20, NOW)), c -> List.of());
    assertEquals(2, r.seen.size());
    assertArrayEquals(b(2), r.seen.get(0).clustering());
    assertArrayEquals(b(3), r.seen.get(1).clustering());
  }

  @Test
  void severalMutationsOfOneRowGiveOneChangeWithTheFinalState() {
    PartitionKey key = pk("a");
    Recording r = step(key, List.of(
        rows(BASE, key, insert(b(1), 10, Cell.live("v", b(1), 10))),
        rows(BASE, key, row(b(1), Cell.live("v", b(2), 11)))), c -> List.of());
    assertEquals(1, r.seen.size());
    assertArrayEquals(b(2), cell(r.seen.get(0), "v", true).value());
  }

  @Test
  void derivedMutationsForAnotherTableLandWithTheDecision() {
    PartitionKey key = pk("a");
    PartitionKey other = pk("elsewhere");
    step(key, List.of(rows(BASE, key, insert(b(1), 10, Cell.live("v", b(5), 10)))),
        changes -> List.of(rows(DERIVED, other, insert(b(5), 10, Cell.live("k", changes.get(0).clustering(), 10)))));
    var base = engine.readPartition(BASE, key, ReadRange.all(), NOW);
    var derived = engine.readPartition(DERIVED, other, ReadRange.all(), NOW);
    assertTrue(base.isPresent());
    assertTrue(derived.isPresent());
    assertArrayEquals(b(1), derived.get().rows().get(0).cells().get(0).value());
  }

  @Test
  void derivedWritesSurviveARestart() {
    PartitionKey key = pk("a");
    PartitionKey other = pk("elsewhere");
    step(key, List.of(rows(BASE, key, insert(b(1), 10, Cell.live("v", b(5), 10)))),
        changes -> List.of(rows(DERIVED, other, insert(b(5), 10))));
    engine.close();
    engine = RocksStorageEngine.open(StorageConfig.defaults(dir), new ManualClock(NOW));
    assertTrue(engine.readPartition(DERIVED, other, ReadRange.all(), NOW).isPresent());
  }

  @Test
  void failingDeriveWritesNothing() {
    PartitionKey key = pk("a");
    Recording r = new Recording(List.of(rows(BASE, key, insert(b(1), 10))), c -> {
      throw new IllegalStateException("boom");
    });
    var f = engine.applyConditionally(BASE, key, ReadRange.all(), NOW, r);
    assertThrows(CompletionException.class, f::join);
    assertTrue(engine.readPartition(BASE, key, ReadRange.all(), NOW).isEmpty());
  }

  @Test
  void derivedMutationsForADroppedTableAreSkipped() {
    PartitionKey key = pk("a");
    engine.dropTable(DERIVED);
    step(key, List.of(rows(BASE, key, insert(b(1), 10))), c -> List.of(rows(DERIVED, pk("x"), insert(b(1), 10))));
    assertTrue(engine.readPartition(BASE, key, ReadRange.all(), NOW).isPresent());
  }

  @Test
  void stepsThatDoNotDeriveAreNotAskedTo() {
    PartitionKey key = pk("a");
    List<RowChange> seen = new ArrayList<>();
    engine.applyConditionally(BASE, key, ReadRange.all(), NOW, new ConditionalWrite<Void>() {
      @Override
      public Decision<Void> decide(Optional<PartitionData> current) {
        return new Decision<>(List.of(rows(BASE, key, insert(b(1), 10))), null);
      }

      @Override
      public List<Mutation> derive(List<RowChange> changes) {
        seen.addAll(changes);
        return List.of();
      }
    }).join();
    assertTrue(seen.isEmpty());
  }
}
