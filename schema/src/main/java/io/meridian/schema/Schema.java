package io.meridian.schema;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An immutable snapshot of the whole schema: user keyspaces plus the built-in system keyspaces
 * (whose tables are virtual), and the schema version every node reports in system.local. A new
 * version is drawn on every change.
 */
public record Schema(Map<String, KeyspaceMetadata> keyspaces, UUID version) {

  public Schema {
    keyspaces = Map.copyOf(keyspaces);
    Objects.requireNonNull(version, "version");
  }

  public Optional<KeyspaceMetadata> keyspace(String name) {
    return Optional.ofNullable(keyspaces.get(name));
  }

  public Optional<TableMetadata> table(String keyspace, String table) {
    KeyspaceMetadata ks = keyspaces.get(keyspace);
    return ks == null ? Optional.empty() : ks.table(table);
  }

  /** Keyspaces sorted by name. */
  public Iterable<KeyspaceMetadata> keyspacesSorted() {
    return new TreeMap<>(keyspaces).values();
  }

  /** Keyspaces that belong to users (not built in), sorted by name. */
  public Map<String, KeyspaceMetadata> userKeyspaces() {
    Map<String, KeyspaceMetadata> result = new TreeMap<>();
    for (KeyspaceMetadata ks : keyspaces.values()) {
      if (!SystemKeyspaceNames.isBuiltIn(ks.name())) {
        result.put(ks.name(), ks);
      }
    }
    return result;
  }

  Schema with(KeyspaceMetadata keyspace, UUID newVersion) {
    Map<String, KeyspaceMetadata> copy = new TreeMap<>(keyspaces);
    copy.put(keyspace.name(), keyspace);
    return new Schema(copy, newVersion);
  }

  Schema without(String keyspace, UUID newVersion) {
    Map<String, KeyspaceMetadata> copy = new TreeMap<>(keyspaces);
    copy.remove(keyspace);
    return new Schema(copy, newVersion);
  }
}
