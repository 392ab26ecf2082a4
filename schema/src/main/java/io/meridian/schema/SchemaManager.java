package io.meridian.schema;

import io.meridian.common.AlreadyExistsException;
import io.meridian.common.Clock;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.schema.ColumnMetadata.Kind;
import io.meridian.schema.SchemaChange.ChangeType;
import io.meridian.types.CqlType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread-safe holder of the current {@link Schema}. Readers call {@link #current()} (a
 * volatile read, never blocks); DDL methods are serialized, validate the change with Cassandra's
 * rules and messages, persist the new schema through the {@link SchemaStore} before publishing it,
 * draw a new schema version, and return what changed so the caller can send SCHEMA_CHANGE.
 *
 * <p>If persisting fails the change is not published and the caller gets a SERVER_ERROR: the
 * schema in memory never runs ahead of the one on disk.
 */
public final class SchemaManager {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaManager.class);

  /** Cassandra's limit for keyspace and table names. */
  public static final int NAME_LENGTH_MAX = 48;

  private static final Pattern VALID_NAME = Pattern.compile("\\w+");

  public static final String PROPERTY_REPLICATION = "replication";
  public static final String PROPERTY_DURABLE_WRITES = "durable_writes";
  /** CREATE TABLE ... WITH ID = uuid: lets a table be recreated with its old id (restore). */
  public static final String OPTION_ID = "id";

  private static final Map<String, String> DEFAULT_REPLICATION =
      Map.of(ReplicationParams.CLASS, ReplicationParams.SIMPLE, ReplicationParams.REPLICATION_FACTOR, "1");

  private final SchemaStore store;
  private final Set<String> datacenters;
  private final Clock clock;
  private final Supplier<UUID> uuids;
  private final Object writeLock = new Object();
  /** Serializes installing a schema (from this node's DDL or from the cluster's log). */
  private final Object installLock = new Object();
  private volatile Schema current;
  /** Set on a cluster node: changes are committed through the metadata log instead of locally. */
  private volatile SchemaLog log;

  /**
   * @param builtInKeyspaces the system keyspaces (their tables are virtual); never persisted
   * @param store where the schema lives on disk, or null to keep it in memory only
   * @param datacenters the data centers NetworkTopologyStrategy may name
   * @param clock for dropped-column times
   * @param uuids source of schema versions and table ids
   */
  public SchemaManager(
      Collection<KeyspaceMetadata> builtInKeyspaces,
      SchemaStore store,
      Set<String> datacenters,
      Clock clock,
      Supplier<UUID> uuids) {
    this.store = store;
    this.datacenters = Set.copyOf(datacenters);
    this.clock = clock;
    this.uuids = uuids;
    Map<String, KeyspaceMetadata> keyspaces = new TreeMap<>();
    UUID version = uuids.get();
    if (store != null) {
      Optional<Schema> loaded = store.load();
      if (loaded.isPresent()) {
        keyspaces.putAll(loaded.get().keyspaces());
        version = loaded.get().version();
        LOG.info("Loaded schema version {} with {} keyspace(s) from {}", version, keyspaces.size(), store.file());
      }
    }
    for (KeyspaceMetadata ks : builtInKeyspaces) {
      if (!SystemKeyspaceNames.isBuiltIn(ks.name())) {
        throw new IllegalArgumentException("Not a built-in keyspace name: " + ks.name());
      }
      if (keyspaces.containsKey(ks.name())) {
        throw new IllegalStateException("Stored schema holds a keyspace named like a built-in one: " + ks.name());
      }
      keyspaces.put(ks.name(), ks);
    }
    this.current = new Schema(keyspaces, version);
  }

  /** An in-memory manager with random ids and the system clock (tests, tools). */
  public static SchemaManager inMemory(Collection<KeyspaceMetadata> builtInKeyspaces, Set<String> datacenters) {
    return new SchemaManager(builtInKeyspaces, null, datacenters, Clock.SYSTEM, UUID::randomUUID);
  }

  public Schema current() {
    return current;
  }

  /**
   * From now on, commits every change through {@code log} (a cluster node). The log calls
   * {@link #install} on every node, this one included, when the change is committed.
   */
  public void replicateThrough(SchemaLog log) {
    this.log = log;
  }

  /**
   * Makes the user keyspaces of {@code committed} this node's schema (built-in keyspaces are kept)
   * and persists it. Called by the cluster's metadata log, in log order, for every committed change.
   */
  public void install(Schema committed) {
    synchronized (installLock) {
      Map<String, KeyspaceMetadata> keyspaces = new TreeMap<>(committed.userKeyspaces());
      for (KeyspaceMetadata ks : current.keyspaces().values()) {
        if (SystemKeyspaceNames.isBuiltIn(ks.name())) {
          keyspaces.put(ks.name(), ks);
        }
      }
      Schema next = new Schema(keyspaces, committed.version());
      persist(next, "install of committed schema");
      current = next;
      LOG.info("Installed committed schema version {}", next.version());
    }
  }

  public Set<String> datacenters() {
    return datacenters;
  }

  // --- keyspaces ---------------------------------------------------------------------------------

  /**
   * CREATE KEYSPACE. {@code properties} are the WITH properties: "replication" (a map; when absent
   * SimpleStrategy with replication_factor 1) and "durable_writes" (boolean, default true).
   */
  public SchemaResult createKeyspace(String name, Map<String, ?> properties, boolean ifNotExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (schema.keyspace(name).isPresent()) {
        if (ifNotExists) {
          return noChange(schema);
        }
        throw new AlreadyExistsException(name, "");
      }
      if (SystemKeyspaceNames.isBuiltIn(name)) {
        throw notUserModifiable(name);
      }
      checkName("Keyspace", name);
      KeyspaceProperties props = keyspaceProperties(properties);
      Map<String, String> replication =
          ReplicationParams.normalize(name, props.replication == null ? DEFAULT_REPLICATION : props.replication, datacenters);
      boolean durable = props.durableWrites == null || props.durableWrites;
      KeyspaceMetadata ks = new KeyspaceMetadata(name, replication, durable, Map.of());
      return publish(schema.with(ks, uuids.get()), SchemaChange.keyspace(ChangeType.CREATED, name));
    }
  }

  /** ALTER KEYSPACE; a replication map without "class" keeps the current strategy class. */
  public SchemaResult alterKeyspace(String name, Map<String, ?> properties, boolean ifExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(name)) {
        throw notUserModifiable(name);
      }
      Optional<KeyspaceMetadata> existing = schema.keyspace(name);
      if (existing.isEmpty()) {
        if (ifExists) {
          return noChange(schema);
        }
        throw keyspaceMissing(name);
      }
      KeyspaceMetadata ks = existing.get();
      KeyspaceProperties props = keyspaceProperties(properties);
      Map<String, String> replication = ks.replication();
      if (props.replication != null) {
        Map<String, String> requested = new TreeMap<>(props.replication);
        requested.putIfAbsent(ReplicationParams.CLASS, ks.replication().get(ReplicationParams.CLASS));
        replication = ReplicationParams.normalize(name, requested, datacenters);
      }
      boolean durable = props.durableWrites == null ? ks.durableWrites() : props.durableWrites;
      KeyspaceMetadata altered = ks.withReplication(replication, durable);
      return publish(schema.with(altered, uuids.get()), SchemaChange.keyspace(ChangeType.UPDATED, name));
    }
  }

  public SchemaResult dropKeyspace(String name, boolean ifExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(name)) {
        throw notUserModifiable(name);
      }
      if (schema.keyspace(name).isEmpty()) {
        if (ifExists) {
          return noChange(schema);
        }
        throw keyspaceMissing(name);
      }
      return publish(schema.without(name, uuids.get()), SchemaChange.keyspace(ChangeType.DROPPED, name));
    }
  }

  // --- tables ------------------------------------------------------------------------------------

  /**
   * CREATE TABLE. The caller (query layer) turns the parsed DDL into {@link ColumnMetadata}: the
   * partition key columns with positions 0.., clustering columns with positions and ASC/DESC from
   * CLUSTERING ORDER BY (ASC when absent), the rest REGULAR or STATIC. {@code options} are the
   * WITH options as the parser produced them; an "id" option fixes the table id.
   */
  public SchemaResult createTable(
      String keyspace, String table, List<ColumnMetadata> columns, Map<String, ?> options, boolean ifNotExists) {
    synchronized (writeLock) {
      Schema schema = current;
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow(() -> keyspaceMissing(keyspace));
      if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
        throw notUserModifiable(keyspace);
      }
      if (ks.table(table).isPresent()) {
        if (ifNotExists) {
          return noChange(schema);
        }
        throw new AlreadyExistsException(keyspace, table);
      }
      checkName("Table", table);
      validateNewColumns(keyspace, table, columns);
      Map<String, Object> tableOptions = new LinkedHashMap<>(options);
      Object idOption = tableOptions.remove(OPTION_ID);
      UUID id = idOption == null ? uuids.get() : tableId(idOption);
      for (KeyspaceMetadata other : schema.keyspaces().values()) {
        for (TableMetadata t : other.tables().values()) {
          if (t.id().equals(id)) {
            throw MeridianException.invalid(
                "Table id " + id + " is already used by " + other.name() + "." + t.name());
          }
        }
      }
      TableParams params = TableParams.DEFAULT.withOptions(tableOptions);
      TableMetadata created = new TableMetadata(keyspace, table, id, columns, params);
      checkCounterTtl(created);
      checkIndexingColumns(created);
      return publish(
          schema.with(ks.withTable(created), uuids.get()), SchemaChange.table(ChangeType.CREATED, keyspace, table));
    }
  }

  /**
   * ALTER TABLE ... ADD. Each column must be REGULAR or STATIC. With {@code ifColumnsNotExist}
   * (ADD IF NOT EXISTS) columns that already exist are skipped.
   */
  public SchemaResult addColumns(
      String keyspace, String table, List<ColumnMetadata> added, boolean ifTableExists, boolean ifColumnsNotExist) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<TableMetadata> found = tableForAlter(schema, keyspace, table, ifTableExists);
      if (found.isEmpty()) {
        return noChange(schema);
      }
      TableMetadata t = found.get();
      List<ColumnMetadata> columns = new ArrayList<>(t.columns());
      Set<String> names = new HashSet<>();
      t.columns().forEach(c -> names.add(c.name()));
      boolean counterTable = t.isCounter();
      boolean changed = false;
      for (ColumnMetadata column : added) {
        if (column.isPrimaryKey()) {
          throw MeridianException.invalid("Cannot add new column " + column.name() + " to the PRIMARY KEY");
        }
        if (!names.add(column.name())) {
          if (ifColumnsNotExist) {
            continue;
          }
          throw MeridianException.invalid("Column with name '" + column.name() + "' already exists");
        }
        if (column.kind() == Kind.STATIC && t.clusteringColumns().isEmpty()) {
          throw MeridianException.invalid(
              "Static columns are only useful (and thus allowed) if the table has at least one clustering column");
        }
        boolean counter = Types.isCounter(column.type());
        if (counter && !counterTable) {
          throw MeridianException.invalid(
              "Cannot add a counter column (" + column.name() + ") in a non counter column family");
        }
        if (!counter && counterTable) {
          throw MeridianException.invalid(
              "Cannot add a non counter column (" + column.name() + ") in a counter column family");
        }
        DroppedColumn dropped = t.droppedColumns().get(column.name());
        if (dropped != null) {
          if (counter || dropped.typeName().equals("counter")) {
            throw MeridianException.invalid("Cannot re-add previously dropped counter column " + column.name());
          }
          if (!dropped.typeName().equals(column.type().cqlName())) {
            throw MeridianException.invalid(
                "Cannot re-add previously dropped column '" + column.name() + "' of type " + column.type().cqlName()
                    + ", incompatible with previous type " + dropped.typeName());
          }
        }
        columns.add(column);
        changed = true;
      }
      if (!changed) {
        return noChange(schema);
      }
      TableMetadata altered = t.withColumns(columns);
      List<TableMetadata> views = new ArrayList<>();
      for (TableMetadata v : schema.keyspace(keyspace).orElseThrow().viewsOf(t.id())) {
        if (v.view().includeAllColumns()) {
          List<ColumnMetadata> viewColumns = new ArrayList<>(v.columns());
          for (ColumnMetadata c : columns) {
            if (c.kind() == Kind.REGULAR && v.column(c.name()).isEmpty()) {
              viewColumns.add(c);
            }
          }
          views.add(v.withColumns(viewColumns));
        }
      }
      if (views.isEmpty()) {
        return publishTable(schema, altered);
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow().withTable(altered);
      List<SchemaChange> changes = new ArrayList<>();
      changes.add(SchemaChange.table(ChangeType.UPDATED, keyspace, table));
      for (TableMetadata v : views) {
        ks = ks.withTable(v);
        changes.add(SchemaChange.table(ChangeType.UPDATED, keyspace, v.name()));
      }
      return publish(schema.with(ks, uuids.get()), changes);
    }
  }

  /**
   * ALTER TABLE ... DROP. Records each column in dropped_columns with the drop time ({@code
   * timestampMicros} from USING TIMESTAMP, or now when null).
   */
  public SchemaResult dropColumns(
      String keyspace, String table, List<String> dropped, Long timestampMicros, boolean ifTableExists, boolean ifColumnsExist) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<TableMetadata> found = tableForAlter(schema, keyspace, table, ifTableExists);
      if (found.isEmpty()) {
        return noChange(schema);
      }
      TableMetadata t = found.get();
      long when = timestampMicros == null ? clock.currentTimeMicros() : timestampMicros;
      List<ColumnMetadata> columns = new ArrayList<>(t.columns());
      Map<String, DroppedColumn> droppedColumns = TableMetadata.mutableDropped(t);
      boolean changed = false;
      for (String name : dropped) {
        Optional<ColumnMetadata> column = t.column(name);
        if (column.isEmpty() || !columns.contains(column.get())) {
          if (ifColumnsExist && column.isEmpty()) {
            continue;
          }
          throw MeridianException.invalid("Column " + name + " was not found in table " + keyspace + "." + table);
        }
        ColumnMetadata c = column.get();
        if (c.isPrimaryKey()) {
          throw MeridianException.invalid("Cannot drop PRIMARY KEY column " + name);
        }
        if (!schema.keyspace(keyspace).orElseThrow().viewsOf(t.id()).isEmpty()) {
          throw MeridianException.invalid("Cannot drop column " + name + " on base table " + table + " with materialized views");
        }
        checkNoDependentIndexes(t, name, "drop");
        columns.remove(c);
        droppedColumns.put(name, new DroppedColumn(name, c.type().cqlName(), c.kind(), when));
        changed = true;
      }
      if (!changed) {
        return noChange(schema);
      }
      TableParams params = t.params();
      for (String name : dropped) {
        params = params.withoutIndexingColumn(name); // a dropped column leaves the indexing policy too
      }
      return publishTable(schema, t.withColumns(columns).withDroppedColumns(droppedColumns).withParams(params));
    }
  }

  /** The indexing policy names regular or static columns of the table, and nothing else. */
  private static void checkIndexingColumns(TableMetadata t) {
    for (String name : t.params().indexingColumns()) {
      Optional<ColumnMetadata> c = t.column(name);
      if (c.isEmpty()) {
        throw MeridianException.configError("The indexing option names column " + name + ", which table "
            + t.keyspace() + "." + t.name() + " does not have");
      }
      if (c.get().isPrimaryKey()) {
        throw MeridianException.configError("The indexing option names primary key column " + name
            + "; only regular and static columns are indexed automatically (CREATE INDEX indexes a key column)");
      }
    }
  }

  /** ALTER TABLE ... RENAME a TO b [AND c TO d]: primary key columns only, applied in order. */
  public SchemaResult renameColumns(
      String keyspace, String table, Map<String, String> renames, boolean ifTableExists, boolean ifColumnsExist) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<TableMetadata> found = tableForAlter(schema, keyspace, table, ifTableExists);
      if (found.isEmpty()) {
        return noChange(schema);
      }
      TableMetadata t = found.get();
      boolean changed = false;
      for (Map.Entry<String, String> rename : renames.entrySet()) {
        String from = rename.getKey();
        String to = rename.getValue();
        Optional<ColumnMetadata> column = t.column(from);
        if (column.isEmpty()) {
          if (ifColumnsExist) {
            continue;
          }
          throw MeridianException.invalid("Column " + from + " was not found in table " + keyspace + "." + table);
        }
        if (!column.get().isPrimaryKey()) {
          throw MeridianException.invalid("Cannot rename non PRIMARY KEY column " + from);
        }
        if (!schema.keyspace(keyspace).orElseThrow().viewsOf(t.id()).isEmpty()) {
          throw MeridianException.invalid("Cannot rename column " + from + " of base table " + table
              + " with materialized views (not supported by Meridian yet; drop and recreate the views)");
        }
        checkNoDependentIndexes(t, from, "rename");
        if (t.column(to).isPresent()) {
          throw MeridianException.invalid(
              "Cannot rename column " + from + " to " + to + " in table '" + table
                  + "'; another column with that name already exists");
        }
        List<ColumnMetadata> columns = new ArrayList<>(t.columns());
        columns.set(columns.indexOf(column.get()), column.get().withName(to));
        t = t.withColumns(columns);
        changed = true;
      }
      if (!changed) {
        return noChange(schema);
      }
      return publishTable(schema, t);
    }
  }

  /** ALTER TABLE ... WITH options. */
  public SchemaResult alterTableOptions(String keyspace, String table, Map<String, ?> options, boolean ifTableExists) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<TableMetadata> found = tableForAlter(schema, keyspace, table, ifTableExists);
      if (found.isEmpty()) {
        return noChange(schema);
      }
      if (options.containsKey(OPTION_ID)) {
        throw MeridianException.configError("Cannot alter table id.");
      }
      TableMetadata t = found.get();
      TableMetadata altered = t.withParams(t.params().withOptions(options));
      checkCounterTtl(altered);
      checkIndexingColumns(altered);
      return publishTable(schema, altered);
    }
  }

  public SchemaResult dropTable(String keyspace, String table, boolean ifExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
        throw notUserModifiable(keyspace);
      }
      Optional<KeyspaceMetadata> ks = schema.keyspace(keyspace);
      if (ks.isEmpty()) {
        if (ifExists) {
          return noChange(schema);
        }
        throw keyspaceMissing(keyspace);
      }
      if (ks.get().table(table).isEmpty()) {
        if (ifExists) {
          return noChange(schema);
        }
        throw tableMissing(keyspace, table);
      }
      TableMetadata dropped = ks.get().table(table).get();
      if (dropped.isView()) {
        throw MeridianException.invalid("Cannot use DROP TABLE on a materialized view. Please use DROP MATERIALIZED VIEW instead.");
      }
      List<TableMetadata> views = ks.get().viewsOf(dropped.id());
      if (!views.isEmpty()) {
        throw MeridianException.invalid("Cannot drop a table when materialized views still depend on it ("
            + keyspace + ".{" + String.join(", ", views.stream().map(TableMetadata::name).toList()) + "})");
      }
      return publish(
          schema.with(ks.get().withoutTable(table), uuids.get()), SchemaChange.table(ChangeType.DROPPED, keyspace, table));
    }
  }

  // --- indexes -----------------------------------------------------------------------------------

  /**
   * CREATE INDEX with Cassandra 5.0's rules (see {@link IndexValidation}). Index names are unique in
   * the keyspace; the change is reported, as in Cassandra, as an update of the base table.
   */
  public SchemaResult createIndex(String keyspace, String table, IndexRequest request) {
    synchronized (writeLock) {
      IndexValidation.Implementation impl = IndexValidation.implementation(request);
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
        throw notUserModifiable(keyspace);
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow(() -> keyspaceMissing(keyspace));
      TableMetadata t = ks.table(table).orElseThrow(() -> MeridianException.invalid("Table '" + table + "' doesn't exist"));
      if (request.name() != null && IndexValidation.hasIndex(ks, request.name())) {
        if (request.ifNotExists()) {
          return noChange(schema);
        }
        throw MeridianException.invalid("Index '" + request.name() + "' already exists");
      }
      if (t.isView()) {
        throw MeridianException.invalid("Secondary indexes are not supported on materialized views");
      }
      if (t.isCounter()) {
        throw MeridianException.invalid("Secondary indexes on counter tables aren't supported");
      }
      IndexRequest.Target target = IndexValidation.target(t, request, impl);
      String name = request.name() != null ? request.name()
          : IndexValidation.availableName(ks, IndexMetadata.defaultName(table, target.column()));
      IndexValidation.checkName(name);
      ColumnMetadata column = t.column(target.column()).orElseThrow();
      IndexMetadata index = new IndexMetadata(name, target.column(), target.type(), impl.kind(),
          IndexValidation.customOptions(impl, column, request.options()));
      for (IndexMetadata existing : t.indexes()) {
        boolean duplicate = existing.equalsWithoutName(index);
        if (duplicate && request.ifNotExists()) {
          return noChange(schema);
        }
        if (duplicate) {
          throw MeridianException.invalid("Index " + name + " is a duplicate of existing index " + existing.name());
        }
        if (index.isStorageAttached() && existing.isStorageAttached() && existing.column().equals(index.column())
            && existing.targetType() == index.targetType()) {
          throw MeridianException.invalid("Cannot create duplicate storage-attached index on column: " + index.column());
        }
      }
      List<IndexMetadata> indexes = new ArrayList<>(t.indexes());
      indexes.add(index);
      return publishTable(schema, t.withIndexes(indexes));
    }
  }

  /** DROP INDEX [IF EXISTS] [keyspace.]name: an update of the table that held it. */
  public SchemaResult dropIndex(String keyspace, String indexName, boolean ifExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
        throw notUserModifiable(keyspace);
      }
      Optional<KeyspaceMetadata> ks = schema.keyspace(keyspace);
      TableMetadata t = ks.map(k -> IndexValidation.indexedTable(k, indexName)).orElse(null);
      if (t == null) {
        if (ifExists) {
          return noChange(schema);
        }
        throw MeridianException.invalid("Index '" + keyspace + "." + indexName + "' doesn't exist");
      }
      List<IndexMetadata> indexes = new ArrayList<>(t.indexes());
      indexes.removeIf(i -> i.name().equals(indexName));
      return publishTable(schema, t.withIndexes(indexes));
    }
  }

  /** Cassandra refuses to drop or rename a column an index depends on. */
  private static void checkNoDependentIndexes(TableMetadata table, String column, String verb) {
    List<IndexMetadata> dependent = table.indexesOn(column);
    if (!dependent.isEmpty()) {
      throw MeridianException.invalid("Cannot " + verb + " column " + column + " because it has dependent secondary indexes ("
          + String.join(", ", dependent.stream().map(IndexMetadata::name).toList()) + ")");
    }
  }

  // --- user types (rules in UserTypeDdl) ---------------------------------------------------------

  /** CREATE TYPE; field types are resolved by the caller against this keyspace's types. */
  public SchemaResult createType(
      String keyspace, String typeName, List<String> fieldNames, List<CqlType> fieldTypes, boolean ifNotExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
        throw notUserModifiable(keyspace);
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow(() -> keyspaceMissing(keyspace));
      KeyspaceMetadata changed = UserTypeDdl.create(ks, typeName, fieldNames, fieldTypes, ifNotExists);
      return publishType(schema, changed, ChangeType.CREATED, typeName);
    }
  }

  /** ALTER TYPE ... ADD [IF NOT EXISTS] field type. */
  public SchemaResult addTypeField(
      String keyspace, String typeName, String field, CqlType fieldType, boolean ifTypeExists, boolean ifFieldNotExists) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<io.meridian.types.UserType> type = typeForAlter(schema, keyspace, typeName, ifTypeExists);
      if (type.isEmpty()) {
        return noChange(schema);
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow();
      KeyspaceMetadata changed = UserTypeDdl.addField(ks, type.get(), field, fieldType, ifFieldNotExists);
      return publishType(schema, changed, ChangeType.UPDATED, typeName);
    }
  }

  /** ALTER TYPE ... RENAME [IF EXISTS] a TO b [AND c TO d]. */
  public SchemaResult renameTypeFields(
      String keyspace, String typeName, Map<String, String> renames, boolean ifTypeExists, boolean ifFieldsExist) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<io.meridian.types.UserType> type = typeForAlter(schema, keyspace, typeName, ifTypeExists);
      if (type.isEmpty()) {
        return noChange(schema);
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow();
      KeyspaceMetadata changed = UserTypeDdl.renameFields(ks, type.get(), renames, ifFieldsExist);
      return publishType(schema, changed, ChangeType.UPDATED, typeName);
    }
  }

  /** ALTER TYPE ... ALTER field TYPE t: refused once the type is found, as in Cassandra 5.0. */
  public SchemaResult alterTypeField(String keyspace, String typeName, boolean ifTypeExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (typeForAlter(schema, keyspace, typeName, ifTypeExists).isEmpty()) {
        return noChange(schema);
      }
      throw MeridianException.invalid("Altering field types is no longer supported");
    }
  }

  public SchemaResult dropType(String keyspace, String typeName, boolean ifExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
        throw notUserModifiable(keyspace);
      }
      Optional<KeyspaceMetadata> ks = schema.keyspace(keyspace);
      Optional<io.meridian.types.UserType> type = ks.flatMap(k -> k.type(typeName));
      if (type.isEmpty()) {
        if (ifExists) {
          return noChange(schema);
        }
        throw MeridianException.invalid("Type '" + keyspace + "." + typeName + "' doesn't exist");
      }
      return publishType(schema, UserTypeDdl.drop(ks.get(), type.get()), ChangeType.DROPPED, typeName);
    }
  }

  private Optional<io.meridian.types.UserType> typeForAlter(Schema schema, String keyspace, String typeName, boolean ifExists) {
    if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
      throw notUserModifiable(keyspace);
    }
    Optional<io.meridian.types.UserType> type = schema.keyspace(keyspace).flatMap(k -> k.type(typeName));
    if (type.isEmpty() && !ifExists) {
      throw MeridianException.invalid("Type " + keyspace + "." + typeName + " doesn't exist");
    }
    return type;
  }

  /** Publishes a keyspace whose types changed; null (an IF clause matched) changes nothing. */
  private SchemaResult publishType(Schema schema, KeyspaceMetadata changed, ChangeType change, String typeName) {
    if (changed == null) {
      return noChange(schema);
    }
    return publish(schema.with(changed, uuids.get()), SchemaChange.type(change, changed.name(), typeName));
  }

  // --- materialized views ------------------------------------------------------------------------

  /**
   * CREATE MATERIALIZED VIEW. The caller (query layer) has checked the SELECT, PRIMARY KEY and
   * WHERE against the base table with Cassandra's rules and hands over the view's columns (its
   * primary key with positions and clustering order, then the other selected columns as REGULAR)
   * and its definition. {@code options} are the WITH options; an "id" option fixes the view id.
   */
  public SchemaResult createView(String keyspace, String view, List<ColumnMetadata> columns, ViewDefinition definition,
                                 Map<String, ?> options, boolean ifNotExists) {
    synchronized (writeLock) {
      Schema schema = current;
      if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
        throw notUserModifiable(keyspace);
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow(() -> keyspaceMissing(keyspace));
      TableMetadata base = ks.tables().values().stream()
          .filter(t -> t.id().equals(definition.baseTableId()) && !t.isView()).findFirst()
          .orElseThrow(() -> MeridianException.invalid("Base table '" + definition.baseTableName() + "' doesn't exist"));
      Optional<TableMetadata> existing = ks.table(view);
      if (existing.isPresent() && !existing.get().isView()) {
        throw MeridianException.invalid(
            "Cannot create materialized view '" + view + "' - a table with the same name already exists");
      }
      if (existing.isPresent()) {
        if (ifNotExists) {
          return noChange(schema);
        }
        throw new AlreadyExistsException(keyspace, view);
      }
      checkName("Materialized view", view);
      validateNewColumns(keyspace, view, columns);
      Map<String, Object> viewOptions = new LinkedHashMap<>(options);
      if (viewOptions.containsKey("default_time_to_live")) {
        throw MeridianException.invalid("Cannot set default_time_to_live for a materialized view. Data in a materialized"
            + " view always expire at the same time than the corresponding data in the parent table.");
      }
      Object idOption = viewOptions.remove(OPTION_ID);
      UUID id = idOption == null ? uuids.get() : tableId(idOption);
      for (KeyspaceMetadata other : schema.keyspaces().values()) {
        for (TableMetadata t : other.tables().values()) {
          if (t.id().equals(id)) {
            throw MeridianException.invalid("Table id " + id + " is already used by " + other.name() + "." + t.name());
          }
        }
      }
      TableParams params = TableParams.DEFAULT.withOptions(viewOptions);
      TableMetadata created = new TableMetadata(keyspace, view, id, columns, params, Map.of(), List.of(),
          definition.withBaseTableName(base.name()));
      checkIndexingColumns(created);
      return publish(schema.with(ks.withTable(created), uuids.get()), SchemaChange.table(ChangeType.CREATED, keyspace, view));
    }
  }

  /** Records that a view's initial build finished (no event: nothing a driver sees changes). */
  public void markViewBuilt(String keyspace, String view, UUID viewId) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<TableMetadata> v = schema.table(keyspace, view);
      if (v.isEmpty() || !v.get().id().equals(viewId) || !v.get().isView() || !v.get().view().building()) {
        return; // dropped or recreated meanwhile
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow();
      TableMetadata built = v.get().withView(v.get().view().built());
      publish(schema.with(ks.withTable(built), uuids.get()), SchemaChange.table(ChangeType.UPDATED, keyspace, view));
    }
  }

  public SchemaResult dropView(String keyspace, String view, boolean ifExists) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<TableMetadata> v = viewForChange(schema, keyspace, view, ifExists);
      if (v.isEmpty()) {
        return noChange(schema);
      }
      KeyspaceMetadata ks = schema.keyspace(keyspace).orElseThrow();
      return publish(schema.with(ks.withoutTable(view), uuids.get()), SchemaChange.table(ChangeType.DROPPED, keyspace, view));
    }
  }

  /** ALTER MATERIALIZED VIEW ... WITH options. */
  public SchemaResult alterViewOptions(String keyspace, String view, Map<String, ?> options, boolean ifExists) {
    synchronized (writeLock) {
      Schema schema = current;
      Optional<TableMetadata> v = viewForChange(schema, keyspace, view, ifExists);
      if (v.isEmpty()) {
        return noChange(schema);
      }
      if (options.containsKey(OPTION_ID)) {
        throw MeridianException.configError("Cannot alter table id.");
      }
      TableParams params = v.get().params().withOptions(options);
      if (params.gcGraceSeconds() == 0) {
        throw MeridianException.invalid("Cannot alter gc_grace_seconds of a materialized view to 0, since this value is"
            + " used to TTL undelivered updates. Setting gc_grace_seconds too low might cause undelivered updates to"
            + " expire before being replayed.");
      }
      if (params.defaultTimeToLive() > 0) {
        throw MeridianException.invalid("Forbidden default_time_to_live detected for a materialized view. Data in a"
            + " materialized view always expire at the same time than the corresponding data in the parent table."
            + " default_time_to_live must be set to zero, see CASSANDRA-12868 for more information");
      }
      checkIndexingColumns(v.get().withParams(params));
      return publishTable(schema, v.get().withParams(params));
    }
  }

  /** The view a DROP or ALTER names; empty when it is missing and IF EXISTS was given. */
  private static Optional<TableMetadata> viewForChange(Schema schema, String keyspace, String view, boolean ifExists) {
    if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
      throw notUserModifiable(keyspace);
    }
    Optional<TableMetadata> v = viewNamed(schema, keyspace, view);
    if (v.isEmpty() && !ifExists) {
      throw viewMissing(keyspace, view);
    }
    return v;
  }

  private static Optional<TableMetadata> viewNamed(Schema schema, String keyspace, String view) {
    return schema.table(keyspace, view).filter(TableMetadata::isView);
  }

  static MeridianException viewMissing(String keyspace, String view) {
    return MeridianException.invalid("Materialized view '" + keyspace + "." + view + "' doesn't exist");
  }

  // --- helpers -----------------------------------------------------------------------------------

  private Optional<TableMetadata> tableForAlter(Schema schema, String keyspace, String table, boolean ifExists) {
    if (SystemKeyspaceNames.isBuiltIn(keyspace)) {
      throw notUserModifiable(keyspace);
    }
    Optional<KeyspaceMetadata> ks = schema.keyspace(keyspace);
    if (ks.isEmpty()) {
      if (ifExists) {
        return Optional.empty();
      }
      throw keyspaceMissing(keyspace);
    }
    Optional<TableMetadata> t = ks.get().table(table);
    if (t.isEmpty() && !ifExists) {
      throw tableMissing(keyspace, table);
    }
    if (t.isPresent() && t.get().isView()) {
      throw MeridianException.invalid("Cannot use ALTER TABLE on a materialized view; use ALTER MATERIALIZED VIEW instead");
    }
    return t;
  }

  private static void validateNewColumns(String keyspace, String table, List<ColumnMetadata> columns) {
    Set<String> names = new HashSet<>();
    int partitionKeys = 0;
    int clusterings = 0;
    int counters = 0;
    int statics = 0;
    for (ColumnMetadata c : columns) {
      if (!names.add(c.name())) {
        throw MeridianException.invalid("Duplicate column '" + c.name() + "' declaration for table " + keyspace + "." + table);
      }
      CqlType type = c.type();
      if (c.isPrimaryKey()) {
        if (Types.isCounter(type)) {
          throw MeridianException.invalid("counter type is not supported for PRIMARY KEY column '" + c.name() + "'");
        }
        if (Types.isDuration(type)) {
          throw MeridianException.invalid("duration type is not supported for PRIMARY KEY column '" + c.name() + "'");
        }
        if (type instanceof io.meridian.types.UserType u && !u.isFrozen()) {
          throw MeridianException.invalid("Invalid non-frozen user-defined type \"" + type.cqlName()
              + "\" for PRIMARY KEY column '" + c.name() + "'");
        }
        if (Types.isMultiCell(type)) {
          throw MeridianException.invalid("Invalid non-frozen collection type " + type.cqlName()
              + " for PRIMARY KEY column '" + c.name() + "'");
        }
      }
      if (Types.isCounter(type)) {
        counters++;
      }
      switch (c.kind()) {
        case PARTITION_KEY:
          partitionKeys++;
          break;
        case CLUSTERING:
          clusterings++;
          break;
        case STATIC:
          statics++;
          break;
        default:
          break;
      }
    }
    if (partitionKeys == 0) {
      throw MeridianException.invalid("No PRIMARY KEY specifed for table '" + table + "' (exactly one required)");
    }
    checkPositions(columns, Kind.PARTITION_KEY, partitionKeys);
    checkPositions(columns, Kind.CLUSTERING, clusterings);
    if (statics > 0 && clusterings == 0) {
      throw MeridianException.invalid(
          "Static columns are only useful (and thus allowed) if the table has at least one clustering column");
    }
    if (counters > 0 && counters != columns.size() - partitionKeys - clusterings) {
      throw MeridianException.invalid("Cannot mix counter and non counter columns in the same table");
    }
  }

  private static void checkPositions(List<ColumnMetadata> columns, Kind kind, int count) {
    boolean[] seen = new boolean[count];
    for (ColumnMetadata c : columns) {
      if (c.kind() == kind) {
        if (c.position() >= count || seen[c.position()]) {
          throw MeridianException.invalid(
              "Invalid " + kind.schemaName() + " column positions: expected 0.." + (count - 1) + ", got " + c.position()
                  + " for " + c.name());
        }
        seen[c.position()] = true;
      }
    }
  }

  private static void checkCounterTtl(TableMetadata t) {
    if (t.isCounter() && t.params().defaultTimeToLive() > 0) {
      throw MeridianException.invalid("Cannot set default_time_to_live on a table with counters");
    }
  }

  private static UUID tableId(Object value) {
    if (value instanceof UUID) {
      return (UUID) value;
    }
    try {
      return UUID.fromString(value.toString().trim());
    } catch (IllegalArgumentException e) {
      throw MeridianException.configError("Invalid table id " + value);
    }
  }

  private static void checkName(String what, String name) {
    if (name.isEmpty() || name.length() > NAME_LENGTH_MAX || !VALID_NAME.matcher(name).matches()) {
      throw MeridianException.invalid(
          what + " name must not be empty, more than " + NAME_LENGTH_MAX
              + " characters long, or contain non-alphanumeric-underscore characters (got \"" + name + "\")");
    }
  }

  private record KeyspaceProperties(Map<String, String> replication, Boolean durableWrites) {}

  private static KeyspaceProperties keyspaceProperties(Map<String, ?> properties) {
    Map<String, String> replication = null;
    Boolean durable = null;
    for (Map.Entry<String, ?> e : properties.entrySet()) {
      switch (e.getKey()) {
        case PROPERTY_REPLICATION:
          replication = TableParams.asMap(PROPERTY_REPLICATION, e.getValue());
          break;
        case PROPERTY_DURABLE_WRITES:
          durable = TableParams.asBoolean(PROPERTY_DURABLE_WRITES, e.getValue());
          break;
        default:
          throw MeridianException.syntax("Unknown property '" + e.getKey() + "'");
      }
    }
    return new KeyspaceProperties(replication, durable);
  }

  private SchemaResult publishTable(Schema schema, TableMetadata table) {
    KeyspaceMetadata ks = schema.keyspace(table.keyspace()).orElseThrow();
    return publish(
        schema.with(ks.withTable(table), uuids.get()),
        SchemaChange.table(ChangeType.UPDATED, table.keyspace(), table.name()));
  }

  private SchemaResult publish(Schema next, SchemaChange change) {
    return publish(next, List.of(change));
  }

  private SchemaResult publish(Schema next, List<SchemaChange> changes) {
    SchemaLog replicated = log;
    if (replicated != null) {
      replicated.commit(current, next, changes);
      LOG.info("Schema version {} committed by the cluster: {}", next.version(), changes);
      return new SchemaResult(next, changes);
    }
    synchronized (installLock) {
      persist(next, "change " + changes);
      current = next;
    }
    LOG.info("Schema version {}: {}", next.version(), changes);
    return new SchemaResult(next, changes);
  }

  private void persist(Schema next, String what) {
    if (store != null) {
      try {
        store.write(next);
      } catch (IOException | RuntimeException e) {
        throw MeridianException.server("Failed to persist schema " + what, e);
      }
    }
  }

  private static SchemaResult noChange(Schema schema) {
    return new SchemaResult(schema, List.of());
  }

  static MeridianException keyspaceMissing(String keyspace) {
    return MeridianException.invalid("Keyspace '" + keyspace + "' doesn't exist");
  }

  static MeridianException tableMissing(String keyspace, String table) {
    return MeridianException.invalid("Table '" + keyspace + "." + table + "' doesn't exist");
  }

  static MeridianException notUserModifiable(String keyspace) {
    return new MeridianException(CqlErrorCode.UNAUTHORIZED, keyspace + " keyspace is not user-modifiable.");
  }
}
