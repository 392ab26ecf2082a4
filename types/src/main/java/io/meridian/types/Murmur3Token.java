package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Partition tokens as Cassandra's Murmur3Partitioner computes them, so that drivers' token-aware
 * routing (which hashes keys itself) agrees with us on which node owns a key.
 *
 * <p>The hash is the first 64 bits of MurmurHash3 x64_128 with seed 0, with one deliberate
 * deviation that Cassandra carries for compatibility: the 1..15 tail bytes are widened to long with
 * sign extension (a byte 0x80 contributes 0xFFFF...80 before shifting). Long.MIN_VALUE is reserved
 * as the partitioner's minimum token, so a hash equal to it becomes Long.MAX_VALUE.
 */
public final class Murmur3Token {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final int BLOCK_BYTES = 16;
  /** Composite key components carry an unsigned 16-bit length. */
  public static final int COMPONENT_BYTES_MAX = 0xFFFF;

  private Murmur3Token() {}

  /** The partitioner's minimum token: it belongs to no key except the (invalid) empty one. */
  public static final long MINIMUM = Long.MIN_VALUE;

  /**
   * The token of a serialized partition key (see {@link #compositeKey} for multi-column keys). The
   * empty key maps to {@link #MINIMUM}, as in Cassandra (which refuses empty partition keys anyway).
   */
  public static long token(ByteBuffer partitionKeyBytes) {
    if (!partitionKeyBytes.hasRemaining()) {
      return MINIMUM;
    }
    long hash = hashHigh64(partitionKeyBytes);
    return hash == Long.MIN_VALUE ? Long.MAX_VALUE : hash;
  }

  /**
   * Cassandra's serialization of a partition key: a single component is its value bytes as they
   * are; several components are each written as a 2-byte unsigned length, the bytes, and a 0x00
   * end-of-component byte.
   */
  public static ByteBuffer compositeKey(List<ByteBuffer> components) {
    if (components.isEmpty()) {
      throw MeridianException.invalid("A partition key needs at least one component, got none");
    }
    if (components.size() == 1) {
      return components.get(0).duplicate();
    }
    int totalBytes = 0;
    for (ByteBuffer c : components) {
      if (c.remaining() > COMPONENT_BYTES_MAX) {
        throw MeridianException.invalid(
            "Partition key component is " + c.remaining() + " bytes; at most " + COMPONENT_BYTES_MAX + " allowed");
      }
      totalBytes += 2 + c.remaining() + 1;
    }
    ByteBuffer out = ByteBuffer.allocate(totalBytes);
    for (ByteBuffer c : components) {
      out.putShort((short) c.remaining());
      out.put(c.duplicate());
      out.put((byte) 0);
    }
    out.flip();
    return out;
  }

  private static long hashHigh64(ByteBuffer key) {
    int offset = key.position();
    int length = key.remaining();
    int blocks = length / BLOCK_BYTES;
    long h1 = 0;
    long h2 = 0;
    for (int i = 0; i < blocks; i++) {
      long k1 = littleEndianLong(key, offset + i * BLOCK_BYTES);
      long k2 = littleEndianLong(key, offset + i * BLOCK_BYTES + 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = offset + blocks * BLOCK_BYTES;
    int tailBytes = length & (BLOCK_BYTES - 1);
    long k1 = 0;
    long k2 = 0;
    for (int i = tailBytes - 1; i >= 8; i--) {
      k2 ^= ((long) key.get(tail + i)) << (8 * (i - 8)); // sign-extended on purpose, see class doc
    }
    if (tailBytes > 8) {
      h2 ^= mixK2(k2);
    }
    for (int i = Math.min(tailBytes, 8) - 1; i >= 0; i--) {
      k1 ^= ((long) key.get(tail + i)) << (8 * i);
    }
    if (tailBytes > 0) {
      h1 ^= mixK1(k1);
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = finalMix(h1);
    h2 = finalMix(h2);
    h1 += h2;
    return h1;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long finalMix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static long littleEndianLong(ByteBuffer b, int index) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b.get(index + i) & 0xffL);
    }
    return v;
  }
}
