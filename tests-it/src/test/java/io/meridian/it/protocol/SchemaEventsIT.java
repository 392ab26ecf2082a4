package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.SchemaChangeListenerBase;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import io.meridian.it.TestNode;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SCHEMA_CHANGE events reach other clients: a second session learns about DDL made by the first
 * without ever calling refreshSchema.
 */
class SchemaEventsIT {
  private static final long WAIT_SECONDS = 8;

  @Test
  void secondSessionSeesDdlThroughEvents() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    SchemaChangeListenerBase listener = new SchemaChangeListenerBase() {
      @Override
      public void onKeyspaceCreated(KeyspaceMetadata keyspace) {
        events.add("keyspace created " + keyspace.getName().asInternal());
      }

      @Override
      public void onTableCreated(TableMetadata table) {
        events.add("table created " + table.getKeyspace().asInternal() + "." + table.getName().asInternal());
      }

      @Override
      public void onTableUpdated(TableMetadata current, TableMetadata previous) {
        events.add("table updated " + current.getName().asInternal() + " " + current.getColumns().size());
      }

      @Override
      public void onTableDropped(TableMetadata table) {
        events.add("table dropped " + table.getName().asInternal());
      }
    };
    try (TestNode node = TestNode.start();
        CqlSession a = node.session();
        CqlSession b = Sessions.configure(CqlSession.builder(), node.address(), cfg -> cfg)
            .withSchemaChangeListener(listener).build()) {
      assertTrue(b.getMetadata().getKeyspace("ev").isEmpty());

      a.execute("CREATE KEYSPACE ev WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      awaitEvent(events, "keyspace created ev");
      a.execute("CREATE TABLE ev.t (k int PRIMARY KEY, v text)");
      awaitEvent(events, "table created ev.t");
      Optional<TableMetadata> table = b.getMetadata().getKeyspace("ev").flatMap(ks -> ks.getTable("t"));
      assertTrue(table.isPresent(), "session B's metadata has the new table");
      assertEquals(2, table.get().getColumns().size());

      a.execute("ALTER TABLE ev.t ADD w int");
      awaitEvent(events, "table updated t 3");
      assertNotNull(b.getMetadata().getKeyspace("ev").flatMap(ks -> ks.getTable("t")).orElseThrow()
          .getColumn("w").orElse(null), "session B sees the added column");

      a.execute("DROP TABLE ev.t");
      awaitEvent(events, "table dropped t");
      assertTrue(b.getMetadata().getKeyspace("ev").orElseThrow().getTable("t").isEmpty());
    }
  }

  private static void awaitEvent(BlockingQueue<String> events, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e == null) {
        continue;
      }
      if (e.equals(expected)) {
        return;
      }
      seen.append(e).append("; ");
    }
    throw new AssertionError("no '" + expected + "' within " + WAIT_SECONDS + " s; other events: " + seen);
  }
}
