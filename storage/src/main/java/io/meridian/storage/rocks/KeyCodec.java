package io.meridian.storage.rocks;

import io.meridian.common.Invariants;
import io.meridian.storage.PartitionKey;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Byte-comparable keys of the {@code data} and {@code partitions} column families.
 *
 * <pre>
 *  offset 0                16                24
 *         +----------------+-----------------+------------------------------+------------------+
 *         | table id (16)  | token ^ MIN (8) | escaped partition key + 00 00 | clustering bytes |
 *         +----------------+-----------------+------------------------------+------------------+
 * </pre>
 *
 * The table id is the UUID's two longs, big-endian. The token is big-endian with its sign bit
 * flipped so unsigned byte order is signed token order. In the partition key every 0x00 byte is
 * written as 0x00 0xFF and the key ends with 0x00 0x00, so no encoded key is a prefix of another
 * and byte order is (token, key bytes unsigned). The "partition prefix" is everything up to and
 * including the terminator; a partition's rows are the keys that start with it, the static row is
 * the prefix itself (empty clustering), and the partition header in the {@code partitions} column
 * family is keyed by the prefix alone.
 */
final class KeyCodec {
  static final int TABLE_ID_OFFSET = 0;
  static final int TABLE_ID_BYTES = 16;
  static final int TOKEN_OFFSET = TABLE_ID_OFFSET + TABLE_ID_BYTES;
  static final int TOKEN_BYTES = 8;
  static final int PARTITION_KEY_OFFSET = TOKEN_OFFSET + TOKEN_BYTES;
  static final byte ESCAPE = 0x00;
  static final byte ESCAPED_ZERO = (byte) 0xFF;
  static final byte TERMINATOR = 0x00;

  private KeyCodec() {}

  static byte[] tablePrefix(UUID tableId) {
    byte[] out = new byte[TABLE_ID_BYTES];
    putLong(out, TABLE_ID_OFFSET, tableId.getMostSignificantBits());
    putLong(out, TABLE_ID_OFFSET + 8, tableId.getLeastSignificantBits());
    return out;
  }

  /** table id + token: the smallest key of any partition with this token. */
  static byte[] tokenPrefix(UUID tableId, long token) {
    byte[] out = new byte[PARTITION_KEY_OFFSET];
    putLong(out, TABLE_ID_OFFSET, tableId.getMostSignificantBits());
    putLong(out, TABLE_ID_OFFSET + 8, tableId.getLeastSignificantBits());
    putLong(out, TOKEN_OFFSET, token ^ Long.MIN_VALUE);
    return out;
  }

  static byte[] partitionPrefix(UUID tableId, PartitionKey key) {
    byte[] serialized = key.serialized();
    ByteArrayOutputStream out = new ByteArrayOutputStream(PARTITION_KEY_OFFSET + serialized.length + 4);
    out.writeBytes(tokenPrefix(tableId, key.token()));
    for (byte b : serialized) {
      out.write(b);
      if (b == ESCAPE) {
        out.write(ESCAPED_ZERO);
      }
    }
    out.write(ESCAPE);
    out.write(TERMINATOR);
    return out.toByteArray();
  }

  static byte[] rowKey(byte[] partitionPrefix, byte[] clustering) {
    byte[] out = Arrays.copyOf(partitionPrefix, partitionPrefix.length + clustering.length);
    System.arraycopy(clustering, 0, out, partitionPrefix.length, clustering.length);
    return out;
  }

  /** Length of the partition prefix at the start of {@code key}, or -1 if it is malformed. */
  static int partitionPrefixLength(byte[] key) {
    int i = PARTITION_KEY_OFFSET;
    while (i + 1 < key.length) {
      if (key[i] == ESCAPE) {
        if (key[i + 1] == TERMINATOR) {
          return i + 2;
        }
        if (key[i + 1] != ESCAPED_ZERO) {
          return -1;
        }
        i += 2;
      } else {
        i++;
      }
    }
    return -1;
  }

  static UUID tableId(byte[] key) {
    return new UUID(getLong(key, TABLE_ID_OFFSET), getLong(key, TABLE_ID_OFFSET + 8));
  }

  static long token(byte[] key) {
    return getLong(key, TOKEN_OFFSET) ^ Long.MIN_VALUE;
  }

  /** Decodes the partition key from a key that starts with a partition prefix of {@code prefixLength}. */
  static PartitionKey partitionKey(byte[] key, int prefixLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(prefixLength - PARTITION_KEY_OFFSET);
    int end = prefixLength - 2;
    for (int i = PARTITION_KEY_OFFSET; i < end; i++) {
      out.write(key[i]);
      if (key[i] == ESCAPE) {
        Invariants.check(key[i + 1] == ESCAPED_ZERO, "escaped zero in partition key");
        i++;
      }
    }
    return new PartitionKey(token(key), out.toByteArray());
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The smallest key greater than every key starting with {@code prefix}, or null if none. */
  static byte[] prefixSuccessor(byte[] prefix) {
    byte[] out = prefix.clone();
    for (int i = out.length - 1; i >= 0; i--) {
      if (out[i] != (byte) 0xFF) {
        out[i]++;
        return Arrays.copyOf(out, i + 1);
      }
    }
    return null;
  }

  static String describe(byte[] key) {
    if (key.length < PARTITION_KEY_OFFSET) {
      return "key 0x" + HexFormat.of().formatHex(key);
    }
    return "table " + tableId(key) + " token " + token(key) + " key 0x" + HexFormat.of().formatHex(key);
  }

  static void putLong(byte[] out, int offset, long v) {
    for (int i = 7; i >= 0; i--) {
      out[offset + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] in, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[offset + i] & 0xFF);
    }
    return v;
  }
}
