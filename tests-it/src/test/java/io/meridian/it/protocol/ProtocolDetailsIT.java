package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultProtocolVersion;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.meridian.it.TestNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol details applications run into, checked through the Java driver against Cassandra 5.0's
 * behaviour: server warnings (with Cassandra's texts and thresholds), custom payloads, unset
 * values, named bind markers, USE per connection, and non-deterministic functions in prepared
 * statements.
 */
class ProtocolDetailsIT {
  private static final AtomicInteger KEYSPACES = new AtomicInteger();
  private static final String UNLOGGED_WARNING = "Unlogged batch covering %d partitions detected against table%s %s. "
      + "You should use a logged batch for atomicity, or asynchronous writes for performance.";

  static TestNode node;
  static CqlSession session;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    session = node.session(b -> b.withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, java.time.Duration.ofMillis(20)));
  }

  @AfterAll
  static void stop() {
    session.close();
    node.close();
  }

  /** A fresh keyspace with table t (k int, c int, v text, w int, PRIMARY KEY (k, c)); returns "ks.t". */
  private static String newTable() {
    String ks = "pd_" + KEYSPACES.incrementAndGet();
    session.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v text, w int, PRIMARY KEY (k, c))");
    return ks + ".t";
  }

  private static List<String> warnings(ResultSet rs) {
    return rs.getExecutionInfo().getWarnings();
  }

  private static BatchStatement batchOver(DefaultBatchType type, String table, int partitions, String value) {
    BatchStatementBuilder b = BatchStatement.builder(type);
    for (int k = 0; k < partitions; k++) {
      b.addStatement(SimpleStatement.newInstance("INSERT INTO " + table + " (k, c, v) VALUES (?, 0, ?)", k, value));
    }
    return b.build();
  }

  private static int count(String table) {
    return (int) session.execute("SELECT count(*) FROM " + table).one().getLong(0);
  }

  // ---- warnings ----

  @Test
  void unloggedBatchOverMoreThanTenPartitionsWarnsWithCassandrasText() {
    String t = newTable();
    assertEquals(List.of(), warnings(session.execute(batchOver(DefaultBatchType.UNLOGGED, t, 10, "x"))),
        "ten partitions is Cassandra's threshold, not above it");
    assertEquals(List.of(String.format(UNLOGGED_WARNING, 11, "", "[" + t + "]")),
        warnings(session.execute(batchOver(DefaultBatchType.UNLOGGED, t, 11, "x"))));
    assertEquals(List.of(), warnings(session.execute(batchOver(DefaultBatchType.LOGGED, t, 11, "x"))),
        "a logged batch is what the warning recommends");
    // Many statements on one partition are fine.
    BatchStatementBuilder onePartition = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    for (int c = 0; c < 20; c++) {
      onePartition.addStatement(SimpleStatement.newInstance("INSERT INTO " + t + " (k, c) VALUES (1, ?)", c));
    }
    assertEquals(List.of(), warnings(session.execute(onePartition.build())));
    assertEquals(20, (int) session.execute("SELECT count(*) FROM " + t + " WHERE k = 1").one().getLong(0));
  }

  @Test
  void unloggedBatchWarningNamesEveryTable() {
    String t = newTable();
    String ks = t.substring(0, t.indexOf('.'));
    session.execute("CREATE TABLE " + ks + ".u (k int PRIMARY KEY, v text)");
    BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    for (int k = 0; k < 6; k++) {
      b.addStatement(SimpleStatement.newInstance("INSERT INTO " + t + " (k, c) VALUES (?, 0)", k));
      b.addStatement(SimpleStatement.newInstance("INSERT INTO " + ks + ".u (k) VALUES (?)", k + 100));
    }
    assertEquals(List.of(String.format(UNLOGGED_WARNING, 12, "s", "[" + t + ", " + ks + ".u]")),
        warnings(session.execute(b.build())));
  }

  @Test
  void largeBatchWarnsAboveFiveKibAndIsRefusedAboveFiftyKib() {
    String t = newTable();
    String kib = "x".repeat(1024);
    ResultSet warned = session.execute(batchOver(DefaultBatchType.LOGGED, t, 6, kib));
    assertEquals(1, warned.getExecutionInfo().getWarnings().size(), warned.getExecutionInfo().getWarnings().toString());
    String w = warned.getExecutionInfo().getWarnings().get(0);
    assertTrue(w.matches("Batch for \\[" + t.replace(".", "\\.") + "\\] is of size \\d+, exceeding specified threshold of "
        + "5120 by \\d+\\."), w);
    long size = Long.parseLong(w.replaceAll(".* is of size (\\d+),.*", "$1"));
    assertTrue(size > 6 * 1024 && size < 7 * 1024, "size counts the values and small overheads: " + size);
    assertEquals(6, count(t), "a warned batch is applied");

    // One partition is never warned about or refused for its size, as in Cassandra.
    BatchStatementBuilder onePartition = BatchStatement.builder(DefaultBatchType.LOGGED);
    for (int c = 0; c < 60; c++) {
      onePartition.addStatement(SimpleStatement.newInstance("INSERT INTO " + t + " (k, c, v) VALUES (100, ?, ?)", c, kib));
    }
    assertEquals(List.of(), warnings(session.execute(onePartition.build())));

    String t2 = newTable();
    InvalidQueryException e = assertThrows(InvalidQueryException.class,
        () -> session.execute(batchOver(DefaultBatchType.UNLOGGED, t2, 51, kib)));
    assertEquals("Batch too large", e.getMessage());
    assertEquals(0, count(t2), "a refused batch writes nothing");
  }

  @Test
  void aggregatesWithoutPartitionKeyOrWithInWarn() {
    String t = newTable();
    session.execute("INSERT INTO " + t + " (k, c, w) VALUES (1, 1, 10)");
    session.execute("INSERT INTO " + t + " (k, c, w) VALUES (2, 1, 20)");
    ResultSet all = session.execute("SELECT count(*) FROM " + t);
    assertEquals(2L, all.one().getLong(0));
    assertEquals(List.of("Aggregation query used without partition key"), warnings(all));
    assertEquals(List.of("Aggregation query used without partition key"),
        warnings(session.execute("SELECT k, max(w) FROM " + t + " GROUP BY k")));
    assertEquals(List.of("Aggregation query used without partition key"),
        warnings(session.execute("SELECT sum(w) FROM " + t + " WHERE w > 0 ALLOW FILTERING")));
    assertEquals(List.of("Aggregation query used on multiple partition keys (IN restriction)"),
        warnings(session.execute("SELECT sum(w) FROM " + t + " WHERE k IN (1, 2)")));
    assertEquals(List.of(), warnings(session.execute("SELECT sum(w) FROM " + t + " WHERE k = 1")));
    assertEquals(List.of(), warnings(session.execute("SELECT count(*) FROM " + t + " WHERE token(k) > 0")));
    assertEquals(List.of(), warnings(session.execute("SELECT * FROM " + t)), "only aggregates warn");
    PreparedStatement prepared = session.prepare("SELECT count(*) FROM " + t + " WHERE k IN ?");
    assertEquals(List.of("Aggregation query used on multiple partition keys (IN restriction)"),
        warnings(session.execute(prepared.bind(List.of(1, 2)))));
  }

  @Test
  void warningsReachProtocolV4ClientsToo() {
    String t = newTable();
    try (CqlSession v4 = node.session(b -> b.withString(DefaultDriverOption.PROTOCOL_VERSION, "V4"))) {
      assertEquals(DefaultProtocolVersion.V4, v4.getContext().getProtocolVersion());
      assertEquals(List.of("Aggregation query used without partition key"),
          v4.execute("SELECT count(*) FROM " + t).getExecutionInfo().getWarnings());
    }
  }

  @Test
  void thresholdsComeFromTheConfiguration() {
    try (TestNode custom = TestNode.start(Map.of(
            "query.unlogged-batch-partitions-warn", "2",
            "query.batch-warn-bytes", "200",
            "query.batch-fail-bytes", "400"));
        CqlSession s = custom.session()) {
      s.execute("CREATE KEYSPACE c WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      s.execute("CREATE TABLE c.t (k int, c int, v text, PRIMARY KEY (k, c))");
      assertEquals(List.of(), s.execute(batchOver(DefaultBatchType.UNLOGGED, "c.t", 2, "x")).getExecutionInfo().getWarnings());
      assertEquals(List.of(String.format(UNLOGGED_WARNING, 3, "", "[c.t]")),
          s.execute(batchOver(DefaultBatchType.UNLOGGED, "c.t", 3, "x")).getExecutionInfo().getWarnings());
      List<String> sized = s.execute(batchOver(DefaultBatchType.LOGGED, "c.t", 2, "y".repeat(150)))
          .getExecutionInfo().getWarnings();
      assertEquals(1, sized.size(), sized.toString());
      assertTrue(sized.get(0).contains("exceeding specified threshold of 200 by"), sized.get(0));
      InvalidQueryException e = assertThrows(InvalidQueryException.class,
          () -> s.execute(batchOver(DefaultBatchType.LOGGED, "c.t", 2, "z".repeat(300))));
      assertEquals("Batch too large", e.getMessage());
    }
  }

  // ---- custom payloads ----

  @Test
  void customPayloadsAreAcceptedOnEveryRequestKindAndIgnored() {
    String t = newTable();
    Map<String, ByteBuffer> payload = Map.of(
        "tenant", ByteBuffer.wrap("acme".getBytes(StandardCharsets.UTF_8)),
        "empty", ByteBuffer.allocate(0));
    ResultSet query = session.execute(SimpleStatement.newInstance("INSERT INTO " + t + " (k, c, v) VALUES (1, 1, 'q')")
        .setCustomPayload(payload));
    assertTrue(query.getExecutionInfo().getIncomingPayload().isEmpty(), "nothing is echoed back, as in Cassandra");

    PreparedStatement prepared = session.prepare(SimpleStatement.newInstance("SELECT v FROM " + t + " WHERE k = ? AND c = ?")
        .setCustomPayload(payload));
    BoundStatement bound = prepared.bind(1, 1).setCustomPayload(payload);
    assertEquals("q", session.execute(bound).one().getString("v"));

    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?)");
    BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
        insert.bind(2, 1, "b1"), SimpleStatement.newInstance("INSERT INTO " + t + " (k, c, v) VALUES (2, 2, 'b2')"))
        .setCustomPayload(payload);
    session.execute(batch);
    assertEquals(List.of("b1", "b2"), session.execute("SELECT v FROM " + t + " WHERE k = 2").all().stream()
        .map(r -> r.getString("v")).toList());
  }

  // ---- unset values ----

  @Test
  void unsetValuesLeaveColumnsUntouched() {
    String t = newTable();
    session.execute("INSERT INTO " + t + " (k, c, v, w) VALUES (1, 1, 'keep', 7)");
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, c, v, w) VALUES (?, ?, ?, ?)");
    session.execute(insert.bind(1, 1).unset(2).setInt(3, 8));
    Row row = session.execute("SELECT v, w FROM " + t + " WHERE k = 1 AND c = 1").one();
    assertEquals("keep", row.getString("v"), "unset leaves v as it was");
    assertEquals(8, row.getInt("w"));

    PreparedStatement update = session.prepare("UPDATE " + t + " SET v = ?, w = ? WHERE k = ? AND c = ?");
    session.execute(update.bind().unset(0).setToNull(1).setInt(2, 1).setInt(3, 1));
    row = session.execute("SELECT v, w FROM " + t + " WHERE k = 1 AND c = 1").one();
    assertEquals("keep", row.getString("v"), "unset is not null");
    assertTrue(row.isNull("w"), "null deletes");

    // A driver leaves unbound trailing values unset (v4+), which is the same thing.
    session.execute(insert.bind(1, 2, "new"));
    row = session.execute("SELECT v, w FROM " + t + " WHERE k = 1 AND c = 2").one();
    assertEquals("new", row.getString("v"));
    assertTrue(row.isNull("w"));

    // Unset TTL and timestamp mean "none given", unset LIMIT means no limit, as in Cassandra.
    PreparedStatement withTtl = session.prepare("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?) USING TTL ? AND TIMESTAMP ?");
    session.execute(withTtl.bind(1, 3, "t").unset(3).unset(4));
    row = session.execute("SELECT ttl(v), writetime(v) FROM " + t + " WHERE k = 1 AND c = 3").one();
    assertTrue(row.isNull(0), "no TTL");
    assertTrue(row.getLong(1) > 0);
    PreparedStatement limited = session.prepare("SELECT c FROM " + t + " WHERE k = 1 LIMIT ?");
    assertEquals(3, session.execute(limited.bind().setInt(0, 1).unset(0)).all().size());
    assertEquals(1, session.execute(limited.bind(1)).all().size());
    PreparedStatement perPartition = session.prepare("SELECT c FROM " + t + " PER PARTITION LIMIT ?");
    assertEquals(3, session.execute(perPartition.bind().unset(0)).all().size());
  }

  @Test
  void unsetValuesInWhereOrKeyAreRefusedWithCassandrasErrors() {
    String t = newTable();
    PreparedStatement select = session.prepare("SELECT * FROM " + t + " WHERE k = ? AND c = ?");
    InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> session.execute(select.bind().unset(0).setInt(1, 1)));
    assertEquals("Invalid unset value for column k", e.getMessage());
    e = assertThrows(InvalidQueryException.class, () -> session.execute(select.bind(1).unset(1)));
    assertEquals("Invalid unset value for column c", e.getMessage());

    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?)");
    e = assertThrows(InvalidQueryException.class, () -> session.execute(insert.bind().unset(0).setInt(1, 1).setString(2, "v")));
    assertEquals("Invalid unset value for column k", e.getMessage());

    PreparedStatement delete = session.prepare("DELETE FROM " + t + " WHERE k = ?");
    e = assertThrows(InvalidQueryException.class, () -> session.execute(delete.bind().unset(0)));
    assertEquals("Invalid unset value for column k", e.getMessage());
  }

  // ---- named bind markers ----

  @Test
  void namedMarkersBindByNameAndOneNameCanBeUsedTwice() {
    String t = newTable();
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, c, v, w) VALUES (:key, :c, :text, :key)");
    assertEquals(List.of("key", "c", "text", "key"), insert.getVariableDefinitions().size() == 4
        ? List.of(insert.getVariableDefinitions().get(0).getName().asInternal(),
            insert.getVariableDefinitions().get(1).getName().asInternal(),
            insert.getVariableDefinitions().get(2).getName().asInternal(),
            insert.getVariableDefinitions().get(3).getName().asInternal())
        : List.of());
    // Setting a repeated name sets every occurrence.
    session.execute(insert.bind().setInt("key", 5).setInt("c", 1).setString("text", "named"));
    Row row = session.execute("SELECT k, v, w FROM " + t + " WHERE k = 5 AND c = 1").one();
    assertEquals("named", row.getString("v"));
    assertEquals(5, row.getInt("w"));

    PreparedStatement select = session.prepare("SELECT v FROM " + t + " WHERE k = :k AND c >= :low AND c <= :high");
    assertEquals(1, session.execute(select.bind().setInt("k", 5).setInt("low", 0).setInt("high", 3)).all().size());

    // Named values sent with a simple statement (QUERY with named values, v3+).
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT v FROM " + t + " WHERE k = :k AND c = :c",
        Map.of("k", 5, "c", 1)));
    assertEquals("named", rs.one().getString("v"));
    InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> session.execute(
        SimpleStatement.newInstance("SELECT v FROM " + t + " WHERE k = :k AND c = :c", Map.of("k", 5))));
    assertTrue(e.getMessage().contains("c"), e.getMessage());
  }

  // ---- USE per connection ----

  @Test
  void useChangesOnlyItsOwnConnection() {
    String t1 = newTable();
    String t2 = newTable();
    String ks1 = t1.substring(0, t1.indexOf('.'));
    String ks2 = t2.substring(0, t2.indexOf('.'));
    session.execute("INSERT INTO " + t1 + " (k, c, v) VALUES (1, 1, 'one')");
    session.execute("INSERT INTO " + t2 + " (k, c, v) VALUES (1, 1, 'two')");
    try (CqlSession a = node.session(b -> b.withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 1));
        CqlSession b = node.session(c -> c.withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 1))) {
      a.execute("USE " + ks1);
      b.execute("USE " + ks2);
      assertEquals("one", a.execute("SELECT v FROM t WHERE k = 1").one().getString("v"));
      assertEquals("two", b.execute("SELECT v FROM t WHERE k = 1").one().getString("v"));
      try (CqlSession none = node.session()) {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> none.execute("SELECT v FROM t WHERE k = 1"));
        assertTrue(e.getMessage().contains("No keyspace has been specified"), e.getMessage());
      }
      // A statement's own keyspace wins over the connection's (protocol v5 keyspace option).
      assertEquals("two", a.execute(SimpleStatement.newInstance("SELECT v FROM t WHERE k = 1").setKeyspace(ks2))
          .one().getString("v"));
      assertEquals("one", a.execute("SELECT v FROM t WHERE k = 1").one().getString("v"));
    }
  }

  // ---- non-deterministic functions ----

  @Test
  void nowAndUuidGiveAFreshValuePerExecutionOfAPreparedStatement() {
    String ks = newTable().replace(".t", "");
    session.execute("CREATE TABLE " + ks + ".ids (k int, c int, t timeuuid, u uuid, PRIMARY KEY (k, c))");
    PreparedStatement insert = session.prepare("INSERT INTO " + ks + ".ids (k, c, t, u) VALUES (1, ?, now(), uuid())");
    for (int c = 0; c < 20; c++) {
      session.execute(insert.bind(c));
    }
    List<Row> rows = session.execute("SELECT t, u FROM " + ks + ".ids WHERE k = 1").all();
    Set<UUID> times = new HashSet<>();
    Set<UUID> randoms = new HashSet<>();
    for (Row r : rows) {
      assertEquals(1, r.getUuid("t").version());
      assertEquals(4, r.getUuid("u").version());
      times.add(r.getUuid("t"));
      randoms.add(r.getUuid("u"));
    }
    assertEquals(20, times.size(), "now() is evaluated per execution");
    assertEquals(20, randoms.size(), "uuid() is evaluated per execution");
    // Ordered by clustering c, which is the execution order: timeuuids increase with it.
    for (int i = 1; i < rows.size(); i++) {
      assertTrue(rows.get(i).getUuid("t").timestamp() >= rows.get(i - 1).getUuid("t").timestamp());
    }

    // In one batch, each statement's now() is its own call too (distinct values within the request).
    session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED, insert.bind(100), insert.bind(101)));
    List<Row> batched = session.execute("SELECT t FROM " + ks + ".ids WHERE k = 1 AND c IN (100, 101)").all();
    assertEquals(2, batched.size());
    assertNotEquals(batched.get(0).getUuid("t"), batched.get(1).getUuid("t"));
    assertNotNull(batched.get(0).getUuid("t"));
    assertNull(session.execute("SELECT t FROM " + ks + ".ids WHERE k = 2").one());
  }
}
