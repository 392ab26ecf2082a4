package io.meridian.query;

import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowChange;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.StoredRow;
import io.meridian.storage.Tablet;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a new materialized view from the rows its base table already holds: a scan of the base,
 * each live row turned into its view row (with the base cells' own timestamps and TTLs), written
 * in batches.
 *
 * <p>Writes to the base during the build already maintain the view (the view is in the schema
 * before the scan starts), and because the build copies original timestamps, last-write-wins
 * keeps the newer of the two: a row the build copies after a concurrent update or deletion loses
 * to what the update wrote.
 *
 * <p>Crash during the build: the view is persisted as "building" before the scan and marked built
 * only after the last batch is durable. At start-up every view still marked building is built
 * again from the start; the rebuild is idempotent (the same cells with the same timestamps), so a
 * partly built view simply ends up complete.
 */
final class ViewBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ViewBuilder.class);
  /** Base rows per storage batch of view writes. */
  static final int ROWS_PER_BATCH = 500;

  private final SchemaManager schema;
  private final StorageEngine storage;

  ViewBuilder(SchemaManager schema, StorageEngine storage) {
    this.schema = schema;
    this.storage = storage;
  }

  /** Builds every view left marked building (a crash interrupted its build). */
  void resumePending() {
    for (KeyspaceMetadata ks : schema.current().userKeyspaces().values()) {
      for (TableMetadata t : ks.tables().values()) {
        if (t.isView() && t.view().building()) {
          LOG.info("Resuming the build of materialized view {}.{}", t.keyspace(), t.name());
          build(t);
        }
      }
    }
  }

  /** Copies the base table's rows into {@code view}, then marks it built. */
  void build(TableMetadata view) {
    TableMetadata base = schema.current().keyspace(view.keyspace()).flatMap(ks -> ks.tables().values().stream()
        .filter(t -> t.id().equals(view.view().baseTableId())).findFirst()).orElse(null);
    if (base == null) {
      return;
    }
    List<ViewMaintenance.View> views = ViewMaintenance.prepare(base, List.of(view));
    int now = (int) (System.currentTimeMillis() / 1000);
    long rows = 0;
    for (Tablet tablet : storage.tablets(base.id())) {
      List<RowChange> changes = new ArrayList<>();
      try (StorageEngine.PartitionIterator it = storage.scan(base.id(), tablet.range(), null, ReadRange.all(), now)) {
        while (it.hasNext()) {
          PartitionData p = it.next();
          List<StoredRow> all = new ArrayList<>(p.rows());
          if (p.staticRow() != null && base.clusteringColumns().isEmpty()) {
            all.add(p.staticRow());
          }
          for (StoredRow r : all) {
            changes.add(new RowChange(p.key(), r.clustering(), null, r));
            rows++;
          }
          if (changes.size() >= ROWS_PER_BATCH) {
            flush(base, views, changes, now);
          }
        }
      }
      flush(base, views, changes, now);
    }
    schema.markViewBuilt(view.keyspace(), view.name(), view.id());
    LOG.info("Built materialized view {}.{} from {} base rows", view.keyspace(), view.name(), rows);
  }

  private void flush(TableMetadata base, List<ViewMaintenance.View> views, List<RowChange> changes, int now) {
    if (changes.isEmpty()) {
      return;
    }
    List<Mutation> mutations = ViewMaintenance.mutations(base, views, changes, now);
    changes.clear();
    if (!mutations.isEmpty()) {
      storage.applyAtomically(mutations).join();
    }
  }
}
