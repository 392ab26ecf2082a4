package io.meridian.cluster;

import io.meridian.common.MeridianException;
import io.meridian.replication.MutationCodec;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StoredRow;
import io.meridian.storage.TokenRange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The cluster's batch log: an internal table, placed and replicated like any table (its own
 * tablet Raft groups), holding each logged multi-tablet batch while it is being applied. One
 * batch is one partition: the key is the batch id, the single row holds the whole batch encoded
 * with {@link MutationCodec} (magic, version and CRC, so a damaged entry is refused on replay
 * rather than applied). Its table id is fixed and never appears in the schema: the metadata group
 * keeps its placement alive across schema changes.
 *
 * <p>Every cell of an entry is written at the batch's log time, and removal is a partition
 * deletion at that same time: the deletion shadows the entry whichever replica or replayer
 * writes it, and an entry cannot come back.
 */
final class BatchLog {
  /** The batch log's table id (name-based, so every node derives the same one). */
  static final UUID TABLE_ID = UUID.nameUUIDFromBytes("meridian-internal:batchlog".getBytes(StandardCharsets.UTF_8));
  /** Replicas of each batch log tablet (capped at the node count when placed). */
  static final int REPLICATION_FACTOR = 3;
  /** Largest encoded batch the log takes: room is left for the log entry's own framing. */
  static final int BATCH_BYTES_MAX = MutationCodec.ENTRY_BYTES_MAX - 64 * 1024;
  private static final String COLUMN = "mutations";
  /** The entry's one row: a non-empty clustering, so it is never taken for a static row. */
  private static final byte[] ROW = {0};

  private BatchLog() {}

  /** A logged batch: its id, its key in the log, when it was logged (microseconds) and its mutations. */
  record Entry(UUID id, PartitionKey key, long loggedAtMicros, List<Mutation> mutations) {}

  /**
   * The batch log's placement in a cluster of {@code nodes}: one tablet per node, each led by a
   * different node, so every node leads (and replays) a share of the log.
   */
  static TablePlacement placement(List<NodeRecord> nodes) {
    return TablePlacement.perNode(nodes, nodes.size(), REPLICATION_FACTOR, 0);
  }

  /**
   * A new batch id: the log time in microseconds (most significant half, so the replayer can tell
   * an entry's age from its id alone) and 64 random bits.
   */
  static UUID newId(long nowMicros, long random) {
    return new UUID(nowMicros, random);
  }

  /**
   * The key of batch {@code id} in tablet range {@code range}: the token is chosen inside the range
   * (from the id's random half), so the coordinator decides which batch log tablet takes the batch.
   */
  static PartitionKey key(UUID id, TokenRange range) {
    long width = range.end() - range.start(); // unsigned, >= 1
    long token = range.start() + 1 + Long.remainderUnsigned(id.getLeastSignificantBits(), width);
    return keyAt(id, token);
  }

  private static PartitionKey keyAt(UUID id, long token) {
    byte[] bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits()).array();
    return new PartitionKey(token, bytes);
  }

  /** The log write of a batch: refused (INVALID) when the batch is too large for one log entry. */
  static Mutation write(UUID id, PartitionKey key, List<Mutation> mutations) {
    byte[] encoded = MutationCodec.encode(mutations);
    if (encoded.length > BATCH_BYTES_MAX) {
      throw MeridianException.invalid("Batch too large: " + encoded.length + " bytes encoded, the batch log takes at most "
          + BATCH_BYTES_MAX);
    }
    long at = id.getMostSignificantBits();
    Cell cell = Cell.live(COLUMN, encoded, at);
    return new Mutation(TABLE_ID, key, DeletionTime.LIVE, List.of(),
        List.of(new RowUpdate(ROW, DeletionTime.LIVE, at, 0, Cell.NO_DELETION_TIME, List.of(cell))));
  }

  /** Removes the entry: a partition deletion at the entry's own log time. */
  static Mutation remove(Entry entry, int nowSeconds) {
    return new Mutation(TABLE_ID, entry.key(), new DeletionTime(entry.loggedAtMicros(), nowSeconds), List.of(), List.of());
  }

  /** The batch stored in {@code partition}; throws when the entry is damaged. */
  static Entry decode(PartitionData partition) {
    byte[] keyBytes = partition.key().serialized();
    if (keyBytes.length != 16) {
      throw new IllegalStateException("batch log key of " + keyBytes.length + " bytes, expected 16");
    }
    ByteBuffer b = ByteBuffer.wrap(keyBytes);
    UUID id = new UUID(b.getLong(), b.getLong());
    for (StoredRow row : partition.rows()) {
      for (Cell c : row.cells()) {
        if (c.column().equals(COLUMN)) {
          return new Entry(id, partition.key(), id.getMostSignificantBits(), MutationCodec.decode(c.value()));
        }
      }
    }
    throw new IllegalStateException("batch log entry " + id + " has no mutations cell");
  }
}
