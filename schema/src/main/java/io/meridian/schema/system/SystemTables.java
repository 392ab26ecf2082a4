package io.meridian.schema.system;

import static io.meridian.schema.system.SystemColumn.ck;
import static io.meridian.schema.system.SystemColumn.pk;
import static io.meridian.schema.system.SystemColumn.reg;
import static io.meridian.schema.system.SystemColumnType.BIGINT;
import static io.meridian.schema.system.SystemColumnType.BLOB;
import static io.meridian.schema.system.SystemColumnType.BOOLEAN;
import static io.meridian.schema.system.SystemColumnType.DOUBLE;
import static io.meridian.schema.system.SystemColumnType.FROZEN_LIST_BOOLEAN;
import static io.meridian.schema.system.SystemColumnType.FROZEN_LIST_TEXT;
import static io.meridian.schema.system.SystemColumnType.FROZEN_MAP_TEXT_BLOB;
import static io.meridian.schema.system.SystemColumnType.FROZEN_MAP_TEXT_TEXT;
import static io.meridian.schema.system.SystemColumnType.FROZEN_SET_TEXT;
import static io.meridian.schema.system.SystemColumnType.INET;
import static io.meridian.schema.system.SystemColumnType.INT;
import static io.meridian.schema.system.SystemColumnType.MAP_TEXT_TEXT;
import static io.meridian.schema.system.SystemColumnType.MAP_UUID_BLOB;
import static io.meridian.schema.system.SystemColumnType.SET_TEXT;
import static io.meridian.schema.system.SystemColumnType.TEXT;
import static io.meridian.schema.system.SystemColumnType.TIMESTAMP;
import static io.meridian.schema.system.SystemColumnType.TIMEUUID;
import static io.meridian.schema.system.SystemColumnType.UUID;

import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.DroppedColumn;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.ReplicationParams;
import io.meridian.schema.Schema;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaStore;
import io.meridian.schema.SystemKeyspaceNames;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.TableParams;
import io.meridian.common.Clock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The built-in keyspaces and their virtual tables, with the column sets and key layouts of
 * Cassandra 5.0:
 *
 * <ul>
 *   <li>{@code system}: local, peers, peers_v2 (the other cluster members; empty on a single node);
 *   <li>{@code system_schema}: keyspaces, tables, columns, column_masks, dropped_columns,
 *       triggers, views, types, functions, aggregates, indexes;
 *   <li>{@code system_virtual_schema}: keyspaces, tables, columns (virtual keyspaces list
 *       themselves here, not in system_schema, as in Cassandra);
 *   <li>{@code system_traces}: sessions, events, read from the {@link TraceStore}.
 * </ul>
 */
public final class SystemTables {
  private static final int SYSTEM_GC_GRACE_SECONDS = 0;
  private static final int SCHEMA_GC_GRACE_SECONDS = 7 * 24 * 3600;
  private static final int FLUSH_PERIOD_MS = 3_600_000;

  /** Keyspaces listed in system_virtual_schema rather than system_schema. */
  public static final Set<String> VIRTUAL_KEYSPACES = Set.of(SystemKeyspaceNames.SYSTEM_VIRTUAL_SCHEMA,
      SystemKeyspaceNames.SYSTEM_VIEWS);

  private final Supplier<NodeInfo> node;
  /** The other members of the cluster (empty on a single node). */
  private final Supplier<List<NodeInfo>> peers;
  private final TraceStore traces;
  private volatile IndexStatusSource indexStatus = IndexStatusSource.NONE;
  private volatile PeerTraceSource peerTraces = PeerTraceSource.NONE;
  private final Map<String, Map<String, VirtualTable>> tables = new TreeMap<>();
  private final List<KeyspaceMetadata> keyspaces;

  public SystemTables(Supplier<NodeInfo> node) {
    this(node, new TraceStore(TraceStore.DEFAULT_SESSIONS_MAX, Clock.SYSTEM));
  }

  public SystemTables(Supplier<NodeInfo> node, TraceStore traces) {
    this(node, List::of, traces);
  }

  public SystemTables(Supplier<NodeInfo> node, Supplier<List<NodeInfo>> peers, TraceStore traces) {
    this.node = Objects.requireNonNull(node, "node");
    this.peers = Objects.requireNonNull(peers, "peers");
    this.traces = Objects.requireNonNull(traces, "traces");
    defineSystem();
    defineSystemSchema();
    defineVirtualSchema();
    defineTraces();
    defineViews();
    List<KeyspaceMetadata> list = new ArrayList<>();
    for (Map.Entry<String, Map<String, VirtualTable>> ks : tables.entrySet()) {
      Map<String, TableMetadata> metadata = new HashMap<>();
      ks.getValue().forEach((name, table) -> metadata.put(name, table.metadata()));
      // system_traces is replicated in Cassandra (SimpleStrategy, RF 2); the others are local.
      Map<String, String> replication = ks.getKey().equals(SystemKeyspaceNames.SYSTEM_TRACES)
          ? Map.of(ReplicationParams.CLASS, ReplicationParams.SIMPLE, ReplicationParams.REPLICATION_FACTOR, "2")
          : ReplicationParams.LOCAL_REPLICATION;
      list.add(new KeyspaceMetadata(ks.getKey(), replication, true, metadata));
    }
    this.keyspaces = List.copyOf(list);
  }

  /** Where system_views.indexes reads index states; none until the query layer sets it. */
  public void setIndexStatus(IndexStatusSource source) {
    this.indexStatus = Objects.requireNonNull(source, "source");
  }

  /** Where system_traces reads the sessions other nodes traced; none on a single node. */
  public void setPeerTraces(PeerTraceSource source) {
    this.peerTraces = Objects.requireNonNull(source, "source");
  }

  /** The built-in keyspaces, to hand to {@link SchemaManager}. */
  public List<KeyspaceMetadata> keyspaces() {
    return keyspaces;
  }

  /** Where traced requests are recorded for system_traces. */
  public TraceStore traces() {
    return traces;
  }

  public Optional<VirtualTable> table(String keyspace, String table) {
    Map<String, VirtualTable> ks = tables.get(keyspace);
    return ks == null ? Optional.empty() : Optional.ofNullable(ks.get(table));
  }

  public Collection<VirtualTable> all() {
    List<VirtualTable> all = new ArrayList<>();
    tables.values().forEach(ks -> all.addAll(ks.values()));
    return all;
  }

  /**
   * A schema manager wired to these system keyspaces, persisting under {@code schemaDirectory}
   * (or in memory when null), accepting this node's data center in NetworkTopologyStrategy.
   */
  public SchemaManager newSchemaManager(java.nio.file.Path schemaDirectory, Clock clock) {
    return new SchemaManager(
        keyspaces,
        schemaDirectory == null ? null : new SchemaStore(schemaDirectory),
        Set.of(node.get().dataCenter()),
        clock,
        java.util.UUID::randomUUID);
  }

  // --- definitions ---------------------------------------------------------------------------------

  private void define(
      String keyspace, String name, String comment, List<SystemColumn> columns,
      Function<Schema, List<Map<String, Object>>> rows) {
    define(keyspace, name, comment, FLUSH_PERIOD_MS, columns, rows);
  }

  private void define(
      String keyspace, String name, String comment, int flushPeriodMs, List<SystemColumn> columns,
      Function<Schema, List<Map<String, Object>>> rows) {
    boolean schemaKs = keyspace.equals(SystemKeyspaceNames.SYSTEM_SCHEMA);
    TableParams params =
        TableParams.DEFAULT.withOptions(
            Map.of(
                TableParams.COMMENT, comment,
                TableParams.GC_GRACE_SECONDS, schemaKs ? SCHEMA_GC_GRACE_SECONDS : SYSTEM_GC_GRACE_SECONDS,
                TableParams.MEMTABLE_FLUSH_PERIOD_IN_MS, flushPeriodMs));
    tables.computeIfAbsent(keyspace, k -> new TreeMap<>())
        .put(name, new SystemTable(keyspace, name, params, columns, rows));
  }

  /**
   * system_traces.sessions and .events with Cassandra 5.0's columns; the coordinator and source are
   * this node's broadcast address and port, as Cassandra records them.
   */
  private void defineTraces() {
    String ks = SystemKeyspaceNames.SYSTEM_TRACES;
    define(ks, "sessions", "tracing sessions", 0,
        List.of(
            pk("session_id", UUID, 0),
            reg("client", INET),
            reg("command", TEXT),
            reg("coordinator", INET),
            reg("coordinator_port", INT),
            reg("duration", INT),
            reg("parameters", MAP_TEXT_TEXT),
            reg("request", TEXT),
            reg("started_at", TIMESTAMP)),
        schema -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (PeerTraceSource.NodeTraces node : everyNodesTraces()) {
            for (TraceStore.Session s : node.sessions()) {
              Map<String, Object> row = new HashMap<>();
              row.put("session_id", s.sessionId());
              row.put("client", s.client());
              row.put("command", s.command());
              row.put("coordinator", node.address());
              row.put("coordinator_port", node.port());
              row.put("duration", s.durationMicros());
              row.put("parameters", new TreeMap<>(s.parameters()));
              row.put("request", s.request());
              row.put("started_at", s.startedAt());
              rows.add(row);
            }
          }
          return rows;
        });
    define(ks, "events", "tracing events", 0,
        List.of(
            pk("session_id", UUID, 0),
            ck("event_id", TIMEUUID, 0),
            reg("activity", TEXT),
            reg("source", INET),
            reg("source_elapsed", INT),
            reg("source_port", INT),
            reg("thread", TEXT)),
        schema -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (PeerTraceSource.NodeTraces node : everyNodesTraces()) {
            for (TraceStore.Session s : node.sessions()) {
              for (TraceStore.Event e : s.events()) {
                Map<String, Object> row = new HashMap<>();
                row.put("session_id", s.sessionId());
                row.put("event_id", e.eventId());
                row.put("activity", e.activity());
                row.put("source", node.address());
                row.put("source_elapsed", e.elapsedMicros());
                row.put("source_port", node.port());
                row.put("thread", e.thread());
                rows.add(row);
              }
            }
          }
          return rows;
        });
  }

  /** This node's sessions, then the peers' (a request is traced only by its coordinator). */
  private List<PeerTraceSource.NodeTraces> everyNodesTraces() {
    NodeInfo n = node.get();
    List<PeerTraceSource.NodeTraces> all = new ArrayList<>();
    all.add(new PeerTraceSource.NodeTraces(n.broadcastAddress(), n.broadcastPort(), traces.sessions()));
    all.addAll(peerTraces.sessions());
    return all;
  }

  private static Function<Schema, List<Map<String, Object>>> empty() {
    return schema -> List.of();
  }

  private void defineSystem() {
    String ks = SystemKeyspaceNames.SYSTEM;
    define(ks, "local", "information about the local node",
        List.of(
            pk("key", TEXT, 0),
            reg("bootstrapped", TEXT),
            reg("broadcast_address", INET),
            reg("broadcast_port", INT),
            reg("cluster_name", TEXT),
            reg("cql_version", TEXT),
            reg("data_center", TEXT),
            reg("gossip_generation", INT),
            reg("host_id", UUID),
            reg("listen_address", INET),
            reg("listen_port", INT),
            reg("native_protocol_version", TEXT),
            reg("partitioner", TEXT),
            reg("rack", TEXT),
            reg("release_version", TEXT),
            reg("rpc_address", INET),
            reg("rpc_port", INT),
            reg("schema_version", UUID),
            reg("tokens", SET_TEXT),
            reg("truncated_at", MAP_UUID_BLOB)),
        this::localRows);
    define(ks, "peers", "information about known peers in the cluster",
        List.of(
            pk("peer", INET, 0),
            reg("data_center", TEXT),
            reg("host_id", UUID),
            reg("preferred_ip", INET),
            reg("rack", TEXT),
            reg("release_version", TEXT),
            reg("rpc_address", INET),
            reg("schema_version", UUID),
            reg("tokens", SET_TEXT)),
        this::peerRows);
    define(ks, "peers_v2", "information about known peers in the cluster",
        List.of(
            pk("peer", INET, 0),
            ck("peer_port", INT, 0),
            reg("data_center", TEXT),
            reg("host_id", UUID),
            reg("native_address", INET),
            reg("native_port", INT),
            reg("preferred_ip", INET),
            reg("preferred_port", INT),
            reg("rack", TEXT),
            reg("release_version", TEXT),
            reg("schema_version", UUID),
            reg("tokens", SET_TEXT)),
        this::peerV2Rows);
  }

  private List<Map<String, Object>> peerRows(Schema schema) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (NodeInfo p : peers.get()) {
      Map<String, Object> row = new HashMap<>();
      row.put("peer", p.broadcastAddress());
      row.put("data_center", p.dataCenter());
      row.put("host_id", p.hostId());
      row.put("preferred_ip", p.broadcastAddress());
      row.put("rack", p.rack());
      row.put("release_version", p.releaseVersion());
      row.put("rpc_address", p.rpcAddress());
      row.put("schema_version", schema.version());
      row.put("tokens", p.tokens());
      rows.add(row);
    }
    return rows;
  }

  private List<Map<String, Object>> peerV2Rows(Schema schema) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (NodeInfo p : peers.get()) {
      Map<String, Object> row = new HashMap<>();
      row.put("peer", p.broadcastAddress());
      row.put("peer_port", p.broadcastPort());
      row.put("data_center", p.dataCenter());
      row.put("host_id", p.hostId());
      row.put("native_address", p.rpcAddress());
      row.put("native_port", p.rpcPort());
      row.put("preferred_ip", p.broadcastAddress());
      row.put("preferred_port", p.broadcastPort());
      row.put("rack", p.rack());
      row.put("release_version", p.releaseVersion());
      row.put("schema_version", schema.version());
      row.put("tokens", p.tokens());
      rows.add(row);
    }
    return rows;
  }

  private List<Map<String, Object>> localRows(Schema schema) {
    NodeInfo n = node.get();
    Map<String, Object> row = new HashMap<>();
    row.put("key", "local");
    row.put("bootstrapped", "COMPLETED");
    row.put("broadcast_address", n.broadcastAddress());
    row.put("broadcast_port", n.broadcastPort());
    row.put("cluster_name", n.clusterName());
    row.put("cql_version", NodeInfo.CQL_VERSION);
    row.put("data_center", n.dataCenter());
    row.put("gossip_generation", n.gossipGeneration());
    row.put("host_id", n.hostId());
    row.put("listen_address", n.listenAddress());
    row.put("listen_port", n.listenPort());
    row.put("native_protocol_version", NodeInfo.NATIVE_PROTOCOL_VERSION);
    row.put("partitioner", NodeInfo.PARTITIONER);
    row.put("rack", n.rack());
    row.put("release_version", n.releaseVersion());
    row.put("rpc_address", n.rpcAddress());
    row.put("rpc_port", n.rpcPort());
    row.put("schema_version", schema.version());
    row.put("tokens", n.tokens());
    return List.of(row);
  }

  private void defineSystemSchema() {
    String ks = SystemKeyspaceNames.SYSTEM_SCHEMA;
    define(ks, "keyspaces", "keyspace definitions",
        List.of(pk("keyspace_name", TEXT, 0), reg("durable_writes", BOOLEAN), reg("replication", FROZEN_MAP_TEXT_TEXT)),
        schema -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (KeyspaceMetadata k : schemaKeyspaces(schema, false)) {
            rows.add(Map.of(
                "keyspace_name", k.name(),
                "durable_writes", k.durableWrites(),
                "replication", new TreeMap<>(k.replication())));
          }
          return rows;
        });
    define(ks, "tables", "table definitions", tableOptionColumns("table_name", false), schema -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (KeyspaceMetadata k : schemaKeyspaces(schema, false)) {
        for (TableMetadata t : k.tablesSorted()) {
          if (!t.isView()) {
            rows.add(tableRow(t));
          }
        }
      }
      return rows;
    });
    define(ks, "columns", "column definitions", columnColumns(), schema -> columnRows(schema, false));
    define(ks, "column_masks", "column dynamic data masks",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("table_name", TEXT, 0),
            ck("column_name", TEXT, 1),
            reg("function_argument_nulls", FROZEN_LIST_BOOLEAN),
            reg("function_argument_types", FROZEN_LIST_TEXT),
            reg("function_argument_values", FROZEN_LIST_TEXT),
            reg("function_keyspace", TEXT),
            reg("function_name", TEXT)),
        empty());
    define(ks, "dropped_columns", "dropped column registry",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("table_name", TEXT, 0),
            ck("column_name", TEXT, 1),
            reg("dropped_time", TIMESTAMP),
            reg("kind", TEXT),
            reg("type", TEXT)),
        schema -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (KeyspaceMetadata k : schemaKeyspaces(schema, false)) {
            for (TableMetadata t : k.tablesSorted()) {
              for (DroppedColumn d : t.droppedColumnsSorted()) {
                rows.add(Map.of(
                    "keyspace_name", k.name(),
                    "table_name", t.name(),
                    "column_name", d.name(),
                    "dropped_time", Instant.EPOCH.plusNanos(Math.multiplyExact(d.droppedTimeMicros(), 1000L)),
                    "kind", d.kind().schemaName(),
                    "type", d.typeName()));
              }
            }
          }
          return rows;
        });
    define(ks, "triggers", "trigger definitions",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("table_name", TEXT, 0),
            ck("trigger_name", TEXT, 1),
            reg("options", FROZEN_MAP_TEXT_TEXT)),
        empty());
    define(ks, "views", "view definitions", viewColumns(), schema -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (KeyspaceMetadata k : schemaKeyspaces(schema, false)) {
        for (TableMetadata t : k.tablesSorted()) {
          if (t.isView()) {
            rows.add(viewRow(t));
          }
        }
      }
      return rows;
    });
    define(ks, "types", "user defined type definitions",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("type_name", TEXT, 0),
            reg("field_names", FROZEN_LIST_TEXT),
            reg("field_types", FROZEN_LIST_TEXT)),
        SystemTables::typeRows);
    define(ks, "functions", "user defined function definitions",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("function_name", TEXT, 0),
            ck("argument_types", FROZEN_LIST_TEXT, 1),
            reg("argument_names", FROZEN_LIST_TEXT),
            reg("body", TEXT),
            reg("called_on_null_input", BOOLEAN),
            reg("language", TEXT),
            reg("return_type", TEXT)),
        empty());
    define(ks, "aggregates", "user defined aggregate definitions",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("aggregate_name", TEXT, 0),
            ck("argument_types", FROZEN_LIST_TEXT, 1),
            reg("final_func", TEXT),
            reg("initcond", TEXT),
            reg("return_type", TEXT),
            reg("state_func", TEXT),
            reg("state_type", TEXT)),
        empty());
    define(ks, "indexes", "secondary index definitions",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("table_name", TEXT, 0),
            ck("index_name", TEXT, 1),
            reg("kind", TEXT),
            reg("options", FROZEN_MAP_TEXT_TEXT)),
        SystemTables::indexRows);
  }

  /** system_views.indexes: every automatically indexed column of every user table, with its state here. */
  private void defineViews() {
    define(SystemKeyspaceNames.SYSTEM_VIEWS, "indexes", "automatic indexes and their state on this node",
        List.of(
            pk("keyspace_name", TEXT, 0),
            ck("table_name", TEXT, 0),
            ck("column_name", TEXT, 1),
            reg("rows_read", BIGINT),
            reg("state", TEXT)),
        schema -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (KeyspaceMetadata k : schema.userKeyspaces().values().stream()
              .sorted(java.util.Comparator.comparing(KeyspaceMetadata::name)).toList()) {
            for (TableMetadata t : k.tablesSorted()) {
              List<IndexStatusSource.ColumnIndex> columns = new ArrayList<>(indexStatus.status(t));
              columns.sort(java.util.Comparator.comparing(IndexStatusSource.ColumnIndex::column));
              for (IndexStatusSource.ColumnIndex c : columns) {
                Map<String, Object> row = new HashMap<>();
                row.put("keyspace_name", k.name());
                row.put("table_name", t.name());
                row.put("column_name", c.column());
                row.put("rows_read", c.rowsRead());
                row.put("state", c.state().name().toLowerCase(java.util.Locale.ROOT));
                rows.add(row);
              }
            }
          }
          return rows;
        });
  }

  private void defineVirtualSchema() {
    String ks = SystemKeyspaceNames.SYSTEM_VIRTUAL_SCHEMA;
    define(ks, "keyspaces", "virtual keyspace definitions", List.of(pk("keyspace_name", TEXT, 0)), schema -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (KeyspaceMetadata k : schemaKeyspaces(schema, true)) {
        rows.add(Map.of("keyspace_name", k.name()));
      }
      return rows;
    });
    define(ks, "tables", "virtual table definitions",
        List.of(pk("keyspace_name", TEXT, 0), ck("table_name", TEXT, 0), reg("comment", TEXT)),
        schema -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (KeyspaceMetadata k : schemaKeyspaces(schema, true)) {
            for (TableMetadata t : k.tablesSorted()) {
              rows.add(Map.of("keyspace_name", k.name(), "table_name", t.name(), "comment", t.params().comment()));
            }
          }
          return rows;
        });
    define(ks, "columns", "virtual column definitions", columnColumns(), schema -> columnRows(schema, true));
  }

  private static List<SystemColumn> columnColumns() {
    return List.of(
        pk("keyspace_name", TEXT, 0),
        ck("table_name", TEXT, 0),
        ck("column_name", TEXT, 1),
        reg("clustering_order", TEXT),
        reg("column_name_bytes", BLOB),
        reg("kind", TEXT),
        reg("position", INT),
        reg("type", TEXT));
  }

  /** The option columns shared by system_schema.tables and system_schema.views. */
  private static List<SystemColumn> tableOptionColumns(String nameColumn, boolean view) {
    List<SystemColumn> columns = new ArrayList<>(List.of(
        pk("keyspace_name", TEXT, 0),
        ck(nameColumn, TEXT, 0),
        reg("additional_write_policy", TEXT),
        reg("allow_auto_snapshot", BOOLEAN),
        reg("bloom_filter_fp_chance", DOUBLE),
        reg("caching", FROZEN_MAP_TEXT_TEXT),
        reg("cdc", BOOLEAN),
        reg("comment", TEXT),
        reg("compaction", FROZEN_MAP_TEXT_TEXT),
        reg("compression", FROZEN_MAP_TEXT_TEXT),
        reg("crc_check_chance", DOUBLE),
        reg("dclocal_read_repair_chance", DOUBLE),
        reg("default_time_to_live", INT),
        reg("extensions", FROZEN_MAP_TEXT_BLOB),
        reg("gc_grace_seconds", INT),
        reg("id", UUID),
        reg("incremental_backups", BOOLEAN),
        reg("indexing", FROZEN_MAP_TEXT_TEXT),
        reg("max_index_interval", INT),
        reg("memtable", TEXT),
        reg("memtable_flush_period_in_ms", INT),
        reg("min_index_interval", INT),
        reg("read_repair", TEXT),
        reg("read_repair_chance", DOUBLE),
        reg("speculative_retry", TEXT)));
    if (view) {
      columns.add(reg("base_table_id", UUID));
      columns.add(reg("base_table_name", TEXT));
      columns.add(reg("include_all_columns", BOOLEAN));
      columns.add(reg("where_clause", TEXT));
    } else {
      columns.add(reg("flags", FROZEN_SET_TEXT));
    }
    return columns;
  }

  private static List<SystemColumn> viewColumns() {
    return tableOptionColumns("view_name", true);
  }

  /** Keyspaces of the schema listed in system_schema (virtual == false) or system_virtual_schema. */
  private static List<KeyspaceMetadata> schemaKeyspaces(Schema schema, boolean virtual) {
    List<KeyspaceMetadata> result = new ArrayList<>();
    for (KeyspaceMetadata k : schema.keyspacesSorted()) {
      if (VIRTUAL_KEYSPACES.contains(k.name()) == virtual) {
        result.add(k);
      }
    }
    return result;
  }

  static Map<String, Object> tableRow(TableMetadata t) {
    TableParams p = t.params();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("keyspace_name", t.keyspace());
    row.put("table_name", t.name());
    row.put("additional_write_policy", p.additionalWritePolicy());
    row.put("allow_auto_snapshot", p.allowAutoSnapshot());
    row.put("bloom_filter_fp_chance", p.bloomFilterFpChance());
    row.put("caching", new TreeMap<>(p.caching()));
    row.put("cdc", p.cdc());
    row.put("comment", p.comment());
    row.put("compaction", new TreeMap<>(p.compaction()));
    row.put("compression", new TreeMap<>(p.compression()));
    row.put("crc_check_chance", p.crcCheckChance());
    row.put("dclocal_read_repair_chance", 0.0);
    row.put("default_time_to_live", p.defaultTimeToLive());
    row.put("extensions", Map.<String, ByteBuffer>of());
    row.put("flags", new java.util.TreeSet<>(t.flags()));
    row.put("gc_grace_seconds", p.gcGraceSeconds());
    row.put("id", t.id());
    row.put("incremental_backups", p.incrementalBackups());
    row.put("indexing", new TreeMap<>(p.indexing()));
    row.put("max_index_interval", p.maxIndexInterval());
    row.put("memtable", p.memtable());
    row.put("memtable_flush_period_in_ms", p.memtableFlushPeriodInMs());
    row.put("min_index_interval", p.minIndexInterval());
    row.put("read_repair", p.readRepair());
    row.put("read_repair_chance", 0.0);
    row.put("speculative_retry", p.speculativeRetry());
    return row;
  }

  private static List<Map<String, Object>> indexRows(Schema schema) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (KeyspaceMetadata k : schemaKeyspaces(schema, false)) {
      for (TableMetadata t : k.tablesSorted()) {
        for (io.meridian.schema.IndexMetadata index : t.indexes()) {
          rows.add(Map.of(
              "keyspace_name", k.name(),
              "table_name", t.name(),
              "index_name", index.name(),
              "kind", index.kind().name(),
              "options", index.schemaOptions()));
        }
      }
    }
    return rows;
  }

  /** One row per user type: field names and field type names as declared (nested user types are frozen). */
  private static List<Map<String, Object>> typeRows(Schema schema) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (KeyspaceMetadata k : schemaKeyspaces(schema, false)) {
      for (io.meridian.types.UserType t : k.types().values()) {
        rows.add(Map.of(
            "keyspace_name", k.name(),
            "type_name", t.typeName(),
            "field_names", List.copyOf(t.fieldNames()),
            "field_types", t.declaredFieldTypes().stream().map(io.meridian.types.CqlType::cqlName).toList()));
      }
    }
    return rows;
  }

  /** A system_schema.views row: the table options plus the view's base and definition. */
  static Map<String, Object> viewRow(TableMetadata v) {
    Map<String, Object> row = tableRow(v);
    row.remove("flags");
    row.remove("table_name");
    row.put("view_name", v.name());
    row.put("base_table_id", v.view().baseTableId());
    row.put("base_table_name", v.view().baseTableName());
    row.put("include_all_columns", v.view().includeAllColumns());
    row.put("where_clause", v.view().whereClause());
    return row;
  }

  private static List<Map<String, Object>> columnRows(Schema schema, boolean virtual) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (KeyspaceMetadata k : schemaKeyspaces(schema, virtual)) {
      for (TableMetadata t : k.tablesSorted()) {
        List<ColumnMetadata> byName = new ArrayList<>(t.columns());
        byName.sort(java.util.Comparator.comparing(ColumnMetadata::name));
        for (ColumnMetadata c : byName) {
          rows.add(Map.of(
              "keyspace_name", k.name(),
              "table_name", t.name(),
              "column_name", c.name(),
              "clustering_order", c.order().schemaName(),
              "column_name_bytes", ByteBuffer.wrap(c.name().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer(),
              "kind", c.kind().schemaName(),
              "position", c.position(),
              "type", c.type().cqlName()));
        }
      }
    }
    return rows;
  }
}
