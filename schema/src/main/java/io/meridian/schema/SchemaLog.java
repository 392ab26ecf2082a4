package io.meridian.schema;

import java.util.List;

/**
 * Where a cluster commits schema changes. A node on its own writes its schema file directly; in a
 * cluster every change goes through the metadata Raft group, so that all nodes apply the same
 * changes in the same order, and a change computed from a schema another node has already
 * replaced is refused instead of silently undoing that node's change.
 */
public interface SchemaLog {
  /**
   * Commits {@code next}, computed from {@code base}, and returns once this node has installed it
   * (through {@link SchemaManager#install}). Throws a {@link io.meridian.common.MeridianException}
   * if {@code base} is no longer the cluster's schema or the change could not be committed.
   */
  void commit(Schema base, Schema next, List<SchemaChange> changes);
}
