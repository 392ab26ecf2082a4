package io.meridian.index;

import io.meridian.schema.TableMetadata;
import io.meridian.schema.system.IndexStatusSource;
import io.meridian.storage.StorageEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state of a table's automatic indexes in this node's store, for system_views.indexes. */
public final class IndexStatus implements IndexStatusSource {
  private final StorageEngine storage;

  public IndexStatus(StorageEngine storage) {
    this.storage = storage;
  }

  @Override
  public List<ColumnIndex> status(TableMetadata table) {
    Set<String> ready = storage.readyIndexes(table.id());
    Map<String, Long> building = storage.indexBuildsInProgress(table.id());
    List<ColumnIndex> out = new ArrayList<>();
    for (String column : SchemaIndexing.of(table).columns().keySet()) {
      if (ready.contains(column)) {
        out.add(new ColumnIndex(column, State.READY, 0));
      } else if (building.containsKey(column)) {
        out.add(new ColumnIndex(column, State.BUILDING, building.get(column)));
      } else {
        out.add(new ColumnIndex(column, State.NOT_BUILT, 0));
      }
    }
    return out;
  }
}
