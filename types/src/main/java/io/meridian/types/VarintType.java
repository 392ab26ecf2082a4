package io.meridian.types;

import io.meridian.common.MeridianException;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * varint: arbitrary-precision integer, two's complement big-endian. Cassandra accepts any
 * non-empty byte string (also non-minimal ones such as 0x0001) and the empty value; order is
 * numeric. Java value: {@link BigInteger}.
 *
 * <p>Comparable form of a value v with minimal two's complement bytes b (length n):
 * <pre>
 *   empty     : 0x00
 *   v &lt; 0     : 0x01, ~len(n), b
 *   v &gt;= 0    : 0x02,  len(n), b
 *   len(n)    : one byte n if n &lt;= 254, else 0xFF then n as 4-byte big-endian
 *   ~len(n)   : len(n) with every byte inverted
 * </pre>
 * Among minimal encodings a longer non-negative value is larger and a longer negative one smaller,
 * so the length (inverted for negatives) decides first; at equal length the two's complement bytes
 * already compare unsigned in numeric order. The decoded value is the minimal form.
 */
final class VarintType extends ScalarType {
  static final byte HEADER_EMPTY = 0x00;
  static final byte HEADER_NEGATIVE = 0x01;
  static final byte HEADER_NON_NEGATIVE = 0x02;
  private static final int LENGTH_ONE_BYTE_MAX = 254;
  private static final int LENGTH_LONG_FORM = 0xFF;

  VarintType() {
    super("varint", 0x000E, true);
  }

  @Override
  void validateNonEmpty(ByteBuffer value) {}

  static BigInteger read(ByteBuffer value) {
    return new BigInteger(Bytes.toArray(value));
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return read(a).compareTo(read(b));
  }

  @Override
  byte[] comparable(ByteBuffer value) {
    if (!value.hasRemaining()) {
      return new byte[] {HEADER_EMPTY};
    }
    ByteBuffer out = ByteBuffer.allocate(16 + value.remaining());
    putComparable(read(value), out);
    out.flip();
    return Bytes.toArray(out);
  }

  /** Writes header, length and the minimal two's complement bytes of v. */
  static void putComparable(BigInteger v, ByteBuffer out) {
    byte[] bytes = v.toByteArray();
    boolean negative = v.signum() < 0;
    out.put(negative ? HEADER_NEGATIVE : HEADER_NON_NEGATIVE);
    int invert = negative ? 0xFF : 0x00;
    int n = bytes.length;
    if (n <= LENGTH_ONE_BYTE_MAX) {
      out.put((byte) (n ^ invert));
    } else {
      out.put((byte) (LENGTH_LONG_FORM ^ invert));
      out.putInt(negative ? ~n : n);
    }
    out.put(bytes);
  }

  @Override
  ByteBuffer fromComparableUnchecked(ByteBuffer src) {
    byte header = Bytes.next(src);
    if (header == HEADER_EMPTY) {
      return ByteBuffer.allocate(0);
    }
    if (header != HEADER_NEGATIVE && header != HEADER_NON_NEGATIVE) {
      throw MeridianException.invalid("Corrupt comparable varint: unexpected header byte " + (header & 0xff));
    }
    int invert = header == HEADER_NEGATIVE ? 0xFF : 0x00;
    int n = (Bytes.next(src) & 0xff) ^ invert;
    if (n == LENGTH_LONG_FORM) {
      n = ByteBuffer.wrap(Bytes.take(src, 4)).getInt() ^ (invert == 0 ? 0 : -1);
      if (n <= LENGTH_ONE_BYTE_MAX) {
        throw MeridianException.invalid("Corrupt comparable varint: long length form holds " + n);
      }
    }
    if (n == 0) {
      throw MeridianException.invalid("Corrupt comparable varint: zero length");
    }
    byte[] bytes = Bytes.take(src, n);
    if ((bytes[0] < 0) != (header == HEADER_NEGATIVE)) {
      throw MeridianException.invalid("Corrupt comparable varint: sign of bytes does not match header");
    }
    return ByteBuffer.wrap(bytes);
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.INTEGER) {
      throw wrongKind(kind, text, "an integer");
    }
    try {
      return ByteBuffer.wrap(new BigInteger(text.trim()).toByteArray());
    } catch (NumberFormatException e) {
      throw MeridianException.invalid("Invalid integer '" + abbreviate(text) + "' for type varint");
    }
  }

  @Override
  String literal(ByteBuffer value) {
    return read(value).toString();
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return read(value);
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (value instanceof BigInteger) {
      return ByteBuffer.wrap(((BigInteger) value).toByteArray());
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ByteBuffer.wrap(BigInteger.valueOf(((Number) value).longValue()).toByteArray());
    }
    throw wrongJavaType(value, "java.math.BigInteger");
  }
}
