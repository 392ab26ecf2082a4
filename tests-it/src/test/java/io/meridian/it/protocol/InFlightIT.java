package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.meridian.it.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of requests in flight at once on a single connection: every one is answered, on its
 * own stream id, with its own result.
 */
class InFlightIT {
  private static final int REQUESTS = 2000;

  @ParameterizedTest
  @ValueSource(strings = {"V4", "V5"})
  void twoThousandConcurrentRequestsOnOneConnection(String version) throws Exception {
    try (TestNode node = TestNode.start();
        CqlSession session = node.session(cfg -> cfg
            .withString(DefaultDriverOption.PROTOCOL_VERSION, version)
            .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 1)
            .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 32768))) {
      session.execute("CREATE KEYSPACE fl WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE fl.kv (k int PRIMARY KEY, v text)");
      PreparedStatement insert = session.prepare("INSERT INTO fl.kv (k, v) VALUES (?, ?)");
      PreparedStatement select = session.prepare("SELECT k, v FROM fl.kv WHERE k = ?");

      List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>(REQUESTS);
      for (int k = 0; k < REQUESTS; k++) {
        writes.add(session.executeAsync(insert.bind(k, value(k))).toCompletableFuture());
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

      // Reads: each response must carry exactly the row its request asked for.
      List<CompletionStage<String>> reads = new ArrayList<>(REQUESTS);
      for (int k = 0; k < REQUESTS; k++) {
        int key = k;
        reads.add(session.executeAsync(select.bind(key)).thenApply(rs -> {
          Row row = rs.one();
          if (row == null) {
            return "missing row " + key;
          }
          return row.getInt("k") == key && row.getString("v").equals(value(key)) ? null
              : "key " + key + " got (" + row.getInt("k") + ", " + row.getString("v") + ")";
        }));
      }
      List<String> wrong = new ArrayList<>();
      for (CompletionStage<String> read : reads) {
        String problem = read.toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (problem != null) {
          wrong.add(problem);
        }
      }
      assertTrue(wrong.isEmpty(), wrong.size() + " wrong results, first: " + wrong.subList(0, Math.min(5, wrong.size())));

      // Mixed: unprepared queries with distinct literals, all at once.
      List<CompletableFuture<AsyncResultSet>> mixed = new ArrayList<>(REQUESTS);
      for (int k = 0; k < REQUESTS; k++) {
        mixed.add(session.executeAsync("SELECT v FROM fl.kv WHERE k = " + k).toCompletableFuture());
      }
      for (int k = 0; k < REQUESTS; k++) {
        Row row = mixed.get(k).get(60, TimeUnit.SECONDS).one();
        assertNotNull(row, "row " + k);
        assertEquals(value(k), row.getString(0));
      }

      Node only = session.getMetadata().getNodes().values().iterator().next();
      // One pooled connection, plus the control connection to the same node.
      assertTrue(only.getOpenConnections() <= 2, "open connections: " + only.getOpenConnections());
    }
  }

  private static String value(int k) {
    return "value-" + k + "-" + Integer.toHexString(k * 7919);
  }
}
