package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.schema.ColumnMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadConsistency;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.TokenRange;
import io.meridian.testsupport.Await;
import io.meridian.types.CqlTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A table on three nodes at RF 3 starts as one tablet (every node holds all of it, so more tablets
 * would only add Raft groups); when a fourth node joins, its token begins a new section of the
 * ring, the table splits there and the upper half moves a replica to the new node, as the ring
 * says, with every row still there exactly once.
 */
class TabletSpreadTest {
  private static final int ROWS = 400;
  private final Path root;
  private final List<LocalMember> members = new ArrayList<>();

  TabletSpreadTest() throws IOException {
    root = Files.createTempDirectory("meridian-spread-");
  }

  @Test
  void aTableOnEveryNodeIsOneTabletAndSplitsToSpreadWhenANodeJoins() throws Exception {
    for (int i = 0; i < 3; i++) {
      members.add(new LocalMember(root, i, 0, s -> s));
    }
    for (LocalMember m : members) {
      m.start(members.get(0).address());
    }
    LocalMember first = members.get(0);
    await(() -> first.node.state().nodes().size() == 3, "three members");
    first.schema.createKeyspace("ks", Map.of("replication",
        Map.of("class", "SimpleStrategy", "replication_factor", "3")), false);
    first.schema.createTable("ks", "a", List.of(ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
        ColumnMetadata.regular("v", CqlTypes.INT)), Map.of(), false);
    first.schema.createTable("ks", "b", List.of(ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
        ColumnMetadata.regular("v", CqlTypes.INT)), Map.of(), false);
    UUID tableId = first.schema.current().table("ks", "a").orElseThrow().id();
    UUID otherId = first.schema.current().table("ks", "b").orElseThrow().id();
    TablePlacement placed = first.node.state().placements().get(tableId);
    assertEquals(1, placed.tabletCount(), "one tablet while every node holds the table: " + placed);
    assertEquals(3, placed.tablet(0).replicas().size());
    assertTrue(!placed.tablet(0).replicas().get(0).equals(
            first.node.state().placements().get(otherId).tablet(0).replicas().get(0)),
        "two tables created one after the other prefer different leaders");
    for (LocalMember m : members) {
      await(() -> m.localGroups() == 1 + 3 + 2, "metadata, 3 batch-log tablets and one group per table on "
          + m.address());
    }

    try (ClusterStorageEngine via = new ClusterStorageEngine(first.node, first.engine)) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int k = 0; k < ROWS; k++) {
        writes.add(via.apply(row(tableId, k)));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    LocalMember joining = new LocalMember(root, 3, 0, s -> s);
    members.add(joining);
    joining.start(first.address());
    String newPeer = joining.node.peerId();
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline
        && !settled(first.node.state().placements().get(tableId), newPeer)) {
      for (LocalMember m : members) {
        m.node.splitTabletsNow(); // the splitters also run every few seconds; this only hurries them
      }
      Thread.sleep(200);
    }
    TablePlacement spread = first.node.state().placements().get(tableId);
    assertEquals(2, spread.tabletCount(), "split once, where the new node's section begins: " + spread);
    assertEquals(TokenRing.FIRST_RUN_END, spread.tablet(0).lastToken(), spread.toString());
    assertTrue(spread.tablets().stream().allMatch(t -> t.replicas().size() == 3), "halves keep 3 replicas: " + spread);
    TokenRing ring = new TokenRing(first.node.state().activeNodes());
    for (int at = 0; at < 2; at++) {
      assertEquals(Set.copyOf(ring.replicas(spread.range(at), 3)), Set.copyOf(spread.tablet(at).replicas()),
          "each half on the replicas drivers pick for it: " + spread);
    }
    assertTrue(spread.tablet(1).replicas().contains(newPeer), "the new node holds the upper half: " + spread);

    // Every row exactly once, through the new node, at both levels.
    try (ClusterStorageEngine r = new ClusterStorageEngine(joining.node, joining.engine)) {
      Set<PartitionKey> seen = new HashSet<>();
      try (var it = r.scan(tableId, TokenRange.FULL, null, ReadRange.all(), now(), ReadConsistency.LINEARIZABLE)) {
        while (it.hasNext()) {
          assertTrue(seen.add(it.next().key()), "a partition read twice by one scan");
        }
      }
      assertEquals(ROWS, seen.size(), "rows seen by a scan through the new node");
      for (int k = 0; k < ROWS; k += 7) {
        Optional<PartitionData> p = r.readPartition(tableId, key(k), ReadRange.all(), now(),
            k % 2 == 0 ? ReadConsistency.LINEARIZABLE : ReadConsistency.ANY_REPLICA);
        assertTrue(p.isPresent(), "row " + k);
      }
    }
  }

  /** Split, no move under way (each tablet back to 3 replicas), and some on the new node. */
  private static boolean settled(TablePlacement p, String newPeer) {
    return p.tabletCount() >= 2 && p.tablets().stream().allMatch(t -> t.replicas().size() == 3)
        && p.tablets().stream().anyMatch(t -> t.replicas().contains(newPeer));
  }

  private static PartitionKey key(int k) {
    return TabletSplitTest.key(k);
  }

  private static Mutation row(UUID tableId, int k) {
    return new Mutation(tableId, key(k), DeletionTime.LIVE, List.of(), List.of(new RowUpdate(new byte[] {7},
        DeletionTime.LIVE, 10L, 0, Cell.NO_DELETION_TIME, List.of(Cell.live("v", ByteBuffer.allocate(4).putInt(k).array(), 10L)))));
  }

  private static int now() {
    return (int) (System.currentTimeMillis() / 1000);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    Await.until(condition, what, java.time.Duration.ofSeconds(60));
  }

  @AfterEach
  void tearDown() throws IOException {
    LocalMember.stopAll(members, root);
  }
}
