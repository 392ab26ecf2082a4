package io.meridian.types;

import io.meridian.common.MeridianException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Variable-length types ordered by their raw bytes, unsigned and lexicographically (a prefix sorts
 * first): blob, text, ascii, inet. The empty value is the empty byte string and sorts first.
 *
 * <p>Comparable form (escape scheme): every 0x00 byte of the value is written as 0x00 0xFF, and the
 * value ends with the terminator 0x00 0x00. Since 0x00 is always followed by 0xFF or 0x00 inside
 * an encoding, the terminator is unambiguous (prefix-free), and it sorts below every continuation
 * (0x00 0x00 &lt; 0x00 0xFF &lt; 0x01..), so a prefix still sorts first. Empty encodes as 0x00 0x00.
 */
abstract class BytesOrderedType extends ScalarType {
  private static final int ESCAPE = 0x00;
  private static final int ESCAPED_ZERO = 0xFF;
  private static final int TERMINATOR = 0x00;

  BytesOrderedType(String name, int protocolCode) {
    super(name, protocolCode, true);
  }

  @Override
  final int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return Bytes.compareUnsigned(a, b);
  }

  @Override
  final byte[] comparable(ByteBuffer value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.remaining() + 2);
    for (int i = value.position(); i < value.limit(); i++) {
      int b = value.get(i) & 0xff;
      out.write(b);
      if (b == ESCAPE) {
        out.write(ESCAPED_ZERO);
      }
    }
    out.write(ESCAPE);
    out.write(TERMINATOR);
    return out.toByteArray();
  }

  @Override
  final ByteBuffer fromComparableUnchecked(ByteBuffer src) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      int b = Bytes.next(src) & 0xff;
      if (b != ESCAPE) {
        out.write(b);
        continue;
      }
      int following = Bytes.next(src) & 0xff;
      if (following == TERMINATOR) {
        return ByteBuffer.wrap(out.toByteArray());
      }
      if (following != ESCAPED_ZERO) {
        throw MeridianException.invalid(
            "Corrupt comparable " + cqlName() + ": expected 0xFF or 0x00 after 0x00, got " + following);
      }
      out.write(0);
    }
  }
}
