package io.meridian.storage.rocks;

import io.meridian.storage.TabletRanges;
import static io.meridian.storage.rocks.Muts.b;
import static io.meridian.storage.rocks.Muts.insert;
import static io.meridian.storage.rocks.Muts.pk;
import static io.meridian.storage.rocks.Muts.row;
import static io.meridian.storage.rocks.Muts.rowDelete;
import static io.meridian.storage.rocks.Muts.rows;
import static io.meridian.storage.rocks.Muts.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.StoredRow;
import io.meridian.storage.Tablet;
import io.meridian.storage.TokenRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

class RocksStorageEngineTest {
  static final int NOW = 1_000_000;
  static final UUID T = UUID.fromString("00000000-0000-0000-0000-0000000000aa");

  @TempDir Path dir;
  ManualClock clock = new ManualClock(NOW);
  RocksStorageEngine engine;

  StorageConfig config() {
    return StorageConfig.defaults(dir).withPurge(0, 1000);
  }

  @BeforeEach
  void open() {
    engine = RocksStorageEngine.open(config(), clock);
    engine.createTable(T);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  void apply(Mutation m) {
    engine.apply(m).join();
  }

  Optional<PartitionData> read(PartitionKey k) {
    return engine.readPartition(T, k, ReadRange.all(), NOW);
  }

  List<StoredRow> rowsOf(PartitionKey k, ReadRange r, int now) {
    return engine.readPartition(T, k, r, now).map(PartitionData::rows).orElse(List.of());
  }

  Cell cell(PartitionKey k, byte[] clustering, String column) {
    Optional<PartitionData> p = read(k);
    if (p.isEmpty()) {
      return null;
    }
    StoredRow row = clustering.length == 0 ? p.get().staticRow()
        : p.get().rows().stream().filter(r -> java.util.Arrays.equals(r.clustering(), clustering)).findFirst().orElse(null);
    if (row == null) {
      return null;
    }
    return row.cells().stream().filter(c -> c.column().equals(column)).findFirst().orElse(null);
  }

  // ------------------------------------------------------------------ atomic multi-mutation writes

  @Test
  void atomicWriteSpanningTabletsLandsWhole() {
    List<Mutation> batch = new java.util.ArrayList<>();
    java.util.Set<Integer> tablets = new java.util.HashSet<>();
    for (int i = 0; i < 40; i++) {
      PartitionKey k = pk("atomic-" + i);
      tablets.add(engine.tablets(T).indexOf(engine.tabletFor(T, k.token())));
      batch.add(rows(T, k, row(b(1), Cell.live("v", s("x" + i), 10))));
    }
    assertTrue(tablets.size() > 1, "the batch must span several tablets to prove anything");
    engine.applyAtomically(batch).join();
    for (int i = 0; i < 40; i++) {
      assertArrayEquals(s("x" + i), cell(pk("atomic-" + i), b(1), "v").value());
    }
  }

  @Test
  void atomicWriteWithAnInvalidMutationAppliesNothing() {
    PartitionKey good = pk("good");
    Mutation valid = rows(T, good, row(b(1), Cell.live("v", s("x"), 10)));
    Mutation unknownTable = rows(UUID.randomUUID(), pk("other"), row(b(1), Cell.live("v", s("y"), 10)));
    var f = engine.applyAtomically(List.of(valid, unknownTable));
    assertThrows(java.util.concurrent.CompletionException.class, f::join);
    assertNull(cell(good, b(1), "v"));
  }

  // ------------------------------------------------------------------ last write wins

  @Test
  void higherTimestampWinsWhateverTheArrivalOrder() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.live("v", s("new"), 20))));
    apply(rows(T, k, row(b(1), Cell.live("v", s("old"), 10))));
    assertArrayEquals(s("new"), cell(k, b(1), "v").value());
    apply(rows(T, k, row(b(1), Cell.live("v", s("newer"), 21))));
    assertArrayEquals(s("newer"), cell(k, b(1), "v").value());
  }

  @Test
  void onEqualTimestampTombstoneBeatsLiveCell() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.live("v", s("x"), 10), Cell.live("w", s("keep"), 10))));
    apply(rows(T, k, row(b(1), Cell.tombstone("v", 10, NOW))));
    assertNull(cell(k, b(1), "v"));
    // and the other order
    PartitionKey k2 = pk("b");
    apply(rows(T, k2, row(b(1), Cell.tombstone("v", 10, NOW), Cell.live("w", s("keep"), 10))));
    apply(rows(T, k2, row(b(1), Cell.live("v", s("x"), 10))));
    assertNull(cell(k2, b(1), "v"));
  }

  @Test
  void onEqualTimestampGreaterUnsignedValueWins() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.live("v", b(0x7F), 10))));
    apply(rows(T, k, row(b(1), Cell.live("v", b(0x80), 10)))); // 0x80 > 0x7F unsigned
    assertArrayEquals(b(0x80), cell(k, b(1), "v").value());
    apply(rows(T, k, row(b(1), Cell.live("v", b(0x01), 10))));
    assertArrayEquals(b(0x80), cell(k, b(1), "v").value());
  }

  @Test
  void laterMutationsInOneGroupSeeEarlierOnes() throws Exception {
    PartitionKey k = pk("a");
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<Void> blocker = engine.runOnCommitter(() -> {
      running.countDown();
      awaitQuietly(hold);
    });
    assertTrue(running.await(10, TimeUnit.SECONDS)); // the committer is parked: the writes queue up together
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    fs.add(engine.apply(rows(T, k, row(b(1), Cell.live("v", s("a"), 10), Cell.live("w", s("w"), 1)))));
    fs.add(engine.apply(rows(T, k, row(b(1), Cell.live("v", s("b"), 5)))));
    fs.add(engine.apply(rows(T, k, row(b(1), Cell.live("v", s("c"), 11)))));
    long groupsBefore = engine.commitGroupsTotal();
    hold.countDown();
    blocker.get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
    assertEquals(groupsBefore + 1, engine.commitGroupsTotal(), "the three mutations commit as one group");
    assertArrayEquals(s("c"), cell(k, b(1), "v").value());
    assertArrayEquals(s("w"), cell(k, b(1), "w").value());
  }

  static void awaitQuietly(CountDownLatch l) {
    try {
      l.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ TTL and liveness

  @Test
  void ttlCellsExpireAtTheirDeadline() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.expiring("v", s("x"), 10, 100, NOW), Cell.live("w", s("y"), 10))));
    assertEquals(2, rowsOf(k, ReadRange.all(), NOW + 99).get(0).cells().size());
    List<StoredRow> later = rowsOf(k, ReadRange.all(), NOW + 100);
    assertEquals(1, later.get(0).cells().size());
    assertEquals("w", later.get(0).cells().get(0).column());
  }

  @Test
  void rowWithOnlyExpiredCellsDisappears() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.expiring("v", s("x"), 10, 5, NOW))));
    assertEquals(1, rowsOf(k, ReadRange.all(), NOW).size());
    assertTrue(engine.readPartition(T, k, ReadRange.all(), NOW + 5).isEmpty());
  }

  @Test
  void livenessMarkerKeepsRowWithoutCellsAndCanExpire() {
    PartitionKey k = pk("a");
    apply(rows(T, k, insert(b(1), 10)));
    StoredRow r = rowsOf(k, ReadRange.all(), NOW).get(0);
    assertEquals(10, r.livenessMicros());
    assertTrue(r.cells().isEmpty());
    apply(rows(T, k, new RowUpdate(b(2), DeletionTime.LIVE, 10, 50, NOW + 50, List.of())));
    assertEquals(2, rowsOf(k, ReadRange.all(), NOW + 49).size());
    assertEquals(1, rowsOf(k, ReadRange.all(), NOW + 50).size());
    // an UPDATE-only row (no liveness) vanishes when its cells are deleted
    apply(rows(T, k, row(b(3), Cell.live("v", s("x"), 10))));
    apply(rows(T, k, row(b(3), Cell.tombstone("v", 11, NOW))));
    assertEquals(2, rowsOf(k, ReadRange.all(), NOW).size());
  }

  // ------------------------------------------------------------------ deletions

  @Test
  void rowDeletionShadowsOlderCellsOnly() {
    PartitionKey k = pk("a");
    apply(rows(T, k, insert(b(1), 10, Cell.live("v", s("x"), 10), Cell.live("w", s("y"), 30))));
    apply(rows(T, k, rowDelete(b(1), 20, NOW)));
    StoredRow r = rowsOf(k, ReadRange.all(), NOW).get(0);
    assertEquals(-1, r.livenessMicros());
    assertEquals(List.of("w"), r.cells().stream().map(Cell::column).toList());
    // an older write after the deletion stays shadowed
    apply(rows(T, k, row(b(1), Cell.live("v", s("late"), 15))));
    assertNull(cell(k, b(1), "v"));
    apply(rows(T, k, row(b(1), Cell.live("v", s("fresh"), 25))));
    assertArrayEquals(s("fresh"), cell(k, b(1), "v").value());
  }

  @Test
  void rowDeletionInSameUpdateAppliesBeforeItsCells() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.live("old", s("x"), 5))));
    apply(rows(T, k, new RowUpdate(b(1), new DeletionTime(9, NOW), 10, 0, Cell.NO_DELETION_TIME,
        List.of(Cell.live("new", s("y"), 10)))));
    StoredRow r = rowsOf(k, ReadRange.all(), NOW).get(0);
    assertEquals(List.of("new"), r.cells().stream().map(Cell::column).toList());
    assertEquals(10, r.livenessMicros());
  }

  @Test
  void partitionDeletionShadowsStaticAndRegularRows() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(RowUpdate.STATIC_CLUSTERING, Cell.live("s", s("st"), 10)),
        row(b(1), Cell.live("v", s("x"), 10)), row(b(2), Cell.live("v", s("y"), 30))));
    apply(Muts.partitionDelete(T, k, 20, NOW));
    PartitionData p = read(k).orElseThrow();
    assertNull(p.staticRow());
    assertEquals(1, p.rows().size());
    assertArrayEquals(b(2), p.rows().get(0).clustering());
    apply(Muts.partitionDelete(T, k, 40, NOW));
    assertTrue(read(k).isEmpty());
  }

  @Test
  void rangeTombstoneIsHalfOpenAndSparesStaticRow() {
    PartitionKey k = pk("a");
    List<RowUpdate> us = new ArrayList<>();
    us.add(row(RowUpdate.STATIC_CLUSTERING, Cell.live("s", s("st"), 10)));
    for (int i = 1; i <= 5; i++) {
      us.add(row(b(i), Cell.live("v", b(i), 10)));
    }
    apply(new Mutation(T, k, DeletionTime.LIVE, List.of(), us));
    apply(Muts.rangeDelete(T, k, b(2), b(4), 10, NOW));
    PartitionData p = read(k).orElseThrow();
    assertNotNull(p.staticRow());
    assertEquals(List.of(1, 4, 5), p.rows().stream().map(r -> (int) r.clustering()[0]).toList());
    apply(Muts.rangeDelete(T, k, b(4), null, 10, NOW));
    assertEquals(List.of(1), read(k).orElseThrow().rows().stream().map(r -> (int) r.clustering()[0]).toList());
    // newer writes inside the range are visible
    apply(rows(T, k, row(b(3), Cell.live("v", s("again"), 11))));
    assertEquals(List.of(1, 3), read(k).orElseThrow().rows().stream().map(r -> (int) r.clustering()[0]).toList());
  }

  @Test
  void columnDeletionRemovesOneColumn() {
    PartitionKey k = pk("a");
    apply(rows(T, k, insert(b(1), 10, Cell.live("v", s("x"), 10), Cell.live("w", s("y"), 10))));
    apply(rows(T, k, row(b(1), Cell.tombstone("v", 11, NOW))));
    StoredRow r = rowsOf(k, ReadRange.all(), NOW).get(0);
    assertEquals(List.of("w"), r.cells().stream().map(Cell::column).toList());
  }

  @Test
  void collectionElementsAreSeparateCells() {
    PartitionKey k = pk("a");
    Cell e1 = new Cell("m", b(1), s("one"), 10, 0, Cell.NO_DELETION_TIME);
    Cell e2 = new Cell("m", b(2), s("two"), 10, 0, Cell.NO_DELETION_TIME);
    apply(rows(T, k, row(b(1), e1, e2)));
    apply(rows(T, k, row(b(1), new Cell("m", b(1), null, 11, 0, NOW))));
    StoredRow r = rowsOf(k, ReadRange.all(), NOW).get(0);
    assertEquals(1, r.cells().size());
    assertArrayEquals(b(2), r.cells().get(0).path());
  }

  // ------------------------------------------------------------------ slices

  @Test
  void staticRowIncludedOnlyWhenAsked() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(RowUpdate.STATIC_CLUSTERING, Cell.live("s", s("st"), 10)), row(b(1), Cell.live("v", s("x"), 10))));
    PartitionData all = read(k).orElseThrow();
    assertArrayEquals(s("st"), all.staticRow().cells().get(0).value());
    assertEquals(1, all.rows().size());
    PartitionData noStatic = engine.readPartition(T, k, new ReadRange(new byte[0], null, false, 10, false), NOW).orElseThrow();
    assertNull(noStatic.staticRow());
    assertEquals(1, noStatic.rows().size());
    // a partition with only a static row
    PartitionKey k2 = pk("b");
    apply(rows(T, k2, row(RowUpdate.STATIC_CLUSTERING, Cell.live("s", s("st"), 10))));
    assertTrue(read(k2).orElseThrow().rows().isEmpty());
    assertTrue(engine.readPartition(T, k2, new ReadRange(new byte[0], null, false, 10, false), NOW).isEmpty());
  }

  @Test
  void slicesReversedAndLimited() {
    PartitionKey k = pk("a");
    List<RowUpdate> us = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      us.add(row(b(0x10 * i, 0), Cell.live("v", b(i), 10)));
    }
    us.add(row(b(0xF0, 0xFF), Cell.live("v", b(99), 10)));
    apply(new Mutation(T, k, DeletionTime.LIVE, List.of(), us));
    assertEquals(List.of(0x20, 0x30, 0x40), firstBytes(rowsOf(k, new ReadRange(b(0x20), b(0x50), false, 100, false), NOW)));
    assertEquals(List.of(0x40, 0x30, 0x20), firstBytes(rowsOf(k, new ReadRange(b(0x20), b(0x50), true, 100, false), NOW)));
    assertEquals(List.of(0xF0, 0x90), firstBytes(rowsOf(k, new ReadRange(new byte[0], null, true, 2, false), NOW)));
    assertEquals(List.of(0x00, 0x10), firstBytes(rowsOf(k, new ReadRange(new byte[0], null, false, 2, false), NOW)));
    assertEquals(List.of(), firstBytes(rowsOf(k, new ReadRange(b(0x50), b(0x50), false, 100, false), NOW)));
    assertEquals(List.of(0x20), firstBytes(rowsOf(k, new ReadRange(b(0x20, 0), b(0x20, 1), false, 100, false), NOW)));
  }

  static List<Integer> firstBytes(List<StoredRow> rows) {
    return rows.stream().map(r -> r.clustering()[0] & 0xFF).toList();
  }

  @Test
  void partitionKeysWithZeroBytesAndPrefixesStayApart() {
    PartitionKey a = new PartitionKey(5, b(1));
    PartitionKey c = new PartitionKey(5, b(1, 0));
    PartitionKey d = new PartitionKey(5, b(1, 0, 0xFF));
    PartitionKey e = new PartitionKey(5, b(1, 0, 0));
    for (PartitionKey k : List.of(a, c, d, e)) {
      apply(rows(T, k, row(b(1), Cell.live("v", k.serialized(), 10))));
    }
    for (PartitionKey k : List.of(a, c, d, e)) {
      PartitionData p = read(k).orElseThrow();
      assertEquals(1, p.rows().size());
      assertArrayEquals(k.serialized(), p.rows().get(0).cells().get(0).value());
    }
    try (StorageEngine.PartitionIterator it = engine.scan(T, TokenRange.FULL, null, ReadRange.all(), NOW)) {
      List<PartitionKey> keys = new ArrayList<>();
      it.forEachRemaining(p -> keys.add(p.key()));
      assertEquals(List.of(a, c, e, d), keys); // unsigned: 01 < 01 00 < 01 00 00 < 01 00 FF
    }
  }

  // ------------------------------------------------------------------ scans

  @Test
  void scanIsInTokenOrderAndResumesAfterKey() {
    List<PartitionKey> keys = new ArrayList<>();
    for (long t : new long[] {Long.MAX_VALUE, -5, 7, 7, Long.MIN_VALUE + 1, 0, 100}) {
      PartitionKey k = new PartitionKey(t, s("k" + keys.size()));
      keys.add(k);
      apply(rows(T, k, row(b(1), Cell.live("v", s("x"), 10))));
    }
    PartitionKey dead = new PartitionKey(50, s("dead"));
    apply(rows(T, dead, row(b(1), Cell.live("v", s("x"), 10))));
    apply(Muts.partitionDelete(T, dead, 10, NOW));
    List<PartitionKey> all = scanKeys(TokenRange.FULL, null);
    assertEquals(List.of(Long.MIN_VALUE + 1, -5L, 0L, 7L, 7L, 100L, Long.MAX_VALUE),
        all.stream().map(PartitionKey::token).toList());
    assertEquals(List.of(7L, 7L, 100L), scanKeys(new TokenRange(0, 100), null).stream().map(PartitionKey::token).toList());
    // resume after each key in turn and get exactly the rest
    for (int i = 0; i < all.size(); i++) {
      assertEquals(all.subList(i + 1, all.size()), scanKeys(TokenRange.FULL, all.get(i)));
    }
    assertThrows(MeridianException.class, () -> engine.scan(T, new TokenRange(5, 5), null, ReadRange.all(), NOW));
  }

  List<PartitionKey> scanKeys(TokenRange r, PartitionKey after) {
    List<PartitionKey> out = new ArrayList<>();
    try (StorageEngine.PartitionIterator it = engine.scan(T, r, after, ReadRange.all(), NOW)) {
      it.forEachRemaining(p -> out.add(p.key()));
    }
    return out;
  }

  @Test
  void scanIteratorStopsCleanlyWhenEngineCloses() {
    apply(rows(T, pk("a"), row(b(1), Cell.live("v", s("x"), 10))));
    StorageEngine.PartitionIterator it = engine.scan(T, TokenRange.FULL, null, ReadRange.all(), NOW);
    engine.close();
    assertThrows(MeridianException.class, it::hasNext);
    it.close();
  }

  // ------------------------------------------------------------------ tablets

  @Test
  void tabletsSplitTheRingAndRouteByToken() {
    List<Tablet> ts = engine.tablets(T);
    assertEquals(8, ts.size());
    assertEquals(Long.MIN_VALUE, ts.get(0).range().start());
    assertEquals(Long.MAX_VALUE, ts.get(7).range().end());
    for (int i = 1; i < ts.size(); i++) {
      assertEquals(ts.get(i - 1).range().end(), ts.get(i).range().start());
    }
    for (long t : new long[] {Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE, ts.get(3).range().end(), ts.get(3).range().end() + 1}) {
      Tablet owner = engine.tabletFor(T, t);
      assertTrue(owner.range().contains(t), "token " + t + " in " + owner);
      assertEquals(1, ts.stream().filter(x -> x.range().contains(t)).count());
    }
    // a tablet refuses a token it does not own
    PartitionKey k = new PartitionKey(0, s("z"));
    Tablet wrong = ts.get(0);
    ExecutionException e = assertThrows(ExecutionException.class, () -> wrong.apply(rows(T, k, row(b(1), Cell.live("v", s("x"), 1)))).get());
    assertEquals(CqlErrorCode.INVALID, ((MeridianException) e.getCause()).code());
    // idempotent create, mismatch refused
    engine.createTable(T, 8);
    assertThrows(MeridianException.class, () -> engine.createTable(T, 4));
    UUID one = UUID.randomUUID();
    engine.createTable(one, 1);
    assertEquals(TokenRange.FULL, engine.tablets(one).get(0).range());
  }

  @Test
  void unknownTableAndClosedEngineFailClearly() {
    UUID nope = UUID.randomUUID();
    assertThrows(MeridianException.class, () -> engine.tabletFor(nope, 1));
    assertThrows(MeridianException.class, () -> engine.readPartition(nope, pk("a"), ReadRange.all(), NOW));
    engine.close();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> engine.apply(rows(T, pk("a"), row(b(1), Cell.live("v", s("x"), 1)))).get());
    assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
  }

  @Test
  void fullQueueFailsFastWithOverloaded() throws Exception {
    engine.close();
    engine = RocksStorageEngine.open(config().withCommitQueue(4, 2), clock);
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<Void> blocker = engine.runOnCommitter(() -> {
      running.countDown();
      awaitQuietly(hold);
    });
    running.await(10, TimeUnit.SECONDS);
    List<CompletableFuture<Void>> accepted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accepted.add(engine.apply(rows(T, pk("k" + i), row(b(1), Cell.live("v", s("x"), 1)))));
    }
    CompletableFuture<Void> rejected = engine.apply(rows(T, pk("over"), row(b(1), Cell.live("v", s("x"), 1))));
    assertTrue(rejected.isCompletedExceptionally());
    ExecutionException e = assertThrows(ExecutionException.class, rejected::get);
    assertEquals(CqlErrorCode.OVERLOADED, ((MeridianException) e.getCause()).code());
    hold.countDown();
    blocker.get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(accepted.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
    assertTrue(read(pk("k3")).isPresent());
    assertTrue(read(pk("over")).isEmpty());
  }

  @Test
  void invalidMutationsAreRefused() {
    PartitionKey k = pk("a");
    var bad = new Mutation(T, k, DeletionTime.LIVE, List.of(new io.meridian.storage.RangeTombstone(b(5), b(2), new DeletionTime(1, NOW))), List.of());
    ExecutionException e = assertThrows(ExecutionException.class, () -> engine.apply(bad).get());
    assertEquals(CqlErrorCode.INVALID, ((MeridianException) e.getCause()).code());
    assertThrows(MeridianException.class, () -> engine.apply(rows(T, new PartitionKey(Long.MIN_VALUE, b(1)))));
  }

  // ------------------------------------------------------------------ truncate, drop, restart

  @Test
  void truncateAndDrop() {
    UUID other = UUID.randomUUID();
    engine.createTable(other, 2);
    for (int i = 0; i < 20; i++) {
      apply(rows(T, pk("k" + i), row(b(1), Cell.live("v", s("x"), 1))));
      apply(rows(other, pk("k" + i), row(b(1), Cell.live("v", s("x"), 1))));
    }
    engine.truncate(T).join();
    assertEquals(0, engine.storedEntryCount(T));
    assertEquals(20, engine.storedEntryCount(other));
    apply(rows(T, pk("after"), row(b(1), Cell.live("v", s("x"), 1))));
    assertTrue(read(pk("after")).isPresent());
    engine.dropTable(other);
    assertThrows(MeridianException.class, () -> engine.tablets(other));
    assertEquals(0, engine.storedEntryCount(other));
    engine.close();
    engine = RocksStorageEngine.open(config(), clock);
    assertThrows(MeridianException.class, () -> engine.tablets(other));
    assertEquals(8, engine.tablets(T).size());
    assertTrue(read(pk("after")).isPresent());
    assertTrue(read(pk("k1")).isEmpty());
  }

  @Test
  void everythingSurvivesCleanRestart() {
    UUID t2 = UUID.randomUUID();
    engine.createTable(t2, 3);
    for (int i = 0; i < 100; i++) {
      apply(rows(T, pk("k" + i), insert(b(i), 10 + i, Cell.live("v", s("x" + i), 10 + i))));
    }
    apply(Muts.partitionDelete(T, pk("k7"), 1000, NOW));
    engine.close();
    engine = RocksStorageEngine.open(config(), clock);
    assertEquals(3, engine.tablets(t2).size());
    for (int i = 0; i < 100; i++) {
      Optional<PartitionData> p = read(pk("k" + i));
      if (i == 7) {
        assertTrue(p.isEmpty());
      } else {
        assertArrayEquals(s("x" + i), p.orElseThrow().rows().get(0).cells().get(0).value());
      }
    }
  }

  @Test
  void periodicPolicyAlsoPersists() {
    engine.close();
    engine = RocksStorageEngine.open(config().withCommitPolicy(io.meridian.storage.CommitPolicy.PERIODIC, 5), clock);
    apply(rows(T, pk("p"), row(b(1), Cell.live("v", s("x"), 1))));
    engine.close();
    engine = RocksStorageEngine.open(config(), clock);
    assertTrue(read(pk("p")).isPresent());
  }

  @Test
  void periodicPolicySyncsOnlyWhenSomethingWasWritten() throws InterruptedException {
    engine.close();
    engine = RocksStorageEngine.open(config().withCommitPolicy(io.meridian.storage.CommitPolicy.PERIODIC, 2), clock);
    apply(rows(T, pk("p"), row(b(1), Cell.live("v", s("x"), 1))));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (engine.periodicSyncsTotal() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long afterWrite = engine.periodicSyncsTotal();
    assertTrue(afterWrite >= 1, "the write was synced by a tick");
    Thread.sleep(300); // about 150 ticks of 2 ms with nothing written
    assertEquals(afterWrite, engine.periodicSyncsTotal(), "idle ticks sync nothing");
    apply(rows(T, pk("q"), row(b(1), Cell.live("v", s("y"), 2))));
    deadline = System.nanoTime() + 10_000_000_000L;
    while (engine.periodicSyncsTotal() == afterWrite && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(afterWrite + 1, engine.periodicSyncsTotal(), "the next write is synced by one tick");
  }

  /** Flips one byte of the stored row value with plain RocksDB, with the engine closed, then reopens. */
  private void corruptRow(PartitionKey k, byte[] clustering) throws Exception {
    engine.close();
    byte[] key = KeyCodec.rowKey(KeyCodec.partitionPrefix(T, k), clustering);
    try (var cfOpts = new org.rocksdb.ColumnFamilyOptions();
         var dbOpts = new org.rocksdb.DBOptions()) {
      List<org.rocksdb.ColumnFamilyHandle> hs = new ArrayList<>();
      List<org.rocksdb.ColumnFamilyDescriptor> ds = List.of(
          new org.rocksdb.ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOpts),
          new org.rocksdb.ColumnFamilyDescriptor(s("data"), cfOpts),
          new org.rocksdb.ColumnFamilyDescriptor(s("partitions"), cfOpts),
          new org.rocksdb.ColumnFamilyDescriptor(s("index"), cfOpts));
      try (RocksDB raw = RocksDB.open(dbOpts, dir.toString(), ds, hs)) {
        byte[] v = raw.get(hs.get(1), key);
        v[ValueCodec.CELLS_OFFSET + 3] ^= 0x01;
        raw.put(hs.get(1), key, v);
        hs.forEach(org.rocksdb.ColumnFamilyHandle::close);
      }
    }
    engine = RocksStorageEngine.open(config(), clock);
  }

  @Test
  void corruptValueIsReportedWithItsKey() throws Exception {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.live("v", s("x"), 10))));
    corruptRow(k, b(1));
    StorageCorruptionException e = assertThrows(StorageCorruptionException.class, () -> read(k));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertTrue(e.getMessage().contains(T.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("token " + k.token()), e.getMessage());
    // the write path refuses to build on the corrupt range too
    ExecutionException we = assertThrows(ExecutionException.class,
        () -> engine.apply(rows(T, k, row(b(1), Cell.live("v", s("y"), 11)))).get());
    assertInstanceOf(io.meridian.common.MeridianException.class, we.getCause());
    assertTrue(we.getCause().getMessage().contains("out of service"), we.getCause().getMessage());
  }

  @Test
  void aCorruptRecordTakesOnlyItsTabletOutOfService() throws Exception {
    // Find two keys in the same tablet and one in another.
    List<RocksTablet> tablets = tabletsOf(T);
    PartitionKey bad = pk("bad");
    PartitionKey neighbour = null;
    PartitionKey elsewhere = null;
    int badTablet = TabletRanges.indexOf(bad.token(), tablets.size());
    for (int i = 0; neighbour == null || elsewhere == null; i++) {
      PartitionKey k = pk("k" + i);
      if (TabletRanges.indexOf(k.token(), tablets.size()) == badTablet) {
        neighbour = neighbour == null ? k : neighbour;
      } else {
        elsewhere = elsewhere == null ? k : elsewhere;
      }
    }
    for (PartitionKey k : List.of(bad, neighbour, elsewhere)) {
      apply(rows(T, k, row(b(1), Cell.live("v", s("x"), 10))));
    }
    corruptRow(bad, b(1));
    assertThrows(StorageCorruptionException.class, () -> read(bad));
    assertEquals(1, engine.tabletsOutOfService().size());
    PartitionKey sameTablet = neighbour;
    io.meridian.common.MeridianException refused =
        assertThrows(io.meridian.common.MeridianException.class, () -> read(sameTablet));
    assertTrue(refused.getMessage().contains("out of service"), refused.getMessage());
    assertThrows(ExecutionException.class,
        () -> engine.applyConditionally(T, sameTablet, ReadRange.all(), NOW,
            c -> io.meridian.storage.ConditionalWrite.Decision.noWrite(1)).get());
    assertThrows(io.meridian.common.MeridianException.class,
        () -> engine.scan(T, io.meridian.storage.TokenRange.FULL, null, ReadRange.all(), NOW));
    // Everything outside the tablet keeps working.
    assertTrue(read(elsewhere).isPresent());
    apply(rows(T, elsewhere, row(b(2), Cell.live("v", s("z"), 11))));
    assertEquals(2, read(elsewhere).get().rows().size());
    io.meridian.storage.TokenRange otherRange = tablets.get(TabletRanges.indexOf(elsewhere.token(), tablets.size())).range();
    try (var it = engine.scan(T, otherRange, null, ReadRange.all(), NOW)) {
      assertTrue(it.hasNext());
    }
  }

  private List<RocksTablet> tabletsOf(java.util.UUID table) {
    List<RocksTablet> out = new ArrayList<>();
    engine.tablets(table).forEach(t -> out.add((RocksTablet) t));
    return out;
  }

  // ------------------------------------------------------------------ purge

  @Test
  void purgeRemovesTombstonesAndExpiredDataAfterGrace() {
    engine.close();
    engine = RocksStorageEngine.open(config().withGcGraceSeconds(0).withPurge(0, 3), clock);
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.live("v", s("x"), 10))));
    apply(rows(T, k, row(b(1), Cell.tombstone("v", 11, NOW))));                // cell tombstone
    apply(rows(T, k, row(b(2), Cell.expiring("v", s("t"), 10, 5, NOW))));      // expires at NOW+5
    apply(rows(T, k, insert(b(3), 10, Cell.live("v", s("keep"), 10))));
    apply(rows(T, k, rowDelete(b(4), 10, NOW)));                               // row deletion only
    PartitionKey gone = pk("gone");
    apply(rows(T, gone, row(b(1), Cell.live("v", s("x"), 10)), row(b(2), Cell.live("v", s("x"), 10))));
    apply(Muts.partitionDelete(T, gone, 20, NOW));
    PartitionKey ranged = pk("ranged");
    apply(rows(T, ranged, row(b(1), Cell.live("v", s("x"), 10)), row(b(5), Cell.live("v", s("y"), 10))));
    apply(Muts.rangeDelete(T, ranged, b(0), b(3), 20, NOW));
    long before = engine.storedEntryCount(T);
    assertEquals(4 + 2 + 1 + 2 + 1, before);

    engine.purge().join(); // now == NOW: no tombstone is past grace yet, but shadowed rows go at once
    assertEquals(before - 3, engine.storedEntryCount(T));
    assertEquals(List.of(2, 3), firstBytesSigned(rowsOf(k, ReadRange.all(), NOW)));

    clock.setSeconds(NOW + 1);
    engine.purge().join();
    // k: b1 gone, b2 still live (TTL), b3 kept, b4 gone; gone: both rows and header; ranged: row 1 and header
    assertEquals(2 + 1, engine.storedEntryCount(T));
    assertEquals(List.of(2, 3), firstBytesSigned(rowsOf(k, ReadRange.all(), NOW + 1)));
    assertTrue(engine.readPartition(T, gone, ReadRange.all(), NOW + 1).isEmpty());
    assertEquals(List.of(5), firstBytesSigned(rowsOf(ranged, ReadRange.all(), NOW + 1)));

    clock.setSeconds(NOW + 6);
    engine.purge().join();
    assertEquals(2, engine.storedEntryCount(T));
    assertEquals(List.of(3), firstBytesSigned(rowsOf(k, ReadRange.all(), NOW + 6)));
    assertTrue(engine.purgePassesTotal() >= 3);
  }

  static List<Integer> firstBytesSigned(List<StoredRow> rows) {
    return rows.stream().map(r -> (int) r.clustering()[0]).toList();
  }

  @Test
  void purgeKeepsTombstonesWithinGrace() {
    engine.close();
    engine = RocksStorageEngine.open(config().withGcGraceSeconds(100), clock);
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), Cell.live("v", s("x"), 10))));
    apply(Muts.partitionDelete(T, k, 20, NOW));
    clock.setSeconds(NOW + 50);
    engine.purge().join();
    assertEquals(1, engine.storedEntryCount(T), "rows shadowed by the deletion are cleaned, the header stays");
    // the tombstone still shadows an old write arriving late
    apply(rows(T, k, row(b(1), Cell.live("v", s("late"), 15))));
    assertTrue(read(k).isEmpty());
    clock.setSeconds(NOW + 101);
    engine.purge().join();
    assertEquals(0, engine.storedEntryCount(T));
  }

  // ------------------------------------------------------------------ memtable size

  @Test
  void writesBeyondTheMemtableSizeAreFlushedToFiles() throws Exception {
    Path small = dir.resolve("small-memtables");
    try (RocksStorageEngine e = RocksStorageEngine.open(StorageConfig.defaults(small).withPurge(0, 1000)
        .withCaches(8L << 20, 1L << 20), clock)) {
      e.createTable(T);
      byte[] value = new byte[1024];
      for (int i = 0; i < 3000; i++) { // about 3 MiB of rows into 1 MiB memtables
        e.apply(rows(T, pk("m-" + i), row(b(1), Cell.live("v", value, 10)))).join();
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (sstFiles(small) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(sstFiles(small) > 0, "a full 1 MiB memtable is flushed to a table file");
      assertArrayEquals(value, e.readPartition(T, pk("m-0"), ReadRange.all(), NOW).orElseThrow().rows().get(0)
          .cells().get(0).value());
    }
  }

  private static long sstFiles(Path dir) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".sst")).count();
    }
  }
}
