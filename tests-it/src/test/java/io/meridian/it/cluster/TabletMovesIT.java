package io.meridian.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.meridian.cluster.ClusterState;
import io.meridian.cluster.NodeRecord;
import io.meridian.cluster.TablePlacement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tablets move while a client writes and reads: a node joins a two-node cluster and receives its
 * share of replicas, then another node is decommissioned and stopped. Two tables: one with a single
 * replica per tablet (a move is the only copy changing hands) and one with two. Afterwards every
 * acknowledged row is there exactly once, and nothing appeared that was never written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TabletMovesIT {
  private static final List<String> TABLES = List.of("one.t", "two.t");
  private static TestCluster cluster;
  private static CqlSession session;
  /** Keys whose inserts into every table were acknowledged. */
  private static final Set<Integer> acked = ConcurrentHashMap.newKeySet();
  /** Keys an insert was attempted for (acknowledged or not). */
  private static final Set<Integer> attempted = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger nextKey = new AtomicInteger();

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(2).start();
    session = cluster.session(0);
    session.execute("CREATE KEYSPACE one WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute("CREATE KEYSPACE two WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
    for (String t : TABLES) {
      session.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, v text)");
    }
    Writer w = new Writer();
    w.writeUpTo(300);
    assertEquals(300, acked.size(), "rows written before any move");
  }

  @AfterAll
  static void stopCluster() {
    if (session != null) {
      session.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aJoiningNodeReceivesReplicasWhileClientsWriteAndRead() throws Exception {
    try (Writer writer = new Writer().startThread()) {
      awaitAcked(writer, 50);
      TestCluster.Member joined = cluster.addMember();
      String joinedPeer = peerOf(joined);
      await(() -> balanced(state()) && replicasOn(state(), joinedPeer) >= 3, "the new node holding its share");
      int before = writer.acks.get();
      awaitAcked(writer, 50);
      assertTrue(writer.acks.get() > before, "writes go on after the moves");
      ClusterState s = state();
      // 4 single-replica tablets over 3 nodes (2/1/1) and 8 replicas of the two-way table (3/3/2).
      assertTrue(tabletsOn(s, "one", joinedPeer) >= 1, "RF 1 table: " + s.placements());
      assertTrue(tabletsOn(s, "two", joinedPeer) >= 2, "RF 2 table: " + s.placements());
      for (TablePlacement p : s.placements().values()) {
        for (List<String> r : p.replicas()) {
          assertEquals(Set.copyOf(r).size(), r.size());
        }
      }
      assertEquals(2, replicasPerTablet(s, "two"), "RF kept");
      assertEquals(1, replicasPerTablet(s, "one"), "RF kept");
      writer.stopAndCheck();
    }
    checkEveryAcknowledgedRowOnce();
  }

  @Test
  @Order(2)
  void aDecommissionedNodeHandsOverEveryReplicaAndLeaves() throws Exception {
    TestCluster.Member leaving = cluster.member(1);
    String leavingPeer = peerOf(leaving);
    try (Writer writer = new Writer().startThread()) {
      awaitAcked(writer, 50);
      leaving.node.clusterNode().decommission(90_000);
      awaitAcked(writer, 50);
      writer.stopAndCheck();
    }
    ClusterState s = state();
    assertEquals(0, replicasOn(s, leavingPeer), "no replica left on the decommissioned node: " + s.placements());
    assertFalse(s.nodes().stream().anyMatch(n -> n.peerId().equals(leavingPeer)), "no longer a member");
    assertEquals(2, s.nodes().size());
    assertEquals(2, replicasPerTablet(s, "two"), "RF kept");
    // With the node gone, every row is still served: the moved tablets' only copies are elsewhere.
    leaving.stop();
    checkEveryAcknowledgedRowOnce();
    try (Writer writer = new Writer()) {
      writer.writeUpTo(nextKey.get() + 20);
    }
    checkEveryAcknowledgedRowOnce();
  }

  // --- checks --------------------------------------------------------------------------------------

  private static void checkEveryAcknowledgedRowOnce() {
    for (String t : TABLES) {
      List<Integer> ids = new ArrayList<>();
      for (Row r : session.execute(SimpleStatement.newInstance("SELECT id, v FROM " + t)
          .setConsistencyLevel(DefaultConsistencyLevel.QUORUM).setPageSize(100))) {
        ids.add(r.getInt("id"));
        assertEquals("v" + r.getInt("id"), r.getString("v"));
      }
      Set<Integer> distinct = new HashSet<>(ids);
      assertEquals(ids.size(), distinct.size(), t + ": a row came back twice");
      Set<Integer> missing = new HashSet<>(acked);
      missing.removeAll(distinct);
      assertEquals(Set.of(), missing, t + ": acknowledged rows lost");
      Set<Integer> unknown = new HashSet<>(distinct);
      unknown.removeAll(attempted);
      assertEquals(Set.of(), unknown, t + ": rows nobody wrote");
      Row count = session.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + t)
          .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)).one();
      assertEquals(ids.size(), count.getLong(0), t + ": count(*) agrees with the scan");
    }
    // Point reads of a sample, through the token-aware path.
    PreparedStatement read = session.prepare("SELECT v FROM one.t WHERE id = ?");
    int n = 0;
    for (int k : acked) {
      if (n++ % 7 == 0) {
        Row r = session.execute(read.bind(k).setConsistencyLevel(DefaultConsistencyLevel.QUORUM)).one();
        assertEquals("v" + k, r == null ? null : r.getString(0));
      }
    }
  }

  /** Inserts consecutive keys into every table; reads back an earlier acknowledged key now and then. */
  private static final class Writer implements AutoCloseable {
    final AtomicInteger acks = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger readMisses = new AtomicInteger();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, PreparedStatement> inserts = new HashMap<>();
    private final PreparedStatement read;
    private Thread thread;

    Writer() {
      for (String t : TABLES) {
        inserts.put(t, session.prepare("INSERT INTO " + t + " (id, v) VALUES (?, ?)"));
      }
      read = session.prepare("SELECT v FROM two.t WHERE id = ?");
    }

    Writer startThread() {
      thread = new Thread(() -> {
        while (!stop.get()) {
          writeOne();
        }
      }, "tablet-moves-writer");
      thread.start();
      return this;
    }

    void writeUpTo(int key) {
      while (nextKey.get() < key) {
        writeOne();
      }
    }

    private void writeOne() {
      int k = nextKey.getAndIncrement();
      attempted.add(k);
      try {
        for (String t : TABLES) {
          session.execute(inserts.get(t).bind(k, "v" + k).setConsistencyLevel(DefaultConsistencyLevel.QUORUM));
        }
        acked.add(k);
        acks.incrementAndGet();
        if (k % 5 == 0 && k > 10) {
          int earlier = k - 1 - (k * 7919 % Math.min(k - 1, 200));
          if (acked.contains(earlier)) {
            Row r = session.execute(read.bind(earlier).setConsistencyLevel(DefaultConsistencyLevel.QUORUM)).one();
            if (r == null || !("v" + earlier).equals(r.getString(0))) {
              readMisses.incrementAndGet();
              errors.add("key " + earlier + " read back as " + (r == null ? "nothing" : r.getString(0)));
            }
          }
        }
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        errors.add(e.toString());
      }
    }

    void stopAndCheck() throws InterruptedException {
      stop.set(true);
      if (thread != null) {
        thread.join(60_000);
      }
      System.out.printf("writer: %d acknowledged, %d failed, %d read misses %s%n", acks.get(), failures.get(),
          readMisses.get(), errors);
      assertEquals(0, readMisses.get(), "reads during the moves: " + errors);
      // A request may time out while a tablet changes leader; it must stay rare.
      assertTrue(failures.get() <= 5, failures + " failed requests of " + (acks.get() + failures.get()) + ": " + errors);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      if (thread != null) {
        thread.join(60_000);
      }
    }
  }

  // --- helpers -------------------------------------------------------------------------------------

  private static ClusterState state() {
    return cluster.member(0).node.clusterNode().state();
  }

  private static String peerOf(TestCluster.Member m) {
    return NodeRecord.peerIdFor(m.raftAddress());
  }

  private static int replicasOn(ClusterState s, String peer) {
    int n = 0;
    for (TablePlacement p : s.placements().values()) {
      for (List<String> r : p.replicas()) {
        n += r.contains(peer) ? 1 : 0;
      }
    }
    return n;
  }

  private static UUID tableId(String keyspace) {
    return io.meridian.schema.SchemaStore.fromBytes(state().schema()).keyspaces().get(keyspace).tables().get("t").id();
  }

  private static int tabletsOn(ClusterState s, String keyspace, String peer) {
    return (int) s.placements().get(tableId(keyspace)).replicas().stream().filter(r -> r.contains(peer)).count();
  }

  private static int replicasPerTablet(ClusterState s, String keyspace) {
    Set<Integer> sizes = new HashSet<>();
    s.placements().get(tableId(keyspace)).replicas().forEach(r -> sizes.add(r.size()));
    assertEquals(1, sizes.size(), "every tablet has as many replicas: " + s.placements());
    return sizes.iterator().next();
  }

  /** Every member holds the same number of replicas within one, and no tablet is mid-move. */
  private static boolean balanced(ClusterState s) {
    Map<String, Integer> counts = new HashMap<>();
    s.nodes().forEach(n -> counts.put(n.peerId(), 0));
    for (TablePlacement p : s.placements().values()) {
      for (List<String> r : p.replicas()) {
        r.forEach(peer -> counts.merge(peer, 1, Integer::sum));
      }
    }
    int max = counts.values().stream().max(Integer::compare).orElse(0);
    int min = counts.values().stream().min(Integer::compare).orElse(0);
    return max - min <= 1 && replicasPerTabletQuiet(s);
  }

  private static boolean replicasPerTabletQuiet(ClusterState s) {
    try {
      return replicasPerTablet(s, "one") == 1 && replicasPerTablet(s, "two") == 2;
    } catch (AssertionError e) {
      return false;
    }
  }

  private static void awaitAcked(Writer w, int more) {
    int target = w.acks.get() + more;
    await(() -> w.acks.get() >= target, more + " more acknowledged writes");
  }

  private static void await(BooleanSupplier condition, String what) {
    TestCluster.await(condition, what);
  }
}
