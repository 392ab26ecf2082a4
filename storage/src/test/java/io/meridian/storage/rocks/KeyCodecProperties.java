package io.meridian.storage.rocks;

import io.meridian.storage.TabletRanges;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.TokenRange;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The key encoding preserves (token, partition key, clustering) order and round-trips. */
class KeyCodecProperties {
  static final UUID T = UUID.fromString("12345678-0000-0000-0000-000000000001");

  @Property
  void partitionPrefixRoundTrips(@ForAll long token, @ForAll @Size(max = 12) byte[] key, @ForAll @Size(max = 6) byte[] clustering) {
    PartitionKey pk = new PartitionKey(token, key);
    byte[] prefix = KeyCodec.partitionPrefix(T, pk);
    byte[] row = KeyCodec.rowKey(prefix, clustering);
    assertEquals(prefix.length, KeyCodec.partitionPrefixLength(row));
    assertEquals(pk, KeyCodec.partitionKey(row, prefix.length));
    assertEquals(T, KeyCodec.tableId(row));
  }

  @Property
  void rowKeysSortLikeTheirParts(@ForAll long t1, @ForAll @Size(max = 6) byte[] k1, @ForAll @Size(max = 4) byte[] c1,
                                 @ForAll long t2, @ForAll @Size(max = 6) byte[] k2, @ForAll @Size(max = 4) byte[] c2) {
    int expected = Long.compare(t1, t2);
    if (expected == 0) {
      expected = Arrays.compareUnsigned(k1, k2);
    }
    if (expected == 0) {
      expected = Arrays.compareUnsigned(c1, c2);
    }
    byte[] a = KeyCodec.rowKey(KeyCodec.partitionPrefix(T, new PartitionKey(t1, k1)), c1);
    byte[] b = KeyCodec.rowKey(KeyCodec.partitionPrefix(T, new PartitionKey(t2, k2)), c2);
    assertEquals(Integer.signum(expected), Integer.signum(Arrays.compareUnsigned(a, b)));
  }

  @Property
  void tabletRoutingMatchesRanges(@ForAll long token, @ForAll("tabletCounts") int n) {
    if (token == Long.MIN_VALUE) {
      return;
    }
    List<TokenRange> ranges = TabletRanges.split(n);
    int i = TabletRanges.indexOf(token, n);
    assertTrue(ranges.get(i).contains(token), token + " in " + ranges.get(i));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> tabletCounts() {
    return net.jqwik.api.Arbitraries.integers().between(1, 1000);
  }

  @Property
  void rowValuesRoundTrip(@ForAll @Size(max = 5) List<@Size(max = 8) byte[]> values, @ForAll long ts, @ForAll boolean deleted) {
    RowState row = new RowState();
    row.livenessMicros = Math.abs(ts % 1000);
    if (deleted) {
      row.rowDeletion = new DeletionTime(-5, 77);
    }
    for (int i = 0; i < values.size(); i++) {
      Cell c = i % 3 == 2 ? Cell.tombstone("c" + i, 10, 5) : new Cell("c" + i, new byte[] {(byte) i}, values.get(i), 10, i, 100 + i);
      row.cells.put(CellName.of(c), c);
    }
    byte[] key = KeyCodec.rowKey(KeyCodec.partitionPrefix(T, new PartitionKey(ts, new byte[] {1})), new byte[] {2});
    RowState back = ValueCodec.decodeRow(key, ValueCodec.encodeRow(row));
    assertEquals(row.rowDeletion, back.rowDeletion);
    assertEquals(row.livenessMicros, back.livenessMicros);
    assertEquals(ReferenceModel.render(Reconcile.live(new byte[0], row, DeletionTime.LIVE, 0)),
        ReferenceModel.render(Reconcile.live(new byte[0], back, DeletionTime.LIVE, 0)));
    long at = ts == Long.MIN_VALUE ? 0 : ts; // Long.MIN_VALUE means "live", never a deletion
    PartitionHeader h = new PartitionHeader();
    h.partitionDeletion = new DeletionTime(at, 3);
    h.rangeTombstones.add(new RangeTombstone(new byte[] {1}, null, new DeletionTime(at, 4)));
    h.rangeTombstones.add(new RangeTombstone(new byte[0], new byte[] {0}, new DeletionTime(at, 4)));
    PartitionHeader hb = ValueCodec.decodeHeader(key, ValueCodec.encodeHeader(h));
    assertEquals(h.partitionDeletion, hb.partitionDeletion);
    assertEquals(2, hb.rangeTombstones.size());
    assertArrayEquals(new byte[] {0}, hb.rangeTombstones.get(1).end());
  }

  @Property
  void anySingleBitFlipIsDetected(@ForAll @Size(min = 1, max = 8) byte[] value, @ForAll int position, @ForAll int bit) {
    RowState row = new RowState();
    Cell c = Cell.live("v", value, 1);
    row.cells.put(CellName.of(c), c);
    byte[] enc = ValueCodec.encodeRow(row);
    int p = Math.floorMod(position, enc.length);
    enc[p] ^= (byte) (1 << Math.floorMod(bit, 8));
    byte[] key = KeyCodec.rowKey(KeyCodec.partitionPrefix(T, new PartitionKey(1, new byte[] {1})), new byte[] {2});
    try {
      ValueCodec.decodeRow(key, enc);
      throw new AssertionError("bit flip at " + p + " not detected");
    } catch (StorageCorruptionException expected) {
      assertTrue(expected.getMessage().contains("token 1"));
    }
  }
}
