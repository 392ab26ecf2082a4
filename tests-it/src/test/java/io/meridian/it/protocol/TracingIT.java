package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.ExecutionInfo;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.QueryTrace;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.TraceEvent;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import io.meridian.it.TestNode;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Query tracing through the Java driver: a traced request answers with a session id, and the
 * driver's getQueryTrace(), which reads system_traces.sessions and .events, finds the coordinator,
 * duration, request type, parameters and the events of what the node did.
 */
class TracingIT {
  static TestNode node;
  static CqlSession session;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    session = node.session();
    session.execute("CREATE KEYSPACE tr WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute("CREATE TABLE tr.t (k int, c int, v text, PRIMARY KEY (k, c))");
  }

  @AfterAll
  static void stop() {
    session.close();
    node.close();
  }

  private static List<String> activities(QueryTrace trace) {
    return trace.getEvents().stream().map(TraceEvent::getActivity).toList();
  }

  private static void assertHasActivity(QueryTrace trace, String expected) {
    assertTrue(activities(trace).contains(expected), () -> "no event '" + expected + "' in " + activities(trace));
  }

  @Test
  void untracedRequestsCarryNoTracingId() {
    ResultSet rs = session.execute("SELECT * FROM tr.t WHERE k = 0");
    assertNull(rs.getExecutionInfo().getTracingId());
  }

  @Test
  void tracedQueryRecordsCoordinatorDurationRequestParametersAndEvents() throws Exception {
    session.execute("INSERT INTO tr.t (k, c, v) VALUES (1, 1, 'a')");
    Instant before = Instant.now().minusSeconds(1);
    String query = "SELECT v FROM tr.t WHERE k = 1";
    ResultSet rs = session.execute(SimpleStatement.newInstance(query).setTracing(true));
    assertEquals("a", rs.one().getString("v"));
    ExecutionInfo info = rs.getExecutionInfo();
    UUID id = info.getTracingId();
    assertNotNull(id, "a traced request answers with its tracing session id");
    assertEquals(1, id.version(), "session ids are time-based, as in Cassandra");

    QueryTrace trace = info.getQueryTrace();
    assertEquals(id, trace.getTracingId());
    assertEquals("Execute CQL3 query", trace.getRequestType());
    Row local = session.execute("SELECT broadcast_address, broadcast_port FROM system.local").one();
    assertEquals(local.getInetAddress("broadcast_address"), trace.getCoordinatorAddress().getAddress());
    assertEquals(local.getInt("broadcast_port"), trace.getCoordinatorAddress().getPort());
    assertTrue(trace.getDurationMicros() > 0, "duration " + trace.getDurationMicros());
    assertTrue(!Instant.ofEpochMilli(trace.getStartedAt()).isBefore(before), "started at " + trace.getStartedAt());
    Map<String, String> parameters = trace.getParameters();
    assertEquals(query, parameters.get("query"));
    assertEquals("LOCAL_ONE", parameters.get("consistency_level"), "the driver's default consistency");
    assertEquals("SERIAL", parameters.get("serial_consistency_level"));
    assertEquals("5000", parameters.get("page_size"));

    assertHasActivity(trace, "Executing single-partition query on tr.t");
    assertHasActivity(trace, "Read 1 row from 1 partition; returning 1 row");
    assertEquals("Request complete", activities(trace).get(activities(trace).size() - 1));
    assertTrue(activities(trace).get(0).startsWith("Parsing " + query)
        || activities(trace).get(0).equals("Statement found in the parsed-query cache"), activities(trace).toString());
    int previous = -1;
    for (TraceEvent e : trace.getEvents()) {
      assertTrue(e.getSourceElapsedMicros() >= previous, "elapsed times never go back: " + activities(trace));
      previous = e.getSourceElapsedMicros();
      assertEquals(trace.getCoordinatorAddress(), e.getSourceAddress());
      assertTrue(e.getThreadName().startsWith("meridian-"), e.getThreadName());
    }
    assertTrue(previous <= trace.getDurationMicros(), "events happen within the session");
  }

  @Test
  void tracedScanAndFilteringSayHowPartitionsWereFound() {
    for (int k = 10; k < 14; k++) {
      session.execute("INSERT INTO tr.t (k, c, v) VALUES (?, 1, 'x')", k);
    }
    QueryTrace scan = session.execute(SimpleStatement.newInstance(
        "SELECT k FROM tr.t WHERE k IN (10, 11, 12)").setTracing(true)).getExecutionInfo().getQueryTrace();
    assertHasActivity(scan, "Executing multi-partition query on tr.t (3 partitions by key)");
    assertHasActivity(scan, "Read 3 rows from 3 partitions; returning 3 rows");

    QueryTrace indexed = session.execute(SimpleStatement.newInstance(
        "SELECT k FROM tr.t WHERE v = 'x'").setTracing(true)).getExecutionInfo().getQueryTrace();
    assertHasActivity(indexed, "Reading tr.t through the index of v (v = ?), filtering rows on 1 restriction");
    assertTrue(activities(indexed).stream().anyMatch(a -> a.matches("Read (\\d+) rows from \\d+ partitions; returning \\1 rows")),
        activities(indexed).toString());

    QueryTrace filtered = session.execute(SimpleStatement.newInstance(
        "SELECT k FROM tr.t WHERE c = 99 ALLOW FILTERING").setTracing(true)).getExecutionInfo().getQueryTrace();
    assertHasActivity(filtered, "Scanning all partitions of tr.t in token order, filtering rows on 1 restriction");
    assertTrue(activities(filtered).stream().anyMatch(a -> a.matches("Read \\d+ rows from \\d+ partitions; returning 0 rows")),
        activities(filtered).toString());

    QueryTrace paged = session.execute(SimpleStatement.newInstance("SELECT k FROM tr.t WHERE token(k) > 0")
        .setPageSize(1).setTracing(true)).getExecutionInfo().getQueryTrace();
    assertTrue(activities(paged).stream().anyMatch(a -> a.equals("Scanning token range (0, " + Long.MAX_VALUE + "] of tr.t")), activities(paged).toString());
    assertTrue(activities(paged).stream().anyMatch(a -> a.endsWith("returning 1 row, more pages follow")),
        activities(paged).toString());
  }

  @Test
  void tracedPreparedStatementShowsItsQueryAndBoundValues() {
    PreparedStatement insert = session.prepare("INSERT INTO tr.t (k, c, v) VALUES (?, ?, ?)");
    QueryTrace write = session.execute(insert.bind(2, 5, "it's").setTracing(true)).getExecutionInfo().getQueryTrace();
    assertEquals("Execute CQL3 prepared query", write.getRequestType());
    assertEquals("INSERT INTO tr.t (k, c, v) VALUES (?, ?, ?)", write.getParameters().get("query"));
    assertEquals("2", write.getParameters().get("bound_var_0_k"));
    assertEquals("5", write.getParameters().get("bound_var_1_c"));
    assertEquals("'it''s'", write.getParameters().get("bound_var_2_v"));
    assertTrue(activities(write).get(0).startsWith("Found prepared statement "), activities(write).toString());
    assertHasActivity(write, "Writing 1 partition (1 row update) of tr.t for an INSERT");
    assertTrue(activities(write).stream().anyMatch(a -> a.startsWith("Committed 1 mutation ")), activities(write).toString());

    QueryTrace unset = session.execute(insert.bind(2, 6).unset(2).setTracing(true)).getExecutionInfo().getQueryTrace();
    assertEquals("<unset>", unset.getParameters().get("bound_var_2_v"));
  }

  @Test
  void tracedBatchSaysWhatItWrote() {
    PreparedStatement insert = session.prepare("INSERT INTO tr.t (k, c, v) VALUES (?, ?, 'b')");
    BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.UNLOGGED,
        insert.bind(20, 1), insert.bind(21, 1), SimpleStatement.newInstance("UPDATE tr.t SET v = 'u' WHERE k = 20 AND c = 2"))
        .setTracing(true);
    QueryTrace trace = session.execute(batch).getExecutionInfo().getQueryTrace();
    assertEquals("Execute batch of CQL3 queries", trace.getRequestType());
    assertEquals("LOCAL_ONE", trace.getParameters().get("consistency_level"));
    assertHasActivity(trace, "Unlogged batch of 3 statements: writing 2 partitions (3 row updates) of [tr.t],"
        + " each partition atomically");

    QueryTrace logged = session.execute(SimpleStatement.newInstance(
        "BEGIN BATCH INSERT INTO tr.t (k, c) VALUES (22, 1); INSERT INTO tr.t (k, c) VALUES (23, 1) APPLY BATCH")
        .setTracing(true)).getExecutionInfo().getQueryTrace();
    assertHasActivity(logged, "Logged batch of 2 statements: writing 2 partitions (2 row updates) of [tr.t], all or nothing");
    assertTrue(activities(logged).stream().anyMatch(a -> a.startsWith("Committed 2 mutations in one atomic storage batch")),
        activities(logged).toString());
  }

  @Test
  void warningsAreTracedToo() {
    QueryTrace trace = session.execute(SimpleStatement.newInstance("SELECT count(*) FROM tr.t").setTracing(true))
        .getExecutionInfo().getQueryTrace();
    assertHasActivity(trace, "Aggregation query used without partition key");
  }

  @Test
  void systemTracesIsInTheSchemaWithCassandrasColumns() {
    // The driver skips system keyspaces unless told to refresh them; it must parse this one silently.
    Sessions.Captured<KeyspaceMetadata> captured = Sessions.captureStdErr(() -> {
      try (CqlSession s = node.session(b -> b.withStringList(
          com.datastax.oss.driver.api.core.config.DefaultDriverOption.METADATA_SCHEMA_REFRESHED_KEYSPACES,
          List.of("system_traces")))) {
        return s.getMetadata().getKeyspace("system_traces").orElseThrow();
      }
    });
    assertFalse(captured.err().contains("WARN") || captured.err().contains("ERROR"),
        "driver logged warnings or errors:\n" + captured.err());
    KeyspaceMetadata ks = captured.value();
    assertEquals("org.apache.cassandra.locator.SimpleStrategy", ks.getReplication().get("class"));
    TableMetadata sessions = ks.getTable("sessions").orElseThrow();
    assertEquals(List.of("session_id"), sessions.getPartitionKey().stream().map(c -> c.getName().asInternal()).toList());
    assertEquals("map<text, text>", sessions.getColumn("parameters").orElseThrow().getType().asCql(true, true));
    for (String c : List.of("client", "command", "coordinator", "coordinator_port", "duration", "request", "started_at")) {
      assertTrue(sessions.getColumn(c).isPresent(), c);
    }
    TableMetadata events = ks.getTable("events").orElseThrow();
    assertEquals(List.of("event_id"), events.getClusteringColumns().keySet().stream().map(c -> c.getName().asInternal()).toList());
    assertEquals("timeuuid", events.getColumn(CqlIdentifier.fromInternal("event_id")).orElseThrow().getType().asCql(true, true));

    UUID id = session.execute(SimpleStatement.newInstance("SELECT * FROM tr.t WHERE k = 99").setTracing(true))
        .getExecutionInfo().getTracingId();
    Row row = session.execute("SELECT command, client, request, duration FROM system_traces.sessions WHERE session_id = ?", id).one();
    assertNotNull(row, "the session is readable with plain CQL");
    assertEquals("QUERY", row.getString("command"));
    assertEquals("Execute CQL3 query", row.getString("request"));
    assertEquals(InetAddress.getLoopbackAddress(), row.getInetAddress("client"));
    assertFalse(session.execute("SELECT activity FROM system_traces.events WHERE session_id = ?", id).all().isEmpty());
  }

  @Test
  void theStoreKeepsOnlyTheNewestSessionsUpToItsCeiling() {
    try (TestNode small = TestNode.start(Map.of("query.trace-sessions-max", "3"));
        CqlSession s = small.session(b -> b.withDuration(
            com.datastax.oss.driver.api.core.config.DefaultDriverOption.REQUEST_TRACE_INTERVAL, Duration.ofMillis(1)))) {
      UUID first = null;
      UUID last = null;
      for (int i = 0; i < 5; i++) {
        UUID id = s.execute(SimpleStatement.newInstance("SELECT release_version FROM system.local").setTracing(true))
            .getExecutionInfo().getTracingId();
        first = first == null ? id : first;
        last = id;
      }
      assertEquals(3, s.execute("SELECT session_id FROM system_traces.sessions").all().size());
      assertNull(s.execute("SELECT * FROM system_traces.sessions WHERE session_id = ?", first).one(),
          "the oldest sessions were dropped");
      assertNotNull(s.execute("SELECT * FROM system_traces.sessions WHERE session_id = ?", last).one());
    }
  }
}
