package io.meridian.types;

import io.meridian.common.MeridianException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Cassandra's variable-length integers (native protocol spec, [vint]): the count of leading 1 bits
 * in the first byte says how many more bytes follow; the remaining bits, big-endian, are the value.
 * Signed values are zig-zag mapped first so small magnitudes stay short.
 */
final class VInt {
  static final int SIZE_BYTES_MAX = 9;

  private VInt() {}

  static int unsignedSizeBytes(long value) {
    // 7 value bits per byte, except that 9 bytes carry a full 64 bits.
    int magnitude = Long.numberOfLeadingZeros(value | 1);
    return (639 - magnitude * 9) >> 6;
  }

  static void writeUnsigned(long value, ByteArrayOutputStream out) {
    int extraBytes = unsignedSizeBytes(value) - 1;
    int firstByte;
    if (extraBytes == 8) {
      firstByte = 0xFF; // no value bits left in the first byte; Java shifts by 64 would wrap
    } else {
      firstByte = (~(0xFF >> extraBytes) & 0xFF) | (int) (value >>> (8 * extraBytes));
    }
    out.write(firstByte);
    for (int i = extraBytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xFF);
    }
  }

  static void writeSigned(long value, ByteArrayOutputStream out) {
    writeUnsigned((value << 1) ^ (value >> 63), out);
  }

  static long readUnsigned(ByteBuffer src) {
    if (!src.hasRemaining()) {
      throw MeridianException.invalid("Truncated vint: expected at least one byte");
    }
    int first = src.get() & 0xFF;
    int extraBytes = Integer.numberOfLeadingZeros(~first & 0xFF) - 24;
    if (src.remaining() < extraBytes) {
      throw MeridianException.invalid(
          "Truncated vint: expected " + extraBytes + " more bytes, found " + src.remaining());
    }
    long value = first & (0xFF >> extraBytes);
    for (int i = 0; i < extraBytes; i++) {
      value = (value << 8) | (src.get() & 0xFF);
    }
    return value;
  }

  static long readSigned(ByteBuffer src) {
    long n = readUnsigned(src);
    return (n >>> 1) ^ -(n & 1);
  }
}
