package io.meridian.replication;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.RowUpdate;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The binary form of one replicated log entry: a list of mutations that must be applied
 * atomically (one write, or one logged batch on one tablet).
 *
 * <pre>
 * offset  size  field
 * 0       4     MAGIC ("MRMT"), big endian
 * 4       1     FORMAT_VERSION
 * 5       4     payload length in bytes (n)
 * 9       n     payload: u32 mutation count, then each mutation (below)
 * 9+n     4     CRC32C of bytes [0, 9+n)
 *
 * Format 2 is a guarded entry (a conditional write): its payload starts with i32 bucket and
 * i64 expectedVersion (see {@link ConflictVersions}), then holds the same mutation list, which may
 * be empty (it then only confirms that the bucket was unchanged).
 * Format 1 entries are still written for blind writes and still decode.
 * Format 3 is a truncation: its payload is only the uuid of the table whose rows in the tablet's
 * range are removed.
 *
 * mutation   = uuid tableId, i64 token, bytes key, deletion partitionDeletion,
 *              u32 count, rangeTombstone*, u32 count, rowUpdate*
 * rangeTomb. = nbytes start, nbytes end, deletion
 * rowUpdate  = nbytes clustering, deletion rowDeletion, i64 pkLivenessMicros, i32 livenessTtl,
 *              i32 livenessLocalDeletionTime, u32 count, cell*, u32 count, (string, deletion)*
 * cell       = string column, nbytes path, nbytes value, i64 timestampMicros, i32 ttl,
 *              i32 localDeletionTime
 * deletion   = i64 markedForDeleteAtMicros, i32 localDeletionTime
 * uuid       = i64 msb, i64 lsb
 * bytes      = i32 length (>= 0), then the bytes
 * nbytes     = i32 length (-1 for null), then the bytes
 * string     = bytes, UTF-8
 * </pre>
 *
 * Every integer is big endian. Decoding checks the magic, the version, the length and the
 * checksum before reading the payload, then checks that every length fits the bytes left and that
 * the payload is consumed exactly. It never returns a partial result: it throws
 * {@link LogEntryCorruptionException}.
 */
public final class MutationCodec {
  public static final int MAGIC = 0x4D524D54; // "MRMT": Meridian mutation
  public static final byte FORMAT_VERSION = 1;
  /** A guarded entry: applied only if its bucket's conflict version is the expected one. */
  public static final byte FORMAT_GUARDED = 2;
  /** A truncation of the table's rows in the tablet. */
  public static final byte FORMAT_TRUNCATE = 3;
  /** A control entry of the tablet itself (no rows): see {@link Control}. */
  public static final byte FORMAT_CONTROL = 4;
  private static final byte CONTROL_SEAL = 1;
  private static final byte CONTROL_BARRIER = 2;
  private static final int CONTROL_BYTES_MIN = 1 + 16; // kind, table id
  /** Upper bound on one entry; Ratis' own message limits are configured above it. */
  public static final int ENTRY_BYTES_MAX = 32 * 1024 * 1024;

  static final int HEADER_BYTES = 4 + 1 + 4;
  static final int CRC_BYTES = 4;
  private static final int UUID_BYTES = 16;
  private static final int DELETION_BYTES = 8 + 4;
  private static final int GUARD_BYTES = 4 + 8;

  private MutationCodec() {}

  /** The condition of a guarded entry: bucket {@code bucket}'s conflict version must be {@code expectedVersion}. */
  public record Guard(int bucket, long expectedVersion) {
    public Guard {
      if (bucket < 0 || bucket >= ConflictVersions.BUCKETS) {
        throw new IllegalArgumentException("bucket " + bucket + " outside [0, " + ConflictVersions.BUCKETS + ")");
      }
    }
  }

  /**
   * A decoded entry: its mutations and, for a guarded entry, its guard (null for a blind write); for
   * a truncation, the table truncated and no mutations.
   */
  public record Entry(Guard guard, List<Mutation> mutations, UUID truncatedTable, Control control) {
    public Entry(Guard guard, List<Mutation> mutations) {
      this(guard, mutations, null, null);
    }
  }

  /** An entry about the tablet rather than its rows. */
  public sealed interface Control {
    UUID tableId();
  }

  /**
   * The tablet stops taking writes and reads, ahead of a split at {@code splitToken}: every
   * replica applies the entries before it, then refuses every data entry after it (see
   * {@link TabletStateMachine}), so the halves can start from what each replica holds.
   */
  public record Seal(UUID tableId, long splitToken) implements Control {}

  /** Changes nothing; moves the applied index (so a snapshot can be taken at a new index). */
  public record Barrier(UUID tableId) implements Control {}

  /** Encodes a control entry. */
  public static byte[] encodeControl(Control control) {
    boolean seal = control instanceof Seal;
    int payload = CONTROL_BYTES_MIN + (seal ? 8 : 0);
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload + CRC_BYTES).order(ByteOrder.BIG_ENDIAN);
    out.putInt(MAGIC).put(FORMAT_CONTROL).putInt(payload).put(seal ? CONTROL_SEAL : CONTROL_BARRIER);
    out.putLong(control.tableId().getMostSignificantBits()).putLong(control.tableId().getLeastSignificantBits());
    if (control instanceof Seal s) {
      out.putLong(s.splitToken());
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** Encodes a truncation of {@code tableId}'s rows in the tablet that applies it. */
  public static byte[] encodeTruncate(UUID tableId) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + UUID_BYTES + CRC_BYTES).order(ByteOrder.BIG_ENDIAN);
    out.putInt(MAGIC).put(FORMAT_TRUNCATE).putInt(UUID_BYTES);
    out.putLong(tableId.getMostSignificantBits()).putLong(tableId.getLeastSignificantBits());
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** Encodes {@code mutations} (at least one) as one log entry. */
  public static byte[] encode(List<Mutation> mutations) {
    return encode(null, mutations);
  }

  /** Encodes a guarded entry: {@code mutations} apply only if {@code guard} holds when the entry is applied. */
  public static byte[] encodeGuarded(Guard guard, List<Mutation> mutations) {
    return encode(java.util.Objects.requireNonNull(guard), mutations);
  }

  private static byte[] encode(Guard guard, List<Mutation> mutations) {
    if (mutations.isEmpty() && guard == null) {
      throw new IllegalArgumentException("a blind log entry holds at least one mutation");
    }
    long payloadBytes = 4 + (guard == null ? 0 : GUARD_BYTES);
    for (Mutation m : mutations) {
      payloadBytes += sizeOf(m);
    }
    long total = HEADER_BYTES + payloadBytes + CRC_BYTES;
    if (total > ENTRY_BYTES_MAX) {
      throw new IllegalArgumentException(
          "log entry of " + total + " bytes exceeds the limit of " + ENTRY_BYTES_MAX + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.BIG_ENDIAN);
    out.putInt(MAGIC).put(guard == null ? FORMAT_VERSION : FORMAT_GUARDED).putInt((int) payloadBytes);
    if (guard != null) {
      out.putInt(guard.bucket()).putLong(guard.expectedVersion());
    }
    out.putInt(mutations.size());
    for (Mutation m : mutations) {
      writeMutation(out, m);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    if (out.hasRemaining()) {
      throw new IllegalStateException("size computed " + total + " but wrote " + out.position());
    }
    return out.array();
  }

  /** Decodes one log entry written by {@link #encode}; throws on any damage. */
  public static List<Mutation> decode(byte[] entry) {
    return decode(ByteBuffer.wrap(entry));
  }

  /**
   * As {@link #decode(byte[])}, reading the buffer's remaining bytes (its position is not moved).
   * Returns the mutations of a guarded entry too; {@link #decodeEntry} also returns its guard.
   */
  public static List<Mutation> decode(ByteBuffer entryBuffer) {
    return decodeEntry(entryBuffer).mutations();
  }

  /** Decodes a blind or guarded entry (the buffer's remaining bytes; its position is not moved). */
  public static Entry decodeEntry(ByteBuffer entryBuffer) {
    ByteBuffer in = entryBuffer.slice().order(ByteOrder.BIG_ENDIAN);
    int size = in.remaining();
    if (size < HEADER_BYTES + 4 + CRC_BYTES) {
      throw new LogEntryCorruptionException("entry of " + size + " bytes is shorter than the smallest entry");
    }
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new LogEntryCorruptionException(
          "bad magic 0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC));
    }
    byte version = in.get();
    if (version < FORMAT_VERSION || version > FORMAT_CONTROL) {
      throw new LogEntryCorruptionException("unknown format version " + version + ", expected " + FORMAT_VERSION
          + " to " + FORMAT_CONTROL);
    }
    int payloadBytes = in.getInt();
    int payloadBytesMin = version == FORMAT_TRUNCATE ? UUID_BYTES : version == FORMAT_CONTROL ? CONTROL_BYTES_MIN
        : 4 + (version == FORMAT_GUARDED ? GUARD_BYTES : 0);
    if (payloadBytes < payloadBytesMin || (long) HEADER_BYTES + payloadBytes + CRC_BYTES != size) {
      throw new LogEntryCorruptionException("payload length " + payloadBytes + " does not match entry size " + size);
    }
    CRC32C crc = new CRC32C();
    ByteBuffer covered = in.duplicate();
    covered.position(0).limit(HEADER_BYTES + payloadBytes);
    crc.update(covered);
    int expectedCrc = in.getInt(HEADER_BYTES + payloadBytes);
    if ((int) crc.getValue() != expectedCrc) {
      throw new LogEntryCorruptionException("checksum mismatch: computed 0x" + Integer.toHexString((int) crc.getValue())
          + ", stored 0x" + Integer.toHexString(expectedCrc));
    }
    in.limit(HEADER_BYTES + payloadBytes);
    try {
      if (version == FORMAT_TRUNCATE) {
        if (payloadBytes != UUID_BYTES) {
          throw new LogEntryCorruptionException("a truncation's payload is " + payloadBytes + " bytes, expected " + UUID_BYTES);
        }
        return new Entry(null, List.of(), new UUID(in.getLong(), in.getLong()), null);
      }
      if (version == FORMAT_CONTROL) {
        byte kind = in.get();
        UUID table = new UUID(in.getLong(), in.getLong());
        Control control = switch (kind) {
          case CONTROL_SEAL -> new Seal(table, in.getLong());
          case CONTROL_BARRIER -> new Barrier(table);
          default -> throw new LogEntryCorruptionException("unknown control entry kind " + kind);
        };
        if (in.hasRemaining()) {
          throw new LogEntryCorruptionException(in.remaining() + " trailing bytes after a control entry");
        }
        return new Entry(null, List.of(), null, control);
      }
      Guard guard = null;
      if (version == FORMAT_GUARDED) {
        int bucket = in.getInt();
        if (bucket < 0 || bucket >= ConflictVersions.BUCKETS) {
          throw new LogEntryCorruptionException("guard bucket " + bucket + " outside [0, " + ConflictVersions.BUCKETS + ")");
        }
        guard = new Guard(bucket, in.getLong());
      }
      int count = readCount(in, 1);
      if (count == 0 && guard == null) {
        // A guarded entry may hold none: it confirms a decision that wrote nothing.
        throw new LogEntryCorruptionException("blind entry holds no mutation");
      }
      List<Mutation> mutations = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        mutations.add(readMutation(in));
      }
      if (in.hasRemaining()) {
        throw new LogEntryCorruptionException(in.remaining() + " trailing payload bytes after " + count + " mutations");
      }
      return new Entry(guard, List.copyOf(mutations));
    } catch (BufferUnderflowException e) {
      throw new LogEntryCorruptionException("payload ends inside a field", e);
    }
  }

  // ------------------------------------------------------------------ sizes

  /** Bytes {@code mutations} add to an entry's payload (what batching entries together budgets on). */
  static long payloadBytes(List<Mutation> mutations) {
    long bytes = 0;
    for (Mutation m : mutations) {
      bytes += sizeOf(m);
    }
    return bytes;
  }

  private static long sizeOf(Mutation m) {
    long n = UUID_BYTES + 8 + bytesSize(m.key().serialized()) + DELETION_BYTES + 4 + 4;
    for (RangeTombstone rt : m.rangeTombstones()) {
      n += bytesSize(rt.start()) + bytesSize(rt.end()) + DELETION_BYTES;
    }
    for (RowUpdate row : m.rows()) {
      n += bytesSize(row.clustering()) + DELETION_BYTES + 8 + 4 + 4 + 4 + 4;
      for (Cell c : row.cells()) {
        n += bytesSize(utf8(c.column())) + bytesSize(c.path()) + bytesSize(c.value()) + 8 + 4 + 4;
      }
      for (String column : row.columnDeletions().keySet()) {
        n += bytesSize(utf8(column)) + DELETION_BYTES;
      }
    }
    return n;
  }

  private static int bytesSize(byte[] b) {
    return 4 + (b == null ? 0 : b.length);
  }

  // ------------------------------------------------------------------ writing

  private static void writeMutation(ByteBuffer out, Mutation m) {
    out.putLong(m.tableId().getMostSignificantBits()).putLong(m.tableId().getLeastSignificantBits());
    out.putLong(m.key().token());
    writeBytes(out, m.key().serialized());
    writeDeletion(out, m.partitionDeletion());
    out.putInt(m.rangeTombstones().size());
    for (RangeTombstone rt : m.rangeTombstones()) {
      writeBytes(out, rt.start());
      writeBytes(out, rt.end());
      writeDeletion(out, rt.deletion());
    }
    out.putInt(m.rows().size());
    for (RowUpdate row : m.rows()) {
      writeBytes(out, row.clustering());
      writeDeletion(out, row.rowDeletion());
      out.putLong(row.primaryKeyLivenessMicros());
      out.putInt(row.livenessTtlSeconds());
      out.putInt(row.livenessLocalDeletionTime());
      out.putInt(row.cells().size());
      for (Cell c : row.cells()) {
        writeBytes(out, utf8(c.column()));
        writeBytes(out, c.path());
        writeBytes(out, c.value());
        out.putLong(c.timestampMicros());
        out.putInt(c.ttlSeconds());
        out.putInt(c.localDeletionTime());
      }
      out.putInt(row.columnDeletions().size());
      for (Map.Entry<String, DeletionTime> e : row.columnDeletions().entrySet()) {
        writeBytes(out, utf8(e.getKey()));
        writeDeletion(out, e.getValue());
      }
    }
  }

  private static void writeBytes(ByteBuffer out, byte[] b) {
    if (b == null) {
      out.putInt(-1);
    } else {
      out.putInt(b.length).put(b);
    }
  }

  private static void writeDeletion(ByteBuffer out, DeletionTime d) {
    out.putLong(d.markedForDeleteAtMicros()).putInt(d.localDeletionTime());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ reading

  private static Mutation readMutation(ByteBuffer in) {
    UUID tableId = new UUID(in.getLong(), in.getLong());
    long token = in.getLong();
    byte[] key = readBytes(in, false);
    DeletionTime partitionDeletion = readDeletion(in);
    int tombstoneCount = readCount(in, 4 + 4 + DELETION_BYTES);
    List<RangeTombstone> tombstones = new ArrayList<>(tombstoneCount);
    for (int i = 0; i < tombstoneCount; i++) {
      tombstones.add(new RangeTombstone(readBytes(in, true), readBytes(in, true), readDeletion(in)));
    }
    int rowCount = readCount(in, 4 + DELETION_BYTES + 8 + 4 + 4 + 4 + 4);
    List<RowUpdate> rows = new ArrayList<>(rowCount);
    for (int i = 0; i < rowCount; i++) {
      rows.add(readRow(in));
    }
    return new Mutation(tableId, new PartitionKey(token, key), partitionDeletion, List.copyOf(tombstones),
        List.copyOf(rows));
  }

  private static RowUpdate readRow(ByteBuffer in) {
    byte[] clustering = readBytes(in, false);
    DeletionTime rowDeletion = readDeletion(in);
    long liveness = in.getLong();
    int livenessTtl = in.getInt();
    int livenessLdt = in.getInt();
    int cellCount = readCount(in, 4 + 4 + 4 + 8 + 4 + 4);
    List<Cell> cells = new ArrayList<>(cellCount);
    for (int i = 0; i < cellCount; i++) {
      String column = readString(in);
      byte[] path = readBytes(in, true);
      byte[] value = readBytes(in, true);
      cells.add(new Cell(column, path, value, in.getLong(), in.getInt(), in.getInt()));
    }
    int deletionCount = readCount(in, 4 + DELETION_BYTES);
    Map<String, DeletionTime> columnDeletions = new LinkedHashMap<>();
    for (int i = 0; i < deletionCount; i++) {
      String column = readString(in);
      if (columnDeletions.put(column, readDeletion(in)) != null) {
        throw new LogEntryCorruptionException("column deletion for '" + column + "' appears twice in one row");
      }
    }
    return new RowUpdate(clustering, rowDeletion, liveness, livenessTtl, livenessLdt, List.copyOf(cells),
        columnDeletions.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(columnDeletions));
  }

  /** A count of items each at least {@code minItemBytes} long: it must fit in the bytes left. */
  private static int readCount(ByteBuffer in, int minItemBytes) {
    int count = in.getInt();
    if (count < 0 || (long) count * minItemBytes > in.remaining()) {
      throw new LogEntryCorruptionException(
          "count " + count + " does not fit in the " + in.remaining() + " payload bytes left");
    }
    return count;
  }

  private static byte[] readBytes(ByteBuffer in, boolean nullable) {
    int length = in.getInt();
    if (length == -1 && nullable) {
      return null;
    }
    if (length < 0 || length > in.remaining()) {
      throw new LogEntryCorruptionException(
          "field length " + length + " does not fit in the " + in.remaining() + " payload bytes left");
    }
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }

  private static String readString(ByteBuffer in) {
    byte[] b = readBytes(in, false);
    try {
      return WireFrame.strictUtf8(b);
    } catch (CharacterCodingException e) {
      throw new LogEntryCorruptionException("column name is not valid UTF-8", e);
    }
  }

  private static DeletionTime readDeletion(ByteBuffer in) {
    long markedAt = in.getLong();
    int localDeletionTime = in.getInt();
    if (markedAt == DeletionTime.LIVE.markedForDeleteAtMicros()
        && localDeletionTime == DeletionTime.LIVE.localDeletionTime()) {
      return DeletionTime.LIVE;
    }
    return new DeletionTime(markedAt, localDeletionTime);
  }
}
