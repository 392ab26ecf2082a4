package io.meridian.storage.rocks;

import static io.meridian.storage.rocks.Muts.b;
import static io.meridian.storage.rocks.Muts.insert;
import static io.meridian.storage.rocks.Muts.partitionDelete;
import static io.meridian.storage.rocks.Muts.rangeDelete;
import static io.meridian.storage.rocks.Muts.row;
import static io.meridian.storage.rocks.Muts.rows;
import static io.meridian.storage.rocks.Muts.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.storage.Cell;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.TokenRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;

/** exportRange / replaceRange between two engines: exact bounds, byte-exact records, neighbours untouched. */
class TabletSnapshotsTest {
  static final int NOW = 1_000_000;
  static final UUID T = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  /** The table id right after T's: its keys start exactly at T's prefix successor. */
  static final UUID NEXT = UUID.fromString("00000000-0000-0000-0000-0000000000ab");
  static final UUID LAST = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");

  @TempDir Path dir;
  RocksStorageEngine source;
  RocksStorageEngine target;

  @BeforeEach
  void open() {
    ManualClock clock = new ManualClock(NOW);
    source = RocksStorageEngine.open(StorageConfig.defaults(dir.resolve("source")).withPurge(0, 1000), clock);
    target = RocksStorageEngine.open(StorageConfig.defaults(dir.resolve("target")).withPurge(0, 1000), clock);
    for (RocksStorageEngine e : List.of(source, target)) {
      e.createTable(T);
      e.createTable(NEXT);
      e.createTable(LAST);
    }
  }

  @AfterEach
  void close() {
    source.close();
    target.close();
  }

  static PartitionKey key(long token, String name) {
    return new PartitionKey(token, s(name));
  }

  static void put(RocksStorageEngine e, UUID table, PartitionKey k, String value, long ts) {
    e.apply(rows(table, k, insert(b(1), ts, Cell.live("v", s(value), ts)))).join();
  }

  static Optional<String> value(RocksStorageEngine e, UUID table, PartitionKey k, int now) {
    return e.readPartition(table, k, ReadRange.all(), now)
        .flatMap(p -> p.rows().stream().findFirst())
        .flatMap(r -> r.cells().stream().filter(c -> c.column().equals("v")).findFirst())
        .map(c -> new String(c.value(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void replaceMakesTheRangeEqualToTheExportAndLeavesEverythingElseAlone() throws Exception {
    TokenRange range = new TokenRange(-1000, 1000);
    PartitionKey inA = key(-999, "a");          // first token of the range
    PartitionKey inB = key(0, "b");
    PartitionKey inC = key(1000, "c");          // last token of the range (inclusive end)
    PartitionKey before = key(-1000, "before"); // the exclusive start
    PartitionKey after = key(1001, "after");
    put(source, T, inA, "a1", 10);
    put(source, T, inC, "c1", 10);
    // TTL cell, cell tombstone, partition deletion and range tombstone: all must travel unchanged.
    source.apply(rows(T, inB, insert(b(1), 10, Cell.expiring("v", s("ttl"), 10, 100, NOW)),
        row(b(2), Cell.tombstone("v", 20, NOW)))).join();
    source.apply(rangeDelete(T, inB, b(5), b(9), 30, NOW)).join();
    source.apply(partitionDelete(T, key(500, "gone"), 40, NOW)).join();
    put(source, T, before, "source-before", 10);
    put(source, T, after, "source-after", 10);

    // The target's range holds other data, some of it newer: the replace must still drop it.
    put(target, T, inA, "stale", 99);
    put(target, T, key(7, "not-in-snapshot"), "x", 99);
    put(target, T, before, "target-before", 5);
    put(target, T, after, "target-after", 5);
    put(target, NEXT, key(-5, "other-table"), "kept", 5);

    List<Path> files = source.exportRange(T, range, dir.resolve("snap"));
    assertEquals(2, files.size(), "rows and partition headers: " + files);
    target.replaceRange(T, range, dir.resolve("snap"));

    assertEquals(Optional.of("a1"), value(target, T, inA, NOW));
    assertEquals(Optional.of("c1"), value(target, T, inC, NOW));
    assertEquals(Optional.empty(), value(target, T, key(7, "not-in-snapshot"), NOW), "rows not in the snapshot are gone");
    assertEquals(Optional.of("target-before"), value(target, T, before, NOW), "the exclusive start is not touched");
    assertEquals(Optional.of("target-after"), value(target, T, after, NOW));
    assertEquals(Optional.of("kept"), value(target, NEXT, key(-5, "other-table"), NOW));

    // TTL: live now, expired after its 100 seconds.
    assertEquals(Optional.of("ttl"), value(target, T, inB, NOW));
    assertEquals(Optional.empty(), value(target, T, inB, NOW + 101));
    // The tombstone (ts 20) still shadows an older write arriving after the replace.
    target.apply(rows(T, inB, row(b(2), Cell.live("v", s("older"), 15)))).join();
    PartitionData b = target.readPartition(T, inB, ReadRange.all(), NOW).orElseThrow();
    assertEquals(1, b.rows().size(), "row 2 stays deleted: " + b.rows());
    // The range tombstone [5, 9) at ts 30 shadows an older row inside it.
    target.apply(rows(T, inB, insert(b(6), 25, Cell.live("v", s("older"), 25)))).join();
    assertEquals(1, target.readPartition(T, inB, ReadRange.all(), NOW).orElseThrow().rows().size());
    // The partition deletion at ts 40 shadows an older write to that partition.
    put(target, T, key(500, "gone"), "older", 35);
    assertEquals(Optional.empty(), value(target, T, key(500, "gone"), NOW));

    // Byte-exact: exporting the target's range now gives the same records (plus the two
    // shadowed writes just made, which is why only the untouched partitions are compared).
    source.apply(rows(T, inB, row(b(2), Cell.live("v", s("older"), 15)))).join();
    source.apply(rows(T, inB, insert(b(6), 25, Cell.live("v", s("older"), 25)))).join();
    put(source, T, key(500, "gone"), "older", 35);
    assertEquals(records(source.exportRange(T, range, dir.resolve("again-source"))),
        records(target.exportRange(T, range, dir.resolve("again-target"))));
  }

  @Test
  void theApproximateSizeOfARangeCountsItsRecordsAndNotItsNeighbours() {
    TokenRange low = new TokenRange(Long.MIN_VALUE, 0);
    TokenRange high = new TokenRange(0, Long.MAX_VALUE);
    assertEquals(0, source.approximateBytes(T, high), "nothing written yet");
    java.util.Random random = new java.util.Random(1);
    for (int i = 1; i <= 2000; i++) {
      StringBuilder value = new StringBuilder(); // random, so compression cannot shrink it
      for (int c = 0; c < 1000; c++) {
        value.append((char) ('a' + random.nextInt(26)));
      }
      put(source, T, key(i * 1000L, "k" + i), value.toString(), 1);
    }
    long inMemtable = source.approximateBytes(T, high);
    assertTrue(inMemtable > 500_000, "2000 random values of 1000 bytes counted from the memtable: " + inMemtable);
    source.flush();
    long inFiles = source.approximateBytes(T, high);
    assertTrue(inFiles > 500_000, "and from the files once flushed: " + inFiles);
    assertTrue(source.approximateBytes(T, low) < 50_000, "the other half holds none of them: "
        + source.approximateBytes(T, low));
    assertTrue(source.approximateBytes(NEXT, TokenRange.FULL) < 50_000, "nor does the next table");
    assertEquals(0, source.approximateBytes(LAST, TokenRange.FULL));
  }

  @Test
  void anEmptyRangeExportsNoFileAndReplacingWithItEmptiesTheRange() {
    TokenRange range = new TokenRange(-1000, 1000);
    put(source, T, key(2000, "outside"), "x", 1);
    List<Path> files = source.exportRange(T, range, dir.resolve("empty"));
    assertEquals(List.of(), files);
    assertTrue(Files.isDirectory(dir.resolve("empty")));

    put(target, T, key(1, "in"), "x", 1);
    put(target, T, key(2000, "outside"), "y", 1);
    target.replaceRange(T, range, dir.resolve("empty"));
    assertEquals(Optional.empty(), value(target, T, key(1, "in"), NOW));
    assertEquals(Optional.of("y"), value(target, T, key(2000, "outside"), NOW));
  }

  @Test
  void theFullRingIncludingLongMaxValueStopsAtTheNextTable() {
    put(source, T, key(Long.MIN_VALUE + 1, "lowest"), "lo", 1);
    put(source, T, key(Long.MAX_VALUE, "highest"), "hi", 1);
    put(target, T, key(Long.MAX_VALUE, "stale"), "stale", 1);
    put(target, NEXT, key(Long.MIN_VALUE + 1, "next-lowest"), "next", 1);

    source.exportRange(T, TokenRange.FULL, dir.resolve("full"));
    target.replaceRange(T, TokenRange.FULL, dir.resolve("full"));
    assertEquals(Optional.of("lo"), value(target, T, key(Long.MIN_VALUE + 1, "lowest"), NOW));
    assertEquals(Optional.of("hi"), value(target, T, key(Long.MAX_VALUE, "highest"), NOW));
    assertEquals(Optional.empty(), value(target, T, key(Long.MAX_VALUE, "stale"), NOW));
    assertEquals(Optional.of("next"), value(target, NEXT, key(Long.MIN_VALUE + 1, "next-lowest"), NOW),
        "the table whose id follows is untouched");
  }

  @Test
  void theLastPossibleTableIdRunsToTheEndOfTheKeySpace() {
    put(source, LAST, key(Long.MAX_VALUE, "a"), "new", 1);
    put(target, LAST, key(Long.MAX_VALUE, "b"), "stale", 1);
    put(target, LAST, key(5, "c"), "outside", 1);
    source.exportRange(LAST, new TokenRange(10, Long.MAX_VALUE), dir.resolve("last"));
    target.replaceRange(LAST, new TokenRange(10, Long.MAX_VALUE), dir.resolve("last"));
    assertEquals(Optional.of("new"), value(target, LAST, key(Long.MAX_VALUE, "a"), NOW));
    assertEquals(Optional.empty(), value(target, LAST, key(Long.MAX_VALUE, "b"), NOW));
    assertEquals(Optional.of("outside"), value(target, LAST, key(5, "c"), NOW));
  }

  @Test
  void filesOfAnotherRangeOrCorruptFilesAreRefusedBeforeAnythingIsRemoved() throws Exception {
    put(source, T, key(5000, "far"), "x", 1);
    source.exportRange(T, new TokenRange(4000, 6000), dir.resolve("far"));
    put(target, T, key(1, "kept"), "kept", 1);

    MeridianException e = assertThrows(MeridianException.class,
        () -> target.replaceRange(T, new TokenRange(-1000, 1000), dir.resolve("far")));
    assertEquals(CqlErrorCode.INVALID, e.code());
    assertEquals(Optional.of("kept"), value(target, T, key(1, "kept"), NOW));

    Path data = dir.resolve("far").resolve(RangeFiles.DATA_FILE);
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 3] ^= 0x5A;
    Files.write(data, bytes);
    assertThrows(MeridianException.class, () -> target.replaceRange(T, new TokenRange(4000, 6000), dir.resolve("far")));
    assertEquals(Optional.of("kept"), value(target, T, key(1, "kept"), NOW));
    // The engine still serves writes after a refused replace.
    put(target, T, key(2, "later"), "later", 1);
    assertEquals(Optional.of("later"), value(target, T, key(2, "later"), NOW));
  }

  @Test
  void badRangesAndUnknownTablesAreInvalid() {
    assertEquals(CqlErrorCode.INVALID, assertThrows(MeridianException.class,
        () -> source.exportRange(T, new TokenRange(5, 5), dir.resolve("x"))).code());
    assertEquals(CqlErrorCode.INVALID, assertThrows(MeridianException.class,
        () -> source.exportRange(UUID.randomUUID(), TokenRange.FULL, dir.resolve("x"))).code());
    assertEquals(CqlErrorCode.INVALID, assertThrows(MeridianException.class,
        () -> target.replaceRange(T, new TokenRange(9, 1), dir.resolve("x"))).code());
    assertFalse(Files.exists(dir.resolve("x").resolve(RangeFiles.DATA_FILE)));
  }

  /** Every key and value of the files, in order, as hex, for byte-exact comparison. */
  private static List<String> records(List<Path> files) throws Exception {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      out.add("file " + f.getFileName());
      try (Options o = new Options(); SstFileReader r = new SstFileReader(o)) {
        r.open(f.toString());
        try (ReadOptions ro = new ReadOptions(); SstFileReaderIterator it = r.newIterator(ro)) {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            out.add(java.util.HexFormat.of().formatHex(it.key()) + "=" + java.util.HexFormat.of().formatHex(it.value()));
          }
        }
      }
    }
    return out;
  }
}
