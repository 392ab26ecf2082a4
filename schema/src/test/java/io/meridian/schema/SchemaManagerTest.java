package io.meridian.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.AlreadyExistsException;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.schema.ColumnMetadata.Kind;
import io.meridian.schema.SchemaChange.ChangeType;
import io.meridian.schema.system.NodeInfo;
import io.meridian.schema.system.SystemTables;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchemaManagerTest {
  static final SystemTables SYSTEM =
      new SystemTables(() -> NodeInfo.singleNode(new UUID(1, 2), "Test Cluster",
          InetAddress.getLoopbackAddress(), 7000, 9042, 1_700_000_000));

  final SchemaManager manager = SchemaManager.inMemory(SYSTEM.keyspaces(), Set.of("datacenter1"));

  static Map<String, Object> simple(int rf) {
    return Map.of("replication", Map.of("class", "SimpleStrategy", "replication_factor", Integer.toString(rf)));
  }

  static List<ColumnMetadata> kvColumns() {
    return List.of(
        ColumnMetadata.partitionKey("k", Types.parse("int"), 0),
        ColumnMetadata.clustering("c", Types.parse("text"), 0, ClusteringOrder.DESC),
        ColumnMetadata.regular("v", Types.parse("text")),
        ColumnMetadata.staticColumn("s", Types.parse("bigint")));
  }

  private static MeridianException fails(CqlErrorCode code, org.junit.jupiter.api.function.Executable call) {
    MeridianException e = assertThrows(MeridianException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  @Test
  void keyspaceLifecycleBumpsVersionAndReportsChanges() {
    UUID v0 = manager.current().version();
    SchemaResult created = manager.createKeyspace("ks", simple(1), false);
    assertEquals(List.of(SchemaChange.keyspace(ChangeType.CREATED, "ks")), created.changes());
    UUID v1 = manager.current().version();
    assertNotEquals(v0, v1);
    assertEquals(
        Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1"),
        manager.current().keyspace("ks").orElseThrow().replication());

    SchemaResult again = manager.createKeyspace("ks", simple(1), true);
    assertFalse(again.applied());
    assertEquals(v1, manager.current().version());
    AlreadyExistsException exists = assertThrows(AlreadyExistsException.class, () -> manager.createKeyspace("ks", simple(1), false));
    assertEquals("ks", exists.keyspace());

    SchemaResult altered = manager.alterKeyspace("ks", Map.of("durable_writes", false,
        "replication", Map.of("class", "NetworkTopologyStrategy", "datacenter1", "3")), false);
    assertEquals(ChangeType.UPDATED, altered.changes().get(0).type());
    KeyspaceMetadata ks = manager.current().keyspace("ks").orElseThrow();
    assertFalse(ks.durableWrites());
    assertEquals("3", ks.replication().get("datacenter1"));
    assertNotEquals(v1, manager.current().version());

    assertEquals(ChangeType.DROPPED, manager.dropKeyspace("ks", false).changes().get(0).type());
    assertTrue(manager.current().keyspace("ks").isEmpty());
    assertFalse(manager.dropKeyspace("ks", true).applied());
    assertEquals("Keyspace 'ks' doesn't exist", fails(CqlErrorCode.INVALID, () -> manager.dropKeyspace("ks", false)).getMessage());
  }

  @Test
  void replicationRules() {
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createKeyspace("a", Map.of("replication", Map.of("class", "SimpleStrategy")), false));
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createKeyspace("a", Map.of("replication", Map.of("class", "FancyStrategy")), false));
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createKeyspace("a", Map.of("replication", Map.of("replication_factor", "1")), false));
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createKeyspace("a",
        Map.of("replication", Map.of("class", "NetworkTopologyStrategy", "dc9", "1")), false));
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createKeyspace("a",
        Map.of("replication", Map.of("class", "SimpleStrategy", "replication_factor", "-1")), false));
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createKeyspace("a",
        Map.of("replication", Map.of("class", "SimpleStrategy", "replication_factor", "1", "dc", "1")), false));
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createKeyspace("a",
        Map.of("replication", Map.of("class", "LocalStrategy")), false));
    fails(CqlErrorCode.SYNTAX_ERROR, () -> manager.createKeyspace("a", Map.of("colour", "red"), false));
    fails(CqlErrorCode.INVALID, () -> manager.createKeyspace("bad-name", simple(1), false));

    manager.createKeyspace("nts", Map.of("replication", Map.of("class", "NetworkTopologyStrategy", "replication_factor", "2")), false);
    assertEquals(
        Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "datacenter1", "2"),
        manager.current().keyspace("nts").orElseThrow().replication());
    manager.createKeyspace("dflt", Map.of(), false);
    assertEquals("1", manager.current().keyspace("dflt").orElseThrow().replication().get("replication_factor"));
  }

  @Test
  void systemKeyspacesAreNotUserModifiable() {
    assertThrows(AlreadyExistsException.class, () -> manager.createKeyspace("system", simple(1), false));
    MeridianException e = fails(CqlErrorCode.UNAUTHORIZED, () -> manager.dropKeyspace("system_schema", false));
    assertTrue(e.getMessage().contains("not user-modifiable"));
    fails(CqlErrorCode.UNAUTHORIZED, () -> manager.alterKeyspace("system", simple(3), false));
    fails(CqlErrorCode.UNAUTHORIZED, () -> manager.createTable("system", "t", kvColumns(), Map.of(), false));
    fails(CqlErrorCode.UNAUTHORIZED, () -> manager.dropTable("system", "local", false));
    fails(CqlErrorCode.UNAUTHORIZED, () -> manager.alterTableOptions("system", "local", Map.of("comment", "x"), false));
    fails(CqlErrorCode.UNAUTHORIZED, () -> manager.createKeyspace("system_auth", simple(1), false));
  }

  @Test
  void tableLifecycle() {
    manager.createKeyspace("ks", simple(1), false);
    SchemaResult r = manager.createTable("ks", "t", kvColumns(), Map.of("comment", "kv", "default_time_to_live", 10), false);
    assertEquals(List.of(SchemaChange.table(ChangeType.CREATED, "ks", "t")), r.changes());
    TableMetadata t = manager.current().table("ks", "t").orElseThrow();
    assertEquals(List.of("k", "c", "s", "v"), t.columns().stream().map(ColumnMetadata::name).toList());
    assertEquals("k", t.partitionKey().get(0).name());
    assertEquals(ClusteringOrder.DESC, t.clusteringColumns().get(0).order());
    assertEquals(1, t.staticColumns().size());
    assertEquals("kv", t.params().comment());
    assertEquals(10, t.params().defaultTimeToLive());

    assertFalse(manager.createTable("ks", "t", kvColumns(), Map.of(), true).applied());
    AlreadyExistsException exists = assertThrows(AlreadyExistsException.class,
        () -> manager.createTable("ks", "t", kvColumns(), Map.of(), false));
    assertEquals("t", exists.table());

    UUID fixed = UUID.fromString("5a1c395e-b41f-11e5-9f22-ba0be0483c18");
    manager.createTable("ks", "withid", kvColumns(), Map.of("id", fixed.toString()), false);
    assertEquals(fixed, manager.current().table("ks", "withid").orElseThrow().id());
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "dupid", kvColumns(), Map.of("id", fixed), false));

    assertEquals(ChangeType.DROPPED, manager.dropTable("ks", "t", false).changes().get(0).type());
    assertEquals("Table 'ks.t' doesn't exist", fails(CqlErrorCode.INVALID, () -> manager.dropTable("ks", "t", false)).getMessage());
    assertFalse(manager.dropTable("ks", "t", true).applied());
    fails(CqlErrorCode.INVALID, () -> manager.createTable("nope", "t", kvColumns(), Map.of(), false));
  }

  @Test
  void createTableValidation() {
    manager.createKeyspace("ks", simple(1), false);
    var counter = Types.parse("counter");
    var text = Types.parse("text");
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", text, 0), ColumnMetadata.regular("n", counter), ColumnMetadata.regular("v", text)), Map.of(), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", counter, 0), ColumnMetadata.regular("n", counter)), Map.of(), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", text, 0), ColumnMetadata.staticColumn("s", text)), Map.of(), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", Types.parse("duration"), 0)), Map.of(), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.regular("v", text)), Map.of(), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", text, 0), ColumnMetadata.regular("k", text)), Map.of(), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", text, 1)), Map.of(), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", text, 0), ColumnMetadata.regular("n", counter)), Map.of("default_time_to_live", 5), false));
    fails(CqlErrorCode.SYNTAX_ERROR, () -> manager.createTable("ks", "t", kvColumns(), Map.of("bogus", 1), false));
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.createTable("ks", "t", kvColumns(), Map.of("default_time_to_live", -1), false));
    fails(CqlErrorCode.INVALID, () -> manager.createTable("ks", "x".repeat(49), kvColumns(), Map.of(), false));
    assertTrue(manager.current().keyspace("ks").orElseThrow().tables().isEmpty());
    manager.createTable("ks", "counts", List.of(
        ColumnMetadata.partitionKey("k", text, 0), ColumnMetadata.regular("n", counter)), Map.of(), false);
    assertEquals(Set.of("compound", "counter"), manager.current().table("ks", "counts").orElseThrow().flags());
  }

  @Test
  void alterTableColumns() {
    manager.createKeyspace("ks", simple(1), false);
    manager.createTable("ks", "t", kvColumns(), Map.of(), false);
    var text = Types.parse("text");
    UUID before = manager.current().version();
    SchemaResult added = manager.addColumns("ks", "t", List.of(ColumnMetadata.regular("w", Types.parse("int"))), false, false);
    assertEquals(List.of(SchemaChange.table(ChangeType.UPDATED, "ks", "t")), added.changes());
    assertNotEquals(before, manager.current().version());
    assertEquals("Column with name 'w' already exists",
        fails(CqlErrorCode.INVALID, () -> manager.addColumns("ks", "t", List.of(ColumnMetadata.regular("w", text)), false, false)).getMessage());
    assertFalse(manager.addColumns("ks", "t", List.of(ColumnMetadata.regular("w", text)), false, true).applied());
    fails(CqlErrorCode.INVALID, () -> manager.addColumns("ks", "t", List.of(ColumnMetadata.regular("n", Types.parse("counter"))), false, false));

    assertEquals("Cannot drop PRIMARY KEY column k",
        fails(CqlErrorCode.INVALID, () -> manager.dropColumns("ks", "t", List.of("k"), null, false, false)).getMessage());
    fails(CqlErrorCode.INVALID, () -> manager.dropColumns("ks", "t", List.of("zz"), null, false, false));
    manager.dropColumns("ks", "t", List.of("w"), 1234L, false, false);
    TableMetadata t = manager.current().table("ks", "t").orElseThrow();
    assertTrue(t.column("w").isEmpty());
    assertEquals(new DroppedColumn("w", "int", Kind.REGULAR, 1234L), t.droppedColumns().get("w"));
    fails(CqlErrorCode.INVALID, () -> manager.addColumns("ks", "t", List.of(ColumnMetadata.regular("w", text)), false, false));
    manager.addColumns("ks", "t", List.of(ColumnMetadata.regular("w", Types.parse("int"))), false, false);

    assertEquals("Cannot rename non PRIMARY KEY column v",
        fails(CqlErrorCode.INVALID, () -> manager.renameColumns("ks", "t", Map.of("v", "v2"), false, false)).getMessage());
    fails(CqlErrorCode.INVALID, () -> manager.renameColumns("ks", "t", Map.of("k", "c"), false, false));
    manager.renameColumns("ks", "t", Map.of("k", "key"), false, false);
    t = manager.current().table("ks", "t").orElseThrow();
    assertEquals("key", t.partitionKey().get(0).name());

    manager.alterTableOptions("ks", "t", Map.of("gc_grace_seconds", 10), false);
    assertEquals(10, manager.current().table("ks", "t").orElseThrow().params().gcGraceSeconds());
    fails(CqlErrorCode.CONFIG_ERROR, () -> manager.alterTableOptions("ks", "t", Map.of("id", UUID.randomUUID()), false));
    fails(CqlErrorCode.INVALID, () -> manager.alterTableOptions("ks", "missing", Map.of("comment", "x"), false));
    assertFalse(manager.alterTableOptions("ks", "missing", Map.of("comment", "x"), true).applied());
  }

  @Test
  void failedPersistenceDoesNotPublish(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    SchemaStore store = new SchemaStore(dir);
    store.setFaultPoint(step -> {
      throw new IllegalStateException("disk full at " + step);
    });
    SchemaManager m = new SchemaManager(SYSTEM.keyspaces(), store, Set.of("datacenter1"),
        io.meridian.common.Clock.SYSTEM, UUID::randomUUID);
    UUID before = m.current().version();
    fails(CqlErrorCode.SERVER_ERROR, () -> m.createKeyspace("ks", simple(1), false));
    assertEquals(before, m.current().version());
    assertTrue(m.current().keyspace("ks").isEmpty());
  }
}
