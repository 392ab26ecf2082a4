package io.meridian.storage.rocks;

import static io.meridian.storage.rocks.Muts.b;
import static io.meridian.storage.rocks.Muts.insert;
import static io.meridian.storage.rocks.Muts.pk;
import static io.meridian.storage.rocks.Muts.row;
import static io.meridian.storage.rocks.Muts.rowDelete;
import static io.meridian.storage.rocks.Muts.rows;
import static io.meridian.storage.rocks.Muts.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.meridian.storage.StoredRow;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-column ("complex") deletions: {@link RowUpdate#columnDeletions()}. */
class ColumnDeletionTest {
  static final int NOW = 1_000_000;
  static final UUID T = UUID.fromString("00000000-0000-0000-0000-0000000000cd");

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

  static Cell element(String column, int path, String value, long ts) {
    return new Cell(column, b(path), s(value), ts, 0, Cell.NO_DELETION_TIME);
  }

  static RowUpdate columnDelete(byte[] clustering, String column, long at, int ldt, Cell... cells) {
    return new RowUpdate(clustering, DeletionTime.LIVE, -1, 0, Cell.NO_DELETION_TIME, List.of(cells),
        Map.of(column, new DeletionTime(at, ldt)));
  }

  List<String> cellsOf(PartitionKey k, int now) {
    return engine.readPartition(T, k, ReadRange.all(), now).map(PartitionData::rows).orElse(List.of()).stream()
        .flatMap(r -> r.cells().stream())
        .map(c -> c.column() + ":" + HexFormat.of().formatHex(c.path()) + "@" + c.timestampMicros())
        .toList();
  }

  @Test
  void shadowsOlderCellsOfThatColumnOnly() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), element("m", 1, "one", 10), element("m", 2, "two", 20),
        Cell.live("m", s("marker-like"), 10), element("n", 1, "other", 10), Cell.live("v", s("x"), 10))));
    apply(rows(T, k, columnDelete(b(1), "m", 15, NOW)));
    // m's elements at <= 15 (any path, the empty one included) are gone; m@20, n and v survive
    assertEquals(List.of("m:02@20", "n:01@10", "v:@10"), cellsOf(k, NOW));
    // an older element arriving after the deletion stays shadowed; a newer one is visible
    apply(rows(T, k, row(b(1), element("m", 3, "late", 14), element("m", 4, "new", 16))));
    assertEquals(List.of("m:02@20", "m:04@16", "n:01@10", "v:@10"), cellsOf(k, NOW));
    // the row's stored value holds only what survives
    engine.close();
    engine = RocksStorageEngine.open(config(), clock);
    assertEquals(List.of("m:02@20", "m:04@16", "n:01@10", "v:@10"), cellsOf(k, NOW));
  }

  @Test
  void overwriteInOneUpdateKeepsItsOwnElements() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), element("m", 1, "old", 10))));
    // c = {...} at ts 20: deletion at 19, new elements at 20, in the same update
    apply(rows(T, k, columnDelete(b(1), "m", 19, NOW, element("m", 2, "new", 20))));
    assertEquals(List.of("m:02@20"), cellsOf(k, NOW));
  }

  @Test
  void deletionWinsAtEqualTimestamp() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), element("m", 1, "one", 10), Cell.live("v", s("x"), 10))));
    apply(rows(T, k, columnDelete(b(1), "m", 10, NOW)));
    assertEquals(List.of("v:@10"), cellsOf(k, NOW));
    // and in the same update: the deletion applies before the cells
    apply(rows(T, k, columnDelete(b(1), "m", 30, NOW, element("m", 2, "tie", 30))));
    assertEquals(List.of("v:@10"), cellsOf(k, NOW));
  }

  @Test
  void newestColumnDeletionWinsWhateverTheOrder() {
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), element("m", 1, "a", 10), element("m", 2, "b", 20), element("m", 3, "c", 30))));
    apply(rows(T, k, columnDelete(b(1), "m", 25, NOW)));
    apply(rows(T, k, columnDelete(b(1), "m", 15, NOW)));
    assertEquals(List.of("m:03@30"), cellsOf(k, NOW));
    apply(rows(T, k, row(b(1), element("m", 4, "d", 22))));
    assertEquals(List.of("m:03@30"), cellsOf(k, NOW), "the older deletion did not replace the newer one");
  }

  @Test
  void columnDeletionAloneDoesNotMakeARowLive() {
    PartitionKey k = pk("a");
    apply(rows(T, k, columnDelete(b(1), "m", 10, NOW)));
    assertTrue(engine.readPartition(T, k, ReadRange.all(), NOW).isEmpty());
    assertEquals(1, engine.storedEntryCount(T), "the deletion is stored, to shadow late writes");
    apply(rows(T, k, row(b(1), element("m", 1, "late", 9))));
    assertTrue(engine.readPartition(T, k, ReadRange.all(), NOW).isEmpty());
    // a static row held only by a column deletion is not returned either
    apply(rows(T, k, columnDelete(RowUpdate.STATIC_CLUSTERING, "s", 10, NOW)));
    assertTrue(engine.readPartition(T, k, ReadRange.all(), NOW).isEmpty());
    // with a primary key liveness the row is live, without that column's elements
    apply(rows(T, k, insert(b(1), 5)));
    StoredRow r = engine.readPartition(T, k, ReadRange.all(), NOW).orElseThrow().rows().get(0);
    assertEquals(5, r.livenessMicros());
    assertEquals(List.of(), r.cells());
  }

  @Test
  void rowAndPartitionDeletionsCoverColumnDeletions() {
    RowState row = new RowState();
    Reconcile.merge(row, new RowUpdate(b(1), DeletionTime.LIVE, -1, 0, Cell.NO_DELETION_TIME, List.of(),
        Map.of("m", new DeletionTime(10, NOW), "n", new DeletionTime(30, NOW))));
    assertTrue(Reconcile.dropShadowed(row, new DeletionTime(20, NOW)));
    assertEquals(Map.of("n", new DeletionTime(30, NOW)), row.columnDeletions);
    assertTrue(Reconcile.dropShadowed(row, new DeletionTime(30, NOW)), "covered at an equal timestamp too");
    assertTrue(row.columnDeletions.isEmpty());

    PartitionKey k = pk("a");
    apply(rows(T, k, columnDelete(b(1), "m", 10, NOW)));
    apply(rows(T, k, rowDelete(b(1), 10, NOW)));
    apply(Muts.partitionDelete(T, k, 10, NOW));
    clock.setSeconds(NOW + 10 * 24 * 3600 + 10); // past the default gc grace for every deletion
    engine.purge().join();
    assertEquals(0, engine.storedEntryCount(T));
  }

  @Test
  void purgedAfterGcGraceOnly() {
    engine.close();
    engine = RocksStorageEngine.open(config().withGcGraceSeconds(100), clock);
    PartitionKey k = pk("a");
    apply(rows(T, k, row(b(1), element("m", 1, "one", 10), Cell.live("v", s("x"), 10))));
    apply(rows(T, k, columnDelete(b(1), "m", 20, NOW)));
    clock.setSeconds(NOW + 100);
    engine.purge().join();
    // within grace: the deletion still shadows a late older write
    apply(rows(T, k, row(b(1), element("m", 2, "late", 15))));
    assertEquals(List.of("v:@10"), cellsOf(k, NOW + 100));
    clock.setSeconds(NOW + 101);
    engine.purge().join();
    assertEquals(List.of("v:@10"), cellsOf(k, NOW + 101));
    // past grace it is forgotten (as in Cassandra, a late older write is then visible again)
    apply(rows(T, k, row(b(1), element("m", 3, "resurrected", 15))));
    assertEquals(List.of("m:03@15", "v:@10"), cellsOf(k, NOW + 101));
    // a row held only by a column deletion is deleted once it is purgeable
    PartitionKey only = pk("only");
    apply(rows(T, only, columnDelete(b(1), "m", 20, NOW + 101)));
    assertEquals(2, engine.storedEntryCount(T));
    clock.setSeconds(NOW + 202);
    engine.purge().join();
    assertEquals(1, engine.storedEntryCount(T));
  }

  @Test
  void invalidColumnDeletionsAreRefused() {
    PartitionKey k = pk("a");
    Map<String, DeletionTime> live = Map.of("m", DeletionTime.LIVE);
    Map<String, DeletionTime> nullKey = new HashMap<>();
    nullKey.put(null, new DeletionTime(1, NOW));
    for (Map<String, DeletionTime> bad : List.of(live, nullKey)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> engine.apply(rows(T, k,
          new RowUpdate(b(1), DeletionTime.LIVE, -1, 0, Cell.NO_DELETION_TIME, List.of(), bad))).get());
      assertEquals(CqlErrorCode.INVALID, ((MeridianException) e.getCause()).code());
    }
    ExecutionException e = assertThrows(ExecutionException.class, () -> engine.apply(rows(T, k,
        new RowUpdate(b(1), DeletionTime.LIVE, -1, 0, Cell.NO_DELETION_TIME, List.of(), null))).get());
    assertEquals(CqlErrorCode.INVALID, ((MeridianException) e.getCause()).code());
  }

  // ------------------------------------------------------------------ value format

  static final byte[] KEY = KeyCodec.rowKey(KeyCodec.partitionPrefix(T, new PartitionKey(1, b(1))), b(2));

  /**
   * A row encoded by the format-1 writer (captured before format 2 existed): row deletion (5, 100),
   * liveness 10, cells c:07=09@30 ttl 60 ldt 1060, d tombstone @40 ldt 200, v=0102@20.
   */
  static final String FORMAT_1_ROW =
      "0101000000000000000500000064000000000000000a000000007fffffff000000030001630000000107000000000109000000000000001e0000003c000004240001640000000001000000000000002800000000000000c800017600000000000000000201020000000000000014000000007fffffff346bc3ba";

  @Test
  void format1RowStillDecodes() {
    RowState row = ValueCodec.decodeRow(KEY, HexFormat.of().parseHex(FORMAT_1_ROW));
    assertEquals(new DeletionTime(5, 100), row.rowDeletion);
    assertEquals(10, row.livenessMicros);
    assertTrue(row.columnDeletions.isEmpty());
    List<Cell> cells = List.copyOf(row.cells.values());
    assertEquals(List.of("c", "d", "v"), cells.stream().map(Cell::column).toList());
    assertArrayEquals(b(7), cells.get(0).path());
    assertArrayEquals(b(9), cells.get(0).value());
    assertEquals(30, cells.get(0).timestampMicros());
    assertEquals(60, cells.get(0).ttlSeconds());
    assertEquals(1060, cells.get(0).localDeletionTime());
    assertTrue(cells.get(1).isTombstone());
    assertEquals(200, cells.get(1).localDeletionTime());
    assertArrayEquals(b(1, 2), cells.get(2).value());
    // re-encoded, it is written in format 2 and decodes to the same row
    byte[] again = ValueCodec.encodeRow(row);
    assertEquals(ValueCodec.FORMAT_V2, again[ValueCodec.FORMAT_OFFSET]);
    RowState back = ValueCodec.decodeRow(KEY, again);
    assertEquals(ReferenceModel.render(Reconcile.live(b(2), row, DeletionTime.LIVE, 0)),
        ReferenceModel.render(Reconcile.live(b(2), back, DeletionTime.LIVE, 0)));
  }

  @Test
  void format2RoundTripsColumnDeletions() {
    RowState row = new RowState();
    row.columnDeletions.put("m", new DeletionTime(7, 123));
    row.columnDeletions.put("é", new DeletionTime(-3, 4));
    Cell c = element("m", 1, "x", 8);
    row.cells.put(CellName.of(c), c);
    RowState back = ValueCodec.decodeRow(KEY, ValueCodec.encodeRow(row));
    assertEquals(row.columnDeletions, back.columnDeletions);
    assertEquals(1, back.cells.size());
    RowState onlyDeletion = new RowState();
    onlyDeletion.columnDeletions.put("m", new DeletionTime(7, 123));
    assertEquals(onlyDeletion.columnDeletions,
        ValueCodec.decodeRow(KEY, ValueCodec.encodeRow(onlyDeletion)).columnDeletions);
  }

  @Test
  void unknownFormatIsCorruption() {
    byte[] v = HexFormat.of().parseHex(FORMAT_1_ROW);
    v[ValueCodec.FORMAT_OFFSET] = 3;
    int crc = ValueCodec.crc(v, v.length - 4);
    java.nio.ByteBuffer.wrap(v, v.length - 4, 4).putInt(crc);
    StorageCorruptionException e = assertThrows(StorageCorruptionException.class, () -> ValueCodec.decodeRow(KEY, v));
    assertTrue(e.getMessage().contains("format"), e.getMessage());
    // a format-2 row header is refused for partition headers
    byte[] h = ValueCodec.encodeHeader(headerWithDeletion());
    h[ValueCodec.FORMAT_OFFSET] = ValueCodec.FORMAT_V2;
    java.nio.ByteBuffer.wrap(h, h.length - 4, 4).putInt(ValueCodec.crc(h, h.length - 4));
    assertThrows(StorageCorruptionException.class, () -> ValueCodec.decodeHeader(KEY, h));
  }

  static PartitionHeader headerWithDeletion() {
    PartitionHeader h = new PartitionHeader();
    h.partitionDeletion = new DeletionTime(1, 2);
    return h;
  }
}
