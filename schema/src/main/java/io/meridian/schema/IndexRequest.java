package io.meridian.schema;

import java.util.List;
import java.util.Map;

/**
 * A CREATE INDEX statement as the schema sees it, before validation.
 *
 * @param name the requested index name, or null to derive Cassandra's default name
 * @param targets the index targets in statement order (Cassandra indexes exactly one)
 * @param custom true for CREATE CUSTOM INDEX
 * @param usingClass the USING class or alias ('sai', 'StorageAttachedIndex', 'legacy_local_table', ...), or null
 * @param options the WITH OPTIONS map, or null when there was none
 * @param ifNotExists CREATE INDEX IF NOT EXISTS
 */
public record IndexRequest(
    String name, List<Target> targets, boolean custom, String usingClass, Map<String, String> options, boolean ifNotExists) {

  public IndexRequest {
    targets = List.copyOf(targets);
    options = options == null ? null : Map.copyOf(options);
  }

  /** One target: {@code col}, {@code keys(col)}, {@code values(col)}, {@code entries(col)} or {@code full(col)}. */
  public record Target(String column, IndexMetadata.TargetType type) {}
}
