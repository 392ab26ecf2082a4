package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.ClusteringOrder;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.servererrors.AlreadyExistsException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** CREATE / ALTER / DROP of keyspaces and tables, TRUNCATE and USE, as seen through the driver and its metadata. */
class DdlIT extends CqlTestSupport {
  private static int names;

  private static String name(String prefix) {
    return prefix + "_" + (++names);
  }

  private static KeyspaceMetadata keyspace(String name) {
    return session.getMetadata().getKeyspace(name).orElseThrow(() -> new AssertionError("no metadata for keyspace " + name));
  }

  private static TableMetadata table(String ks, String table) {
    return keyspace(ks).getTable(table).orElseThrow(() -> new AssertionError("no metadata for table " + ks + "." + table));
  }

  private static List<String> names(List<ColumnMetadata> columns) {
    return columns.stream().map(c -> c.getName().asInternal()).toList();
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  // ---- keyspaces ----

  @Test
  void createKeyspaceWithSimpleStrategy() {
    String ks = name("simple");
    session.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    Map<String, String> replication = keyspace(ks).getReplication();
    assertEquals("org.apache.cassandra.locator.SimpleStrategy", replication.get("class"));
    assertEquals("1", replication.get("replication_factor"));
    assertTrue(keyspace(ks).isDurableWrites());
  }

  @Test
  void createKeyspaceWithNetworkTopologyStrategy() {
    String ks = name("nts");
    session.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}");
    Map<String, String> replication = keyspace(ks).getReplication();
    assertEquals("org.apache.cassandra.locator.NetworkTopologyStrategy", replication.get("class"));
    assertEquals("1", replication.get("datacenter1"));
    // Usable right away.
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (1, 2)");
    assertEquals(2, session.execute("SELECT v FROM " + ks + ".t WHERE k = 1").one().getInt(0));
  }

  @Test
  void createExistingKeyspaceIsAlreadyExists() {
    String ks = newKeyspace();
    assertError(AlreadyExistsException.class,
        "CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", ks, "exists");
  }

  @Test
  void createKeyspaceIfNotExistsLeavesExistingOneUnchanged() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY)");
    session.execute("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}");
    assertEquals("org.apache.cassandra.locator.SimpleStrategy", keyspace(ks).getReplication().get("class"));
    assertTrue(keyspace(ks).getTable("t").isPresent());
  }

  @Test
  void keyspaceNamesAreCaseInsensitiveUnlessQuoted() {
    String ks = name("MiXeD");
    session.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    assertTrue(session.getMetadata().getKeyspace(ks.toLowerCase()).isPresent());
    String quoted = name("Quoted");
    session.execute("CREATE KEYSPACE \"" + quoted + "\" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    assertTrue(session.getMetadata().getKeyspace(CqlIdentifier.fromInternal(quoted)).isPresent());
    assertFalse(session.getMetadata().getKeyspace(CqlIdentifier.fromInternal(quoted.toLowerCase())).isPresent());
  }

  @Test
  void alterKeyspaceChangesReplicationAndDurableWrites() {
    String ks = newKeyspace();
    session.execute("ALTER KEYSPACE " + ks + " WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1} "
        + "AND durable_writes = false");
    KeyspaceMetadata m = keyspace(ks);
    assertEquals("org.apache.cassandra.locator.NetworkTopologyStrategy", m.getReplication().get("class"));
    assertEquals("1", m.getReplication().get("datacenter1"));
    assertFalse(m.isDurableWrites());
    Row row = session.execute("SELECT durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = ?", ks).one();
    assertFalse(row.getBoolean("durable_writes"));
    assertEquals("1", row.getMap("replication", String.class, String.class).get("datacenter1"));
  }

  @Test
  void alterMissingKeyspaceFails() {
    assertError(InvalidQueryException.class,
        "ALTER KEYSPACE nosuch_ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", "nosuch_ks");
  }

  @Test
  void dropKeyspaceRemovesItsTablesAndData() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (1, 1)");
    session.execute("DROP KEYSPACE " + ks);
    assertTrue(session.getMetadata().getKeyspace(ks).isEmpty());
    assertError(InvalidQueryException.class, "SELECT * FROM " + ks + ".t", ks);
    // Re-created under the same name, nothing of the old data is visible.
    session.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
    assertEquals(0, session.execute("SELECT * FROM " + ks + ".t").all().size());
  }

  @Test
  void dropKeyspaceIfExistsOnMissingKeyspaceIsNoOp() {
    session.execute("DROP KEYSPACE IF EXISTS never_created_ks");
    assertTrue(session.getMetadata().getKeyspace("never_created_ks").isEmpty());
  }

  @Test
  void dropMissingKeyspaceFails() {
    assertError(InvalidQueryException.class, "DROP KEYSPACE never_created_ks2", "never_created_ks2", "exist");
  }

  // ---- tables ----

  @Test
  void createTableWithCompositePartitionKeyAndMixedClusteringOrder() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".events (tenant text, day date, ts timestamp, seq int, kind text, payload blob, "
        + "PRIMARY KEY ((tenant, day), ts, seq, kind)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC, kind DESC)");
    TableMetadata t = table(ks, "events");
    assertEquals(List.of("tenant", "day"), names(t.getPartitionKey()));
    assertEquals(List.of("ts", "seq", "kind"), names(List.copyOf(t.getClusteringColumns().keySet())));
    assertEquals(List.of(ClusteringOrder.DESC, ClusteringOrder.ASC, ClusteringOrder.DESC), List.copyOf(t.getClusteringColumns().values()));
    assertEquals(DataTypes.TIMESTAMP, t.getColumn("ts").orElseThrow().getType());
    assertEquals(DataTypes.BLOB, t.getColumn("payload").orElseThrow().getType());
    assertEquals(6, t.getColumns().size());
    // The declared order drives the read order.
    for (int seq = 0; seq < 3; seq++) {
      session.execute("INSERT INTO " + ks + ".events (tenant, day, ts, seq, kind) VALUES ('a', '2024-01-01', 1000, ?, 'x')", seq);
      session.execute("INSERT INTO " + ks + ".events (tenant, day, ts, seq, kind) VALUES ('a', '2024-01-01', 2000, ?, 'y')", seq);
    }
    List<String> order = column(session.execute("SELECT ts, seq FROM " + ks + ".events WHERE tenant = 'a' AND day = '2024-01-01'"),
        r -> r.getInstant(0).toEpochMilli() + "/" + r.getInt(1));
    assertEquals(List.of("2000/0", "2000/1", "2000/2", "1000/0", "1000/1", "1000/2"), order);
  }

  @Test
  void createTableWithSinglePrimaryKeyShorthand() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".kv (k text PRIMARY KEY, v int)");
    TableMetadata t = table(ks, "kv");
    assertEquals(List.of("k"), names(t.getPartitionKey()));
    assertTrue(t.getClusteringColumns().isEmpty());
  }

  @Test
  void createExistingTableIsAlreadyExists() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY)");
    assertError(AlreadyExistsException.class, "CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)", ks + ".t", "exists");
  }

  @Test
  void createTableIfNotExistsKeepsTheExistingDefinition() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, a int)");
    session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".t (k int PRIMARY KEY, b text)");
    TableMetadata t = table(ks, "t");
    assertTrue(t.getColumn("a").isPresent());
    assertTrue(t.getColumn("b").isEmpty());
  }

  @Test
  void createTableInMissingKeyspaceFails() {
    assertError(InvalidQueryException.class, "CREATE TABLE missing_ks_x.t (k int PRIMARY KEY)", "missing_ks_x");
  }

  @Test
  void createTableWithoutPrimaryKeyFails() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".t (k int, v int)", "primary key");
  }

  @Test
  void clusteringOrderOnNonClusteringColumnFails() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class,
        "CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (v DESC)", "v");
  }

  @Test
  void durationCannotBeAPrimaryKeyColumn() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".t (k int, c duration, PRIMARY KEY (k, c))", "duration");
  }

  @Test
  void alterTableAddColumnIsVisibleAndWritable() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, a int)");
    session.execute("INSERT INTO " + ks + ".t (k, a) VALUES (1, 1)");
    session.execute("ALTER TABLE " + ks + ".t ADD b text");
    assertEquals(DataTypes.TEXT, table(ks, "t").getColumn("b").orElseThrow().getType());
    Row old = session.execute("SELECT a, b FROM " + ks + ".t WHERE k = 1").one();
    assertEquals(1, old.getInt("a"));
    assertNull(old.getString("b"));
    session.execute("INSERT INTO " + ks + ".t (k, b) VALUES (2, 'two')");
    assertEquals("two", session.execute("SELECT b FROM " + ks + ".t WHERE k = 2").one().getString(0));
  }

  @Test
  void alterTableAddExistingColumnFails() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, a int)");
    assertError(InvalidQueryException.class, "ALTER TABLE " + ks + ".t ADD a text", "a");
  }

  @Test
  void alterTableDropColumnHidesItsDataEvenWhenReAdded() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, a int, b int)");
    session.execute("INSERT INTO " + ks + ".t (k, a, b) VALUES (1, 10, 20)");
    session.execute("ALTER TABLE " + ks + ".t DROP b");
    assertTrue(table(ks, "t").getColumn("b").isEmpty());
    assertError(InvalidQueryException.class, "SELECT b FROM " + ks + ".t", "b");
    assertEquals(List.of("k", "a"), columnNames(session.execute("SELECT * FROM " + ks + ".t").getColumnDefinitions()));
    session.execute("ALTER TABLE " + ks + ".t ADD b int");
    Row row = session.execute("SELECT a, b FROM " + ks + ".t WHERE k = 1").one();
    assertEquals(10, row.getInt("a"));
    assertTrue(row.isNull("b"), "a value written before the drop must not come back");
  }

  @Test
  void alterTableDropPrimaryKeyColumnFails() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    assertError(InvalidQueryException.class, "ALTER TABLE " + ks + ".t DROP c", "c");
  }

  @Test
  void alterTableRenamePrimaryKeyColumns() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + ks + ".t (k, c, v) VALUES (1, 2, 3)");
    session.execute("ALTER TABLE " + ks + ".t RENAME c TO c2");
    TableMetadata t = table(ks, "t");
    assertTrue(t.getColumn("c").isEmpty());
    assertEquals(List.of("c2"), names(List.copyOf(t.getClusteringColumns().keySet())));
    assertEquals(3, session.execute("SELECT v FROM " + ks + ".t WHERE k = 1 AND c2 = 2").one().getInt(0));
    session.execute("ALTER TABLE " + ks + ".t RENAME k TO pk");
    assertEquals(List.of("pk"), names(table(ks, "t").getPartitionKey()));
    assertEquals(3, session.execute("SELECT v FROM " + ks + ".t WHERE pk = 1 AND c2 = 2").one().getInt(0));
  }

  @Test
  void alterTableRenameRegularColumnFails() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
    assertError(InvalidQueryException.class, "ALTER TABLE " + ks + ".t RENAME v TO w", "v");
  }

  @Test
  void alterTableWithOptions() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
    session.execute("ALTER TABLE " + ks + ".t WITH comment = 'hello' AND default_time_to_live = 100 AND gc_grace_seconds = 3600");
    Map<CqlIdentifier, Object> options = table(ks, "t").getOptions();
    assertEquals("hello", options.get(CqlIdentifier.fromCql("comment")));
    assertEquals(100, options.get(CqlIdentifier.fromCql("default_time_to_live")));
    assertEquals(3600, options.get(CqlIdentifier.fromCql("gc_grace_seconds")));
    // New writes pick up the new default TTL.
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (1, 1)");
    int ttl = session.execute("SELECT ttl(v) FROM " + ks + ".t WHERE k = 1").one().getInt(0);
    assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
  }

  @Test
  void alterMissingTableFails() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "ALTER TABLE " + ks + ".nope ADD v int", "nope");
  }

  @Test
  void dropTableRemovesItAndItsData() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (1, 1)");
    session.execute("DROP TABLE " + ks + ".t");
    assertTrue(keyspace(ks).getTable("t").isEmpty());
    assertError(InvalidQueryException.class, "SELECT * FROM " + ks + ".t", "t");
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
    assertEquals(0, session.execute("SELECT * FROM " + ks + ".t").all().size());
  }

  @Test
  void dropTableIfExistsAndDropMissingTable() {
    String ks = newKeyspace();
    session.execute("DROP TABLE IF EXISTS " + ks + ".nope");
    assertError(InvalidQueryException.class, "DROP TABLE " + ks + ".nope", "nope");
  }

  @Test
  void defaultTimeToLiveExpiresRows() throws InterruptedException {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int) WITH default_time_to_live = 2");
    assertEquals(2, table(ks, "t").getOptions().get(CqlIdentifier.fromCql("default_time_to_live")));
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (1, 1)");
    // An explicit TTL overrides the default, and TTL 0 means "never expires".
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (2, 2) USING TTL 1000");
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (3, 3) USING TTL 0");
    int ttl = session.execute("SELECT ttl(v) FROM " + ks + ".t WHERE k = 1").one().getInt(0);
    assertTrue(ttl > 0 && ttl <= 2, "ttl " + ttl);
    assertTrue(session.execute("SELECT ttl(v) FROM " + ks + ".t WHERE k = 3").one().isNull(0));
    eventually(() -> session.execute("SELECT * FROM " + ks + ".t WHERE k = 1").one() == null, "row 1 expired");
    assertEquals(List.of(2, 3), column(session.execute("SELECT k FROM " + ks + ".t"), r -> r.getInt(0)).stream().sorted().toList());
  }

  @Test
  void truncateEmptiesTheTableWhichStaysUsable() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    for (int i = 0; i < 20; i++) {
      session.execute("INSERT INTO " + ks + ".t (k, c, v) VALUES (?, ?, ?)", i % 4, i, i);
    }
    session.execute("TRUNCATE " + ks + ".t");
    assertEquals(0, session.execute("SELECT * FROM " + ks + ".t").all().size());
    assertEquals(0L, session.execute("SELECT count(*) FROM " + ks + ".t").one().getLong(0));
    session.execute("TRUNCATE TABLE " + ks + ".t");
    session.execute("INSERT INTO " + ks + ".t (k, c, v) VALUES (1, 1, 1)");
    assertEquals(1, session.execute("SELECT * FROM " + ks + ".t").all().size());
  }

  @Test
  void truncateMissingTableFails() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "TRUNCATE " + ks + ".nope", "nope");
  }

  // ---- USE and session keyspaces ----

  @Test
  void useStatementSetsTheSessionKeyspace() {
    String ks = newKeyspace();
    try (CqlSession s = session()) {
      assertError(InvalidQueryException.class, () -> s.execute("SELECT * FROM t"), "keyspace");
      s.execute("USE " + ks);
      assertEquals(ks, s.getKeyspace().map(CqlIdentifier::asInternal).orElse(null));
      s.execute("CREATE TABLE t (k int PRIMARY KEY, v int)");
      s.execute("INSERT INTO t (k, v) VALUES (1, 5)");
      assertEquals(5, s.execute("SELECT v FROM t WHERE k = 1").one().getInt(0));
      // Qualified names still reach other keyspaces.
      assertEquals(5, session.execute("SELECT v FROM " + ks + ".t WHERE k = 1").one().getInt(0));
    }
  }

  @Test
  void useMissingKeyspaceFails() {
    try (CqlSession s = session()) {
      assertError(InvalidQueryException.class, () -> s.execute("USE no_such_keyspace_1"), "no_such_keyspace_1");
    }
  }

  @Test
  void sessionBuiltWithAKeyspaceUsesIt() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v text)");
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (1, 'one')");
    try (CqlSession s = node.session(b -> b.withString(DefaultDriverOption.SESSION_KEYSPACE, ks))) {
      assertEquals("one", s.execute("SELECT v FROM t WHERE k = 1").one().getString(0));
      assertEquals("one", s.execute(s.prepare("SELECT v FROM t WHERE k = ?").bind(1)).one().getString(0));
    }
  }

  // ---- schema events ----

  @Test
  void schemaChangesReachOtherSessionsWithoutManualRefresh() throws InterruptedException {
    try (CqlSession other = session()) {
      String ks = newKeyspace();
      eventually(() -> other.getMetadata().getKeyspace(ks).isPresent(), "the other session sees keyspace " + ks);
      session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int)");
      eventually(() -> other.getMetadata().getKeyspace(ks).flatMap(m -> m.getTable("t")).isPresent(),
          "the other session sees the created table");
      session.execute("ALTER TABLE " + ks + ".t ADD w text");
      eventually(() -> other.getMetadata().getKeyspace(ks).flatMap(m -> m.getTable("t")).flatMap(t -> t.getColumn("w")).isPresent(),
          "the other session sees the added column");
      session.execute("DROP TABLE " + ks + ".t");
      eventually(() -> other.getMetadata().getKeyspace(ks).flatMap(m -> m.getTable("t")).isEmpty(),
          "the other session sees the dropped table");
      session.execute("DROP KEYSPACE " + ks);
      eventually(() -> other.getMetadata().getKeyspace(ks).isEmpty(), "the other session sees the dropped keyspace");
    }
  }

  @Test
  void systemSchemaTablesListColumnsWithKindsAndPositions() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (a int, b int, c int, d int, v text, PRIMARY KEY ((a, b), c, d)) "
        + "WITH CLUSTERING ORDER BY (c ASC, d DESC)");
    Map<String, String> kinds = new java.util.HashMap<>();
    Map<String, String> orders = new java.util.HashMap<>();
    for (Row r : session.execute("SELECT column_name, kind, clustering_order FROM system_schema.columns "
        + "WHERE keyspace_name = ? AND table_name = 't'", ks)) {
      kinds.put(r.getString(0), r.getString(1));
      orders.put(r.getString(0), r.getString(2));
    }
    assertEquals(Map.of("a", "partition_key", "b", "partition_key", "c", "clustering", "d", "clustering", "v", "regular"), kinds);
    assertEquals("asc", orders.get("c"));
    assertEquals("desc", orders.get("d"));
    Optional<Row> table = Optional.ofNullable(session.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = 't'", ks).one());
    assertTrue(table.isPresent());
  }
}
