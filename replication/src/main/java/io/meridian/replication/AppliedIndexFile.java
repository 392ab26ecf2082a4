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
 * The last log entry whose mutations are durable in the local storage engine, kept in one small
 * self-describing file next to the Ratis log. It is replaced atomically (write a temporary file,
 * fsync it, rename over the old one), so a crash leaves either the old or the new value.
 *
 * <pre>
 * offset size field
 * 0      4    MAGIC ("MRAI")
 * 4      1    FORMAT_VERSION
 * 5      8    term
 * 13     8    index
 * 21     4    CRC32C of bytes [0, 21)
 * </pre>
 */
final class AppliedIndexFile {
  static final String FILE_NAME = "meridian-applied-index";
  private static final int MAGIC = 0x4D524149;
  private static final byte FORMAT_VERSION = 1;
  private static final int BYTES = 4 + 1 + 8 + 8 + 4;

  private final Path file;
  private final Path tmp;

  AppliedIndexFile(Path dir) {
    this.file = dir.resolve(FILE_NAME);
    this.tmp = dir.resolve(FILE_NAME + ".tmp");
  }

  /** The recorded term-index, or empty if none was ever written. Throws if the file is damaged. */
  Optional<TermIndex> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != BYTES) {
      throw new IOException(file + ": expected " + BYTES + " bytes, found " + bytes.length);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = in.getInt();
    byte version = in.get();
    long term = in.getLong();
    long index = in.getLong();
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, BYTES - 4);
    if (magic != MAGIC || version != FORMAT_VERSION || (int) crc.getValue() != in.getInt()) {
      throw new IOException(file + ": bad magic, version or checksum; refusing to guess the applied index");
    }
    return Optional.of(TermIndex.valueOf(term, index));
  }

  void write(TermIndex applied) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(BYTES);
    out.putInt(MAGIC).put(FORMAT_VERSION).putLong(applied.getTerm()).putLong(applied.getIndex());
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, BYTES - 4);
    out.putInt((int) crc.getValue()).flip();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
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
}
