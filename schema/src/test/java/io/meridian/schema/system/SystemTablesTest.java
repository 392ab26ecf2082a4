package io.meridian.schema.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.DefaultProtocolVersion;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.Schema;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.Types;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SystemTablesTest {
  static final UUID HOST = UUID.fromString("2f5b7c1e-1111-4a2b-9c3d-000000000001");
  static final NodeInfo NODE =
      NodeInfo.singleNode(HOST, "Meridian", InetAddress.getLoopbackAddress(), 7000, 9042, 1_700_000_000);
  final SystemTables system = new SystemTables(() -> NODE);
  final SchemaManager manager = system.newSchemaManager(null, io.meridian.common.Clock.SYSTEM);

  private VirtualTable table(String ks, String name) {
    return system.table(ks, name).orElseThrow();
  }

  private static Map<String, Object> row(VirtualTable t, List<Object> values) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      map.put(t.columns().get(i).name(), values.get(i));
    }
    return map;
  }

  private static List<String> names(VirtualTable t) {
    return t.columns().stream().map(SystemColumn::name).toList();
  }

  @Test
  void tracesShowThisNodesSessionsAndThePeersWithEachCoordinatorsAddress() throws Exception {
    TraceStore store = new TraceStore(10, io.meridian.common.Clock.SYSTEM);
    SystemTables tables = new SystemTables(() -> NODE, store);
    Instant now = Instant.now();
    store.record(new TraceStore.Session(new UUID(1, 1), "QUERY", InetAddress.getLoopbackAddress(), 10, Map.of(),
        "local request", now, List.of(new TraceStore.Event(new UUID(1, 2), "local step", 5, "t"))));
    InetAddress peer = InetAddress.getByName("127.0.0.2");
    TraceStore.Session remote = new TraceStore.Session(new UUID(2, 1), "QUERY", InetAddress.getLoopbackAddress(), 20,
        Map.of(), "remote request", now, List.of(new TraceStore.Event(new UUID(2, 2), "remote step", 7, "t")));
    tables.setPeerTraces(() -> List.of(new PeerTraceSource.NodeTraces(peer, 7001, List.of(remote))));
    Schema schema = tables.newSchemaManager(null, io.meridian.common.Clock.SYSTEM).current();

    VirtualTable sessions = tables.table("system_traces", "sessions").orElseThrow();
    Map<UUID, Map<String, Object>> byId = new HashMap<>();
    for (List<Object> r : sessions.rows(schema)) {
      byId.put((UUID) row(sessions, r).get("session_id"), row(sessions, r));
    }
    assertEquals(Set.of(new UUID(1, 1), new UUID(2, 1)), byId.keySet());
    assertEquals(NODE.broadcastAddress(), byId.get(new UUID(1, 1)).get("coordinator"));
    assertEquals(peer, byId.get(new UUID(2, 1)).get("coordinator"));
    assertEquals(7001, byId.get(new UUID(2, 1)).get("coordinator_port"));
    assertEquals("remote request", byId.get(new UUID(2, 1)).get("request"));

    VirtualTable events = tables.table("system_traces", "events").orElseThrow();
    Map<String, Map<String, Object>> byActivity = new HashMap<>();
    for (List<Object> r : events.rows(schema)) {
      byActivity.put((String) row(events, r).get("activity"), row(events, r));
    }
    assertEquals(Set.of("local step", "remote step"), byActivity.keySet());
    assertEquals(peer, byActivity.get("remote step").get("source"));
    assertEquals(new UUID(2, 1), byActivity.get("remote step").get("session_id"));
    assertEquals(NODE.broadcastAddress(), byActivity.get("local step").get("source"));
  }

  @Test
  void localHasEveryColumnDriversRead() {
    VirtualTable local = table("system", "local");
    // Read by the Java driver 4.x (DefaultTopologyMonitor / schema agreement) and the Python driver.
    for (String column : List.of("key", "rpc_address", "rpc_port", "broadcast_address", "broadcast_port",
        "listen_address", "listen_port", "data_center", "rack", "release_version", "tokens", "host_id",
        "schema_version", "partitioner", "cluster_name", "cql_version", "native_protocol_version",
        "bootstrapped", "gossip_generation", "truncated_at")) {
      assertTrue(names(local).contains(column), column);
    }
    assertEquals(20, local.columns().size());
    assertEquals("key", local.metadata().partitionKey().get(0).name());

    Schema schema = manager.current();
    List<List<Object>> rows = local.rows(schema);
    assertEquals(1, rows.size());
    Map<String, Object> r = row(local, rows.get(0));
    assertEquals("local", r.get("key"));
    assertEquals("COMPLETED", r.get("bootstrapped"));
    assertEquals(HOST, r.get("host_id"));
    assertEquals(schema.version(), r.get("schema_version"));
    assertEquals("5.0.6", r.get("release_version"));
    assertEquals("3.4.7", r.get("cql_version"));
    assertEquals("datacenter1", r.get("data_center"));
    assertEquals("rack1", r.get("rack"));
    assertEquals("org.apache.cassandra.dht.Murmur3Partitioner", r.get("partitioner"));
    assertEquals(InetAddress.getLoopbackAddress(), r.get("rpc_address"));
    assertEquals(9042, r.get("rpc_port"));
    assertEquals(16, ((Set<?>) r.get("tokens")).size());

    manager.createKeyspace("ks", Map.of(), false);
    assertEquals(manager.current().version(), row(local, local.rows(manager.current()).get(0)).get("schema_version"));
  }

  @Test
  void peersTablesHaveCassandraLayoutAndAreEmpty() {
    VirtualTable peers = table("system", "peers");
    assertEquals(List.of("peer", "data_center", "host_id", "preferred_ip", "rack", "release_version",
        "rpc_address", "schema_version", "tokens"), names(peers));
    VirtualTable v2 = table("system", "peers_v2");
    assertEquals(List.of("peer", "peer_port", "data_center", "host_id", "native_address", "native_port",
        "preferred_ip", "preferred_port", "rack", "release_version", "schema_version", "tokens"), names(v2));
    assertEquals(ColumnMetadata.Kind.CLUSTERING, v2.metadata().column("peer_port").orElseThrow().kind());
    assertTrue(peers.rows(manager.current()).isEmpty());
    assertTrue(v2.rows(manager.current()).isEmpty());
  }

  @Test
  void schemaTablesDescribeUserAndSystemKeyspaces() {
    manager.createKeyspace("ks", Map.of(), false);
    manager.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", Types.parse("int"), 0),
        ColumnMetadata.clustering("c", Types.parse("text"), 0, io.meridian.schema.ClusteringOrder.DESC),
        ColumnMetadata.regular("v", Types.parse("text"))), Map.of("comment", "hi"), false);
    manager.dropColumns("ks", "t", List.of("v"), 5_000_000L, false, false);
    Schema schema = manager.current();

    VirtualTable keyspaces = table("system_schema", "keyspaces");
    List<Object> ksNames = keyspaces.rows(schema).stream().map(r -> r.get(0)).toList();
    assertEquals(List.of("ks", "system", "system_schema", "system_traces"), ksNames);
    Map<String, Object> sys = row(keyspaces, keyspaces.rows(schema).get(1));
    assertEquals(Map.of("class", "org.apache.cassandra.locator.LocalStrategy"), sys.get("replication"));
    // As in Cassandra, system_traces is a replicated keyspace listed in system_schema.
    Map<String, Object> traces = row(keyspaces, keyspaces.rows(schema).get(3));
    assertEquals(Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "2"),
        traces.get("replication"));

    VirtualTable tables = table("system_schema", "tables");
    Map<String, Object> t = tables.rows(schema).stream().map(r -> row(tables, r))
        .filter(r -> r.get("table_name").equals("t")).findFirst().orElseThrow();
    assertEquals("hi", t.get("comment"));
    assertEquals(schema.table("ks", "t").orElseThrow().id(), t.get("id"));
    assertEquals(Set.of("compound"), t.get("flags"));
    assertEquals(864000, t.get("gc_grace_seconds"));
    assertEquals("99p", t.get("speculative_retry"));
    for (List<Object> r : tables.rows(schema)) {
      for (int i = 0; i < r.size(); i++) {
        assertNotNull(r.get(i), tables.columns().get(i).name() + " in " + r.get(1));
      }
    }
    List<Object> systemTables = tables.rows(schema).stream().filter(r -> r.get(0).equals("system_schema"))
        .map(r -> r.get(1)).toList();
    assertTrue(systemTables.containsAll(List.of("keyspaces", "tables", "columns", "dropped_columns", "types",
        "functions", "aggregates", "indexes", "triggers", "views")), systemTables.toString());

    VirtualTable columns = table("system_schema", "columns");
    Set<String> kinds = Set.of("partition_key", "clustering", "regular", "static");
    int userColumns = 0;
    for (List<Object> r : columns.rows(schema)) {
      Map<String, Object> c = row(columns, r);
      assertTrue(kinds.contains(c.get("kind")), c.toString());
      int position = (Integer) c.get("position");
      boolean key = c.get("kind").equals("partition_key") || c.get("kind").equals("clustering");
      assertEquals(key, position >= 0, c.toString());
      assertTrue(Set.of("asc", "desc", "none").contains(c.get("clustering_order")));
      assertEquals(c.get("column_name"), java.nio.charset.StandardCharsets.UTF_8
          .decode(((ByteBuffer) c.get("column_name_bytes")).duplicate()).toString());
      // every described column's type must be a real system_schema type name
      assertTrue(!((String) c.get("type")).isEmpty());
      if (c.get("keyspace_name").equals("ks")) {
        userColumns++;
        if (c.get("column_name").equals("c")) {
          assertEquals("desc", c.get("clustering_order"));
          assertEquals("text", c.get("type"));
        }
      }
    }
    assertEquals(2, userColumns);

    VirtualTable dropped = table("system_schema", "dropped_columns");
    List<List<Object>> droppedRows = dropped.rows(schema);
    assertEquals(1, droppedRows.size());
    Map<String, Object> d = row(dropped, droppedRows.get(0));
    assertEquals("v", d.get("column_name"));
    assertEquals(Instant.ofEpochSecond(5), d.get("dropped_time"));
    assertEquals("regular", d.get("kind"));

    VirtualTable vks = table("system_virtual_schema", "keyspaces");
    assertEquals(List.of(List.of("system_views"), List.of("system_virtual_schema")), vks.rows(schema));
  }

  @Test
  void systemTableMetadataMatchesCassandraKeyLayouts() {
    assertKey("system_schema", "keyspaces", List.of("keyspace_name"), List.of());
    assertKey("system_schema", "tables", List.of("keyspace_name"), List.of("table_name"));
    assertKey("system_schema", "columns", List.of("keyspace_name"), List.of("table_name", "column_name"));
    assertKey("system_schema", "functions", List.of("keyspace_name"), List.of("function_name", "argument_types"));
    assertKey("system_schema", "aggregates", List.of("keyspace_name"), List.of("aggregate_name", "argument_types"));
    assertKey("system_schema", "types", List.of("keyspace_name"), List.of("type_name"));
    assertKey("system_schema", "views", List.of("keyspace_name"), List.of("view_name"));
    assertKey("system", "peers_v2", List.of("peer"), List.of("peer_port"));
    assertEquals("frozen<map<text, text>>",
        table("system_schema", "tables").metadata().column("caching").orElseThrow().type().cqlName());
    assertEquals("set<text>", table("system", "local").metadata().column("tokens").orElseThrow().type().cqlName());
    assertEquals(0x22, table("system", "local").metadata().column("tokens").orElseThrow().type().protocolCode());
    // Cassandra 5.0's 25 columns and Meridian's indexing policy
    assertEquals(26, table("system_schema", "tables").columns().size());
    assertEquals("frozen<map<text, text>>",
        table("system_schema", "tables").metadata().column("indexing").orElseThrow().type().cqlName());
  }

  private void assertKey(String ks, String name, List<String> partition, List<String> clustering) {
    TableMetadata m = table(ks, name).metadata();
    assertEquals(partition, m.partitionKey().stream().map(ColumnMetadata::name).toList(), name);
    assertEquals(clustering, m.clusteringColumns().stream().map(ColumnMetadata::name).toList(), name);
  }

  @Test
  void cellSerializationMatchesTheDriverCodecs() throws Exception {
    for (ProtocolVersion v : List.of(DefaultProtocolVersion.V4, DefaultProtocolVersion.V5)) {
      Set<String> tokens = new LinkedHashSet<>(List.of("-1", "0", "42"));
      check(SystemColumnType.SET_TEXT, tokens, TypeCodecs.setOf(TypeCodecs.TEXT), v);
      check(SystemColumnType.FROZEN_MAP_TEXT_TEXT, Map.of("class", "x", "rf", "1"),
          TypeCodecs.mapOf(TypeCodecs.TEXT, TypeCodecs.TEXT), v);
      check(SystemColumnType.FROZEN_LIST_TEXT, List.of("a", "", "ü"), TypeCodecs.listOf(TypeCodecs.TEXT), v);
      check(SystemColumnType.FROZEN_LIST_BOOLEAN, List.of(true, false), TypeCodecs.listOf(TypeCodecs.BOOLEAN), v);
      check(SystemColumnType.MAP_UUID_BLOB, Map.of(HOST, ByteBuffer.wrap(new byte[] {1, 2})),
          TypeCodecs.mapOf(TypeCodecs.UUID, TypeCodecs.BLOB), v);
      check(SystemColumnType.INET, InetAddress.getByName("::1"), TypeCodecs.INET, v);
      check(SystemColumnType.INET, InetAddress.getByName("10.1.2.3"), TypeCodecs.INET, v);
      check(SystemColumnType.TIMESTAMP, Instant.ofEpochMilli(1234567), TypeCodecs.TIMESTAMP, v);
      check(SystemColumnType.UUID, HOST, TypeCodecs.UUID, v);
      check(SystemColumnType.INT, -7, TypeCodecs.INT, v);
      check(SystemColumnType.DOUBLE, 0.01, TypeCodecs.DOUBLE, v);
      check(SystemColumnType.BOOLEAN, true, TypeCodecs.BOOLEAN, v);
      check(SystemColumnType.TEXT, "héllo", TypeCodecs.TEXT, v);
    }
  }

  private static <T> void check(SystemColumnType type, T value, TypeCodec<T> codec, ProtocolVersion v) {
    ByteBuffer ours = type.serialize(value);
    assertEquals(codec.encode(value, v), ours, type + " " + v);
    assertEquals(value, codec.decode(ours.duplicate(), v));
    assertEquals(value, type.deserialize(ours));
  }

  @Test
  void everyRowSerializesWithItsColumnTypes() {
    manager.createKeyspace("ks", Map.of(), false);
    Schema schema = manager.current();
    for (VirtualTable t : system.all()) {
      assertEquals(t.metadata().columns().stream().map(ColumnMetadata::name).toList(), names(t));
      for (List<Object> r : t.rows(schema)) {
        List<ByteBuffer> cells = t.serializeRow(r);
        for (int i = 0; i < cells.size(); i++) {
          if (r.get(i) != null) {
            Object back = t.columns().get(i).type().deserialize(cells.get(i));
            assertEquals(normalize(r.get(i)), normalize(back), t.name() + "." + t.columns().get(i).name());
          }
        }
      }
    }
  }

  private static Object normalize(Object o) {
    return o instanceof Set ? Set.copyOf((Set<?>) o) : o instanceof Map ? Map.copyOf((Map<?, ?>) o) : o;
  }

  @Test
  void tokensAreEvenlySpacedAndSorted() {
    List<String> tokens = NodeInfo.evenlySpacedTokens(16);
    assertEquals(16, tokens.size());
    long step = Long.parseLong(tokens.get(1)) - Long.parseLong(tokens.get(0));
    assertEquals(1L << 60, step);
    assertEquals(Long.MIN_VALUE + (1L << 60), Long.parseLong(tokens.get(0)));
    assertEquals(Long.MAX_VALUE, Long.parseLong(tokens.get(15)));
  }
}
