package io.meridian.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * The last log entry whose mutations are durable in the local storage engine, and the conflict
 * versions ({@link ConflictVersions}) of exactly the entries up to it, kept in one small
 * self-describing file next to the Ratis log. Index and versions share the file so they can never
 * disagree. It is replaced atomically (write a temporary file, fsync it, rename over the old one,
 * fsync the directory), so a crash leaves either the old or the new value.
 *
 * <pre>
 * format 2 (written)                    format 1 (still read)
 * offset  size  field                   offset size field
 * 0       4     MAGIC ("MRAI")          0      4    MAGIC
 * 4       1     FORMAT_VERSION (2)      4      1    1
 * 5       8     term                    5      8    term
 * 13      8     index                   13     8    index
 * 21      4     bucket count n          21     4    CRC32C of bytes [0, 21)
 * 25      8n    bucket versions
 * 25+8n   4     CRC32C of bytes [0, 25+8n)
 * </pre>
 *
 * A format 1 file has no versions: {@link Recorded#versions()} is null and the caller must rebuild
 * them by replaying the log from its start.
 */
final class AppliedIndexFile {
  static final String FILE_NAME = "meridian-applied-index";
  private static final int MAGIC = 0x4D524149;
  private static final byte FORMAT_1 = 1;
  private static final byte FORMAT_VERSION = 2;
  private static final int FORMAT_1_BYTES = 4 + 1 + 8 + 8 + 4;
  private static final int FIXED_BYTES = 4 + 1 + 8 + 8 + 4;
  private static final int CRC_BYTES = 4;

  /** The applied index, and the bucket versions as of it (null when read from a format 1 file). */
  record Recorded(TermIndex applied, long[] versions) {}

  private final Path file;
  private final Path tmp;

  AppliedIndexFile(Path dir) {
    this.file = dir.resolve(FILE_NAME);
    this.tmp = dir.resolve(FILE_NAME + ".tmp");
  }

  /** What was recorded, or empty if nothing was ever written. Throws if the file is damaged. */
  Optional<Recorded> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(decode(Files.readAllBytes(file), file.toString()));
  }

  /** Records {@code applied} and the bucket versions of exactly the entries up to it. */
  void write(TermIndex applied, long[] versions) throws IOException {
    replaceDurably(file, tmp, encode(applied, versions));
  }

  /**
   * Replaces {@code file} with {@code bytes} so that a crash leaves the old or the new content:
   * writes {@code tmp}, fsyncs it, renames it over the file and fsyncs the directory.
   */
  static void replaceDurably(Path file, Path tmp, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer out = ByteBuffer.wrap(bytes);
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + file + " cannot replace files atomically", e);
    }
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true); // make the rename itself durable
    }
  }

  /** The file's bytes for {@code applied} and {@code versions}; also the state machine's snapshot form. */
  static byte[] encode(TermIndex applied, long[] versions) {
    if (versions.length != ConflictVersions.BUCKETS) {
      throw new IllegalArgumentException("expected " + ConflictVersions.BUCKETS + " versions, got " + versions.length);
    }
    ByteBuffer out = ByteBuffer.allocate(FIXED_BYTES + 8 * versions.length + CRC_BYTES);
    out.putInt(MAGIC).put(FORMAT_VERSION).putLong(applied.getTerm()).putLong(applied.getIndex())
        .putInt(versions.length);
    for (long v : versions) {
      out.putLong(v);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** Decodes format 1 or 2; {@code what} names the source in errors. */
  static Recorded decode(byte[] bytes, String what) throws IOException {
    if (bytes.length < FORMAT_1_BYTES) {
      throw new IOException(what + ": " + bytes.length + " bytes is shorter than any format");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = in.getInt();
    byte version = in.get();
    if (magic != MAGIC || (version != FORMAT_1 && version != FORMAT_VERSION)) {
      throw new IOException(what + ": bad magic or unknown format " + version + "; refusing to guess the applied index");
    }
    long term = in.getLong();
    long index = in.getLong();
    int expectedBytes = FORMAT_1_BYTES;
    if (version == FORMAT_VERSION) {
      int count = in.getInt();
      if (count != ConflictVersions.BUCKETS) {
        throw new IOException(what + ": " + count + " bucket versions, expected " + ConflictVersions.BUCKETS);
      }
      expectedBytes = FIXED_BYTES + 8 * count + CRC_BYTES;
    }
    if (bytes.length != expectedBytes) {
      throw new IOException(what + ": expected " + expectedBytes + " bytes, found " + bytes.length);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - CRC_BYTES);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes).getInt(bytes.length - CRC_BYTES)) {
      throw new IOException(what + ": checksum mismatch; refusing to guess the applied index");
    }
    long[] versions = null;
    if (version == FORMAT_VERSION) {
      versions = new long[ConflictVersions.BUCKETS];
      in.asLongBuffer().get(versions);
    }
    return new Recorded(TermIndex.valueOf(term, index), versions);
  }

  /** Writes a format 1 file (as older replicas did); for upgrade tests. */
  void writeFormat1(TermIndex applied) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(FORMAT_1_BYTES);
    out.putInt(MAGIC).put(FORMAT_1).putLong(applied.getTerm()).putLong(applied.getIndex());
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, FORMAT_1_BYTES - CRC_BYTES);
    out.putInt((int) crc.getValue());
    Files.write(file, out.array());
  }
}
