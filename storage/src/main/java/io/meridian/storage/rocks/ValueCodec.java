package io.meridian.storage.rocks;

import io.meridian.common.Invariants;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.RangeTombstone;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Versioned, checksummed values. Rows are written in format 2 and read in formats 1 (no column
 * deletions) and 2; partition headers are written and read in format 1. Every value is {@code [format u8][kind u8][body][crc32c i32]}, the
 * checksum covering every byte before it. Integers are big-endian.
 *
 * <pre>
 * row (kind 1), at named offsets:
 *   ROW_DELETION_AT_OFFSET     i64  row deletion markedForDeleteAt (Long.MIN_VALUE = live)
 *   ROW_DELETION_LDT_OFFSET    i32  row deletion local deletion time
 *   LIVENESS_MICROS_OFFSET     i64  primary key liveness timestamp (-1 = none)
 *   LIVENESS_TTL_OFFSET        i32  liveness TTL seconds (0 = none)
 *   LIVENESS_LDT_OFFSET        i32  liveness expiry second
 *   CELL_COUNT_OFFSET          i32  number of cells, then the cells sorted by (column, path):
 *     u16 column length, column UTF-8, i32 path length, path, u8 flags (bit 0 = tombstone),
 *     [i32 value length, value]  (absent for a tombstone), i64 timestamp, i32 ttl, i32 ldt
 *   format 2 only, after the cells: i32 number of column deletions, then per column deletion
 *     (distinct columns): u16 column length, column UTF-8, i64 markedForDeleteAt, i32 ldt
 * partition header (kind 2, format 1):
 *   PARTITION_DELETION_AT_OFFSET i64, PARTITION_DELETION_LDT_OFFSET i32,
 *   RANGE_TOMBSTONE_COUNT_OFFSET i32, then per range tombstone:
 *     i32 start length, start, i32 end length (-1 = open end), end, i64 markedForDeleteAt, i32 ldt
 * </pre>
 */
final class ValueCodec {
  static final byte FORMAT_V1 = 1;
  /** Format 1 plus per-column deletions after the cells; rows only. */
  static final byte FORMAT_V2 = 2;
  static final byte KIND_ROW = 1;
  static final byte KIND_PARTITION_HEADER = 2;

  static final int FORMAT_OFFSET = 0;
  static final int KIND_OFFSET = 1;
  static final int ROW_DELETION_AT_OFFSET = 2;
  static final int ROW_DELETION_LDT_OFFSET = 10;
  static final int LIVENESS_MICROS_OFFSET = 14;
  static final int LIVENESS_TTL_OFFSET = 22;
  static final int LIVENESS_LDT_OFFSET = 26;
  static final int CELL_COUNT_OFFSET = 30;
  static final int CELLS_OFFSET = 34;
  static final int PARTITION_DELETION_AT_OFFSET = 2;
  static final int PARTITION_DELETION_LDT_OFFSET = 10;
  static final int RANGE_TOMBSTONE_COUNT_OFFSET = 14;
  static final int RANGE_TOMBSTONES_OFFSET = 18;
  static final int CHECKSUM_BYTES = 4;
  static final int COLUMN_NAME_BYTES_MAX = io.meridian.storage.MutationChecks.COLUMN_NAME_BYTES_MAX;
  private static final byte CELL_FLAG_TOMBSTONE = 1;

  private ValueCodec() {}

  // ---------------------------------------------------------------- rows

  static byte[] encodeRow(RowState row) {
    checkRow(row);
    int size = CELLS_OFFSET + CHECKSUM_BYTES;
    for (Cell c : row.cells.values()) {
      size += 2 + utf8(c.column()).length + 4 + c.path().length + 1 + 8 + 4 + 4;
      if (!c.isTombstone()) {
        size += 4 + c.value().length;
      }
    }
    size += 4;
    for (String column : row.columnDeletions.keySet()) {
      size += 2 + utf8(column).length + 8 + 4;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(FORMAT_V2).put(KIND_ROW);
    b.putLong(row.rowDeletion.markedForDeleteAtMicros()).putInt(row.rowDeletion.localDeletionTime());
    b.putLong(row.livenessMicros).putInt(row.livenessTtlSeconds).putInt(row.livenessLocalDeletionTime);
    b.putInt(row.cells.size());
    for (Cell c : row.cells.values()) {
      byte[] name = utf8(c.column());
      b.putShort((short) name.length).put(name);
      b.putInt(c.path().length).put(c.path());
      b.put(c.isTombstone() ? CELL_FLAG_TOMBSTONE : 0);
      if (!c.isTombstone()) {
        b.putInt(c.value().length).put(c.value());
      }
      b.putLong(c.timestampMicros()).putInt(c.ttlSeconds()).putInt(c.localDeletionTime());
    }
    b.putInt(row.columnDeletions.size());
    for (var e : row.columnDeletions.entrySet()) {
      byte[] name = utf8(e.getKey());
      b.putShort((short) name.length).put(name);
      b.putLong(e.getValue().markedForDeleteAtMicros()).putInt(e.getValue().localDeletionTime());
    }
    Invariants.check(b.remaining() == CHECKSUM_BYTES, "row encoding size: %d bytes left", b.remaining());
    b.putInt(crc(b.array(), size - CHECKSUM_BYTES));
    return b.array();
  }

  static RowState decodeRow(byte[] key, byte[] value) {
    ByteBuffer b = verified(key, value, KIND_ROW, true);
    try {
      RowState row = new RowState();
      b.position(ROW_DELETION_AT_OFFSET);
      row.rowDeletion = deletion(b.getLong(), b.getInt());
      row.livenessMicros = b.getLong();
      row.livenessTtlSeconds = b.getInt();
      row.livenessLocalDeletionTime = b.getInt();
      int count = b.getInt();
      if (count < 0 || count > b.remaining()) {
        throw new StorageCorruptionException("cell count " + count, key);
      }
      for (int i = 0; i < count; i++) {
        byte[] name = bytes(b, b.getShort() & 0xFFFF, key);
        byte[] path = bytes(b, b.getInt(), key);
        byte flags = b.get();
        byte[] v = null;
        if ((flags & CELL_FLAG_TOMBSTONE) == 0) {
          v = bytes(b, b.getInt(), key);
        }
        Cell c = new Cell(new String(name, StandardCharsets.UTF_8), path, v, b.getLong(), b.getInt(), b.getInt());
        if (row.cells.put(CellName.of(c), c) != null) {
          throw new StorageCorruptionException("duplicate cell " + c.column(), key);
        }
      }
      if (value[FORMAT_OFFSET] == FORMAT_V2) {
        int deletions = b.getInt();
        if (deletions < 0 || deletions > b.remaining()) {
          throw new StorageCorruptionException("column deletion count " + deletions, key);
        }
        for (int i = 0; i < deletions; i++) {
          String column = new String(bytes(b, b.getShort() & 0xFFFF, key), StandardCharsets.UTF_8);
          DeletionTime d = deletion(b.getLong(), b.getInt());
          if (d.isLive() || row.columnDeletions.put(column, d) != null) {
            throw new StorageCorruptionException("column deletion of " + column, key);
          }
        }
      }
      if (b.remaining() != 0) {
        throw new StorageCorruptionException(b.remaining() + " trailing bytes in row", key);
      }
      checkRowRead(row, key);
      return row;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new StorageCorruptionException("truncated row", key);
    }
  }

  /** Checks before writing: what must hold for every row that reaches RocksDB. */
  private static void checkRow(RowState row) {
    Invariants.check(!row.isEmpty(), "an empty row is deleted, never written");
    Invariants.check(row.livenessMicros >= RowState.NO_LIVENESS, "liveness %d", row.livenessMicros);
    Invariants.check(row.livenessTtlSeconds >= 0, "liveness ttl %d", row.livenessTtlSeconds);
    for (Cell c : row.cells.values()) {
      Invariants.check(c.column() != null && c.path() != null, "cell column and path set");
      Invariants.check(utf8(c.column()).length <= COLUMN_NAME_BYTES_MAX, "column name too long");
      Invariants.check(c.ttlSeconds() >= 0, "cell ttl %d", c.ttlSeconds());
      Invariants.check(!c.isTombstone() || c.ttlSeconds() == 0, "tombstone without ttl");
      Invariants.check(row.rowDeletion.isLive() || !row.rowDeletion.deletes(c.timestampMicros()),
          "row holds a cell its own deletion shadows");
      Invariants.check(!Reconcile.shadowedByColumn(row, c), "row holds a cell a column deletion shadows");
    }
    for (var e : row.columnDeletions.entrySet()) {
      Invariants.check(utf8(e.getKey()).length <= COLUMN_NAME_BYTES_MAX, "column name too long");
      Invariants.check(!e.getValue().isLive(), "column deletion of %s is live", e.getKey());
      Invariants.check(row.rowDeletion.isLive() || !row.rowDeletion.deletes(e.getValue().markedForDeleteAtMicros()),
          "row holds a column deletion its own deletion covers");
    }
  }

  /** Checks after reading: the same properties, reported as corruption of that key. */
  private static void checkRowRead(RowState row, byte[] key) {
    if (row.isEmpty() || row.livenessMicros < RowState.NO_LIVENESS || row.livenessTtlSeconds < 0) {
      throw new StorageCorruptionException("row header out of range", key);
    }
    for (Cell c : row.cells.values()) {
      if (c.ttlSeconds() < 0 || (c.isTombstone() && c.ttlSeconds() != 0)) {
        throw new StorageCorruptionException("cell ttl out of range", key);
      }
    }
  }

  // ---------------------------------------------------------------- partition headers

  static byte[] encodeHeader(PartitionHeader h) {
    Invariants.check(!h.isEmpty(), "an empty partition header is deleted, never written");
    int size = RANGE_TOMBSTONES_OFFSET + CHECKSUM_BYTES;
    for (RangeTombstone rt : h.rangeTombstones) {
      Invariants.check(rt.start() != null && !rt.deletion().isLive(), "range tombstone start and deletion set");
      Invariants.check(rt.end() == null || Arrays.compareUnsigned(rt.start(), rt.end()) < 0,
          "range tombstone start < end");
      size += 4 + rt.start().length + 4 + (rt.end() == null ? 0 : rt.end().length) + 12;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(FORMAT_V1).put(KIND_PARTITION_HEADER);
    b.putLong(h.partitionDeletion.markedForDeleteAtMicros()).putInt(h.partitionDeletion.localDeletionTime());
    b.putInt(h.rangeTombstones.size());
    for (RangeTombstone rt : h.rangeTombstones) {
      b.putInt(rt.start().length).put(rt.start());
      if (rt.end() == null) {
        b.putInt(-1);
      } else {
        b.putInt(rt.end().length).put(rt.end());
      }
      b.putLong(rt.deletion().markedForDeleteAtMicros()).putInt(rt.deletion().localDeletionTime());
    }
    Invariants.check(b.remaining() == CHECKSUM_BYTES, "header encoding size");
    b.putInt(crc(b.array(), size - CHECKSUM_BYTES));
    return b.array();
  }

  static PartitionHeader decodeHeader(byte[] key, byte[] value) {
    ByteBuffer b = verified(key, value, KIND_PARTITION_HEADER, false);
    try {
      PartitionHeader h = new PartitionHeader();
      b.position(PARTITION_DELETION_AT_OFFSET);
      h.partitionDeletion = deletion(b.getLong(), b.getInt());
      int count = b.getInt();
      if (count < 0 || count > b.remaining()) {
        throw new StorageCorruptionException("range tombstone count " + count, key);
      }
      for (int i = 0; i < count; i++) {
        byte[] start = bytes(b, b.getInt(), key);
        int endLength = b.getInt();
        byte[] end = endLength == -1 ? null : bytes(b, endLength, key);
        DeletionTime d = deletion(b.getLong(), b.getInt());
        if (d.isLive() || (end != null && Arrays.compareUnsigned(start, end) >= 0)) {
          throw new StorageCorruptionException("range tombstone bounds", key);
        }
        h.rangeTombstones.add(new io.meridian.storage.RangeTombstone(start, end, d));
      }
      if (b.remaining() != 0 || h.isEmpty()) {
        throw new StorageCorruptionException("partition header layout", key);
      }
      return h;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new StorageCorruptionException("truncated partition header", key);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Checks length, checksum, format (1, or also 2 when {@code v2Allowed}) and kind. */
  private static ByteBuffer verified(byte[] key, byte[] value, byte kind, boolean v2Allowed) {
    if (value.length < KIND_OFFSET + 1 + CHECKSUM_BYTES) {
      throw new StorageCorruptionException("value of " + value.length + " bytes", key);
    }
    ByteBuffer b = ByteBuffer.wrap(value, 0, value.length - CHECKSUM_BYTES);
    int stored = ByteBuffer.wrap(value, value.length - CHECKSUM_BYTES, CHECKSUM_BYTES).getInt();
    if (stored != crc(value, value.length - CHECKSUM_BYTES)) {
      throw new StorageCorruptionException("checksum mismatch", key);
    }
    if (value[FORMAT_OFFSET] != FORMAT_V1 && !(v2Allowed && value[FORMAT_OFFSET] == FORMAT_V2)) {
      throw new StorageCorruptionException("unknown value format " + value[FORMAT_OFFSET], key);
    }
    if (value[KIND_OFFSET] != kind) {
      throw new StorageCorruptionException("value kind " + value[KIND_OFFSET] + ", expected " + kind, key);
    }
    return b.slice();
  }

  private static DeletionTime deletion(long at, int ldt) {
    return at == Long.MIN_VALUE ? DeletionTime.LIVE : new DeletionTime(at, ldt);
  }

  private static byte[] bytes(ByteBuffer b, int length, byte[] key) {
    if (length < 0 || length > b.remaining()) {
      throw new StorageCorruptionException("field length " + length, key);
    }
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static int crc(byte[] data, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, length);
    return (int) crc.getValue();
  }
}
