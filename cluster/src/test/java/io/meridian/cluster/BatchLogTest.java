package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StoredRow;
import io.meridian.storage.TabletRanges;
import io.meridian.storage.TokenRange;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The batch log's entry format: keys, round trip, removal and limits. */
class BatchLogTest {
  private static final UUID TABLE = UUID.randomUUID();

  private static Mutation userWrite(long token, String column, byte[] value) {
    return new Mutation(TABLE, new PartitionKey(token, new byte[] {(byte) token}), DeletionTime.LIVE, List.of(),
        List.of(new RowUpdate(new byte[] {2}, DeletionTime.LIVE, 7, 0, Cell.NO_DELETION_TIME,
            List.of(Cell.live(column, value, 7)))));
  }

  /** What a read of the log returns for the written entry (a live row with its cells). */
  private static PartitionData stored(Mutation logWrite) {
    RowUpdate row = logWrite.rows().get(0);
    return new PartitionData(logWrite.key(), null, List.of(new StoredRow(row.clustering(),
        row.primaryKeyLivenessMicros(), 0, Cell.NO_DELETION_TIME, row.cells())));
  }

  @Test
  void keysLandInTheChosenTabletForAnyRandomHalf() {
    long[] randoms = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x1234_5678_9abc_def0L};
    for (int tablets : new int[] {1, 3, 7}) {
      List<TokenRange> ranges = TabletRanges.split(tablets);
      for (int i = 0; i < tablets; i++) {
        for (long r : randoms) {
          PartitionKey key = BatchLog.key(BatchLog.newId(1_000, r), ranges.get(i));
          assertTrue(ranges.get(i).contains(key.token()), "token " + key.token() + " in " + ranges.get(i));
          assertEquals(i, TabletRanges.indexOf(key.token(), tablets));
          assertEquals(16, key.serialized().length);
        }
      }
    }
  }

  @Test
  void anEntryDecodesToTheSameBatchAndItsRemovalShadowsIt() {
    UUID id = BatchLog.newId(1_700_000_000_000_000L, 42);
    PartitionKey key = BatchLog.key(id, TokenRange.FULL);
    List<Mutation> batch = List.of(userWrite(5, "v", new byte[] {1, 2}), userWrite(-9, "w", new byte[0]));
    Mutation logWrite = BatchLog.write(id, key, batch);
    assertEquals(BatchLog.TABLE_ID, logWrite.tableId());

    BatchLog.Entry entry = BatchLog.decode(stored(logWrite));
    assertEquals(id, entry.id());
    assertEquals(key, entry.key());
    assertEquals(1_700_000_000_000_000L, entry.loggedAtMicros(), "the log time comes from the id");
    assertEquals(2, entry.mutations().size());
    assertEquals(5, entry.mutations().get(0).key().token());
    assertArrayEquals(new byte[] {1, 2}, entry.mutations().get(0).rows().get(0).cells().get(0).value());
    assertArrayEquals(new byte[0], entry.mutations().get(1).rows().get(0).cells().get(0).value(), "empty value kept");

    Mutation removal = BatchLog.remove(entry, 100);
    assertEquals(key, removal.key());
    DeletionTime deletion = removal.partitionDeletion();
    assertTrue(deletion.deletes(logWrite.rows().get(0).cells().get(0).timestampMicros()), "shadows the entry");
    assertTrue(deletion.deletes(logWrite.rows().get(0).primaryKeyLivenessMicros()), "and its liveness");
    assertFalse(deletion.deletes(entry.loggedAtMicros() + 1), "not a later entry");
  }

  @Test
  void aDamagedEntryIsRefused() {
    UUID id = BatchLog.newId(5, 6);
    Mutation logWrite = BatchLog.write(id, BatchLog.key(id, TokenRange.FULL), List.of(userWrite(1, "v", new byte[] {9})));
    byte[] encoded = logWrite.rows().get(0).cells().get(0).value().clone();
    encoded[encoded.length - 1] ^= 1;
    RowUpdate row = logWrite.rows().get(0);
    PartitionData damaged = new PartitionData(logWrite.key(), null, List.of(new StoredRow(row.clustering(), 5, 0,
        Cell.NO_DELETION_TIME, List.of(Cell.live("mutations", encoded, 5)))));
    assertThrows(RuntimeException.class, () -> BatchLog.decode(damaged));
    PartitionData empty = new PartitionData(logWrite.key(), null, List.of());
    assertThrows(IllegalStateException.class, () -> BatchLog.decode(empty));
  }

  @Test
  void aBatchTooLargeForOneLogEntryIsInvalid() {
    UUID id = BatchLog.newId(5, 6);
    List<Mutation> huge = List.of(userWrite(1, "v", new byte[BatchLog.BATCH_BYTES_MAX]));
    MeridianException e = assertThrows(MeridianException.class,
        () -> BatchLog.write(id, BatchLog.key(id, TokenRange.FULL), huge));
    assertEquals(CqlErrorCode.INVALID, e.code());
    assertTrue(e.getMessage().startsWith("Batch too large"), e.getMessage());
  }
}
