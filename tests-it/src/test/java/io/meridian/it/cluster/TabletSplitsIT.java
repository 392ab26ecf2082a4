package io.meridian.it.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.meridian.cluster.TablePlacement;
import io.meridian.server.ServerConfigKeys;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tablets split while the Java driver writes and reads through three nodes at RF 3: with a 64 KiB
 * split size, four tablets of 2 KiB rows split into eight or more; no request fails, every read
 * of an acknowledged row finds it, and afterwards every acknowledged row is there once with its value.
 */
class TabletSplitsIT {
  private static final int VALUE_BYTES = 2048;

  @Test
  void tabletsSplitWhileTheDriverWritesAndReads() throws Exception {
    try (TestCluster cluster = new TestCluster(3, Map.of(ServerConfigKeys.TABLET_SPLIT_BYTES.key(), "65536")).start();
         CqlSession session = cluster.session(0)) {
      session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
      session.execute("CREATE TABLE ks.t (id int PRIMARY KEY, v blob)");
      UUID tableId = session.getMetadata().getKeyspace("ks").orElseThrow().getTable("t").orElseThrow().getId()
          .orElseThrow();
      PreparedStatement insert = session.prepare("INSERT INTO ks.t (id, v) VALUES (?, ?)");
      PreparedStatement select = session.prepare("SELECT v FROM ks.t WHERE id = ?");
      Map<Integer, byte[]> acked = new ConcurrentHashMap<>();
      List<String> errors = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger reads = new AtomicInteger();
      Thread writer = new Thread(() -> {
        Random random = new Random(5);
        while (!stop.get()) {
          int k = next.getAndIncrement();
          byte[] v = new byte[VALUE_BYTES];
          random.nextBytes(v);
          try {
            session.execute(insert.bind(k, ByteBuffer.wrap(v)).setConsistencyLevel(DefaultConsistencyLevel.QUORUM));
            acked.put(k, v);
          } catch (RuntimeException e) {
            errors.add("insert " + k + ": " + e);
          }
        }
      }, "split-writer");
      Thread reader = new Thread(() -> {
        Random random = new Random(6);
        while (!stop.get()) {
          int k = next.get() == 0 ? 0 : random.nextInt(Math.max(1, next.get()));
          byte[] expected = acked.get(k); // acknowledged before this read started, or not at all
          if (expected == null) {
            continue;
          }
          try {
            Row r = session.execute(select.bind(k).setConsistencyLevel(
                reads.get() % 2 == 0 ? DefaultConsistencyLevel.QUORUM : DefaultConsistencyLevel.ONE)).one();
            reads.incrementAndGet();
            if (r == null || !ByteBuffer.wrap(expected).equals(r.getByteBuffer(0))) {
              errors.add("read " + k + ": " + (r == null ? "missing" : "another value"));
            }
          } catch (RuntimeException e) {
            errors.add("read " + k + ": " + e);
          }
        }
      }, "split-reader");
      writer.start();
      reader.start();
      try {
        TestCluster.await(() -> placement(cluster, tableId).tabletCount() >= 8 || !errors.isEmpty(),
            "the table's 4 tablets split into 8 or more");
      } finally {
        stop.set(true);
        writer.join(60_000);
        reader.join(60_000);
      }
      assertEquals(List.of(), errors, "no request failed or missed an acknowledged row during the splits");
      TablePlacement p = placement(cluster, tableId);
      assertTrue(p.tabletCount() >= 8, "split: " + p);
      assertTrue(p.tablets().stream().allMatch(t -> t.replicas().size() == 3), "halves keep 3 replicas: " + p);
      assertTrue(reads.get() > 50, "reads made during the splits: " + reads.get());

      Set<Integer> seen = new java.util.HashSet<>();
      for (Row r : session.execute(SimpleStatement.newInstance("SELECT id, v FROM ks.t")
          .setConsistencyLevel(DefaultConsistencyLevel.QUORUM).setPageSize(100))) {
        int id = r.getInt("id");
        assertTrue(seen.add(id), "row " + id + " came back twice");
        byte[] v = new byte[VALUE_BYTES];
        r.getByteBuffer("v").duplicate().get(v);
        if (acked.containsKey(id)) {
          assertArrayEquals(acked.get(id), v, "row " + id);
        }
      }
      assertTrue(seen.containsAll(acked.keySet()), "acknowledged rows lost: "
          + acked.keySet().stream().filter(k -> !seen.contains(k)).limit(10).toList());
      assertTrue(seen.size() <= next.get(), "rows nobody wrote");
    }
  }

  private static TablePlacement placement(TestCluster cluster, UUID tableId) {
    return cluster.member(0).node.clusterNode().state().placements().get(tableId);
  }
}
