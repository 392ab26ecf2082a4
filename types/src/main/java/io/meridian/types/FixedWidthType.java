package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;

/**
 * A type whose non-empty serialization has one fixed width.
 *
 * <p>Comparable form: the subclass maps a value to a fixed-width "key" whose unsigned byte order is
 * the type's order. Where the empty value is allowed a one-byte presence marker goes first (0x00
 * for empty, 0x01 then the key otherwise), so empty sorts first and the encoding stays prefix-free
 * (its length is known from the marker). Types that reject empty values emit the key alone.
 */
abstract class FixedWidthType extends ScalarType {
  private static final byte MARKER_EMPTY = 0x00;
  private static final byte MARKER_PRESENT = 0x01;

  final int widthBytes;

  FixedWidthType(String name, int protocolCode, boolean emptyAllowed, int widthBytes) {
    super(name, protocolCode, emptyAllowed);
    this.widthBytes = widthBytes;
  }

  @Override
  final void validateNonEmpty(ByteBuffer value) {
    if (value.remaining() != widthBytes) {
      throw MeridianException.invalid(
          "Expected " + widthBytes + " bytes for a " + cqlName() + " value"
              + (emptyAllowed() ? " (or 0 for empty)" : "") + ", got " + value.remaining());
    }
    validateContent(value);
  }

  /** Extra checks on a value of the right width (ranges, versions); none by default. */
  void validateContent(ByteBuffer value) {}

  /** Width of the key produced by {@link #key}. */
  int keyWidthBytes() {
    return widthBytes;
  }

  /** The order-preserving key of a non-empty value. */
  abstract byte[] key(ByteBuffer value);

  /** Inverse of {@link #key}: the serialization of the value. */
  abstract byte[] unkey(byte[] key);

  @Override
  final byte[] comparable(ByteBuffer value) {
    if (!emptyAllowed()) {
      return key(value);
    }
    if (!value.hasRemaining()) {
      return new byte[] {MARKER_EMPTY};
    }
    byte[] key = key(value);
    byte[] out = new byte[1 + key.length];
    out[0] = MARKER_PRESENT;
    System.arraycopy(key, 0, out, 1, key.length);
    return out;
  }

  @Override
  final ByteBuffer fromComparableUnchecked(ByteBuffer src) {
    if (emptyAllowed()) {
      byte marker = Bytes.next(src);
      if (marker == MARKER_EMPTY) {
        return ByteBuffer.allocate(0);
      }
      if (marker != MARKER_PRESENT) {
        throw MeridianException.invalid(
            "Corrupt comparable " + cqlName() + ": expected marker 0x00 or 0x01, got " + (marker & 0xff));
      }
    }
    return ByteBuffer.wrap(unkey(Bytes.take(src, keyWidthBytes())));
  }

  /** Key helper for signed two's complement: flipping the sign bit makes unsigned order numeric. */
  static byte[] flipSignBit(byte[] bytes) {
    bytes[0] ^= (byte) 0x80;
    return bytes;
  }

  static ByteBuffer longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(0, v);
  }

  static ByteBuffer intBytes(int v) {
    return ByteBuffer.allocate(4).putInt(0, v);
  }
}
