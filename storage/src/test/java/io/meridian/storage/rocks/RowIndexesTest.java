package io.meridian.storage.rocks;

import static io.meridian.storage.rocks.Muts.insert;
import static io.meridian.storage.rocks.Muts.partitionDelete;
import static io.meridian.storage.rocks.Muts.pk;
import static io.meridian.storage.rocks.Muts.row;
import static io.meridian.storage.rocks.Muts.rowDelete;
import static io.meridian.storage.rocks.Muts.rows;
import static io.meridian.storage.rocks.Muts.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.Cell;
import io.meridian.storage.IndexHit;
import io.meridian.storage.IndexTerms;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.TableIndexing;
import io.meridian.storage.TermRange;
import io.meridian.storage.TokenRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index column family follows every kind of row change, in the same batch as the row. */
class RowIndexesTest {
  static final int NOW = 1_000_000;
  static final UUID T = UUID.fromString("00000000-0000-0000-0000-0000000000bb");

  @TempDir Path dir;
  ManualClock clock = new ManualClock(NOW);
  RocksStorageEngine engine;

  /** Column "v" by its bytes; the paths (set elements) of column "tags". */
  static final class TestIndexing implements TableIndexing {
    final Map<String, String> columns;

    TestIndexing(Map<String, String> columns) {
      this.columns = columns;
    }

    @Override
    public Map<String, String> columns() {
      return columns;
    }

    @Override
    public void terms(Cell cell, Consumer<byte[]> out) {
      if (!columns.containsKey(cell.column())) {
        return;
      }
      if (cell.column().equals("tags")) {
        out.accept(IndexTerms.term("tags", IndexTerms.PART_ELEMENT, cell.path()));
      } else {
        out.accept(IndexTerms.term(cell.column(), IndexTerms.PART_VALUE, cell.value()));
      }
    }
  }

  static final TestIndexing BOTH = new TestIndexing(Map.of("v", "text", "tags", "set<text>"));

  void open(TableIndexing indexing) {
    engine = RocksStorageEngine.open(StorageConfig.defaults(dir.resolve("db")).withPurge(0, 1000).withGcGraceSeconds(0), clock);
    engine.createTable(T);
    if (indexing != null) {
      engine.setIndexing(T, indexing);
    }
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static Cell v(String value, long ts) {
    return Cell.live("v", s(value), ts);
  }

  static Cell tag(String element, long ts) {
    return new Cell("tags", s(element), new byte[0], ts, 0, Cell.NO_DELETION_TIME);
  }

  List<String> hits(String column, byte part, String value) {
    return hits(StorageEngine::indexScan, TermRange.exactly(IndexTerms.partPrefix(column, part), s(value)), null);
  }

  interface Scan {
    StorageEngine.IndexIterator open(StorageEngine e, UUID t, TermRange r, TokenRange tokens, IndexHit after);
  }

  /** "partition/clustering" of each hit, in scan order. */
  List<String> hits(Scan scan, TermRange range, IndexHit after) {
    List<String> out = new ArrayList<>();
    try (StorageEngine.IndexIterator it = scan.open(engine, T, range, TokenRange.FULL, after)) {
      it.forEachRemaining(h -> out.add(new String(h.key().serialized(), StandardCharsets.UTF_8) + "/"
          + new String(h.clustering(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  void put(PartitionKey k, String clustering, Cell... cells) {
    engine.apply(rows(T, k, insert(s(clustering), 1, cells))).join();
  }

  @Test
  void writesOverwritesAndDeletesKeepEntriesExact() {
    open(BOTH);
    PartitionKey a = pk("a");
    put(a, "1", v("red", 10), tag("x", 10));
    put(a, "2", v("red", 10));
    put(pk("b"), "1", v("blue", 10));
    assertEquals(2, hits("v", IndexTerms.PART_VALUE, "red").size());
    assertEquals(List.of("a/1"), hits("tags", IndexTerms.PART_ELEMENT, "x"));

    engine.apply(rows(T, a, row(s("1"), v("green", 20)))).join(); // overwrite
    assertEquals(List.of("a/2"), hits("v", IndexTerms.PART_VALUE, "red"));
    assertEquals(List.of("a/1"), hits("v", IndexTerms.PART_VALUE, "green"));

    engine.apply(rows(T, a, row(s("1"), v("stale", 15)))).join(); // older write loses: no entry
    assertEquals(List.of(), hits("v", IndexTerms.PART_VALUE, "stale"));

    engine.apply(rows(T, a, row(s("2"), Cell.tombstone("v", 20, NOW)))).join();
    assertEquals(List.of(), hits("v", IndexTerms.PART_VALUE, "red"));

    engine.apply(rows(T, a, rowDelete(s("1"), 30, NOW))).join();
    assertEquals(List.of(), hits("v", IndexTerms.PART_VALUE, "green"));
    assertEquals(List.of(), hits("tags", IndexTerms.PART_ELEMENT, "x"));
    assertEquals(List.of("b/1"), hits("v", IndexTerms.PART_VALUE, "blue"));
    assertEquals(Set.of("v", "tags"), engine.readyIndexes(T));
  }

  @Test
  void rangesFollowTermOrderAndResumeAfterAHit() {
    open(BOTH);
    for (String value : List.of("d", "a", "c", "b", "e")) {
      put(pk("p" + value), "1", v(value, 1));
    }
    byte[] prefix = IndexTerms.partPrefix("v", IndexTerms.PART_VALUE);
    assertEquals(List.of("pb/1", "pc/1", "pd/1"),
        hits(StorageEngine::indexScan, new TermRange(prefix, s("b"), true, s("d"), true), null));
    assertEquals(List.of("pc/1"), hits(StorageEngine::indexScan, new TermRange(prefix, s("b"), false, s("d"), false), null));
    assertEquals(List.of("pa/1", "pb/1"), hits(StorageEngine::indexScan, new TermRange(prefix, null, true, s("c"), false), null));
    assertEquals(List.of("pd/1", "pe/1"), hits(StorageEngine::indexScan, new TermRange(prefix, s("c"), false, null, true), null));
    IndexHit afterB = new IndexHit(IndexTerms.term("v", IndexTerms.PART_VALUE, s("b")), pk("pb"), s("1"));
    assertEquals(List.of("pc/1", "pd/1", "pe/1"), hits(StorageEngine::indexScan, new TermRange(prefix, null, true, null, true), afterB));
    // a longer value that starts with a shorter one sorts after it, and a column's terms stay apart
    put(pk("pbb"), "1", v("bb", 1));
    assertEquals(List.of("pb/1", "pbb/1"), hits(StorageEngine::indexScan, new TermRange(prefix, s("b"), true, s("bz"), false), null));
    assertEquals(List.of(), hits("tags", IndexTerms.PART_ELEMENT, "b"));
  }

  @Test
  void exactTermScanKeepsToItsTokens() {
    open(BOTH);
    List<PartitionKey> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      PartitionKey k = pk("k" + i);
      keys.add(k);
      put(k, "1", v("same", 1));
    }
    TokenRange upperHalf = new TokenRange(0, Long.MAX_VALUE);
    long expected = keys.stream().filter(k -> upperHalf.contains(k.token())).count();
    List<Long> tokens = new ArrayList<>();
    TermRange same = TermRange.exactly(IndexTerms.partPrefix("v", IndexTerms.PART_VALUE), s("same"));
    try (StorageEngine.IndexIterator it = engine.indexScan(T, same, upperHalf, null)) {
      it.forEachRemaining(h -> tokens.add(h.key().token()));
    }
    assertEquals(expected, tokens.size());
    assertTrue(tokens.stream().allMatch(upperHalf::contains));
    assertEquals(tokens.stream().sorted().toList(), tokens, "ring order within one term");
  }

  @Test
  void aTermRangeScanOverSomeTokensSkipsToThemInEveryTerm() {
    open(BOTH);
    for (int i = 0; i < 200; i++) {
      put(pk("k" + i), "1", v("t" + (i % 13), 1));
    }
    TermRange all = new TermRange(IndexTerms.partPrefix("v", IndexTerms.PART_VALUE), s("t1"), true, s("t5"), false);
    List<IndexHit> everything = new ArrayList<>();
    try (StorageEngine.IndexIterator it = engine.indexScan(T, all, TokenRange.FULL, null)) {
      it.forEachRemaining(everything::add);
    }
    for (TokenRange tokens : List.of(new TokenRange(-1L << 61, 1L << 60), new TokenRange(pk("k3").token() - 1, pk("k3").token()))) {
      List<String> expected = everything.stream().filter(h -> tokens.contains(h.key().token()))
          .map(h -> new String(h.term(), StandardCharsets.UTF_8) + "@" + h.key().token()).toList();
      List<String> found = new ArrayList<>();
      try (StorageEngine.IndexIterator it = engine.indexScan(T, all, tokens, null)) {
        it.forEachRemaining(h -> found.add(new String(h.term(), StandardCharsets.UTF_8) + "@" + h.key().token()));
      }
      assertEquals(expected, found, "same entries, same order, as filtering a full read of the range");
      assertTrue(!found.isEmpty(), "the ranges are chosen to hold entries");
    }
  }

  @Test
  void partitionDeletionsAndExpiredCellsLeaveWithThePurge() {
    open(BOTH);
    put(pk("a"), "1", v("gone", 1));
    engine.apply(rows(T, pk("b"), row(s("1"), Cell.expiring("v", s("ttl"), 1, 10, NOW)))).join();
    engine.apply(partitionDelete(T, pk("a"), 5, NOW)).join();
    // stale until purged: readers check the row, so a stale entry is never an answer
    assertEquals(List.of("a/1"), hits("v", IndexTerms.PART_VALUE, "gone"));
    assertEquals(List.of("b/1"), hits("v", IndexTerms.PART_VALUE, "ttl"));
    clock.setSeconds(NOW + 11);
    engine.purge().join();
    assertEquals(List.of(), hits("v", IndexTerms.PART_VALUE, "gone"));
    assertEquals(List.of(), hits("v", IndexTerms.PART_VALUE, "ttl"));
  }

  @Test
  void truncateAndDropTakeTheEntries() {
    open(BOTH);
    put(pk("a"), "1", v("x", 1));
    engine.truncate(T).join();
    assertEquals(List.of(), hits("v", IndexTerms.PART_VALUE, "x"));
    put(pk("a"), "1", v("x", 2));
    engine.dropTable(T);
    engine.createTable(T);
    engine.setIndexing(T, BOTH);
    assertEquals(List.of(), hits("v", IndexTerms.PART_VALUE, "x"));
  }

  @Test
  void aColumnAddedLaterIsBuiltFromTheStoredRows() throws Exception {
    open(new TestIndexing(Map.of("v", "text")));
    for (int i = 0; i < 2_500; i++) {
      put(pk("k" + i), "1", v("v" + (i % 10), 1), tag("t" + (i % 5), 1));
    }
    assertEquals(Set.of("v"), engine.readyIndexes(T));
    engine.setIndexing(T, BOTH);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!engine.readyIndexes(T).contains("tags") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(Set.of("v", "tags"), engine.readyIndexes(T));
    assertEquals(Map.of(), engine.indexBuildsInProgress(T));
    assertEquals(500, hits("tags", IndexTerms.PART_ELEMENT, "t3").size());
    assertEquals(250, hits("v", IndexTerms.PART_VALUE, "v7").size());

    // dropping a column from the indexing drops its entries at once
    engine.setIndexing(T, new TestIndexing(Map.of("v", "text")));
    assertEquals(List.of(), hits("tags", IndexTerms.PART_ELEMENT, "t3"));
    assertEquals(Set.of("v"), engine.readyIndexes(T));
  }

  @Test
  void restartKeepsReadyIndexesUnlessAWriteCameBeforeTheIndexingWasSet() throws Exception {
    open(BOTH);
    put(pk("a"), "1", v("x", 1));
    engine.close();
    open(null);
    assertEquals(Set.of(), engine.readyIndexes(T), "not usable before the schema layer says how to index");
    engine.setIndexing(T, BOTH);
    assertEquals(Set.of("v", "tags"), engine.readyIndexes(T), "nothing changed: no rebuild");
    engine.close();

    open(null);
    put(pk("b"), "1", v("x", 2)); // no entries can be made for this write
    engine.setIndexing(T, BOTH);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (engine.readyIndexes(T).size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of("a/1", "b/1").stream().sorted().toList(), hits("v", IndexTerms.PART_VALUE, "x").stream().sorted().toList());
  }

  @Test
  void aReplacedRangeBringsItsEntriesAndTakesTheOldOnes() {
    open(BOTH);
    put(pk("a"), "1", v("old", 1));
    put(pk("b"), "1", v("old", 1));
    TokenRange ofA = new TokenRange(pk("a").token() - 1, pk("a").token());
    Path files;
    try (RocksStorageEngine source = RocksStorageEngine.open(StorageConfig.defaults(dir.resolve("source")), clock)) {
      source.createTable(T);
      source.apply(rows(T, pk("a"), insert(s("1"), 5, v("new", 5)))).join();
      files = dir.resolve("snap");
      source.exportRange(T, ofA, files);
    }
    engine.replaceRange(T, ofA, files);
    assertEquals(List.of("b/1"), hits("v", IndexTerms.PART_VALUE, "old"));
    assertEquals(List.of("a/1"), hits("v", IndexTerms.PART_VALUE, "new"));
  }
}
