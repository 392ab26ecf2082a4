package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RowUpdate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The entries a {@link WriteBatcher} sends, driven by hand: each entry completes when the test says so. */
class WriteBatcherTest {
  private static final UUID TABLE = UUID.randomUUID();

  /** Records every entry sent and leaves it pending until completed by the test. */
  private static final class Entries {
    final List<List<Mutation>> sent = new ArrayList<>();
    final List<CompletableFuture<Void>> replies = new ArrayList<>();

    synchronized CompletableFuture<Void> send(List<Mutation> mutations) {
      sent.add(List.copyOf(mutations));
      CompletableFuture<Void> reply = new CompletableFuture<>();
      replies.add(reply);
      return reply;
    }
  }

  @Test
  void aLoneWriteLeavesAtOnceAndWritesQueuedMeanwhileShareTheNextEntryInOrder() {
    Entries entries = new Entries();
    WriteBatcher batcher = new WriteBatcher(entries::send);
    CompletableFuture<Void> first = batcher.submit(List.of(mutation(1)));
    assertEquals(List.of(List.of(mutation(1))), entries.sent, "nothing in flight: sent without waiting");

    CompletableFuture<Void> second = batcher.submit(List.of(mutation(2)));
    CompletableFuture<Void> third = batcher.submit(List.of(mutation(3), mutation(4)));
    assertEquals(1, entries.sent.size(), "queued while the first entry is in flight");
    assertFalse(second.isDone());

    entries.replies.get(0).complete(null);
    assertTrue(first.isDone() && !first.isCompletedExceptionally());
    assertEquals(List.of(mutation(2), mutation(3), mutation(4)), entries.sent.get(1),
        "the queued writes leave together, in submission order");
    assertFalse(second.isDone(), "a write completes with its own entry, not before");

    entries.replies.get(1).complete(null);
    assertTrue(second.isDone() && third.isDone());
    assertFalse(second.isCompletedExceptionally() || third.isCompletedExceptionally());
  }

  @Test
  void aFailedEntryFailsEveryWriteInItAndLaterWritesStillLeave() throws InterruptedException {
    Entries entries = new Entries();
    WriteBatcher batcher = new WriteBatcher(entries::send);
    batcher.submit(List.of(mutation(1)));
    CompletableFuture<Void> a = batcher.submit(List.of(mutation(2)));
    CompletableFuture<Void> b = batcher.submit(List.of(mutation(3)));
    entries.replies.get(0).complete(null);
    RuntimeException lost = new IllegalStateException("no leader");
    CompletableFuture<Void> later = batcher.submit(List.of(mutation(4)));
    entries.replies.get(1).completeExceptionally(lost);
    for (CompletableFuture<Void> f : List.of(a, b)) {
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
      assertSame(lost, e.getCause());
    }
    assertEquals(List.of(mutation(4)), entries.sent.get(2), "the queue moves on after a failure");
    entries.replies.get(2).complete(null);
    assertTrue(later.isDone() && !later.isCompletedExceptionally());
  }

  @Test
  void anEntryHoldsAtMostItsMutationBoundButNeverSplitsAWrite() {
    Entries entries = new Entries();
    WriteBatcher batcher = new WriteBatcher(entries::send);
    batcher.submit(List.of(mutation(0)));
    int perWrite = 100;
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      List<Mutation> ms = new ArrayList<>();
      for (int i = 0; i < perWrite; i++) {
        ms.add(mutation(1 + w * perWrite + i));
      }
      writes.add(batcher.submit(ms));
    }
    // A write bigger than the bound goes alone, whole.
    List<Mutation> big = new ArrayList<>();
    for (int i = 0; i < WriteBatcher.MUTATIONS_PER_ENTRY_MAX + 10; i++) {
      big.add(mutation(10_000 + i));
    }
    writes.add(batcher.submit(big));
    for (int i = 0; i < 4; i++) {
      entries.replies.get(i).complete(null);
    }
    List<Integer> sizes = entries.sent.stream().map(List::size).toList();
    assertEquals(List.of(1, 2 * perWrite, 2 * perWrite, big.size()), sizes,
        "two writes of 100 fit the bound of " + WriteBatcher.MUTATIONS_PER_ENTRY_MAX + ", a third does not");
    assertTrue(writes.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
  }

  @Test
  void anEntryHoldsAtMostItsByteBound() {
    Entries entries = new Entries();
    WriteBatcher batcher = new WriteBatcher(entries::send);
    batcher.submit(List.of(mutation(0)));
    int valueBytes = (int) (WriteBatcher.PAYLOAD_BYTES_PER_ENTRY_MAX / 3);
    for (int i = 1; i <= 4; i++) {
      batcher.submit(List.of(mutation(i, valueBytes)));
    }
    entries.replies.get(0).complete(null);
    entries.replies.get(1).complete(null);
    assertEquals(List.of(1, 2, 2), entries.sent.stream().map(List::size).toList(),
        "two values of a third of the byte bound each fit, a third one does not (keys and headers add bytes)");
  }

  @Test
  void aSendThatThrowsFailsItsWritesAndFreesTheSlot() {
    List<List<Mutation>> sent = new ArrayList<>();
    WriteBatcher batcher = new WriteBatcher(ms -> {
      sent.add(ms);
      if (sent.size() == 1) {
        throw new IllegalStateException("client closed");
      }
      return CompletableFuture.completedFuture(null);
    });
    CompletableFuture<Void> failed = batcher.submit(List.of(mutation(1)));
    assertTrue(failed.isCompletedExceptionally());
    CompletableFuture<Void> next = batcher.submit(List.of(mutation(2)));
    assertTrue(next.isDone() && !next.isCompletedExceptionally(), "the failed send did not keep its slot");
  }

  private static final java.util.Map<Integer, Mutation> SMALL = new java.util.concurrent.ConcurrentHashMap<>();

  /** The same instance for the same i: mutations compare by identity (their byte arrays do). */
  private static Mutation mutation(int i) {
    return SMALL.computeIfAbsent(i, n -> mutation(n, 4));
  }

  private static Mutation mutation(int i, int valueBytes) {
    byte[] value = ByteBuffer.allocate(valueBytes).putInt(0, i).array();
    return new Mutation(TABLE, new PartitionKey(i * 7919L, ByteBuffer.allocate(4).putInt(i).array()), DeletionTime.LIVE,
        List.of(), List.of(new RowUpdate(new byte[0], DeletionTime.LIVE, 1L, 0, Cell.NO_DELETION_TIME,
            List.of(Cell.live("v", value, 1L)))));
  }
}
