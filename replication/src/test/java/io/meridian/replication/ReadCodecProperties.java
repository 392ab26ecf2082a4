package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.Cell;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StoredRow;
import io.meridian.storage.TokenRange;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Read requests and results: exact round trips (timestamps, TTLs, deletion times, nulls), damage detected. */
class ReadCodecProperties {

  @Property(tries = 300)
  void partitionResultsRoundTripExactly(@ForAll("maybePartitions") Optional<PartitionData> data, @ForAll long version) {
    byte[] encoded = ReadCodec.encodePartitionResult(new ReadCodec.PartitionResult(data, version));
    ReadCodec.PartitionResult decoded = ReadCodec.decodePartitionResult(ByteBuffer.wrap(encoded));
    assertEquals(version, decoded.bucketVersion());
    assertEquals(data.isPresent(), decoded.data().isPresent());
    data.ifPresent(p -> assertSamePartition(p, decoded.data().get()));
    assertArrayEquals(encoded, ReadCodec.encodePartitionResult(decoded));
  }

  @Property(tries = 200)
  void scanPagesRoundTripExactly(@ForAll("partitionLists") List<PartitionData> partitions, @ForAll boolean more) {
    byte[] encoded = ReadCodec.encodeScanPage(partitions, more, Integer.MAX_VALUE);
    ScanPage page = ReadCodec.decodeScanPage(ByteBuffer.wrap(encoded));
    assertEquals(more, page.more());
    assertEquals(partitions.size(), page.partitions().size());
    for (int i = 0; i < partitions.size(); i++) {
      assertSamePartition(partitions.get(i), page.partitions().get(i));
    }
  }

  @Property(tries = 100)
  void aPageOverItsByteLimitStopsEarlyAndSaysMore(@ForAll("partitionLists") List<PartitionData> partitions) {
    if (partitions.size() < 2) {
      return;
    }
    ScanPage page = ReadCodec.decodeScanPage(ByteBuffer.wrap(ReadCodec.encodeScanPage(partitions, false, 1)));
    assertEquals(1, page.partitions().size(), "always at least one partition, even over the limit");
    assertTrue(page.more(), "partitions left out make the page say more");
  }

  @Property(tries = 300)
  void requestsRoundTripExactly(@ForAll("requests") ReadCodec.Request request) {
    byte[] encoded = ReadCodec.encode(request);
    ReadCodec.Request decoded = ReadCodec.decodeRequest(ByteBuffer.wrap(encoded));
    assertArrayEquals(encoded, ReadCodec.encode(decoded), "re-encoding gives the same bytes");
    assertEquals(request.getClass(), decoded.getClass());
    if (request instanceof ReadCodec.PartitionRead r) {
      ReadCodec.PartitionRead d = (ReadCodec.PartitionRead) decoded;
      assertEquals(r.key(), d.key());
      assertEquals(r.nowSeconds(), d.nowSeconds());
      assertSameRange(r.range(), d.range());
    } else if (request instanceof ReadCodec.IndexRead r) {
      ReadCodec.IndexRead d = (ReadCodec.IndexRead) decoded;
      assertEquals(r.column(), d.column());
      assertArrayEquals(r.terms().prefix(), d.terms().prefix());
      assertArrayEquals(r.terms().low(), d.terms().low());
      assertArrayEquals(r.terms().high(), d.terms().high());
      assertEquals(r.terms().lowInclusive(), d.terms().lowInclusive());
      assertEquals(r.terms().highInclusive(), d.terms().highInclusive());
      assertEquals(r.tokens(), d.tokens());
      assertEquals(r.hitsMax(), d.hitsMax());
      assertEquals(r.after() == null, d.after() == null);
      if (r.after() != null) {
        assertSameHit(r.after(), d.after());
      }
    } else {
      ReadCodec.ScanRead s = (ReadCodec.ScanRead) request;
      ReadCodec.ScanRead d = (ReadCodec.ScanRead) decoded;
      assertEquals(s.tokens(), d.tokens());
      assertEquals(s.after(), d.after());
      assertEquals(s.partitionsMax(), d.partitionsMax());
      assertSameRange(s.perPartition(), d.perPartition());
    }
  }

  @Property(tries = 300)
  void aFlippedByteIsDetected(@ForAll("maybePartitions") Optional<PartitionData> data,
                              @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                              @ForAll @IntRange(min = 1, max = 255) int xorMask) {
    byte[] encoded = ReadCodec.encodePartitionResult(new ReadCodec.PartitionResult(data, 5L));
    encoded[where % encoded.length] ^= (byte) xorMask;
    assertThrows(CorruptMessageException.class, () -> ReadCodec.decodePartitionResult(ByteBuffer.wrap(encoded)));
  }

  @Property(tries = 100)
  void aTruncatedOrExtendedMessageIsDetected(@ForAll("requests") ReadCodec.Request request,
                                             @ForAll @IntRange(min = -30, max = 30) int delta) {
    byte[] encoded = ReadCodec.encode(request);
    byte[] damaged = Arrays.copyOf(encoded, Math.max(0, encoded.length + (delta == 0 ? 1 : delta)));
    assertThrows(CorruptMessageException.class, () -> ReadCodec.decodeRequest(ByteBuffer.wrap(damaged)));
  }

  @Example
  void aResultIsNotARequestAndViceVersa() {
    byte[] result = ReadCodec.encodePartitionResult(new ReadCodec.PartitionResult(Optional.empty(), 1));
    assertThrows(CorruptMessageException.class, () -> ReadCodec.decodeRequest(ByteBuffer.wrap(result)));
    byte[] request = ReadCodec.encode(new ReadCodec.PartitionRead(new PartitionKey(1, new byte[0]), ReadRange.all(), 0));
    assertThrows(CorruptMessageException.class, () -> ReadCodec.decodeScanPage(ByteBuffer.wrap(request)));
    byte[] logEntry = MutationCodec.encode(List.of(MutationCodecProperties.sampleMutation()));
    CorruptMessageException e =
        assertThrows(CorruptMessageException.class, () -> ReadCodec.decodeRequest(ByteBuffer.wrap(logEntry)));
    assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
  }

  @Example
  void verdictsRoundTripAndUnknownOnesAreRefused() {
    for (ApplyVerdict v : ApplyVerdict.values()) {
      assertEquals(v, ApplyVerdict.decode(ByteBuffer.wrap(v.encode())));
    }
    assertThrows(CorruptMessageException.class, () -> ApplyVerdict.decode(ByteBuffer.wrap(new byte[] {1, 9})));
    assertThrows(CorruptMessageException.class, () -> ApplyVerdict.decode(ByteBuffer.wrap(new byte[] {2, 0})));
    assertThrows(CorruptMessageException.class, () -> ApplyVerdict.decode(ByteBuffer.wrap(new byte[0])));
  }

  @Example
  void aStaticOnlyPartitionKeepsItsNullRowsApart() {
    PartitionData p = new PartitionData(new PartitionKey(-3, new byte[] {1}),
        new StoredRow(new byte[0], -1, 0, Cell.NO_DELETION_TIME, List.of(new Cell("s", null, null, 4L, 0, 9))),
        List.of());
    ReadCodec.PartitionResult r = ReadCodec.decodePartitionResult(
        ByteBuffer.wrap(ReadCodec.encodePartitionResult(new ReadCodec.PartitionResult(Optional.of(p), 0))));
    assertSamePartition(p, r.data().orElseThrow());
    assertNull(r.data().get().staticRow().cells().get(0).path());
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<Optional<PartitionData>> maybePartitions() {
    return partitions().optional(0.8);
  }

  @Provide
  Arbitrary<List<PartitionData>> partitionLists() {
    return partitions().list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<ReadCodec.Request> requests() {
    Arbitrary<ReadCodec.Request> reads = Combinators.combine(keys(), ranges(), Arbitraries.integers())
        .as(ReadCodec.PartitionRead::new);
    Arbitrary<TokenRange> tokens = Arbitraries.longs().tuple2().map(t -> new TokenRange(t.get1(), t.get2()));
    Arbitrary<ReadCodec.Request> scans = Combinators.combine(tokens, keys().injectNull(0.3), ranges(),
            Arbitraries.integers(), Arbitraries.integers().between(1, Integer.MAX_VALUE))
        .as(ReadCodec.ScanRead::new);
    Arbitrary<io.meridian.storage.TermRange> terms = Combinators.combine(bytes(), bytes().injectNull(0.3),
        Arbitraries.of(true, false), bytes().injectNull(0.3), Arbitraries.of(true, false)).as(io.meridian.storage.TermRange::new);
    Arbitrary<ReadCodec.Request> indexReads = Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(12)
            .withCharRange('a', 'z'), terms, tokens, hits().injectNull(0.3), Arbitraries.integers().between(1, 10_000))
        .as(ReadCodec.IndexRead::new);
    return Arbitraries.oneOf(reads, scans, indexReads);
  }

  private Arbitrary<io.meridian.storage.IndexHit> hits() {
    return Combinators.combine(bytes(), keys(), bytes()).as(io.meridian.storage.IndexHit::new);
  }

  @Property(tries = 200)
  void indexPagesRoundTripExactly(@ForAll("hitLists") List<io.meridian.storage.IndexHit> hits, @ForAll boolean more,
                                  @ForAll boolean ready) {
    ReadCodec.IndexPage decoded = ReadCodec.decodeIndexPage(ByteBuffer.wrap(
        ReadCodec.encodeIndexPage(new ReadCodec.IndexPage(hits, more, ready))));
    assertEquals(more, decoded.more());
    assertEquals(ready, decoded.ready());
    assertEquals(hits.size(), decoded.hits().size());
    for (int i = 0; i < hits.size(); i++) {
      assertSameHit(hits.get(i), decoded.hits().get(i));
    }
  }

  @Provide
  Arbitrary<List<io.meridian.storage.IndexHit>> hitLists() {
    return hits().list().ofMaxSize(6);
  }

  private static void assertSameHit(io.meridian.storage.IndexHit e, io.meridian.storage.IndexHit a) {
    assertArrayEquals(e.term(), a.term());
    assertEquals(e.key(), a.key());
    assertArrayEquals(e.clustering(), a.clustering());
  }

  private Arbitrary<ReadRange> ranges() {
    return Combinators.combine(bytes(), bytes().injectNull(0.4), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.of(true, false)).as(ReadRange::new);
  }

  private Arbitrary<PartitionKey> keys() {
    return Combinators.combine(Arbitraries.longs(), bytes()).as(PartitionKey::new);
  }

  private Arbitrary<PartitionData> partitions() {
    return Combinators.combine(keys(), rows().injectNull(0.5), rows().list().ofMaxSize(4)).as(PartitionData::new);
  }

  private Arbitrary<StoredRow> rows() {
    return Combinators.combine(bytes(), Arbitraries.longs().between(-1, Long.MAX_VALUE),
        Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers(), cells().list().ofMaxSize(4))
        .as(StoredRow::new);
  }

  private Arbitrary<Cell> cells() {
    Arbitrary<String> columns =
        Arbitraries.strings().withCharRange('a', 'z').withChars('é', '字', '_').ofMinLength(1).ofMaxLength(10);
    return Combinators.combine(columns, bytes().injectNull(0.2), bytes().injectNull(0.2), Arbitraries.longs(),
        Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers()).as(Cell::new);
  }

  private Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(30);
  }

  // ------------------------------------------------------------------ deep equality (records hold byte[])

  private static void assertSameRange(ReadRange e, ReadRange a) {
    assertArrayEquals(e.start(), a.start());
    assertArrayEquals(e.end(), a.end());
    assertEquals(e.reversed(), a.reversed());
    assertEquals(e.limitRows(), a.limitRows());
    assertEquals(e.includeStatic(), a.includeStatic());
  }

  static void assertSamePartition(PartitionData e, PartitionData a) {
    assertEquals(e.key(), a.key());
    assertEquals(e.staticRow() == null, a.staticRow() == null, "static row present");
    if (e.staticRow() != null) {
      assertSameRow(e.staticRow(), a.staticRow());
    }
    assertEquals(e.rows().size(), a.rows().size());
    for (int i = 0; i < e.rows().size(); i++) {
      assertSameRow(e.rows().get(i), a.rows().get(i));
    }
  }

  static void assertSameRow(StoredRow e, StoredRow a) {
    assertArrayEquals(e.clustering(), a.clustering());
    assertEquals(e.livenessMicros(), a.livenessMicros());
    assertEquals(e.livenessTtlSeconds(), a.livenessTtlSeconds());
    assertEquals(e.livenessLocalDeletionTime(), a.livenessLocalDeletionTime());
    assertEquals(e.cells().size(), a.cells().size());
    for (int c = 0; c < e.cells().size(); c++) {
      Cell ec = e.cells().get(c);
      Cell ac = a.cells().get(c);
      assertEquals(ec.column(), ac.column());
      assertArrayEquals(ec.path(), ac.path());
      assertArrayEquals(ec.value(), ac.value());
      assertEquals(ec.timestampMicros(), ac.timestampMicros());
      assertEquals(ec.ttlSeconds(), ac.ttlSeconds());
      assertEquals(ec.localDeletionTime(), ac.localDeletionTime());
    }
  }

  @Property(tries = 100)
  void tabletStatusRoundTripsAndASealedAnswerIsToldApartFromData(@ForAll long bytes, @ForAll long applied,
                                                                 @ForAll boolean sealed, @ForAll long token) {
    ReadCodec.TabletStatus status = new ReadCodec.TabletStatus(bytes, applied, sealed ? token : null);
    assertEquals(status, ReadCodec.decodeStatus(java.nio.ByteBuffer.wrap(ReadCodec.encodeStatus(status))));
    assertEquals(new ReadCodec.StatusRead(), ReadCodec.decodeRequest(
        java.nio.ByteBuffer.wrap(ReadCodec.encode(new ReadCodec.StatusRead()))));
    assertEquals(new ReadCodec.AppliedIndexRead(), ReadCodec.decodeRequest(
        java.nio.ByteBuffer.wrap(ReadCodec.encode(new ReadCodec.AppliedIndexRead()))));
    org.junit.jupiter.api.Assertions.assertTrue(ReadCodec.isSealed(java.nio.ByteBuffer.wrap(ReadCodec.encodeSealed(token))));
    org.junit.jupiter.api.Assertions.assertFalse(ReadCodec.isSealed(java.nio.ByteBuffer.wrap(ReadCodec.encodePartitionResult(
        new ReadCodec.PartitionResult(java.util.Optional.empty(), applied)))));
  }
}
