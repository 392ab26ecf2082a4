package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;

/** Small byte helpers shared by the types. All reads are absolute: callers' buffers are never moved. */
final class Bytes {
  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

  private Bytes() {}

  /** Unsigned lexicographic comparison of the remaining bytes of a and b. */
  static int compareUnsigned(ByteBuffer a, ByteBuffer b) {
    int lengthA = a.remaining();
    int lengthB = b.remaining();
    int common = Math.min(lengthA, lengthB);
    for (int i = 0; i < common; i++) {
      int x = a.get(a.position() + i) & 0xff;
      int y = b.get(b.position() + i) & 0xff;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return Integer.compare(lengthA, lengthB);
  }

  /** A copy of the remaining bytes (the source position is not moved). */
  static byte[] toArray(ByteBuffer value) {
    byte[] out = new byte[value.remaining()];
    value.duplicate().get(out);
    return out;
  }

  /** Reads exactly n bytes from src, advancing it; INVALID if fewer remain (truncated key). */
  static byte[] take(ByteBuffer src, int n) {
    if (src.remaining() < n) {
      throw MeridianException.invalid(
          "Truncated comparable encoding: expected " + n + " more bytes, found " + src.remaining());
    }
    byte[] out = new byte[n];
    src.get(out);
    return out;
  }

  static byte next(ByteBuffer src) {
    if (!src.hasRemaining()) {
      throw MeridianException.invalid("Truncated comparable encoding: expected another byte, found none");
    }
    return src.get();
  }

  static String toHex(ByteBuffer value) {
    StringBuilder sb = new StringBuilder(2 + 2 * value.remaining()).append("0x");
    for (int i = value.position(); i < value.limit(); i++) {
      int b = value.get(i) & 0xff;
      sb.append(HEX_DIGITS[b >>> 4]).append(HEX_DIGITS[b & 0xf]);
    }
    return sb.toString();
  }

  /** Parses "0x..." (case-insensitive, even number of digits, possibly none). */
  static byte[] fromHex(String text) {
    if (text.length() < 2 || text.charAt(0) != '0' || (text.charAt(1) != 'x' && text.charAt(1) != 'X')) {
      throw MeridianException.invalid("Invalid blob literal '" + text + "': expected 0x followed by hex digits");
    }
    int digits = text.length() - 2;
    if (digits % 2 != 0) {
      throw MeridianException.invalid(
          "Invalid blob literal: expected an even number of hex digits, got " + digits);
    }
    byte[] out = new byte[digits / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(text.charAt(2 + 2 * i), 16);
      int lo = Character.digit(text.charAt(3 + 2 * i), 16);
      if (hi < 0 || lo < 0) {
        throw MeridianException.invalid(
            "Invalid blob literal: non-hex character near offset " + (2 + 2 * i) + "; expected 0-9, a-f");
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** Signed big-endian integer of 1..8 bytes at the buffer's position. */
  static long readSigned(ByteBuffer value, int widthBytes) {
    long v = value.get(value.position()); // sign-extends the first byte
    for (int i = 1; i < widthBytes; i++) {
      v = (v << 8) | (value.get(value.position() + i) & 0xff);
    }
    return v;
  }
}
