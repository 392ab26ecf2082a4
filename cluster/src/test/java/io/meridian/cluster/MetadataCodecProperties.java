package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meridian.schema.SchemaChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Metadata entries and states survive encoding exactly, and damaged bytes are refused. */
class MetadataCodecProperties {

  @Property(tries = 200)
  void joinRoundTrips(@ForAll("nodes") NodeRecord node) {
    MetadataCommand decoded = MetadataCodec.decodeCommand(MetadataCodec.encode(new MetadataCommand.Join(node)));
    assertEquals(new MetadataCommand.Join(node), decoded);
  }

  @Property(tries = 200)
  void schemaCommitRoundTrips(@ForAll("placements") Map<UUID, TablePlacement> placements,
                              @ForAll byte[] schema, @ForAll boolean first) {
    MetadataCommand.CommitSchema c = new MetadataCommand.CommitSchema(first ? null : UUID.randomUUID(),
        UUID.randomUUID(), schema, List.of(SchemaChange.table(SchemaChange.ChangeType.CREATED, "ks", "t"),
            SchemaChange.keyspace(SchemaChange.ChangeType.UPDATED, "ks")), placements, "127.0.0.1_7000");
    MetadataCommand.CommitSchema d = (MetadataCommand.CommitSchema) MetadataCodec.decodeCommand(MetadataCodec.encode(c));
    assertEquals(c.baseVersion(), d.baseVersion());
    assertEquals(c.version(), d.version());
    assertArrayEquals(c.schema(), d.schema());
    assertEquals(c.changes(), d.changes());
    assertEquals(c.added(), d.added());
    assertEquals(c.originPeer(), d.originPeer());
  }

  @Property(tries = 100)
  void stateRoundTripsWithItsIndex(@ForAll("nodeLists") List<NodeRecord> nodes,
                                   @ForAll("splitPlacements") Map<UUID, TablePlacement> placements,
                                   @ForAll @IntRange(min = 0) int index) {
    ClusterState state = new ClusterState(nodes, new byte[] {1, 2, 3}, UUID.randomUUID(), placements);
    MetadataCodec.IndexedState d = MetadataCodec.decodeState(MetadataCodec.encode(state, index));
    assertEquals(index, d.appliedIndex());
    assertEquals(state.nodes(), d.state().nodes());
    assertEquals(state.schemaVersion(), d.state().schemaVersion());
    assertArrayEquals(state.schema(), d.state().schema());
    assertEquals(state.placements(), d.state().placements());
  }

  @Property(tries = 300)
  void anyFlippedBitOrTruncationIsRefused(@ForAll("nodes") NodeRecord node, @ForAll @IntRange(min = 0, max = 10_000) int at,
                                          @ForAll boolean truncate) {
    byte[] bytes = MetadataCodec.encode(new MetadataCommand.Join(node));
    int i = at % bytes.length;
    byte[] damaged = truncate ? java.util.Arrays.copyOf(bytes, i) : bytes.clone();
    if (!truncate) {
      damaged[i] ^= (byte) (1 << (at % 8));
    }
    assertThrows(IllegalArgumentException.class, () -> MetadataCodec.decodeCommand(damaged));
  }

  @Provide
  Arbitrary<NodeRecord> nodes() {
    Arbitrary<String> host = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20);
    Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
    return Combinators.combine(host, port, port, Arbitraries.strings().ofMaxLength(12))
        .as((h, raft, cql, dc) -> new NodeRecord(UUID.randomUUID(), NodeRecord.peerIdFor(h + ":" + raft), h + ":" + raft,
            h, cql, dc, "rack-" + dc));
  }

  @Provide
  Arbitrary<List<NodeRecord>> nodeLists() {
    // Members in a state carry their tokens (a join's record does not).
    return nodes().flatMap(n -> Arbitraries.longs().list().ofMaxSize(3).map(n::withTokens)).list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<Map<UUID, TablePlacement>> placements() {
    return Arbitraries.integers().between(0, 3).flatMap(tables -> Arbitraries.integers().between(1, 6).map(tablets -> {
      Map<UUID, TablePlacement> out = new LinkedHashMap<>();
      for (int t = 0; t < tables; t++) {
        List<List<String>> replicas = new ArrayList<>();
        for (int i = 0; i < tablets; i++) {
          replicas.add(List.of("n" + i + "_7000", "n" + (i + 1) + "_7000"));
        }
        out.put(UUID.randomUUID(), TablePlacement.equalRanges(replicas));
      }
      return out;
    }));
  }

  /** Placements after some splits: tablets of unequal ranges with ids that are not their positions. */
  @Provide
  Arbitrary<Map<UUID, TablePlacement>> splitPlacements() {
    return Combinators.combine(placements(), Arbitraries.longs().list().ofMaxSize(8)).as((plain, picks) -> {
      Map<UUID, TablePlacement> out = new LinkedHashMap<>();
      for (Map.Entry<UUID, TablePlacement> e : plain.entrySet()) {
        TablePlacement p = e.getValue();
        for (long pick : picks) {
          int at = (int) Math.floorMod(pick, (long) p.tabletCount());
          io.meridian.storage.TokenRange r = p.range(at);
          long mid = r.start() + (long) ((r.end() / 2.0) - (r.start() / 2.0));
          if (mid > r.start() && mid < r.end()) {
            p = p.split(p.tablet(at).id(), mid);
          }
        }
        out.put(e.getKey(), p);
      }
      return out;
    });
  }
}
