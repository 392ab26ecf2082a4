package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultProtocolVersion;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.meridian.it.TestNode;
import io.meridian.it.protocol.RawConnection.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PREPARE/EXECUTE through the driver: v5 result metadata ids, UNPREPARED recovery, schema change. */
class PreparedStatementIT {

  private static void createSchema(CqlSession session) {
    session.execute("CREATE KEYSPACE prep WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute("CREATE TABLE prep.kv (k int PRIMARY KEY, v text)");
  }

  @Test
  void v5PrepareCarriesResultMetadataIdAndExecutes() {
    try (TestNode node = TestNode.start(); CqlSession session = node.session()) {
      assertEquals(DefaultProtocolVersion.V5, session.getContext().getProtocolVersion());
      createSchema(session);
      PreparedStatement insert = session.prepare("INSERT INTO prep.kv (k, v) VALUES (?, ?)");
      PreparedStatement select = session.prepare("SELECT k, v FROM prep.kv WHERE k = ?");
      assertNotNull(select.getResultMetadataId(), "v5 PREPARED carries a result metadata id");
      assertEquals(2, select.getResultSetDefinitions().size());
      assertEquals(1, select.getVariableDefinitions().size());
      assertEquals(2, insert.getVariableDefinitions().size());
      for (int k = 0; k < 20; k++) {
        session.execute(insert.bind(k, "v" + k));
      }
      for (int k = 0; k < 20; k++) {
        Row row = session.execute(select.bind(k)).one();
        assertNotNull(row, "row " + k);
        assertEquals("v" + k, row.getString("v"));
      }
      // Preparing the same text again yields the same statement id.
      PreparedStatement again = session.prepare("SELECT k, v FROM prep.kv WHERE k = ?");
      assertEquals(select.getId(), again.getId());
      assertEquals(select.getResultMetadataId(), again.getResultMetadataId());
    }
  }

  @Test
  void driverRepreparesAfterTheNodeForgetsItsStatements() throws Exception {
    try (TestNode node = TestNode.start();
        CqlSession session = node.session(cfg -> cfg
            // Otherwise the driver re-prepares everything as soon as the node is back up, and the
            // UNPREPARED path under test would never run.
            .withBoolean(DefaultDriverOption.REPREPARE_ENABLED, false)
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(100))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofMillis(500)))) {
      createSchema(session);
      session.execute("INSERT INTO prep.kv (k, v) VALUES (1, 'one')");
      PreparedStatement select = session.prepare("SELECT v FROM prep.kv WHERE k = ?");
      assertEquals("one", session.execute(select.bind(1)).one().getString(0));
      int portBefore = node.port();

      node.restart();
      assertEquals(portBefore, node.port(), "TestNode.restart keeps the port so drivers reconnect");
      awaitUsable(session);

      // The restarted node really forgot the statement: a raw EXECUTE of its id gets UNPREPARED.
      byte[] id = bytes(select.getId());
      try (RawConnection raw = new RawConnection(node.address())) {
        raw.startup();
        raw.sendFrame(2, RawConnection.OP_EXECUTE, RawConnection.executeBody(id));
        Response r = raw.read();
        assertEquals(RawConnection.OP_ERROR, r.opcode(), r.toString());
        assertEquals(RawConnection.UNPREPARED, r.errorCode(), r.toString());
        // The UNPREPARED body ends with the statement id, so the client knows what to re-prepare.
        byte[] tail = java.util.Arrays.copyOfRange(r.body(), r.body().length - id.length, r.body().length);
        assertArrayEquals(id, tail);
      }

      // The same session, same PreparedStatement: the driver re-prepares transparently.
      assertEquals("one", session.execute(select.bind(1)).one().getString(0));
      session.execute(session.prepare("INSERT INTO prep.kv (k, v) VALUES (?, ?)").bind(2, "two"));
      assertEquals("two", session.execute(select.bind(2)).one().getString(0));
    }
  }

  @Test
  void preparedSelectStarSeesAColumnAddedLater() {
    try (TestNode node = TestNode.start(); CqlSession session = node.session()) {
      assertEquals(DefaultProtocolVersion.V5, session.getContext().getProtocolVersion());
      createSchema(session);
      session.execute("INSERT INTO prep.kv (k, v) VALUES (1, 'one')");
      PreparedStatement selectAll = session.prepare("SELECT * FROM prep.kv WHERE k = ?");
      ByteBuffer idBefore = selectAll.getResultMetadataId();
      Row before = session.execute(selectAll.bind(1)).one();
      assertEquals(2, before.getColumnDefinitions().size());

      session.execute("ALTER TABLE prep.kv ADD extra int");
      session.execute("UPDATE prep.kv SET extra = 42 WHERE k = 1");

      Row after = session.execute(selectAll.bind(1)).one();
      assertTrue(after.getColumnDefinitions().contains("extra"),
          "new column visible through the old prepared statement: " + after.getColumnDefinitions());
      assertEquals(42, after.getInt("extra"));
      assertEquals("one", after.getString("v"));
      // The server announced new metadata (METADATA_CHANGED) and the driver adopted its new id.
      assertNotEquals(idBefore, selectAll.getResultMetadataId());
      assertTrue(selectAll.getResultSetDefinitions().contains("extra"));
      // And a later execution still decodes correctly with the updated metadata.
      Row third = session.execute(selectAll.bind(1)).one();
      assertEquals(42, third.getInt("extra"));
      assertEquals(3, third.getColumnDefinitions().size());
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }

  /** Waits until the driver has reconnected and a query succeeds. */
  private static void awaitUsable(CqlSession session) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        List<Row> rows = session.execute("SELECT key FROM system.local").all();
        assertFalse(rows.isEmpty());
        return;
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new AssertionError("driver did not reconnect to the restarted node", last);
  }
}
