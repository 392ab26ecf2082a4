package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.protocol.internal.response.result.Rows;
import io.meridian.common.Clock;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Select;
import io.meridian.cql.parser.CqlParser;
import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.TableParams;
import io.meridian.storage.Cell;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GROUP BY and aggregates through {@link SelectExecutor} over an in-memory storage (the protocol
 * path refuses GROUP BY until QueryProcessor lets it through). Table (k int, a int, b int, v int,
 * PRIMARY KEY (k, a, b)); partitions k = 1, 2; rows (a, b) in {0, 1} x {0, 1, 2}; v = 10k + 3a + b.
 */
class AggregateGroupByTest {
  private static final TableMetadata TABLE = new TableMetadata("ks", "t", UUID.randomUUID(), List.of(
      ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
      ColumnMetadata.clustering("a", CqlTypes.INT, 0, ClusteringOrder.ASC),
      ColumnMetadata.clustering("b", CqlTypes.INT, 1, ClusteringOrder.ASC),
      ColumnMetadata.regular("v", CqlTypes.INT)), TableParams.DEFAULT);

  private final MemoryStorage storage = new MemoryStorage();

  AggregateGroupByTest() {
    for (int k = 1; k <= 2; k++) {
      PartitionKey key = KeyEncoder.partitionKey(TABLE, List.of(CqlTypes.INT.encode(k)));
      List<StoredRow> rows = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 3; b++) {
          byte[] clustering = KeyEncoder.clustering(TABLE, List.of(CqlTypes.INT.encode(a), CqlTypes.INT.encode(b)));
          byte[] v = bytes(CqlTypes.INT.encode(10 * k + 3 * a + b));
          rows.add(new StoredRow(clustering, 1L, 0, Integer.MAX_VALUE, List.of(Cell.live("v", v, 1L))));
        }
      }
      storage.partitions.put(key, new PartitionData(key, null, rows));
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private List<List<Object>> run(String cql) {
    Select select = (Select) CqlParser.parse(cql);
    Selection selection = Selection.of(TABLE, select);
    Terms terms = new Terms(BoundValues.NONE, Clock.SYSTEM);
    // Pages of two: GROUP BY results are paged by groups, and no group is split across pages.
    List<List<Object>> out = new ArrayList<>();
    ByteBuffer pagingState = null;
    do {
      Rows rows = new SelectExecutor(storage).execute(TABLE, select, selection, terms,
          new SelectExecutor.Page(2, pagingState, 1, false, null, io.meridian.storage.ReadConsistency.LINEARIZABLE), 0).join();
      assertTrue(rows.getData().size() <= 2, "a page holds at most two groups");
      for (List<ByteBuffer> r : rows.getData()) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          Selection.Output o = selection.outputs.get(i);
          row.add(r.get(i) == null ? null : o.type().decode(r.get(i)));
        }
        out.add(row);
      }
      pagingState = rows.getMetadata().pagingState;
    } while (pagingState != null);
    return out;
  }

  @Test
  void groupByPartitionKey() {
    assertEquals(List.of(List.of(1, 6L, 10, 15, 75), List.of(2, 6L, 20, 25, 135)),
        sortedByFirst(run("SELECT k, count(*), min(v), max(v), sum(v) FROM ks.t GROUP BY k")));
  }

  @Test
  void groupByClusteringPrefixTakesPlainColumnsFromTheFirstRow() {
    assertEquals(List.of(List.of(1, 0, 0, 3L, 11), List.of(1, 1, 0, 3L, 14)),
        run("SELECT k, a, b, count(v), avg(v) FROM ks.t WHERE k = 1 GROUP BY k, a"));
  }

  @Test
  void groupByWithoutAggregatesGivesTheFirstRowOfEachGroup() {
    assertEquals(List.of(List.of(0, 0), List.of(1, 0)), run("SELECT a, b FROM ks.t WHERE k = 1 GROUP BY k, a"));
  }

  @Test
  void groupByFullKeyIsOneGroupPerRow() {
    assertEquals(6, run("SELECT count(*) FROM ks.t WHERE k = 2 GROUP BY k, a, b").size());
  }

  @Test
  void columnRestrictedByEqualityMayBeSkipped() {
    assertEquals(List.of(List.of(0, 1L), List.of(1, 1L), List.of(2, 1L)),
        run("SELECT b, count(*) FROM ks.t WHERE k = 1 AND a = 1 GROUP BY b"));
  }

  @Test
  void limitAndPerPartitionLimitCountGroups() {
    assertEquals(3, run("SELECT k, a, count(*) FROM ks.t GROUP BY k, a LIMIT 3").size());
    List<List<Object>> perPartition = run("SELECT k, a, count(*) FROM ks.t GROUP BY k, a PER PARTITION LIMIT 1");
    assertEquals(2, perPartition.size());
    assertTrue(perPartition.stream().allMatch(r -> r.get(1).equals(0) && r.get(2).equals(3L)));
  }

  @Test
  void groupByOfNoRowsGivesNoRowsButAPlainAggregateGivesOne() {
    assertEquals(List.of(), run("SELECT k, count(*) FROM ks.t WHERE k = 9 GROUP BY k"));
    assertEquals(List.of(Arrays.asList(0L, null, 0)), run("SELECT count(*), max(v), sum(v) FROM ks.t WHERE k = 9"));
  }

  @Test
  void aggregateLimitCountsResultRowsNotInputRows() {
    assertEquals(List.of(List.of(12L)), run("SELECT count(*) FROM ks.t LIMIT 1"));
  }

  @Test
  void groupByErrors() {
    assertError("SELECT count(*) FROM ks.t GROUP BY v", "only supported on the columns of the PRIMARY KEY", "v");
    assertError("SELECT count(*) FROM ks.t GROUP BY k, b", "following their declared order in the PRIMARY KEY");
    assertError("SELECT count(*) FROM ks.t GROUP BY a", "following their declared order in the PRIMARY KEY");
  }

  private static void assertError(String cql, String... keywords) {
    MeridianException e = assertThrows(MeridianException.class, () -> Selection.of(TABLE, (Select) CqlParser.parse(cql)));
    for (String k : keywords) {
      assertTrue(e.getMessage().contains(k), () -> "message lacks '" + k + "': " + e.getMessage());
    }
  }

  private static List<List<Object>> sortedByFirst(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(r -> (Integer) r.get(0)));
    return copy;
  }
}
