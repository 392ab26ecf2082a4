package io.meridian.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * That a tablet replica applied a seal ({@link MutationCodec.Seal}): the seal's log index and
 * split token, in a small file next to the applied index, replaced durably like it. Without it a
 * restarted replica whose applied index is past the seal would not replay the seal and would
 * serve reads and take writes again.
 *
 * <pre>
 * offset size field
 * 0      4    MAGIC ("MRSL")
 * 4      1    FORMAT_VERSION (1)
 * 5      8    log index of the seal
 * 13     8    split token
 * 21     4    CRC32C of bytes [0, 21)
 * </pre>
 */
final class SealFile {
  static final String FILE_NAME = "meridian-sealed";
  private static final int MAGIC = 0x4D52534C;
  private static final byte FORMAT_VERSION = 1;
  private static final int BYTES = 4 + 1 + 8 + 8 + 4;

  record Seal(long index, long splitToken) {}

  private final Path file;
  private final Path tmp;

  SealFile(Path dir) {
    this.file = dir.resolve(FILE_NAME);
    this.tmp = dir.resolve(FILE_NAME + ".tmp");
  }

  /** The recorded seal, or empty if the tablet was never sealed here. Throws if the file is damaged. */
  Optional<Seal> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length != BYTES || in.getInt() != MAGIC || in.get() != FORMAT_VERSION) {
      throw new IOException(file + ": not a seal record of format " + FORMAT_VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, BYTES - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes).getInt(BYTES - 4)) {
      throw new IOException(file + ": checksum mismatch; refusing to guess whether the tablet is sealed");
    }
    return Optional.of(new Seal(in.getLong(), in.getLong()));
  }

  void write(Seal seal) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(BYTES);
    out.putInt(MAGIC).put(FORMAT_VERSION).putLong(seal.index()).putLong(seal.splitToken());
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, BYTES - 4);
    out.putInt((int) crc.getValue());
    AppliedIndexFile.replaceDurably(file, tmp, out.array());
  }
}
