package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.RowUpdate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The log entry codec: exact round trips, and any damage is detected rather than decoded. */
class MutationCodecProperties {

  @Property(tries = 300)
  void randomMutationsRoundTripExactly(@ForAll("entries") List<Mutation> entry) {
    byte[] encoded = MutationCodec.encode(entry);
    List<Mutation> decoded = MutationCodec.decode(encoded);
    assertSameMutations(entry, decoded);
    // Encoding is deterministic, so a replica re-encoding what it decoded gets the same bytes.
    assertArrayEquals(encoded, MutationCodec.encode(decoded));
  }

  @Property(tries = 300)
  void aFlippedByteIsDetected(@ForAll("entries") List<Mutation> entry, @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                              @ForAll @IntRange(min = 1, max = 255) int xorMask) {
    byte[] encoded = MutationCodec.encode(entry);
    int at = where % encoded.length;
    encoded[at] ^= (byte) xorMask;
    assertThrows(LogEntryCorruptionException.class, () -> MutationCodec.decode(encoded));
  }

  @Property(tries = 100)
  void aTruncatedOrExtendedEntryIsDetected(@ForAll("entries") List<Mutation> entry,
                                           @ForAll @IntRange(min = -64, max = 64) int delta) {
    byte[] encoded = MutationCodec.encode(entry);
    int length = Math.max(0, encoded.length + (delta == 0 ? 1 : delta));
    byte[] damaged = Arrays.copyOf(encoded, length);
    assertThrows(LogEntryCorruptionException.class, () -> MutationCodec.decode(damaged));
  }

  @Example
  void anUnknownFormatVersionIsRejectedByName() {
    byte[] encoded = MutationCodec.encode(List.of(sampleMutation()));
    encoded[4] = 5;
    LogEntryCorruptionException e =
        assertThrows(LogEntryCorruptionException.class, () -> MutationCodec.decode(encoded));
    assertEquals("corrupt replicated log entry: unknown format version 5, expected 1 to 4", e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void controlEntriesRoundTripAndNameTheirTable() {
    java.util.UUID table = java.util.UUID.randomUUID();
    for (MutationCodec.Control c : List.<MutationCodec.Control>of(new MutationCodec.Seal(table, -42L),
        new MutationCodec.Seal(table, Long.MAX_VALUE - 1), new MutationCodec.Barrier(table))) {
      MutationCodec.Entry decoded = MutationCodec.decodeEntry(java.nio.ByteBuffer.wrap(MutationCodec.encodeControl(c)));
      assertEquals(c, decoded.control());
      assertEquals(List.of(), decoded.mutations());
      assertEquals(null, decoded.guard());
    }
    byte[] seal = MutationCodec.encodeControl(new MutationCodec.Seal(table, 7));
    seal[9] = 9; // an unknown control kind, checksum mended
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(seal, 0, seal.length - 4);
    java.nio.ByteBuffer.wrap(seal).putInt(seal.length - 4, (int) crc.getValue());
    LogEntryCorruptionException e = assertThrows(LogEntryCorruptionException.class, () -> MutationCodec.decode(seal));
    assertEquals("corrupt replicated log entry: unknown control entry kind 9", e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void aGuardedEntryMayHoldNoMutationButABlindOneMayNot() {
    MutationCodec.Guard guard = new MutationCodec.Guard(7, 42);
    MutationCodec.Entry decoded = MutationCodec.decodeEntry(java.nio.ByteBuffer.wrap(MutationCodec.encodeGuarded(guard, List.of())));
    assertEquals(guard, decoded.guard());
    assertEquals(List.of(), decoded.mutations());
    assertThrows(IllegalArgumentException.class, () -> MutationCodec.encode(List.of()));
  }

  @Property(tries = 100)
  void truncationsRoundTripAndAnyDamageIsRefused(@ForAll long msb, @ForAll long lsb,
                                                 @ForAll @IntRange(min = 0, max = 28) int at, @ForAll @IntRange(min = 0, max = 7) int bit) {
    java.util.UUID table = new java.util.UUID(msb, lsb);
    byte[] encoded = MutationCodec.encodeTruncate(table);
    MutationCodec.Entry decoded = MutationCodec.decodeEntry(java.nio.ByteBuffer.wrap(encoded));
    assertEquals(table, decoded.truncatedTable());
    assertEquals(List.of(), decoded.mutations());
    byte[] damaged = encoded.clone();
    damaged[at] ^= (byte) (1 << bit);
    assertThrows(LogEntryCorruptionException.class, () -> MutationCodec.decodeEntry(java.nio.ByteBuffer.wrap(damaged)));
  }

  @Property(tries = 200)
  void guardedEntriesRoundTripAndBlindOnesHaveNoGuard(@ForAll("entries") List<Mutation> entry,
                                                      @ForAll @IntRange(min = 0, max = ConflictVersions.BUCKETS - 1) int bucket,
                                                      @ForAll long expectedVersion) {
    MutationCodec.Guard guard = new MutationCodec.Guard(bucket, expectedVersion);
    byte[] encoded = MutationCodec.encodeGuarded(guard, entry);
    assertEquals(MutationCodec.FORMAT_GUARDED, encoded[4]);
    MutationCodec.Entry decoded = MutationCodec.decodeEntry(java.nio.ByteBuffer.wrap(encoded));
    assertEquals(guard, decoded.guard());
    assertSameMutations(entry, decoded.mutations());
    assertSameMutations(entry, MutationCodec.decode(encoded));
    assertArrayEquals(encoded, MutationCodec.encodeGuarded(guard, decoded.mutations()));
    // A blind entry stays in format 1, byte for byte what older replicas wrote and read.
    byte[] blind = MutationCodec.encode(entry);
    assertEquals(MutationCodec.FORMAT_VERSION, blind[4]);
    assertEquals(null, MutationCodec.decodeEntry(java.nio.ByteBuffer.wrap(blind)).guard());
  }

  @Property(tries = 200)
  void aFlippedByteInAGuardedEntryIsDetected(@ForAll("entries") List<Mutation> entry,
                                             @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                                             @ForAll @IntRange(min = 1, max = 255) int xorMask) {
    byte[] encoded = MutationCodec.encodeGuarded(new MutationCodec.Guard(7, 99L), entry);
    encoded[where % encoded.length] ^= (byte) xorMask;
    assertThrows(LogEntryCorruptionException.class, () -> MutationCodec.decodeEntry(java.nio.ByteBuffer.wrap(encoded)));
  }

  @Example
  void aGuardOutsideTheBucketsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MutationCodec.Guard(ConflictVersions.BUCKETS, 1L));
    assertThrows(IllegalArgumentException.class, () -> new MutationCodec.Guard(-1, 1L));
  }

  @Example
  void anEmptyEntryCannotBeEncoded() {
    assertThrows(IllegalArgumentException.class, () -> MutationCodec.encode(List.of()));
  }

  @Example
  void nullPathsValuesAndOpenRangeEndsSurvive() {
    Mutation m = new Mutation(UUID.randomUUID(), new PartitionKey(42L, new byte[0]), new DeletionTime(7L, 8),
        List.of(new RangeTombstone(new byte[0], null, new DeletionTime(5L, 6))),
        List.of(new RowUpdate(RowUpdate.STATIC_CLUSTERING, DeletionTime.LIVE, -1, 0, Cell.NO_DELETION_TIME,
            List.of(Cell.tombstone("é", 3L, 4), new Cell("c", null, null, 1L, 0, 2)),
            Map.of("l", new DeletionTime(9L, 10)))));
    assertSameMutations(List.of(m), MutationCodec.decode(MutationCodec.encode(List.of(m))));
  }

  static Mutation sampleMutation() {
    return new Mutation(new UUID(1, 2), new PartitionKey(1L, new byte[] {1}), DeletionTime.LIVE, List.of(),
        List.of(new RowUpdate(new byte[] {2}, DeletionTime.LIVE, 10L, 0, Cell.NO_DELETION_TIME,
            List.of(Cell.live("v", new byte[] {3}, 10L)))));
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<List<Mutation>> entries() {
    return mutations().list().ofMinSize(1).ofMaxSize(4);
  }

  private Arbitrary<Mutation> mutations() {
    Arbitrary<UUID> tableIds = Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()));
    Arbitrary<PartitionKey> keys = Combinators.combine(Arbitraries.longs(), bytes())
        .as(PartitionKey::new);
    Arbitrary<RangeTombstone> tombstones = Combinators.combine(bytes(), bytes().injectNull(0.3), deletions())
        .as(RangeTombstone::new);
    return Combinators.combine(tableIds, keys, deletions(), tombstones.list().ofMaxSize(3), rows().list().ofMaxSize(4))
        .as(Mutation::new);
  }

  private Arbitrary<RowUpdate> rows() {
    Arbitrary<Map<String, DeletionTime>> columnDeletions = Arbitraries.maps(columnNames(), deletions()).ofMaxSize(3);
    return Combinators.combine(bytes(), deletions(), Arbitraries.longs().between(-1, Long.MAX_VALUE),
            Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers(), cells().list().ofMaxSize(5),
            columnDeletions)
        .as(RowUpdate::new);
  }

  private Arbitrary<Cell> cells() {
    return Combinators.combine(columnNames(), bytes().injectNull(0.1), bytes().injectNull(0.2), Arbitraries.longs(),
            Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers())
        .as(Cell::new);
  }

  private Arbitrary<DeletionTime> deletions() {
    return Arbitraries.oneOf(Arbitraries.just(DeletionTime.LIVE),
        Combinators.combine(Arbitraries.longs(), Arbitraries.integers()).as(DeletionTime::new));
  }

  private Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
  }

  private Arbitrary<String> columnNames() {
    // Column names are valid Unicode (CQL identifiers); include non-ASCII letters.
    return Arbitraries.strings().withCharRange('a', 'z').withChars('é', 'ß', '字', '_').ofMinLength(1).ofMaxLength(12);
  }

  // ------------------------------------------------------------------ deep equality (records hold byte[])

  static void assertSameMutations(List<Mutation> expected, List<Mutation> actual) {
    assertEquals(expected.size(), actual.size(), "mutation count");
    for (int i = 0; i < expected.size(); i++) {
      Mutation e = expected.get(i);
      Mutation a = actual.get(i);
      assertEquals(e.tableId(), a.tableId());
      assertEquals(e.key(), a.key());
      assertEquals(e.partitionDeletion(), a.partitionDeletion());
      assertEquals(e.rangeTombstones().size(), a.rangeTombstones().size());
      for (int t = 0; t < e.rangeTombstones().size(); t++) {
        RangeTombstone et = e.rangeTombstones().get(t);
        RangeTombstone at = a.rangeTombstones().get(t);
        assertArrayEquals(et.start(), at.start());
        assertArrayEquals(et.end(), at.end());
        assertEquals(et.deletion(), at.deletion());
      }
      assertEquals(e.rows().size(), a.rows().size());
      for (int r = 0; r < e.rows().size(); r++) {
        RowUpdate er = e.rows().get(r);
        RowUpdate ar = a.rows().get(r);
        assertArrayEquals(er.clustering(), ar.clustering());
        assertEquals(er.rowDeletion(), ar.rowDeletion());
        assertEquals(er.primaryKeyLivenessMicros(), ar.primaryKeyLivenessMicros());
        assertEquals(er.livenessTtlSeconds(), ar.livenessTtlSeconds());
        assertEquals(er.livenessLocalDeletionTime(), ar.livenessLocalDeletionTime());
        assertEquals(er.columnDeletions(), ar.columnDeletions());
        assertEquals(List.copyOf(er.columnDeletions().keySet()), List.copyOf(ar.columnDeletions().keySet()));
        assertEquals(er.cells().size(), ar.cells().size());
        for (int c = 0; c < er.cells().size(); c++) {
          Cell ec = er.cells().get(c);
          Cell ac = ar.cells().get(c);
          assertEquals(ec.column(), ac.column());
          assertArrayEquals(ec.path(), ac.path());
          assertArrayEquals(ec.value(), ac.value());
          assertEquals(ec.timestampMicros(), ac.timestampMicros());
          assertEquals(ec.ttlSeconds(), ac.ttlSeconds());
          assertEquals(ec.localDeletionTime(), ac.localDeletionTime());
        }
      }
    }
  }
}
