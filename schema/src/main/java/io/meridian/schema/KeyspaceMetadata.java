package io.meridian.schema;

import io.meridian.types.UserType;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable keyspace definition. The replication map is the normalized one shown in
 * system_schema.keyspaces, its "class" fully qualified (e.g.
 * org.apache.cassandra.locator.SimpleStrategy). Tables are keyed by name; user types are keyed by
 * name (exact, unquoted) and kept non-frozen, as declared.
 */
public record KeyspaceMetadata(
    String name,
    Map<String, String> replication,
    boolean durableWrites,
    Map<String, TableMetadata> tables,
    Map<String, UserType> types) {

  public KeyspaceMetadata {
    Objects.requireNonNull(name, "name");
    replication = Map.copyOf(replication);
    tables = Map.copyOf(tables);
    types = Collections.unmodifiableMap(new TreeMap<>(types));
  }

  /** A keyspace without user types. */
  public KeyspaceMetadata(String name, Map<String, String> replication, boolean durableWrites, Map<String, TableMetadata> tables) {
    this(name, replication, durableWrites, tables, Map.of());
  }

  public Optional<TableMetadata> table(String tableName) {
    return Optional.ofNullable(tables.get(tableName));
  }

  /** The user type with this exact name, non-frozen. */
  public Optional<UserType> type(String typeName) {
    return Optional.ofNullable(types.get(typeName));
  }

  /** The materialized views of the base table {@code baseTableId}, sorted by name. */
  public java.util.List<TableMetadata> viewsOf(java.util.UUID baseTableId) {
    java.util.List<TableMetadata> views = new java.util.ArrayList<>();
    for (TableMetadata t : tablesSorted()) {
      if (t.isView() && t.view().baseTableId().equals(baseTableId)) {
        views.add(t);
      }
    }
    return views;
  }

  /** The tables sorted by name (materialized views included: they are stored and read like tables). */
  public Iterable<TableMetadata> tablesSorted() {
    return new TreeMap<>(tables).values();
  }

  public KeyspaceMetadata withTable(TableMetadata table) {
    Map<String, TableMetadata> copy = new TreeMap<>(tables);
    copy.put(table.name(), table);
    return new KeyspaceMetadata(name, replication, durableWrites, copy, types);
  }

  public KeyspaceMetadata withoutTable(String tableName) {
    Map<String, TableMetadata> copy = new TreeMap<>(tables);
    copy.remove(tableName);
    return new KeyspaceMetadata(name, replication, durableWrites, copy, types);
  }

  /** This keyspace with its tables and user types replaced (a user type change rewrites both). */
  public KeyspaceMetadata withTablesAndTypes(Map<String, TableMetadata> newTables, Map<String, UserType> newTypes) {
    return new KeyspaceMetadata(name, replication, durableWrites, newTables, newTypes);
  }

  public KeyspaceMetadata withReplication(Map<String, String> newReplication, boolean newDurableWrites) {
    return new KeyspaceMetadata(name, newReplication, newDurableWrites, tables, types);
  }
}
