package io.meridian.replication;

import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * The {@code manifest} file of a tablet snapshot: which tablet, which log position, which storage
 * files (with sizes and CRC32C, checked before they are ingested) and the log-ordered state blob.
 *
 * <pre>
 * MAGIC "MRSN" (4) | FORMAT_VERSION (1) | term i64 | index i64 | table id msb i64, lsb i64
 * | range start i64 | range end i64 | file count i32
 * | per file: name length u16, name UTF-8, size i64, CRC32C i32
 * | log-ordered state length i32, bytes | CRC32C i32 of everything before it
 * </pre>
 */
record SnapshotManifest(TermIndex termIndex, UUID tableId, TokenRange range, List<FileEntry> files,
                        byte[] logOrderedState) {
  static final String FILE_NAME = "manifest";
  private static final int MAGIC = 0x4D52534E;
  private static final byte FORMAT_VERSION = 1;

  record FileEntry(String name, long size, int crc32c) {}

  byte[] encode() {
    List<byte[]> names = new ArrayList<>();
    int size = 4 + 1 + 8 * 6 + 4 + 4 + logOrderedState.length + 4;
    for (FileEntry f : files) {
      byte[] n = f.name.getBytes(StandardCharsets.UTF_8);
      names.add(n);
      size += 2 + n.length + 8 + 4;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(MAGIC).put(FORMAT_VERSION).putLong(termIndex.getTerm()).putLong(termIndex.getIndex())
        .putLong(tableId.getMostSignificantBits()).putLong(tableId.getLeastSignificantBits())
        .putLong(range.start()).putLong(range.end()).putInt(files.size());
    for (int i = 0; i < files.size(); i++) {
      out.putShort((short) names.get(i).length).put(names.get(i)).putLong(files.get(i).size).putInt(files.get(i).crc32c);
    }
    out.putInt(logOrderedState.length).put(logOrderedState);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** Decodes and checks a manifest; throws rather than guess at any damage. */
  static SnapshotManifest decode(byte[] bytes, String where) throws IOException {
    if (bytes.length < 4 + 1 + 4) {
      throw new IOException(where + ": manifest too short (" + bytes.length + " bytes)");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt() != MAGIC || in.get() != FORMAT_VERSION
        || (int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
      throw new IOException(where + ": bad magic, format version or checksum");
    }
    try {
      TermIndex ti = TermIndex.valueOf(in.getLong(), in.getLong());
      UUID table = new UUID(in.getLong(), in.getLong());
      TokenRange range = new TokenRange(in.getLong(), in.getLong());
      int count = in.getInt();
      if (count < 0 || count > 16) {
        throw new IOException(where + ": implausible file count " + count);
      }
      List<FileEntry> files = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(name);
        String n = new String(name, StandardCharsets.UTF_8);
        if (n.isEmpty() || n.contains("/") || n.contains("\\") || n.startsWith(".")) {
          throw new IOException(where + ": bad file name " + n);
        }
        files.add(new FileEntry(n, in.getLong(), in.getInt()));
      }
      int stateLength = in.getInt();
      if (stateLength < 0 || stateLength != in.remaining() - 4) {
        throw new IOException(where + ": log-ordered state length " + stateLength + " does not match the manifest");
      }
      byte[] state = new byte[stateLength];
      in.get(state);
      return new SnapshotManifest(ti, table, range, List.copyOf(files), state);
    } catch (BufferUnderflowException e) {
      throw new IOException(where + ": manifest truncated", e);
    }
  }
}
