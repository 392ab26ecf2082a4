package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import io.meridian.storage.ReadConsistency;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A query of partitions by key reads them without holding the calling thread: {@link SelectExecutor}
 * returns before the storage answers, and collects the page once it has. Table (k int, c int,
 * v int, PRIMARY KEY (k, c)); partitions k = 1, 2 with rows c = 0, 1, 2 and v = 10k + c.
 */
class SelectAsyncReadTest {
  private static final TableMetadata TABLE = new TableMetadata("ks", "t", UUID.randomUUID(), List.of(
      ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
      ColumnMetadata.clustering("c", CqlTypes.INT, 0, ClusteringOrder.ASC),
      ColumnMetadata.regular("v", CqlTypes.INT)), TableParams.DEFAULT);

  /** A storage whose asynchronous reads wait until the test answers them. */
  private static final class HeldReads extends MemoryStorage {
    record Held(PartitionKey key, ReadRange range, CompletableFuture<Optional<PartitionData>> answer) {}

    final LinkedBlockingQueue<Held> held = new LinkedBlockingQueue<>();
    int syncReads;

    @Override
    public Optional<PartitionData> readPartition(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds) {
      syncReads++;
      return super.readPartition(tableId, key, range, nowSeconds);
    }

    @Override
    public CompletableFuture<Optional<PartitionData>> readPartitionAsync(UUID tableId, PartitionKey key, ReadRange range,
                                                                         int nowSeconds, ReadConsistency consistency) {
      CompletableFuture<Optional<PartitionData>> answer = new CompletableFuture<>();
      held.add(new Held(key, range, answer));
      return answer;
    }

    /** Answers the one held read from a thread of its own, as a replica's answer arrives. */
    Held answerNext() throws InterruptedException {
      Held h = held.poll(5, TimeUnit.SECONDS);
      assertNotNull(h, "a read was started");
      Optional<PartitionData> data = super.readPartition(TABLE.id(), h.key, h.range, 0);
      Thread answering = new Thread(() -> h.answer.complete(data), "storage-answer");
      answering.start();
      answering.join();
      return h;
    }
  }

  private final HeldReads storage = new HeldReads();
  private final SelectExecutor executor = new SelectExecutor(storage);

  SelectAsyncReadTest() {
    for (int k = 1; k <= 2; k++) {
      PartitionKey key = KeyEncoder.partitionKey(TABLE, List.of(CqlTypes.INT.encode(k)));
      List<StoredRow> rows = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        byte[] clustering = KeyEncoder.clustering(TABLE, List.of(CqlTypes.INT.encode(c)));
        rows.add(new StoredRow(clustering, 1L, 0, Integer.MAX_VALUE,
            List.of(Cell.live("v", bytes(CqlTypes.INT.encode(10 * k + c)), 1L))));
      }
      storage.partitions.put(key, new PartitionData(key, null, rows));
    }
  }

  private CompletableFuture<Rows> start(String cql, int pageSize, ByteBuffer pagingState) {
    Select select = (Select) CqlParser.parse(cql);
    return executor.execute(TABLE, select, Selection.of(TABLE, select), new Terms(BoundValues.NONE, Clock.SYSTEM),
        new SelectExecutor.Page(pageSize, pagingState, 1, false, null, ReadConsistency.ANY_REPLICA), 0);
  }

  @Test
  void aOnePartitionQueryReturnsBeforeItsReadIsAnsweredAndCollectsThePageAfter() throws Exception {
    CompletableFuture<Rows> page = start("SELECT c, v FROM ks.t WHERE k = 2", 0, null);
    assertFalse(page.isDone(), "the caller is not held while the storage answers");
    HeldReads.Held read = storage.answerNext();
    assertEquals(KeyEncoder.partitionKey(TABLE, List.of(CqlTypes.INT.encode(2))), read.key());
    assertEquals(List.of(List.of(0, 20), List.of(1, 21), List.of(2, 22)), ints(page.get(5, TimeUnit.SECONDS)));
    assertEquals(0, storage.syncReads, "the partition is read once, asynchronously");
  }

  @Test
  void theRowLimitAndAPagingStateReachTheAsynchronousRead() throws Exception {
    CompletableFuture<Rows> first = start("SELECT c, v FROM ks.t WHERE k = 1 LIMIT 2", 1, null);
    assertEquals(1, storage.answerNext().range().limitRows(), "a page of one row reads one row");
    Rows firstPage = first.get(5, TimeUnit.SECONDS);
    assertEquals(List.of(List.of(0, 10)), ints(firstPage));
    ByteBuffer state = firstPage.getMetadata().pagingState;
    assertNotNull(state, "more rows follow within the LIMIT");

    CompletableFuture<Rows> second = start("SELECT c, v FROM ks.t WHERE k = 1 LIMIT 2", 1, state);
    assertFalse(second.isDone());
    storage.answerNext();
    Rows secondPage = second.get(5, TimeUnit.SECONDS);
    assertEquals(List.of(List.of(1, 11)), ints(secondPage), "the second page resumes after the first page's row");
    assertNull(secondPage.getMetadata().pagingState, "LIMIT 2 is reached");
    assertEquals(0, storage.syncReads);
  }

  @Test
  void aFailedReadFailsTheQueryWithItsCause() {
    CompletableFuture<Rows> page = start("SELECT c, v FROM ks.t WHERE k = 1", 0, null);
    MeridianException refused = MeridianException.invalid("replica refused");
    storage.held.poll().answer().completeExceptionally(refused);
    CompletionException failure = assertThrows(CompletionException.class, page::join);
    assertSame(refused, failure.getCause());
  }

  @Test
  void anInListReadsItsPartitionsAtOnce() throws Exception {
    CompletableFuture<Rows> page = start("SELECT k, c FROM ks.t WHERE k IN (1, 2) AND c = 1", 0, null);
    assertFalse(page.isDone());
    assertEquals(2, storage.held.size(), "both partitions are asked for before either answers");
    storage.answerNext();
    assertFalse(page.isDone(), "the page waits for every partition");
    storage.answerNext();
    List<List<Integer>> rows = ints(page.get(5, TimeUnit.SECONDS));
    rows.sort(java.util.Comparator.comparing(r -> r.get(0))); // partitions come in token order
    assertEquals(List.of(List.of(1, 1), List.of(2, 1)), rows);
    assertEquals(0, storage.syncReads);
  }

  @Test
  void pagesOfAnInListResumeInsideAPartitionAndGoOnToTheNext() throws Exception {
    List<List<Integer>> all = new ArrayList<>();
    ByteBuffer state = null;
    int pages = 0;
    do {
      CompletableFuture<Rows> page = start("SELECT k, c, v FROM ks.t WHERE k IN (1, 2)", 2, state);
      while (!page.isDone()) {
        storage.answerNext();
      }
      Rows rows = page.get(5, TimeUnit.SECONDS);
      assertTrue(rows.getData().size() <= 2, "a page holds at most two rows");
      all.addAll(ints(rows));
      state = rows.getMetadata().pagingState;
      pages++;
    } while (state != null && pages < 10);
    // Six rows in pages of two (a full last page may be followed by an empty one, as in Cassandra);
    // the partitions come in token order, each in clustering order.
    assertTrue(pages == 3 || pages == 4, pages + " pages");
    int first = all.get(0).get(0);
    int second = 3 - first;
    List<List<Integer>> expected = new ArrayList<>();
    for (int k : new int[] {first, second}) {
      for (int c = 0; c < 3; c++) {
        expected.add(List.of(k, c, 10 * k + c));
      }
    }
    assertEquals(expected, all);
    assertEquals(0, storage.syncReads);
  }

  @Test
  void aQueryOfSeveralClusteringRangesReadsOnTheCallingThread() {
    // Its ranges are read one after another (the static row, if any, with the first found), so
    // it runs as before: on the calling thread.
    CompletableFuture<Rows> page = start("SELECT c, v FROM ks.t WHERE k = 1 AND c IN (0, 2)", 0, null);
    assertTrue(page.isDone(), "answered on the calling thread");
    assertEquals(List.of(List.of(0, 10), List.of(2, 12)), ints(page.join()));
    assertTrue(storage.held.isEmpty());
    assertEquals(2, storage.syncReads);
  }

  private static List<List<Integer>> ints(Rows rows) {
    List<List<Integer>> out = new ArrayList<>();
    for (List<ByteBuffer> row : rows.getData()) {
      List<Integer> values = new ArrayList<>();
      for (ByteBuffer b : row) {
        values.add(b.getInt(b.position()));
      }
      out.add(values);
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
