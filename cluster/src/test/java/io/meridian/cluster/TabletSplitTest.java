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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tablets that grow past the split size split in two while clients write, on three real nodes:
 * no acknowledged write is lost or doubled, no write fails, and the halves move like any tablet.
 */
class TabletSplitTest {
  private static final long SPLIT_BYTES = 256 * 1024;
  private static final int VALUE_BYTES = 1024;
  private final Path root;
  private final List<LocalMember> members = new ArrayList<>();

  TabletSplitTest() throws IOException {
    root = Files.createTempDirectory("meridian-split-");
  }

  @Test
  void tabletsSplitUnderWritesWithoutLosingOrDoublingARowAndTheHalvesMoveToANewNode() throws Exception {
    for (int i = 0; i < 3; i++) {
      members.add(new LocalMember(root, i, 4, s -> s.withTabletSplitBytes(SPLIT_BYTES)));
    }
    for (LocalMember m : members) {
      m.start(members.get(0).address());
    }
    LocalMember first = members.get(0);
    await(() -> first.node.state().nodes().size() == 3, "three members");
    first.schema.createKeyspace("ks", Map.of("replication",
        Map.of("class", "SimpleStrategy", "replication_factor", "3")), false);
    first.schema.createTable("ks", "t", List.of(ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
        ColumnMetadata.regular("v", CqlTypes.BLOB)), Map.of(), false);
    UUID tableId = first.schema.current().table("ks", "t").orElseThrow().id();

    List<ClusterStorageEngine> routed = new ArrayList<>();
    for (LocalMember m : members) {
      routed.add(new ClusterStorageEngine(m.node, m.engine));
    }
    Map<Integer, byte[]> acknowledged = new ConcurrentHashMap<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger();
    // Two writers through two different nodes, up to 32 writes in flight each, until the splits are done.
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      ClusterStorageEngine via = routed.get(w);
      Thread t = new Thread(() -> write(via, tableId, next, acknowledged, failed, stop), "writer-" + w);
      t.start();
      writers.add(t);
    }
    try {
      long deadline = System.currentTimeMillis() + 120_000;
      while (first.node.state().placements().get(tableId).tabletCount() < 8 && failed.get() == null
          && System.currentTimeMillis() < deadline) {
        for (LocalMember m : members) {
          m.node.splitTabletsNow(); // the splitters also run every few seconds; this only hurries them
        }
        Thread.sleep(200);
      }
    } finally {
      stop.set(true);
      for (Thread t : writers) {
        t.join(60_000);
      }
    }
    assertEquals(null, failed.get(), "no write failed while tablets split");
    TablePlacement placement = first.node.state().placements().get(tableId);
    assertTrue(placement.tabletCount() >= 8, "4 tablets split into at least 8: " + placement);
    assertTrue(placement.tablets().stream().allMatch(t -> t.replicas().size() == 3), "halves keep 3 replicas");
    long splits = members.stream().mapToLong(m -> m.node.tabletSplitsDone()).sum();
    assertTrue(splits >= 4, "splits made by the tablets' leaders: " + splits);
    int rows = acknowledged.size();
    // Four tablets split at SPLIT_BYTES each; keys, index entries and cell metadata count besides
    // the values, so the values alone need not fill them, but most of the way.
    assertTrue((long) rows * VALUE_BYTES > 3 * SPLIT_BYTES, "enough rows written to split: " + rows);

    // Every acknowledged row exactly once, with its value, through every node and at both levels.
    for (ClusterStorageEngine r : routed) {
      assertEquals(rows, countAll(r, tableId, ReadConsistency.LINEARIZABLE), "rows seen by a scan");
    }
    for (Map.Entry<Integer, byte[]> e : acknowledged.entrySet()) {
      if (e.getKey() % 7 == 0) {
        Optional<PartitionData> p = routed.get(e.getKey() % 3).readPartition(tableId, key(e.getKey()), ReadRange.all(),
            now(), e.getKey() % 2 == 0 ? ReadConsistency.LINEARIZABLE : ReadConsistency.ANY_REPLICA);
        assertTrue(p.isPresent(), "row " + e.getKey());
        assertTrue(java.util.Arrays.equals(e.getValue(), p.get().rows().get(0).cells().get(0).value()), "row " + e.getKey());
      }
    }
    // The routers let go of the split tablets' Raft clients: at most one per tablet placed now
    // (the test's table and the batch log's 3).
    int placed = first.node.state().placements().get(tableId).tabletCount() + 3;
    for (ClusterStorageEngine r : routed) {
      assertTrue(r.cachedTablets() <= placed, "clients kept: " + r.cachedTablets() + ", tablets " + placed);
    }
    // Each node's store holds the rows once (RF 3 on 3 nodes: all of them), and only the halves' groups are open.
    for (LocalMember m : members) {
      await(() -> m.localRows(tableId) == rows, "all rows in the store of " + m.address());
      int batchLogTablets = 3;
      await(() -> m.localGroups() == 1 + batchLogTablets + first.node.state().placements().get(tableId).tabletCount(),
          "the split tablets' groups closed on " + m.address());
    }

    // A fourth node joins: the rebalancer moves halves (which have no log from their beginning) onto it.
    LocalMember joining = new LocalMember(root, 3, 4, s -> s.withTabletSplitBytes(1L << 40));
    members.add(joining);
    joining.start(first.address());
    String newPeer = joining.node.peerId();
    await(() -> first.node.state().placements().get(tableId).tablets().stream()
        .filter(t -> t.replicas().contains(newPeer)).count() >= 2, "the new node holds replicas of some halves");
    TablePlacement moved = first.node.state().placements().get(tableId);
    int expectedThere = 0;
    for (int at = 0; at < moved.tabletCount(); at++) {
      if (moved.tablet(at).replicas().contains(newPeer)) {
        TokenRange range = moved.range(at);
        expectedThere += (int) acknowledged.keySet().stream().filter(k -> range.contains(key(k).token())).count();
      }
    }
    int there = expectedThere;
    await(() -> joining.localRows(tableId) == there, "the new node received exactly its halves' rows (" + there + ")");
    assertTrue(moved.tablets().stream().filter(t -> t.replicas().contains(newPeer)).anyMatch(t -> t.id() >= 4),
        "a half made by a split was among the moved tablets: " + moved);
    try (var r = new ClusterStorageEngine(joining.node, joining.engine)) {
      assertEquals(rows, countAll(r, tableId, ReadConsistency.LINEARIZABLE), "every row once, through the new node");
    }
    routed.forEach(ClusterStorageEngine::close);
  }

  private static void write(ClusterStorageEngine via, UUID tableId, AtomicInteger next, Map<Integer, byte[]> acknowledged,
                            AtomicReference<Throwable> failed, AtomicBoolean stop) {
    Semaphore inFlight = new Semaphore(32);
    Random random = new Random();
    try {
      while (!stop.get() && failed.get() == null) {
        inFlight.acquire();
        int k = next.getAndIncrement();
        byte[] value = new byte[VALUE_BYTES];
        random.nextBytes(value); // incompressible, so the store's size estimate grows with the rows
        CompletableFuture<Void> f = via.apply(row(tableId, k, value));
        f.whenComplete((ok, error) -> {
          if (error != null) {
            failed.compareAndSet(null, error);
          } else {
            acknowledged.put(k, value);
          }
          inFlight.release(); // last: the writer's final acquire waits until every outcome is recorded
        });
      }
      inFlight.acquire(32);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Key {@code k} at a token spread over the ring (a multiplicative hash), never Long.MIN_VALUE. */
  static PartitionKey key(int k) {
    long token = k * 0x9E3779B97F4A7C15L + 1;
    return new PartitionKey(token == Long.MIN_VALUE ? 1 : token, ByteBuffer.allocate(4).putInt(k).array());
  }

  private static Mutation row(UUID tableId, int k, byte[] value) {
    return new Mutation(tableId, key(k), DeletionTime.LIVE, List.of(), List.of(new RowUpdate(new byte[] {7},
        DeletionTime.LIVE, 10L, 0, Cell.NO_DELETION_TIME, List.of(Cell.live("v", value, 10L)))));
  }

  private static int now() {
    return (int) (System.currentTimeMillis() / 1000);
  }

  private static int countAll(ClusterStorageEngine routed, UUID tableId, ReadConsistency consistency) {
    Set<PartitionKey> seen = new java.util.HashSet<>();
    int n = 0;
    try (var it = routed.scan(tableId, TokenRange.FULL, null, ReadRange.all(), now(), consistency)) {
      while (it.hasNext()) {
        assertTrue(seen.add(it.next().key()), "a partition read twice by one scan");
        n++;
      }
    }
    return n;
  }

  private static void await(BooleanSupplier condition, String what) {
    Await.until(condition, what, java.time.Duration.ofSeconds(60));
  }

  @AfterEach
  void tearDown() throws IOException {
    LocalMember.stopAll(members, root);
  }
}
