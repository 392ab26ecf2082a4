package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.ViewDefinition;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.rocks.RocksStorageEngine;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A view left "building" by a crash is built again at start-up, and building twice is harmless. */
class ViewBuilderTest {
  @TempDir Path dir;
  RocksStorageEngine storage;
  SchemaManager schema;
  TableMetadata base;

  static ByteBuffer i(int v) {
    return CqlTypes.INT.encode(v);
  }

  @BeforeEach
  void setUp() {
    storage = RocksStorageEngine.open(StorageConfig.defaults(dir), Clock.SYSTEM);
    schema = SchemaManager.inMemory(List.of(), Set.of("datacenter1"));
    schema.createKeyspace("ks", Map.of(), false);
    schema.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
        ColumnMetadata.clustering("c", CqlTypes.INT, 0, ClusteringOrder.ASC),
        ColumnMetadata.regular("v", CqlTypes.INT)), Map.of(), false);
    base = schema.current().table("ks", "t").orElseThrow();
    storage.createTable(base.id(), 4);
    for (int k = 0; k < 20; k++) {
      RowUpdate row = new RowUpdate(KeyEncoder.clustering(base, List.of(i(0))), DeletionTime.LIVE, 7, 0,
          Cell.NO_DELETION_TIME, List.of(Cell.live("v", bytes(i(k % 3)), 7)));
      storage.apply(new Mutation(base.id(), KeyEncoder.partitionKey(base, List.of(i(k))), DeletionTime.LIVE, List.of(),
          List.of(row))).join();
    }
  }

  @AfterEach
  void tearDown() {
    storage.close();
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** Creates the view as a crash right after CREATE would leave it: in the schema, marked building, empty. */
  TableMetadata interruptedView() {
    schema.createView("ks", "mv", List.of(
            ColumnMetadata.partitionKey("v", CqlTypes.INT, 0),
            ColumnMetadata.clustering("k", CqlTypes.INT, 0, ClusteringOrder.ASC),
            ColumnMetadata.clustering("c", CqlTypes.INT, 1, ClusteringOrder.ASC)),
        new ViewDefinition(base.id(), "t", true, "v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL", true),
        Map.of(), false);
    TableMetadata view = schema.current().table("ks", "mv").orElseThrow();
    storage.createTable(view.id(), 4);
    return view;
  }

  int viewRows(TableMetadata view, int v) {
    Optional<PartitionData> p = storage.readPartition(view.id(), KeyEncoder.partitionKey(view, List.of(i(v))),
        ReadRange.all(), Clock.SYSTEM.nowInSeconds());
    return p.map(d -> d.rows().size()).orElse(0);
  }

  @Test
  void pendingBuildIsResumedAndMarkedBuilt() {
    TableMetadata view = interruptedView();
    assertEquals(0, viewRows(view, 1));
    new ViewBuilder(schema, storage).resumePending();
    assertEquals(7, viewRows(view, 0));
    assertEquals(7, viewRows(view, 1));
    assertEquals(6, viewRows(view, 2));
    assertFalse(schema.current().table("ks", "mv").orElseThrow().view().building());
  }

  @Test
  void buildingTwiceGivesTheSameView() {
    TableMetadata view = interruptedView();
    ViewBuilder builder = new ViewBuilder(schema, storage);
    builder.build(view);
    builder.build(view);
    assertEquals(7, viewRows(view, 1));
    PartitionData p = storage.readPartition(view.id(), KeyEncoder.partitionKey(view, List.of(i(1))), ReadRange.all(),
        Clock.SYSTEM.nowInSeconds()).orElseThrow();
    assertTrue(p.rows().stream().allMatch(r -> r.livenessMicros() == 7), "original timestamps are kept");
  }

  @Test
  void builtViewsAreNotRebuilt() {
    TableMetadata view = interruptedView();
    schema.markViewBuilt("ks", "mv", view.id());
    new ViewBuilder(schema, storage).resumePending();
    assertEquals(0, viewRows(view, 1));
  }
}
