package io.meridian.schema;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable keyspace definition. The replication map is the normalized one shown in
 * system_schema.keyspaces, its "class" fully qualified (e.g.
 * org.apache.cassandra.locator.SimpleStrategy). Tables are keyed by name.
 */
public record KeyspaceMetadata(
    String name,
    Map<String, String> replication,
    boolean durableWrites,
    Map<String, TableMetadata> tables) {

  public KeyspaceMetadata {
    Objects.requireNonNull(name, "name");
    replication = Map.copyOf(replication);
    tables = Map.copyOf(tables);
  }

  public Optional<TableMetadata> table(String tableName) {
    return Optional.ofNullable(tables.get(tableName));
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
    return new KeyspaceMetadata(name, replication, durableWrites, copy);
  }

  public KeyspaceMetadata withoutTable(String tableName) {
    Map<String, TableMetadata> copy = new TreeMap<>(tables);
    copy.remove(tableName);
    return new KeyspaceMetadata(name, replication, durableWrites, copy);
  }

  public KeyspaceMetadata withReplication(Map<String, String> newReplication, boolean newDurableWrites) {
    return new KeyspaceMetadata(name, newReplication, newDurableWrites, tables);
  }
}
