package io.meridian.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Logged batches whose partitions span several tablets (Raft groups) on three nodes, through the
 * driver: every row lands, read through another node; with one node down they still do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoggedBatchClusterIT {
  private static TestCluster cluster;
  private static CqlSession session;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(3).start();
    session = cluster.session(0);
    session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
    session.execute("CREATE TABLE ks.t (k int, c int, v text, PRIMARY KEY (k, c))");
    session.execute("CREATE TABLE ks.other (id text PRIMARY KEY, n int)");
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

  private static Map<Integer, String> rowsOf(CqlSession s, int from, int to) {
    Map<Integer, String> out = new HashMap<>();
    for (Row r : s.execute(SimpleStatement.newInstance("SELECT k, v FROM ks.t").setPageSize(100))) {
      if (r.getInt("k") >= from && r.getInt("k") < to) {
        out.put(r.getInt("k"), r.getString("v"));
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void aLoggedBatchOverManyPartitionsAndTwoTablesAppliesEveryStatement() {
    PreparedStatement insert = session.prepare("INSERT INTO ks.t (k, c, v) VALUES (?, 1, ?)");
    BatchStatement batch = BatchStatement.newInstance(BatchType.LOGGED);
    for (int k = 0; k < 40; k++) { // 40 partitions: every one of the 4 tablets several times
      batch = batch.add(insert.bind(k, "v" + k));
    }
    batch = batch.add(SimpleStatement.newInstance("INSERT INTO ks.other (id, n) VALUES ('x', 1)"))
        .add(SimpleStatement.newInstance("UPDATE ks.other SET n = ? WHERE id = ?", 2, "y"));
    session.execute(batch);

    try (CqlSession reader = cluster.session(2)) {
      Map<Integer, String> rows = rowsOf(reader, 0, 40);
      assertEquals(40, rows.size());
      for (int k = 0; k < 40; k++) {
        assertEquals("v" + k, rows.get(k));
      }
      assertEquals(1, reader.execute("SELECT n FROM ks.other WHERE id = 'x'").one().getInt("n"));
      assertEquals(2, reader.execute("SELECT n FROM ks.other WHERE id = 'y'").one().getInt("n"));
    }
  }

  @Test
  @Order(2)
  void deletesAndTimestampsInALoggedBatchApplyAsWritten() {
    session.execute("INSERT INTO ks.t (k, c, v) VALUES (100, 1, 'old') USING TIMESTAMP 1000");
    session.execute("INSERT INTO ks.t (k, c, v) VALUES (101, 1, 'kept') USING TIMESTAMP 5000");
    // One batch timestamp for all: the delete of 100 wins, the write of 101 (older) loses to 'kept'.
    session.execute("BEGIN BATCH USING TIMESTAMP 2000 "
        + "DELETE FROM ks.t WHERE k = 100; "
        + "INSERT INTO ks.t (k, c, v) VALUES (101, 1, 'stale'); "
        + "INSERT INTO ks.t (k, c, v) VALUES (102, 1, null); "
        + "INSERT INTO ks.t (k, c, v) VALUES (103, 1, '') "
        + "APPLY BATCH");
    try (CqlSession reader = cluster.session(1)) {
      assertNull(reader.execute("SELECT v FROM ks.t WHERE k = 100").one());
      assertEquals("kept", reader.execute("SELECT v FROM ks.t WHERE k = 101").one().getString("v"));
      Row nullValue = reader.execute("SELECT v FROM ks.t WHERE k = 102").one();
      assertEquals(true, nullValue != null && nullValue.isNull("v"), "row with a null value exists");
      assertEquals("", reader.execute("SELECT v FROM ks.t WHERE k = 103").one().getString("v"));
    }
  }

  @Test
  @Order(3)
  void unloggedBatchesStillApplyEveryPartition() {
    PreparedStatement insert = session.prepare("INSERT INTO ks.t (k, c, v) VALUES (?, 2, ?)");
    BatchStatement batch = BatchStatement.newInstance(BatchType.UNLOGGED);
    for (int k = 200; k < 220; k++) {
      batch = batch.add(insert.bind(k, "u" + k));
    }
    session.execute(batch);
    try (CqlSession reader = cluster.session(1)) {
      assertEquals(20, rowsOf(reader, 200, 220).size());
    }
  }

  @Test
  @Order(10)
  void withOneNodeDownALoggedBatchAcrossTabletsStillApplies() {
    cluster.member(2).stop();
    try {
      PreparedStatement insert = session.prepare("INSERT INTO ks.t (k, c, v) VALUES (?, 1, ?)");
      BatchStatement batch = BatchStatement.newInstance(BatchType.LOGGED);
      for (int k = 300; k < 320; k++) {
        batch = batch.add(insert.bind(k, "d" + k));
      }
      session.execute(batch);
      try (CqlSession reader = cluster.session(1)) {
        Map<Integer, String> rows = rowsOf(reader, 300, 320);
        assertEquals(20, rows.size());
        assertEquals("d307", rows.get(307));
      }
    } finally {
      cluster.member(2).start();
    }
  }
}
