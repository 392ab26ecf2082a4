package io.meridian.storage.rocks;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * What the store knows about one table's indexes, kept in the meta column family so it survives
 * restarts: each indexed column's description (from {@link io.meridian.storage.TableIndexing})
 * and whether its entries are complete. A column that is not complete is being built, or must
 * be built again before queries may use it.
 *
 * <pre>
 * key:   "meridian/index/" + table id (16 bytes)
 * value: [format u8 = 1][column count i32], then per column sorted by name:
 *        [u16 name length][name UTF-8][u16 description length][description UTF-8][ready u8],
 *        then [crc32c i32] over every byte before it
 * </pre>
 */
final class IndexCatalog {
  static final byte[] KEY_PREFIX = "meridian/index/".getBytes(StandardCharsets.UTF_8);
  private static final byte FORMAT = 1;

  /** One table's indexed columns (name to description) and the complete ones among them. */
  record State(Map<String, String> columns, Set<String> ready) {
    static final State EMPTY = new State(Map.of(), Set.of());

    State {
      columns = Map.copyOf(columns);
      ready = Set.copyOf(ready);
    }

    State withNoneReady() {
      return new State(columns, Set.of());
    }

    State withReady(Set<String> more) {
      Set<String> r = new TreeSet<>(ready);
      r.addAll(more);
      r.retainAll(columns.keySet());
      return new State(columns, r);
    }
  }

  private IndexCatalog() {}

  static byte[] key(UUID tableId) {
    byte[] out = new byte[KEY_PREFIX.length + 16];
    System.arraycopy(KEY_PREFIX, 0, out, 0, KEY_PREFIX.length);
    KeyCodec.putLong(out, KEY_PREFIX.length, tableId.getMostSignificantBits());
    KeyCodec.putLong(out, KEY_PREFIX.length + 8, tableId.getLeastSignificantBits());
    return out;
  }

  static UUID tableId(byte[] key) {
    return new UUID(KeyCodec.getLong(key, KEY_PREFIX.length), KeyCodec.getLong(key, KEY_PREFIX.length + 8));
  }

  static byte[] encode(State state) {
    TreeMap<String, String> sorted = new TreeMap<>(state.columns());
    int size = 1 + 4 + 4;
    for (var e : sorted.entrySet()) {
      size += 2 + utf8(e.getKey()).length + 2 + utf8(e.getValue()).length + 1;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FORMAT).putInt(sorted.size());
    for (var e : sorted.entrySet()) {
      putShortString(out, e.getKey());
      putShortString(out, e.getValue());
      out.put((byte) (state.ready().contains(e.getKey()) ? 1 : 0));
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  static State decode(byte[] key, byte[] value) {
    try {
      CRC32C crc = new CRC32C();
      crc.update(value, 0, value.length - 4);
      ByteBuffer in = ByteBuffer.wrap(value);
      if (in.getInt(value.length - 4) != (int) crc.getValue()) {
        throw new StorageCorruptionException("index catalog checksum mismatch", key);
      }
      if (in.get() != FORMAT) {
        throw new StorageCorruptionException("unknown index catalog format", key);
      }
      int count = in.getInt();
      Map<String, String> columns = new TreeMap<>();
      Set<String> ready = new TreeSet<>();
      for (int i = 0; i < count; i++) {
        String name = shortString(in);
        columns.put(name, shortString(in));
        if (in.get() == 1) {
          ready.add(name);
        }
      }
      return new State(columns, ready);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new StorageCorruptionException("truncated index catalog", key);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void putShortString(ByteBuffer out, String s) {
    byte[] b = utf8(s);
    out.putShort((short) b.length).put(b);
  }

  private static String shortString(ByteBuffer in) {
    byte[] b = new byte[in.getShort() & 0xFFFF];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
