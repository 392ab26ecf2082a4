package io.meridian.storage.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random operation sequences against the engine and {@link ReferenceModel}; every read, scan and
 * purge is checked against the model. Small key, timestamp and value domains force ties,
 * shadowing and TTL boundaries. A failure prints the seed; rerun with it to replay.
 */
class StorageModelProperties {
  static final int NOW = 1_000;
  static final List<PartitionKey> KEYS = List.of(
      new PartitionKey(1, new byte[] {0}),
      new PartitionKey(1, new byte[] {0, 0}),
      new PartitionKey(1, new byte[] {0x7F}),
      new PartitionKey(-3, new byte[] {5}),
      new PartitionKey(Long.MAX_VALUE, new byte[] {(byte) 0xFF}));
  static final List<byte[]> CLUSTERINGS = List.of(new byte[0], new byte[] {1}, new byte[] {1, 0},
      new byte[] {2}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF});
  static final List<byte[]> VALUES = List.of(new byte[] {1}, new byte[] {(byte) 0x80}, new byte[] {1, 0}, new byte[0]);

  static Path dir;
  static RocksStorageEngine engine;

  @BeforeContainer
  static void openEngine() throws IOException {
    dir = Files.createTempDirectory("meridian-model");
    engine = RocksStorageEngine.open(StorageConfig.defaults(dir).withPurge(0, 7), new ManualClock(NOW));
  }

  @AfterContainer
  static void closeEngine() throws IOException {
    engine.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  sealed interface Op permits Write, Read, Scan, Purge {}

  record Write(Mutation m) implements Op {
    @Override
    public String toString() {
      return "Write(" + describe(m) + ")";
    }
  }

  record Read(int key, ReadRange range, int now) implements Op {
    @Override
    public String toString() {
      return "Read(key " + key + ", " + describe(range) + ", now " + now + ")";
    }
  }

  record Scan(int afterKey, boolean partialRing, ReadRange range, int now) implements Op {
    @Override
    public String toString() {
      return "Scan(after " + afterKey + ", partial " + partialRing + ", " + describe(range) + ", now " + now + ")";
    }
  }

  record Purge() implements Op {}

  @Property(tries = 150)
  void engineAgreesWithModel(@ForAll("ops") List<Op> ops) {
    UUID table = UUID.randomUUID();
    engine.createTable(table, 3);
    ReferenceModel model = new ReferenceModel();
    int step = 0;
    for (Op op : ops) {
      step++;
      if (op instanceof Write w) {
          Mutation m = new Mutation(table, w.m.key(), w.m.partitionDeletion(), w.m.rangeTombstones(), w.m.rows());
          engine.apply(m).join();
          model.apply(m);
      } else if (op instanceof Read r) {
          PartitionKey k = KEYS.get(r.key);
          assertEquals(ReferenceModel.render(model.read(k, r.range, r.now)),
              ReferenceModel.render(engine.readPartition(table, k, r.range, r.now)), "step " + step + ": " + op);
      } else if (op instanceof Scan s) {
          PartitionKey after = s.afterKey < 0 ? null : KEYS.get(s.afterKey);
          TokenRange tokens = s.partialRing ? new TokenRange(-3, 1) : TokenRange.FULL;
          List<String> got = new ArrayList<>();
          try (StorageEngine.PartitionIterator it = engine.scan(table, tokens, after, s.range, s.now)) {
            it.forEachRemaining(p -> got.add(ReferenceModel.render(p)));
          }
          List<String> want = model.scan(tokens, after, s.range, s.now).stream().map(ReferenceModel::render).toList();
          assertEquals(String.join("\n", want), String.join("\n", got), "step " + step + ": " + op);
      } else {
          engine.purge().join(); // gc grace is 10 days: purge may only drop shadowed data, never change a read
          for (PartitionKey k : KEYS) {
            for (int now = NOW; now <= NOW + 6; now += 3) {
              assertEquals(ReferenceModel.render(model.read(k, ReadRange.all(), now)),
                  ReferenceModel.render(engine.readPartition(table, k, ReadRange.all(), now)), "after purge at step " + step);
            }
          }
      }
    }
    for (PartitionKey k : KEYS) {
      assertEquals(ReferenceModel.render(model.read(k, ReadRange.all(), NOW)),
          ReferenceModel.render(engine.readPartition(table, k, ReadRange.all(), NOW)), "final read");
    }
    engine.dropTable(table);
  }

  /**
   * With no grace period, a purge at clock time P drops every tombstone and expired cell older
   * than P; reads at or after P must not notice. (Writes after such a purge may legitimately
   * resurrect data, as in Cassandra, so the sequence ends at the purge.)
   */
  @Property(tries = 100)
  void purgeWithoutGraceChangesNoLaterRead(@ForAll("writes") List<Mutation> writes,
                                           @ForAll("purgeTimes") int purgeAt) throws IOException {
    Path gcDir = Files.createTempDirectory("meridian-purge");
    ManualClock clock = new ManualClock(NOW);
    UUID table = UUID.randomUUID();
    ReferenceModel model = new ReferenceModel();
    try (RocksStorageEngine e = RocksStorageEngine.open(
        StorageConfig.defaults(gcDir).withGcGraceSeconds(0).withPurge(0, 5), clock)) {
      e.createTable(table, 2);
      for (Mutation w : writes) {
        Mutation m = new Mutation(table, w.key(), w.partitionDeletion(), w.rangeTombstones(), w.rows());
        e.apply(m).join();
        model.apply(m);
      }
      clock.setSeconds(purgeAt);
      e.purge().join();
      for (int now = purgeAt; now <= purgeAt + 3; now++) {
        for (PartitionKey k : KEYS) {
          assertEquals(ReferenceModel.render(model.read(k, ReadRange.all(), now)),
              ReferenceModel.render(e.readPartition(table, k, ReadRange.all(), now)), "read at " + now);
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(gcDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Provide
  Arbitrary<List<Mutation>> writes() {
    return mutations().list().ofMinSize(1).ofMaxSize(25);
  }

  @Provide
  Arbitrary<Integer> purgeTimes() {
    return Arbitraries.integers().between(NOW - 1, NOW + 8);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, mutations().map(m -> (Op) new Write(m))),
        net.jqwik.api.Tuple.of(3, Combinators.combine(Arbitraries.integers().between(0, KEYS.size() - 1), ranges(), nows())
            .as((k, r, n) -> (Op) new Read(k, r, n))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.integers().between(-1, KEYS.size() - 1),
            Arbitraries.of(true, false), ranges(), nows()).as((a, p, r, n) -> (Op) new Scan(a, p, r, n))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new Purge())));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  static Arbitrary<Integer> nows() {
    return Arbitraries.integers().between(NOW, NOW + 6);
  }

  static Arbitrary<Long> timestamps() {
    return Arbitraries.longs().between(1, 6);
  }

  static Arbitrary<byte[]> clusterings() {
    return Arbitraries.of(CLUSTERINGS);
  }

  static Arbitrary<DeletionTime> deletions() {
    return Combinators.combine(timestamps(), nows()).as(DeletionTime::new);
  }

  static Arbitrary<ReadRange> ranges() {
    Arbitrary<byte[]> starts = Arbitraries.of(new byte[0], new byte[] {1}, new byte[] {1, 0}, new byte[] {2}, new byte[] {(byte) 0x80});
    Arbitrary<byte[]> ends = Arbitraries.of(new byte[] {1, 0}, new byte[] {2}, new byte[] {(byte) 0xFF}).injectNull(0.5);
    Arbitrary<Integer> limits = Arbitraries.of(1, 2, 3, Integer.MAX_VALUE);
    return Combinators.combine(starts, ends, Arbitraries.of(true, false), limits, Arbitraries.of(true, false))
        .as(ReadRange::new);
  }

  static Arbitrary<Cell> cells() {
    Arbitrary<String> columns = Arbitraries.of("a", "b");
    Arbitrary<byte[]> paths = Arbitraries.of(Cell.NO_PATH, new byte[] {1});
    Arbitrary<Integer> kinds = Arbitraries.integers().between(0, 3);
    return Combinators.combine(columns, paths, Arbitraries.of(VALUES), timestamps(), kinds, Arbitraries.integers().between(1, 5), nows())
        .as((col, path, value, ts, kind, ttl, now) -> switch (kind) {
          case 0 -> new Cell(col, path, null, ts, 0, now);                       // tombstone
          case 1 -> new Cell(col, path, value, ts, ttl, now - 3 + ttl);            // expiring
          default -> new Cell(col, path, value, ts, 0, Cell.NO_DELETION_TIME);   // live
        });
  }

  static Arbitrary<RowUpdate> rowUpdates() {
    Arbitrary<DeletionTime> rowDeletion = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.just(DeletionTime.LIVE)), net.jqwik.api.Tuple.of(1, deletions()));
    Arbitrary<long[]> liveness = Arbitraries.integers().between(0, 3).flatMap(kind -> switch (kind) {
      case 0 -> Combinators.combine(timestamps(), Arbitraries.integers().between(1, 5))
          .as((ts, ttl) -> new long[] {ts, ttl, NOW - 3 + ttl});
      case 1 -> timestamps().map(ts -> new long[] {ts, 0, Cell.NO_DELETION_TIME});
      default -> Arbitraries.just(new long[] {-1, 0, Cell.NO_DELETION_TIME});
    });
    Arbitrary<Map<String, DeletionTime>> columnDeletions = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Map.<String, DeletionTime>of())),
        net.jqwik.api.Tuple.of(1, Arbitraries.maps(Arbitraries.of("a", "b"), deletions()).ofMinSize(1).ofMaxSize(2)));
    return Combinators.combine(clusterings(), rowDeletion, liveness, cells().list().ofMaxSize(3), columnDeletions)
        .as((c, d, l, cs, cd) -> new RowUpdate(c, d, l[0], (int) l[1], (int) l[2], cs, cd));
  }

  static Arbitrary<Mutation> mutations() {
    Arbitrary<DeletionTime> partitionDeletion = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, Arbitraries.just(DeletionTime.LIVE)), net.jqwik.api.Tuple.of(1, deletions()));
    Arbitrary<RangeTombstone> rt = Combinators.combine(
        Arbitraries.integers().between(0, CLUSTERINGS.size() - 1),
        Arbitraries.integers().between(1, CLUSTERINGS.size()), deletions())
        .as((i, span, d) -> {
          byte[] start = CLUSTERINGS.get(i);
          int j = i + span;
          return new RangeTombstone(start, j >= CLUSTERINGS.size() ? null : CLUSTERINGS.get(j), d);
        });
    Arbitrary<List<RangeTombstone>> rts = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.just(List.<RangeTombstone>of())), net.jqwik.api.Tuple.of(1, rt.list().ofSize(1)));
    return Combinators.combine(Arbitraries.of(KEYS), partitionDeletion, rts, rowUpdates().list().ofMaxSize(3))
        .as((k, pd, r, rows) -> new Mutation(UUID.randomUUID(), k, pd, r, rows));
  }

  static String describe(Mutation m) {
    return "key " + m.key().token() + "/" + ReferenceModel.hex(m.key().serialized())
        + (m.partitionDeletion().isLive() ? "" : " pdel@" + m.partitionDeletion().markedForDeleteAtMicros())
        + m.rangeTombstones().stream().map(rt -> " rt[" + ReferenceModel.hex(rt.start()) + ","
            + (rt.end() == null ? "" : ReferenceModel.hex(rt.end())) + ")@" + rt.deletion().markedForDeleteAtMicros())
            .collect(Collectors.joining())
        + m.rows().stream().map(r -> " row " + ReferenceModel.hex(r.clustering())
            + (r.rowDeletion().isLive() ? "" : " del@" + r.rowDeletion().markedForDeleteAtMicros())
            + r.columnDeletions().entrySet().stream().map(e -> " cdel " + e.getKey() + "@"
                + e.getValue().markedForDeleteAtMicros() + "/" + e.getValue().localDeletionTime()).collect(Collectors.joining())
            + " live=" + r.primaryKeyLivenessMicros() + "/" + r.livenessTtlSeconds() + "/" + r.livenessLocalDeletionTime()
            + r.cells().stream().map(c -> " " + c.column() + ":" + ReferenceModel.hex(c.path()) + "="
                + (c.value() == null ? "null" : ReferenceModel.hex(c.value())) + "@" + c.timestampMicros()
                + "/" + c.ttlSeconds() + "/" + c.localDeletionTime()).collect(Collectors.joining()))
            .collect(Collectors.joining(";"));
  }

  static String describe(ReadRange r) {
    return "[" + ReferenceModel.hex(r.start()) + "," + (r.end() == null ? "" : ReferenceModel.hex(r.end())) + ")"
        + (r.reversed() ? " rev" : "") + " limit " + r.limitRows() + (r.includeStatic() ? " +static" : "");
  }
}
