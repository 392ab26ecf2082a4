package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Select;
import io.meridian.cql.parser.CqlParser;
import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.TableParams;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RowUpdate;
import io.meridian.types.CqlTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClientWarningsTest {
  private static final TableMetadata TABLE = new TableMetadata("ks", "t", UUID.randomUUID(), List.of(
      ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
      ColumnMetadata.clustering("c", CqlTypes.INT, 0, ClusteringOrder.ASC),
      ColumnMetadata.regular("v", CqlTypes.TEXT)), TableParams.DEFAULT);
  private static final ClientWarnings.BatchThresholds THRESHOLDS = new ClientWarnings.BatchThresholds(100, 300, 2);

  private static Mutation write(int key, int valueBytes) {
    Cell cell = Cell.live("v", new byte[valueBytes], 1L);
    RowUpdate row = new RowUpdate(new byte[] {1, 2, 3, 4}, DeletionTime.LIVE, 1L, 0, Cell.NO_DELETION_TIME, List.of(cell));
    return new Mutation(TABLE.id(), new PartitionKey(key, new byte[] {(byte) key}), DeletionTime.LIVE, List.of(), List.of(row));
  }

  private static List<String> warningsOf(Runnable check) {
    RequestContext context = new RequestContext(null);
    context.runAs(() -> {
      check.run();
      return null;
    });
    return context.warnings();
  }

  private static List<String> batchWarnings(boolean logged, List<Mutation> mutations) {
    return batchWarnings(logged, mutations, THRESHOLDS);
  }

  private static List<String> batchWarnings(boolean logged, List<Mutation> mutations, ClientWarnings.BatchThresholds t) {
    return warningsOf(() -> ClientWarnings.checkBatch(logged, mutations, Map.of(TABLE.id(), TABLE), t));
  }

  @Test
  void dataSizeCountsValuesKeysAndOverheads() {
    // 20 per row + 4 clustering bytes + 16 per cell + 50 value bytes
    assertEquals(90, ClientWarnings.dataSizeBytes(write(1, 50)));
  }

  @Test
  void sizeWarningAndFailureNeedSeveralPartitions() {
    assertEquals(List.of(), batchWarnings(true, List.of(write(1, 10), write(2, 10))));
    assertEquals(List.of("Batch for [ks.t] is of size 140, exceeding specified threshold of 100 by 40."),
        batchWarnings(true, List.of(write(1, 30), write(2, 30))));
    assertEquals(List.of(), batchWarnings(true, List.of(write(1, 500), write(1, 500))), "one partition");
    MeridianException e = assertThrows(MeridianException.class,
        () -> batchWarnings(true, List.of(write(1, 200), write(2, 200))));
    assertEquals("Batch too large", e.getMessage());
  }

  @Test
  void unloggedWarningAboveThePartitionThreshold() {
    ClientWarnings.BatchThresholds large = new ClientWarnings.BatchThresholds(10_000, 20_000, 2);
    assertEquals(List.of(), batchWarnings(false, List.of(write(1, 1), write(2, 1)), large));
    List<Mutation> three = new ArrayList<>(List.of(write(1, 1), write(2, 1), write(3, 1), write(3, 1)));
    assertEquals(List.of("Unlogged batch covering 3 partitions detected against table [ks.t]. You should use a logged "
        + "batch for atomicity, or asynchronous writes for performance."), batchWarnings(false, three, large));
    assertEquals(List.of(), batchWarnings(true, three, large));
  }

  @Test
  void loggedBatchOnZeroGcGraceWarns() {
    TableMetadata zero = new TableMetadata("ks", "z", UUID.randomUUID(), TABLE.columns(),
        TableParams.DEFAULT.withOptions(Map.of(TableParams.GC_GRACE_SECONDS, 0)));
    Mutation m = new Mutation(zero.id(), new PartitionKey(1, new byte[] {1}), DeletionTime.LIVE, List.of(), List.of());
    List<String> w = warningsOf(() -> ClientWarnings.checkBatch(true, List.of(m), Map.of(zero.id(), zero), THRESHOLDS));
    assertEquals(1, w.size());
    assertTrue(w.get(0).startsWith("Executing a LOGGED BATCH on table [ks.z], configured with a gc_grace_seconds of 0."), w.get(0));
  }

  @Test
  void aggregationWarnings() {
    assertEquals(List.of(ClientWarnings.AGGREGATE_WITHOUT_KEY), aggregation("SELECT count(*) FROM ks.t WHERE c = 1 ALLOW FILTERING"));
    assertEquals(List.of(ClientWarnings.AGGREGATE_WITH_IN), aggregation("SELECT count(*) FROM ks.t WHERE k IN (1, 2)"));
    assertEquals(List.of(), aggregation("SELECT count(*) FROM ks.t WHERE k = 1"));
    assertEquals(List.of(), aggregation("SELECT count(*) FROM ks.t WHERE token(k) > 5"));
  }

  private static List<String> aggregation(String cql) {
    return warningsOf(() -> ClientWarnings.checkAggregation(TABLE, (Select) CqlParser.parse(cql)));
  }

  @Test
  void warningsOutsideARequestAreDropped() {
    ClientWarnings.checkAggregation(TABLE, (Select) CqlParser.parse("SELECT count(*) FROM ks.t"));
    assertEquals(null, RequestContext.current());
  }

  @Test
  void thresholdsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new ClientWarnings.BatchThresholds(100, 99, 1));
    assertThrows(IllegalArgumentException.class, () -> new ClientWarnings.BatchThresholds(0, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> new ClientWarnings.BatchThresholds(1, 10, 0));
  }
}
