package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.schema.ColumnMetadata;
import io.meridian.testsupport.Await;
import io.meridian.types.CqlTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three real nodes (Ratis over gRPC on 127.0.0.1) forming a cluster and agreeing on the schema. */
class ClusterNodeTest {
  private final Path root;
  private final List<LocalMember> members = new ArrayList<>();

  ClusterNodeTest() throws IOException {
    root = Files.createTempDirectory("meridian-cluster-");
  }

  private List<LocalMember> startCluster(int size) throws IOException {
    for (int i = 0; i < size; i++) {
      members.add(new LocalMember(root, i, 4, settings -> settings));
    }
    String seed = members.get(0).address();
    for (LocalMember m : members) {
      m.start(seed);
    }
    return members;
  }

  @Test
  void nodesJoinThroughTheSeedAndAgreeOnMembers() throws IOException {
    List<LocalMember> m = startCluster(3);
    for (LocalMember member : m) {
      await(() -> member.node.state().nodes().size() == 3, "three members seen by " + member.address());
      assertEquals(List.of(m.get(0).hostId, m.get(1).hostId, m.get(2).hostId),
          member.node.state().nodes().stream().map(NodeRecord::hostId).toList(), "members in join order");
    }
    // Every node learns of every join, its own included.
    await(() -> m.get(0).joined.size() >= 3, "join events on the founder");
  }

  @Test
  void schemaChangeOnOneNodeIsInstalledEverywhereAndPlacesTablets() throws IOException {
    List<LocalMember> m = startCluster(3);
    m.get(1).schema.createKeyspace("ks", Map.of("replication",
        Map.of("class", "SimpleStrategy", "replication_factor", "3")), false);
    createTable(m.get(2), 0);
    UUID version = m.get(2).schema.current().version();
    for (LocalMember member : m) {
      await(() -> version.equals(member.schema.current().version()), "schema installed on " + member.address());
      assertTrue(member.schema.current().table("ks", "t").isPresent());
      // RF 3 on 3 nodes: every node holds all 4 tablets, plus the metadata group and the batch
      // log's 3 tablets (one per node, placed with the first schema change).
      awaitGroups(member, 8, "tablet groups opened");
    }
    UUID tableId = m.get(0).schema.current().table("ks", "t").orElseThrow().id();
    TablePlacement placement = m.get(0).node.state().placements().get(tableId);
    assertEquals(4, placement.tabletCount());
    // Tablet i's preferred leader is node (i + 1) mod 3: leadership is spread, starting one node on
    // because the batch log was placed first (every node holds this table, so its leaders rotate).
    for (int i = 0; i < 4; i++) {
      assertEquals(m.get((i + 1) % 3).node.peerId(), placement.replicas().get(i).get(0));
    }
    // The nodes that did not run the DDL were told about it (to push events to their drivers).
    assertTrue(m.get(0).remoteChanges.stream().anyMatch(c -> c.name().equals("t")));
    assertTrue(m.get(2).remoteChanges.stream().noneMatch(c -> c.name().equals("t")), "the origin is not told twice");
  }

  @Test
  void oneReadsComeFromTheNodesOwnReplicaAndSeeEveryAcknowledgedWrite() throws IOException {
    List<LocalMember> m = startCluster(3);
    UUID tableId = createTable(m.get(0), 3);
    for (LocalMember member : m) {
      awaitGroups(member, 8, "tablet groups opened");
    }
    List<ClusterStorageEngine> routed = new ArrayList<>();
    for (LocalMember member : m) {
      routed.add(new ClusterStorageEngine(member.node, member.engine));
    }
    try {
      int rows = 60;
      int handedOff = 0;
      List<io.meridian.storage.PartitionKey> keys = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        io.meridian.storage.PartitionKey key = new io.meridian.storage.PartitionKey(
            Long.MIN_VALUE + 1 + (Long.MAX_VALUE / rows) * 2 * i, new byte[] {(byte) i});
        keys.add(key);
        // Written through node i mod 3, read back at ONE through every node right after the acknowledgement.
        routed.get(i % 3).apply(rowMutation(tableId, key, i)).join();
        for (ClusterStorageEngine r : routed) {
          int now = (int) (System.currentTimeMillis() / 1000);
          var read = r.readPartition(tableId, key, io.meridian.storage.ReadRange.all(), now,
              io.meridian.storage.ReadConsistency.ANY_REPLICA);
          assertTrue(read.isPresent(), "row " + i + " read at ONE right after its write");
          assertEquals(1, read.get().rows().size(), "row " + i + ": " + read.get());
          assertEquals(i, read.get().rows().get(0).cells().get(0).value()[0]);
          // The same read without blocking: once it waited, it goes on off the Raft and applier threads.
          String caller = Thread.currentThread().getName();
          String[] completedOn = new String[1];
          var async = r.readPartitionAsync(tableId, key, io.meridian.storage.ReadRange.all(), now,
              io.meridian.storage.ReadConsistency.ANY_REPLICA).thenApply(d -> {
                completedOn[0] = Thread.currentThread().getName();
                return d;
              }).join();
          assertTrue(async.isPresent(), "row " + i + " read asynchronously at ONE right after its write");
          assertEquals(i, async.get().rows().get(0).cells().get(0).value()[0]);
          assertTrue(completedOn[0].equals(caller) || completedOn[0].startsWith("meridian-read-completion-"),
              "completed on " + completedOn[0]);
          if (!completedOn[0].equals(caller)) {
            handedOff++;
          }
        }
      }
      for (ClusterStorageEngine r : routed) {
        int seen = 0;
        try (var it = r.scan(tableId, io.meridian.storage.TokenRange.FULL, null, io.meridian.storage.ReadRange.all(),
            (int) (System.currentTimeMillis() / 1000), io.meridian.storage.ReadConsistency.ANY_REPLICA)) {
          while (it.hasNext()) {
            assertEquals(keys.get(seen), it.next().key(), "scan at ONE in token order");
            seen++;
          }
        }
        assertEquals(rows, seen);
      }
      // A follower's read waits for the leader's applied index, so some asynchronous reads went on later.
      assertTrue(handedOff > 0, "no asynchronous read waited");
      // Tablets are led by different nodes, so every node led some reads and served them itself,
      // and answered the others from its follower replicas once they had caught up with the leader.
      for (int i = 0; i < 3; i++) {
        assertTrue(routed.get(i).localLeaderReads() > 0, "node " + i + " served leader reads from its replica");
        assertTrue(routed.get(i).followerReads().served() > 0, "node " + i + " served reads from its follower replicas");
      }
    } finally {
      routed.forEach(ClusterStorageEngine::close);
    }
  }

  @Test
  void aTabletDivisionThatShutDownWhilePlacedHereIsOpenedAgainAndCatchesUp() throws IOException, InterruptedException {
    List<LocalMember> m = startCluster(3);
    UUID tableId = createTable(m.get(0), 3);
    for (LocalMember member : m) {
      awaitGroups(member, 8, "tablet groups opened");
    }
    TablePlacement placement = m.get(0).node.state().placements().get(tableId);
    LocalMember victim = m.get(1);
    var id = TabletGroups.groupId(tableId, placement.tablet(0).id());
    // As Ratis does to a replica added to a running group that stands for election before the
    // leader's configuration change reaches it: the leader tells it to shut down.
    victim.node.server().getDivision(id).close();
    assertTrue(!victim.node.server().getDivision(id).getInfo().isAlive(), "closed, still listed");
    // Any metadata change makes the node reconcile its groups.
    m.get(0).schema.createTable("ks", "other", List.of(ColumnMetadata.partitionKey("k", CqlTypes.INT, 0)), Map.of(), false);
    await(() -> divisionAlive(victim, id), "the division opened again");
    // It follows again: a write through node 0 reaches the replica on node 1.
    ClusterStorageEngine routed = new ClusterStorageEngine(m.get(0).node, m.get(0).engine);
    try {
      io.meridian.storage.PartitionKey key = new io.meridian.storage.PartitionKey(placement.range(0).end(), new byte[] {9});
      routed.apply(rowMutation(tableId, key, 9)).join();
      await(() -> victim.engine.readPartition(tableId, key, io.meridian.storage.ReadRange.all(),
          (int) (System.currentTimeMillis() / 1000)).isPresent(), "the write applied on the reopened replica");
    } finally {
      routed.close();
    }
    // Shut down again, later: opened again once the back-off's first wait has passed (the node
    // looks again every so often, and on every metadata change).
    Thread.sleep(3_000);
    victim.node.server().getDivision(id).close();
    long closedAt = System.currentTimeMillis();
    await(() -> divisionAlive(victim, id), "the division opened a second time");
    assertTrue(System.currentTimeMillis() - closedAt < 25_000, "reopened within the period and the first wait");
  }

  private static boolean divisionAlive(LocalMember member, org.apache.ratis.protocol.RaftGroupId id) {
    try {
      return member.node.server().getDivision(id).getInfo().isAlive();
    } catch (IOException e) {
      return false;
    }
  }

  private static io.meridian.storage.Mutation rowMutation(UUID tableId, io.meridian.storage.PartitionKey key, int i) {
    return new io.meridian.storage.Mutation(tableId, key, io.meridian.storage.DeletionTime.LIVE, List.of(),
        List.of(new io.meridian.storage.RowUpdate(new byte[] {7}, io.meridian.storage.DeletionTime.LIVE, 10L, 0,
            io.meridian.storage.Cell.NO_DELETION_TIME, List.of(io.meridian.storage.Cell.live("v", new byte[] {(byte) i}, 10L)))));
  }

  @Test
  void aSchemaComputedFromAnOldVersionIsRefused() throws IOException {
    List<LocalMember> m = startCluster(2);
    m.get(0).schema.createKeyspace("a", Map.of(), false);
    await(() -> m.get(1).schema.current().keyspace("a").isPresent(), "keyspace a on node 1");
    // Node 1 commits a change computed from the version before "a": it would drop "a".
    io.meridian.schema.Schema stale = new io.meridian.schema.Schema(Map.of(), UUID.randomUUID());
    io.meridian.schema.Schema next = new io.meridian.schema.Schema(Map.of(), UUID.randomUUID());
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.meridian.common.MeridianException.class,
        () -> new ClusterSchemaLog(m.get(1).node, m.get(1).schema).commit(stale, next, List.of()));
    assertTrue(e.getMessage().contains("changed concurrently"), e.getMessage());
    assertTrue(m.get(0).schema.current().keyspace("a").isPresent(), "keyspace a survives");
  }

  @Test
  void restartedNodeRejoinsFromDiskWithSchemaAndTablets() throws IOException {
    List<LocalMember> m = startCluster(3);
    UUID tableId = createTable(m.get(0), 3);
    LocalMember restarted = m.get(2);
    awaitGroups(restarted, 8, "tablets (and batch log tablets) on node 2");
    // Tablets take their table's indexing from the schema when they open, before any query layer.
    await(() -> restarted.engine.readyIndexes(tableId).contains("v"), "index of v complete on node 2");
    restarted.stop();
    // A change while it is down reaches it after the restart, from the log.
    m.get(1).schema.createKeyspace("later", Map.of(), false);
    restarted.start(m.get(0).address());
    await(() -> restarted.schema.current().keyspace("later").isPresent(), "change made while down");
    assertTrue(restarted.schema.current().table("ks", "t").isPresent());
    awaitGroups(restarted, 8, "tablet groups reopened on node 2");
    assertEquals(3, restarted.node.state().nodes().size(), "no duplicate member after a restart");
    // A write applied right after the restart (as a replayed one is, before the query layer gives
    // the indexing) keeps the entries complete: no rebuild, and the row is in the index.
    try (ClusterStorageEngine routed = new ClusterStorageEngine(m.get(0).node, m.get(0).engine)) {
      io.meridian.storage.PartitionKey key = new io.meridian.storage.PartitionKey(42, new byte[] {42});
      routed.apply(new io.meridian.storage.Mutation(tableId, key, io.meridian.storage.DeletionTime.LIVE, List.of(),
          List.of(new io.meridian.storage.RowUpdate(new byte[0], io.meridian.storage.DeletionTime.LIVE, 10L, 0,
              io.meridian.storage.Cell.NO_DELETION_TIME,
              List.of(io.meridian.storage.Cell.live("v", "after".getBytes(java.nio.charset.StandardCharsets.UTF_8), 10L)))))).join();
    }
    await(() -> localRows(restarted, tableId) == 1, "the write applied on node 2");
    assertEquals(java.util.Set.of("v"), restarted.engine.readyIndexes(tableId), "entries still complete after the restart");
  }

  @Test
  void tabletsMoveToAJoiningNodeAndBackOnDecommissionWithTheirRowsAndOnlyThere() throws IOException {
    List<LocalMember> m = startCluster(1);
    UUID tableId = createTable(m.get(0), 1);
    ClusterStorageEngine routed = new ClusterStorageEngine(m.get(0).node, m.get(0).engine);
    int rows = 200;
    List<Long> tokens = new java.util.ArrayList<>();
    for (int i = 0; i < rows; i++) {
      long token = Long.MIN_VALUE + 1 + (Long.MAX_VALUE / rows) * 2 * i;
      tokens.add(token);
      routed.applyAtomically(List.of(new io.meridian.storage.Mutation(tableId,
          new io.meridian.storage.PartitionKey(token, new byte[] {(byte) i, (byte) (i >> 8)}),
          io.meridian.storage.DeletionTime.LIVE, List.of(), List.of(new io.meridian.storage.RowUpdate(new byte[0],
              io.meridian.storage.DeletionTime.LIVE, 10L, 0, io.meridian.storage.Cell.NO_DELETION_TIME,
              List.of(io.meridian.storage.Cell.live("v", new byte[] {1}, 10L))))))).join();
    }
    assertEquals(rows, localRows(m.get(0), tableId));

    LocalMember joining = new LocalMember(root, 1, 4, settings -> settings);
    members.add(joining);
    joining.start(m.get(0).address());
    String newPeer = joining.node.peerId();
    // 4 single-replica tablets over 2 nodes: 2 each, and each node's store holds exactly its tablets' rows.
    await(() -> m.get(0).node.state().placements().get(tableId).replicas().stream()
        .filter(r -> r.equals(List.of(newPeer))).count() == 2, "two of the four tablets moved to the new node");
    TablePlacement afterJoin = m.get(0).node.state().placements().get(tableId);
    assertEquals(2, afterJoin.replicas().stream().filter(r -> r.equals(List.of(m.get(0).node.peerId()))).count(),
        afterJoin.toString());
    try {
      int moved = (int) tokens.stream().filter(t -> afterJoin.tabletFor(t).replicas().contains(newPeer)).count();
      await(() -> localRows(joining, tableId) == moved && localRows(m.get(0), tableId) == rows - moved,
          "rows moved with their tablets and deleted where they left");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": local rows " + localRows(m.get(0), tableId) + " + "
          + localRows(joining, tableId) + ", placement " + m.get(0).node.state().placements().get(tableId), e);
    }
    assertEquals(rows, countAll(routed, tableId), "every row once through the router");
    assertTrue(m.get(0).node.tabletMovesDone() >= 2, "moves made by the metadata leader");

    // Decommissioned from outside, as bin/meridian decommission does: through a seed's Raft address.
    java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
    try (ClusterAdmin admin = new ClusterAdmin("test", List.of(m.get(0).address()))) {
      var unknown = org.junit.jupiter.api.Assertions.assertThrows(io.meridian.common.MeridianException.class,
          () -> admin.decommission("127.0.0.1:1", false, 1_000, System.out));
      assertTrue(unknown.getMessage().contains("No member has Raft address 127.0.0.1:1"), unknown.getMessage());
      admin.decommission(joining.address(), false, 60_000, new java.io.PrintStream(progress, true));
    }
    assertTrue(progress.toString().contains("has left the cluster"), progress.toString());
    joining.node.decommissioned().join(); // the leaving node finished its own removal
    ClusterState after = m.get(0).node.state();
    assertEquals(List.of(m.get(0).hostId), after.nodes().stream().map(NodeRecord::hostId).toList());
    assertTrue(after.placements().get(tableId).replicas().stream().allMatch(r -> r.equals(List.of(m.get(0).node.peerId()))));
    await(() -> localRows(m.get(0), tableId) == rows && localRows(joining, tableId) == 0, "rows back on node 0 only");
    assertEquals(rows, countAll(routed, tableId));
    routed.close();
  }

  @Test
  void aDeadMemberIsRemovedAndItsReplicasRebuiltFromTheSurvivors() throws IOException {
    List<LocalMember> m = startCluster(4);
    for (LocalMember member : m) {
      await(() -> member.node.state().nodes().size() == 4, "four members seen by " + member.address());
    }
    UUID tableId = createTable(m.get(0), 3);
    ClusterStorageEngine routed = new ClusterStorageEngine(m.get(0).node, m.get(0).engine);
    int rows = 100;
    for (int i = 0; i < rows; i++) {
      routed.apply(rowMutation(tableId, new io.meridian.storage.PartitionKey(
          Long.MIN_VALUE + 1 + (Long.MAX_VALUE / rows) * 2 * i, new byte[] {(byte) i}), i)).join();
    }
    LocalMember dead = m.get(3);
    String deadPeer = dead.node.peerId();
    try (ClusterAdmin admin = new ClusterAdmin("test", List.of(m.get(0).address()))) {
      var running = org.junit.jupiter.api.Assertions.assertThrows(io.meridian.common.MeridianException.class,
          () -> admin.removeDeadNode(dead.address(), false, 5_000, System.out));
      assertTrue(running.getMessage().contains("is running"), running.getMessage());

      dead.stop();
      members.remove(dead);
      java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
      admin.removeDeadNode(dead.address(), false, 90_000, new java.io.PrintStream(progress, true));
      assertTrue(progress.toString().contains("has been removed"), progress.toString());
    }
    ClusterState after = m.get(0).node.state();
    assertEquals(3, after.nodes().size());
    assertTrue(after.nodes().stream().noneMatch(n -> n.peerId().equals(deadPeer)));
    for (TablePlacement p : after.placements().values()) {
      for (List<String> replicas : p.replicas()) {
        assertTrue(!replicas.contains(deadPeer), "no tablet names the removed node: " + replicas);
      }
    }
    for (List<String> replicas : after.placements().get(tableId).replicas()) {
      assertEquals(3, replicas.size(), "every tablet back to 3 replicas on the survivors: " + replicas);
    }
    var metadataPeers = m.get(0).node.server().getDivision(TabletGroups.metadataGroupId("test")).getGroup().getPeers();
    assertTrue(metadataPeers.stream().noneMatch(p -> p.getId().toString().equals(deadPeer)),
        "out of the metadata group: " + metadataPeers);
    assertEquals(rows, countAll(routed, tableId), "every row survives the loss and the rebuild");
    for (int i = 0; i < 3; i++) {
      LocalMember survivor = m.get(i);
      await(() -> localRows(survivor, tableId) == rows, "every survivor holds all rows (RF 3 on 3 members)");
    }
    routed.close();
  }

  /**
   * Table ks.t (k int primary key, v text) created through {@code via}; its keyspace too, with
   * SimpleStrategy and {@code rf} replicas, unless {@code rf} is 0 (the keyspace exists).
   */
  private static UUID createTable(LocalMember via, int rf) {
    if (rf > 0) {
      via.schema.createKeyspace("ks", Map.of("replication",
          Map.of("class", "SimpleStrategy", "replication_factor", String.valueOf(rf))), false);
    }
    via.schema.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", CqlTypes.INT, 0), ColumnMetadata.regular("v", CqlTypes.TEXT)), Map.of(), false);
    return via.schema.current().table("ks", "t").orElseThrow().id();
  }

  private static int localRows(LocalMember member, UUID tableId) {
    return member.localRows(tableId);
  }

  private static int countAll(ClusterStorageEngine routed, UUID tableId) {
    int n = 0;
    try (var it = routed.scan(tableId, io.meridian.storage.TokenRange.FULL, null, io.meridian.storage.ReadRange.all(),
        (int) (System.currentTimeMillis() / 1000))) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private static void awaitGroups(LocalMember member, int expected, String what) {
    try {
      await(() -> member.localGroups() == expected, what);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " on " + member.address() + ": " + member.localGroups()
          + " groups open, " + expected + " expected", e);
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    Await.until(condition, what, java.time.Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() throws IOException {
    LocalMember.stopAll(members, root);
  }
}
