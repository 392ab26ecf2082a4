package io.meridian.index;

import io.meridian.common.MeridianException;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.Schema;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.StorageEngine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells storage how each user table is indexed, whenever the schema may have changed it (at start
 * and after every schema change). A write that reaches a table before its indexing is set makes
 * no entries; setting the indexing then builds the missing ones from the stored rows, so no row is
 * ever left out of an index that queries use.
 */
public final class IndexSync {
  private static final Logger log = LoggerFactory.getLogger(IndexSync.class);
  private final StorageEngine storage;
  /** The indexed columns last given to storage, per table. */
  private final Map<UUID, Map<String, String>> given = new HashMap<>();

  public IndexSync(StorageEngine storage) {
    this.storage = storage;
  }

  /** The schema last synced; a new one (a change made here or on another node) is synced on the next request. */
  private volatile Schema synced;

  /** Syncs when the schema is not the one last synced: cheap enough to call on every request. */
  public void syncIfChanged(Schema schema) {
    if (schema != synced) {
      sync(schema);
    }
  }

  public synchronized void sync(Schema schema) {
    synced = schema;
    Set<UUID> seen = new HashSet<>();
    for (KeyspaceMetadata ks : schema.userKeyspaces().values()) {
      for (TableMetadata table : ks.tables().values()) {
        seen.add(table.id());
        SchemaIndexing indexing = SchemaIndexing.of(table);
        if (!indexing.columns().equals(given.get(table.id()))) {
          try {
            storage.setIndexing(table.id(), indexing);
            given.put(table.id(), indexing.columns());
          } catch (MeridianException e) {
            // Queries keep scanning this table (its indexes are not ready); the next sync retries.
            log.warn("cannot set the indexing of {}.{}: {}", table.keyspace(), table.name(), e.getMessage());
          }
        }
      }
    }
    given.keySet().retainAll(seen);
  }
}
