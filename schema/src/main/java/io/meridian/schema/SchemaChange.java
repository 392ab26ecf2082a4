package io.meridian.schema;

import java.util.List;
import java.util.Objects;

/**
 * One schema change, shaped like the native protocol's SCHEMA_CHANGE event and RESULT so the
 * protocol layer can forward it unchanged. For a KEYSPACE target {@code name} is empty.
 */
public record SchemaChange(ChangeType type, Target target, String keyspace, String name, List<String> argumentTypes) {

  public enum ChangeType {
    CREATED,
    UPDATED,
    DROPPED
  }

  public enum Target {
    KEYSPACE,
    TABLE,
    TYPE,
    FUNCTION,
    AGGREGATE
  }

  public SchemaChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(keyspace, "keyspace");
    Objects.requireNonNull(name, "name");
    argumentTypes = List.copyOf(argumentTypes);
  }

  public static SchemaChange keyspace(ChangeType type, String keyspace) {
    return new SchemaChange(type, Target.KEYSPACE, keyspace, "", List.of());
  }

  public static SchemaChange type(ChangeType type, String keyspace, String typeName) {
    return new SchemaChange(type, Target.TYPE, keyspace, typeName, List.of());
  }

  public static SchemaChange table(ChangeType type, String keyspace, String table) {
    return new SchemaChange(type, Target.TABLE, keyspace, table, List.of());
  }
}
