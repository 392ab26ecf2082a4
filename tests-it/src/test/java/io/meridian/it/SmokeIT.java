package io.meridian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import org.junit.jupiter.api.Test;

/** The shortest path a user takes: connect, create, write, read back. */
class SmokeIT {
  @Test
  void javaDriverConnectsWritesAndReads() {
    try (TestNode node = TestNode.start(); CqlSession session = node.session()) {
      session.execute("CREATE KEYSPACE smoke WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE smoke.kv (k text PRIMARY KEY, v int)");
      session.execute("INSERT INTO smoke.kv (k, v) VALUES ('a', 1)");
      Row row = session.execute("SELECT v FROM smoke.kv WHERE k = 'a'").one();
      assertEquals(1, row.getInt("v"));
      // The driver built schema metadata from system_schema and sees the new table.
      assertEquals(2, session.getMetadata().getKeyspace("smoke").orElseThrow()
          .getTable("kv").orElseThrow().getColumns().size());
    }
  }
}
