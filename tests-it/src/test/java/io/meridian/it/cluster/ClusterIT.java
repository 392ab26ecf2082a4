package io.meridian.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes on 127.0.0.1-3 in this JVM, tablets replicated three ways by Raft, used through the
 * real Java driver given only one contact point. The failure test runs last: it stops a node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static TestCluster cluster;
  private static CqlSession session;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(3).start();
    session = cluster.session(0);
    session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
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
  void theDriverDiscoversEveryNodeAndRoutesByToken() {
    Collection<Node> nodes = session.getMetadata().getNodes().values();
    assertEquals(3, nodes.size(), "nodes known to the driver: " + nodes);
    Set<String> hosts = new HashSet<>();
    for (Node n : nodes) {
      hosts.add(n.getEndPoint().resolve().toString());
      await(() -> n.getState() == NodeState.UP, "node " + n + " up");
    }
    assertEquals(Set.of("/127.0.0.1:" + cluster.member(0).cqlPort, "/127.0.0.2:" + cluster.member(1).cqlPort,
        "/127.0.0.3:" + cluster.member(2).cqlPort), hosts);
    // system.peers_v2 of node 0 names the two others with their native ports.
    List<Row> peers = session.execute(SimpleStatement.newInstance("SELECT peer, native_port, tokens FROM system.peers_v2")
        .setNode(nodeAt(0))).all();
    assertEquals(2, peers.size());
    for (Row p : peers) {
      assertTrue(!p.getSet("tokens", String.class).isEmpty(), "a peer has tokens");
    }
    // With RF 3 on 3 nodes the token map makes every node a replica of every key.
    TokenMap tokens = session.getMetadata().getTokenMap().orElseThrow();
    assertEquals(3, tokens.getReplicas(CqlIdentifier.fromCql("ks"), ByteBuffer.wrap(new byte[] {0, 0, 0, 7})).size());
  }

  @Test
  @Order(2)
  void rowsWrittenThroughOneNodeAreReadThroughEveryNode() {
    session.execute("CREATE TABLE ks.rows (k int PRIMARY KEY, v text)");
    for (int k = 0; k < 60; k++) {
      session.execute(SimpleStatement.newInstance("INSERT INTO ks.rows (k, v) VALUES (?, ?)", k, "v" + k)
          .setNode(nodeAt(k % 3)));
    }
    for (int i = 0; i < 3; i++) {
      Node via = nodeAt(i);
      for (int k = 0; k < 60; k += 7) {
        Row row = session.execute(SimpleStatement.newInstance("SELECT v FROM ks.rows WHERE k = ?", k).setNode(via)).one();
        assertEquals("v" + k, row == null ? null : row.getString("v"), "row " + k + " through node " + i);
      }
      // A scan crosses every tablet (some led elsewhere) and pages.
      ResultSet all = session.execute(SimpleStatement.newInstance("SELECT k FROM ks.rows").setNode(via).setPageSize(7));
      Set<Integer> keys = new HashSet<>();
      for (Row r : all) {
        keys.add(r.getInt("k"));
      }
      assertEquals(60, keys.size(), "rows scanned through node " + i);
      // An IN list spans the tablets (some led elsewhere, some followed here); its partitions are
      // read at once, at ONE (follower replicas) and at QUORUM (the leaders), in pages of 4.
      for (DefaultConsistencyLevel level : List.of(DefaultConsistencyLevel.ONE, DefaultConsistencyLevel.QUORUM)) {
        ResultSet in = session.execute(SimpleStatement.newInstance(
            "SELECT k, v FROM ks.rows WHERE k IN (1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49, 53, 57, 100)")
            .setNode(via).setConsistencyLevel(level).setPageSize(4));
        Set<Integer> found = new HashSet<>();
        for (Row r : in) {
          assertEquals("v" + r.getInt("k"), r.getString("v"));
          found.add(r.getInt("k"));
        }
        assertEquals(15, found.size(), "rows of the IN list through node " + i + " at " + level + ": " + found);
      }
    }
  }

  /**
   * A request is traced by its coordinator only, and a driver reads the trace through whichever
   * node it picks (the Java driver's trace fetch is not pinned to the coordinator): every node's
   * system_traces must show it, with the coordinator's address.
   */
  @Test
  @Order(7)
  void aTraceIsReadableThroughEveryNode() {
    session.execute("CREATE TABLE IF NOT EXISTS ks.traced (k int PRIMARY KEY, v int)");
    session.execute("INSERT INTO ks.traced (k, v) VALUES (1, 1)");
    ResultSet traced = session.execute(SimpleStatement.newInstance("SELECT v FROM ks.traced WHERE k = 1")
        .setNode(nodeAt(1)).setTracing(true));
    java.util.UUID id = traced.getExecutionInfo().getTracingId();
    for (int i = 0; i < 3; i++) {
      Row s = session.execute(SimpleStatement.newInstance(
          "SELECT coordinator, duration, request FROM system_traces.sessions WHERE session_id = ?", id)
          .setNode(nodeAt(i))).one();
      assertTrue(s != null, "session " + id + " through node " + i);
      assertEquals("127.0.0.2", s.getInetAddress("coordinator").getHostAddress(), "through node " + i);
      assertTrue(s.getInt("duration") > 0, "duration through node " + i);
      List<Row> events = session.execute(SimpleStatement.newInstance(
          "SELECT activity, source FROM system_traces.events WHERE session_id = ?", id).setNode(nodeAt(i))).all();
      assertTrue(!events.isEmpty(), "events through node " + i);
      for (Row e : events) {
        assertEquals("127.0.0.2", e.getInetAddress("source").getHostAddress());
      }
    }
    // The driver's own fetch, to whichever node its policy picks, finds it each time.
    for (int attempt = 0; attempt < 6; attempt++) {
      ResultSet again = session.execute(SimpleStatement.newInstance("SELECT v FROM ks.traced WHERE k = 1")
          .setNode(nodeAt(attempt % 3)).setTracing(true));
      com.datastax.oss.driver.api.core.cql.QueryTrace trace = again.getExecutionInfo().getQueryTrace();
      assertEquals("127.0.0.%d".formatted(attempt % 3 + 1), trace.getCoordinatorAddress().getAddress().getHostAddress());
      assertTrue(!trace.getEvents().isEmpty(), "events of trace " + attempt);
    }
  }

  @Test
  @Order(3)
  void schemaChangesReachDriversConnectedToOtherNodes() {
    try (CqlSession other = cluster.session(2)) {
      session.execute("CREATE TABLE ks.announced (k int PRIMARY KEY, v int)");
      await(() -> other.getMetadata().getKeyspace("ks").flatMap(k -> k.getTable("announced")).isPresent(),
          "table known to a driver whose control connection is on node 2");
      other.execute("INSERT INTO ks.announced (k, v) VALUES (1, 1)");
      assertEquals(1, session.execute("SELECT v FROM ks.announced WHERE k = 1").one().getInt("v"));
    }
  }

  @Test
  @Order(6)
  void truncateEmptiesTheTableOnEveryReplicaAndLaterWritesStay() {
    session.execute("CREATE TABLE ks.trunc (k int PRIMARY KEY, v int)");
    for (int k = 0; k < 40; k++) {
      session.execute(SimpleStatement.newInstance("INSERT INTO ks.trunc (k, v) VALUES (?, ?)", k, k));
    }
    session.execute("TRUNCATE ks.trunc");
    // A QUORUM read sees the truncation at once.
    assertEquals(0, session.execute(SimpleStatement.newInstance("SELECT k FROM ks.trunc")
        .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)).all().size());
    for (int via = 0; via < 3; via++) {
      // ONE reads each node's own replica: every replica applies the truncation (followers shortly after).
      Node node = nodeAt(via);
      await(() -> session.execute(SimpleStatement.newInstance("SELECT k FROM ks.trunc")
          .setConsistencyLevel(DefaultConsistencyLevel.ONE).setNode(node)).all().isEmpty(), "truncation on " + node);
    }
    session.execute("INSERT INTO ks.trunc (k, v) VALUES (7, 70)");
    assertEquals(70, session.execute("SELECT v FROM ks.trunc WHERE k = 7").one().getInt("v"));
  }

  @Test
  @Order(5)
  void concurrentSchemaChangesOnDifferentNodesAllTakeEffect() throws Exception {
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int node = 0; node < 3; node++) {
      int n = node;
      threads.add(new Thread(() -> {
        try {
          go.await();
          for (int t = 0; t < 3; t++) {
            session.execute(SimpleStatement.newInstance("CREATE TABLE ks.ddl_" + n + "_" + t + " (k int PRIMARY KEY)")
                .setNode(nodeAt(n)));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(errors.isEmpty(), "errors: " + errors);
    for (int n = 0; n < 3; n++) {
      for (int t = 0; t < 3; t++) {
        String table = "ddl_" + n + "_" + t;
        // Each node's schema holds all nine tables, and each takes writes.
        for (int via = 0; via < 3; via++) {
          session.execute(SimpleStatement.newInstance("INSERT INTO ks." + table + " (k) VALUES (" + via + ")")
              .setNode(nodeAt(via)));
        }
        assertEquals(3, session.execute("SELECT k FROM ks." + table).all().size(), table);
      }
    }
  }

  @Test
  @Order(4)
  void lightweightTransactionsAndCountersAreExactAcrossNodes() throws Exception {
    session.execute("CREATE TABLE ks.claims (k int PRIMARY KEY, owner int)");
    session.execute("CREATE TABLE ks.hits (k int PRIMARY KEY, n counter)");
    AtomicInteger winners = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 6; i++) {
      int who = i;
      threads.add(new Thread(() -> {
        try {
          go.await();
          if (session.execute(SimpleStatement.newInstance("INSERT INTO ks.claims (k, owner) VALUES (1, ?) IF NOT EXISTS", who)
              .setNode(nodeAt(who % 3))).wasApplied()) {
            winners.incrementAndGet();
          }
          for (int n = 0; n < 25; n++) {
            session.execute(SimpleStatement.newInstance("UPDATE ks.hits SET n = n + 1 WHERE k = 1").setNode(nodeAt(who % 3)));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(errors.isEmpty(), "errors: " + errors);
    assertEquals(1, winners.get(), "exactly one INSERT IF NOT EXISTS wins");
    assertEquals(150L, session.execute("SELECT n FROM ks.hits WHERE k = 1").one().getLong("n"), "no increment lost");
  }

  @Test
  @Order(10)
  void stoppingANodeLosesNoAcknowledgedWriteAndWritesResume() throws Exception {
    session.execute("CREATE TABLE ks.load (k int PRIMARY KEY, v int)");
    Set<Integer> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong lastAck = new AtomicLong(System.nanoTime());
    AtomicLong longestGapNanos = new AtomicLong();
    AtomicLong longestGapEnd = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    try (CqlSession writer = cluster.session(1)) {
      Thread load = new Thread(() -> {
        for (int k = 0; !stop.get(); k++) {
          try {
            writer.execute(SimpleStatement.newInstance("INSERT INTO ks.load (k, v) VALUES (?, ?)", k, k));
            acknowledged.add(k);
            long now = System.nanoTime();
            long gap = now - lastAck.getAndSet(now);
            if (gap > longestGapNanos.get()) {
              longestGapNanos.set(gap);
              longestGapEnd.set(now);
            }
          } catch (RuntimeException e) {
            failed.incrementAndGet(); // outcome unknown: the row may or may not be there
          }
        }
      });
      load.start();
      await(() -> acknowledged.size() >= 100, "writes before the stop");
      long stoppedAt = System.nanoTime();
      cluster.member(0).stop(); // the preferred leader of tablets 0 and 3
      int atStop = acknowledged.size();
      await(() -> acknowledged.size() >= atStop + 200, "writes after the stop");
      long restartedAt = System.nanoTime();
      cluster.member(0).start();
      int atRestart = acknowledged.size();
      await(() -> acknowledged.size() >= atRestart + 100, "writes after the restart");
      stop.set(true);
      load.join();
      assertTrue(Duration.ofNanos(longestGapNanos.get()).toSeconds() < 15,
          "writes resumed within seconds; longest pause " + Duration.ofNanos(longestGapNanos.get())
              + ", ended " + Duration.ofNanos(longestGapEnd.get() - stoppedAt) + " after the stop began and "
              + Duration.ofNanos(longestGapEnd.get() - restartedAt) + " after the restart began");
    }
    // Node 1 leaves: the restarted node 0 is now needed for every majority, and every
    // acknowledged row is still there, read through it.
    cluster.member(1).stop();
    try (CqlSession check = cluster.session(0)) {
      Set<Integer> found = new HashSet<>();
      for (Row r : check.execute(SimpleStatement.newInstance("SELECT k FROM ks.load").setPageSize(500))) {
        found.add(r.getInt("k"));
      }
      Set<Integer> missing = new HashSet<>(acknowledged);
      missing.removeAll(found);
      assertTrue(missing.isEmpty(), missing.size() + " acknowledged rows missing, e.g. " + missing.stream().limit(5).toList());
    } finally {
      cluster.member(1).start();
    }
  }

  @Test
  @Order(11)
  void withoutAMajorityWritesAreUnavailableAndOneReadsStillServe() {
    session.execute("CREATE TABLE ks.quorum (k int PRIMARY KEY, v int)");
    session.execute("INSERT INTO ks.quorum (k, v) VALUES (1, 10)");
    cluster.member(1).stop();
    cluster.member(2).stop();
    try (CqlSession lone = cluster.session(0)) {
      // The liveness probes notice within about a second; until then requests may time out instead.
      await(() -> unavailable(() -> lone.execute(SimpleStatement.newInstance("INSERT INTO ks.quorum (k, v) VALUES (2, 20)")
          .setConsistencyLevel(DefaultConsistencyLevel.QUORUM))) != null, "UNAVAILABLE for a QUORUM write");
      UnavailableException e = unavailable(() -> lone.execute(
          SimpleStatement.newInstance("INSERT INTO ks.quorum (k, v) VALUES (3, 30)")
              .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)));
      assertNotNull(e, "a QUORUM write without a majority is refused as UNAVAILABLE");
      assertEquals(DefaultConsistencyLevel.QUORUM, e.getConsistencyLevel());
      assertEquals(2, e.getRequired());
      assertEquals(1, e.getAlive());
      assertNotNull(unavailable(() -> lone.execute(SimpleStatement.newInstance(
          "SELECT v FROM ks.quorum WHERE k = 1").setConsistencyLevel(DefaultConsistencyLevel.QUORUM))),
          "a QUORUM read without a majority is refused as UNAVAILABLE");
      // ONE is answered by this node's own replica, which has every write it acknowledged.
      Row row = lone.execute(SimpleStatement.newInstance("SELECT v FROM ks.quorum WHERE k = 1")
          .setConsistencyLevel(DefaultConsistencyLevel.ONE)).one();
      assertEquals(10, row.getInt("v"));
    } finally {
      cluster.member(1).start();
      cluster.member(2).start();
    }
    await(() -> {
      try {
        session.execute(SimpleStatement.newInstance("INSERT INTO ks.quorum (k, v) VALUES (4, 40)")
            .setConsistencyLevel(DefaultConsistencyLevel.QUORUM));
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }, "writes after the majority is back");
  }

  /**
   * The UNAVAILABLE the request got (the driver's default policy tries the next node once, so it
   * may come wrapped), or null if it succeeded or failed otherwise (a timeout before the liveness
   * probes noticed).
   */
  private static UnavailableException unavailable(Runnable request) {
    try {
      request.run();
      return null;
    } catch (UnavailableException e) {
      return e;
    } catch (AllNodesFailedException e) {
      for (List<Throwable> errors : e.getAllErrors().values()) {
        for (Throwable t : errors) {
          if (t instanceof UnavailableException u) {
            return u;
          }
        }
      }
      return null;
    } catch (DriverTimeoutException | WriteTimeoutException e) {
      return null;
    }
  }

  private static Node nodeAt(int index) {
    String host = "127.0.0." + (index + 1);
    return session.getMetadata().getNodes().values().stream()
        .filter(n -> n.getEndPoint().resolve().toString().startsWith("/" + host + ":"))
        .findFirst().orElseThrow(() -> new AssertionError("driver does not know " + host));
  }

  private static void await(BooleanSupplier condition, String what) {
    TestCluster.await(condition, what);
  }
}
