package io.meridian.types;

import io.meridian.common.MeridianException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * decimal: 4-byte signed scale, then the unscaled value as a varint; value = unscaled * 10^-scale.
 * Order is numeric (BigDecimal.compareTo), so 1.0 and 1.00 are equal. Empty values are allowed.
 * Java value: {@link BigDecimal}.
 *
 * <p>Comparable form. A non-zero value is written as sign, then x = 0.d1d2...dn * 10^E with d1 != 0
 * and dn != 0 (trailing zeros dropped, so equal values encode equally):
 * <pre>
 *   empty   : 0x00
 *   x &lt; 0   : 0x01, ~E as 8-byte sign-flipped big-endian, digits inverted, 0xFF
 *   zero    : 0x02
 *   x &gt; 0   : 0x03,  E as 8-byte sign-flipped big-endian, digits, 0x00
 *   digits  : pairs (a, b) as one byte 1 + 10a + b (1..100), a lone last digit padded with b = 0
 *   inverted: each digit byte d written as 0xFF - d (155..254)
 * </pre>
 * For positives a larger exponent means a larger number; at equal exponent the digit strings
 * compare as fractions, and the terminator 0x00 below every digit byte makes a shorter string (a
 * smaller fraction) sort first. Negatives mirror all of that. Since dn != 0, a final pair ending in
 * 0 can only be padding, so decoding is unambiguous. Decoding yields the shortest non-negative
 * scale: 1.50 comes back as 1.5 and 100 as 100 (same value; equal values are one key, as in
 * Cassandra, so the written scale of a fraction is not kept).
 */
final class DecimalType extends ScalarType {
  private static final byte HEADER_EMPTY = 0x00;
  private static final byte HEADER_NEGATIVE = 0x01;
  private static final byte HEADER_ZERO = 0x02;
  private static final byte HEADER_POSITIVE = 0x03;
  private static final int DIGITS_END = 0x00;
  private static final int SCALE_BYTES = 4;

  DecimalType() {
    super("decimal", 0x0006, true);
  }

  @Override
  void validateNonEmpty(ByteBuffer value) {
    if (value.remaining() < SCALE_BYTES + 1) {
      throw MeridianException.invalid(
          "Expected at least 5 bytes for a decimal value (4-byte scale and a varint), got " + value.remaining());
    }
  }

  static BigDecimal read(ByteBuffer value) {
    int scale = value.getInt(value.position());
    ByteBuffer unscaled = value.duplicate();
    unscaled.position(value.position() + SCALE_BYTES);
    return new BigDecimal(VarintType.read(unscaled), scale);
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
    BigDecimal v = read(value);
    if (v.signum() == 0) {
      return new byte[] {HEADER_ZERO};
    }
    boolean negative = v.signum() < 0;
    String digits = v.unscaledValue().abs().toString();
    // The exponent is invariant under dropping trailing zeros, so compute it first.
    long exponent = (long) digits.length() - v.scale();
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(12 + end / 2);
    out.write(negative ? HEADER_NEGATIVE : HEADER_POSITIVE);
    long e = (negative ? ~exponent : exponent) ^ Long.MIN_VALUE;
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (e >>> shift) & 0xff);
    }
    int invert = negative ? 0xFF : 0x00;
    for (int i = 0; i < end; i += 2) {
      int high = digits.charAt(i) - '0';
      int low = i + 1 < end ? digits.charAt(i + 1) - '0' : 0;
      out.write((1 + 10 * high + low) ^ invert);
    }
    out.write(DIGITS_END ^ invert);
    return out.toByteArray();
  }

  @Override
  ByteBuffer fromComparableUnchecked(ByteBuffer src) {
    byte header = Bytes.next(src);
    if (header == HEADER_EMPTY) {
      return ByteBuffer.allocate(0);
    }
    if (header == HEADER_ZERO) {
      return serialize(BigDecimal.ZERO);
    }
    if (header != HEADER_NEGATIVE && header != HEADER_POSITIVE) {
      throw MeridianException.invalid("Corrupt comparable decimal: unexpected header byte " + (header & 0xff));
    }
    boolean negative = header == HEADER_NEGATIVE;
    long e = ByteBuffer.wrap(Bytes.take(src, 8)).getLong() ^ Long.MIN_VALUE;
    long exponent = negative ? ~e : e;
    int invert = negative ? 0xFF : 0x00;
    StringBuilder digits = new StringBuilder();
    while (true) {
      int pair = (Bytes.next(src) & 0xff) ^ invert;
      if (pair == DIGITS_END) {
        break;
      }
      if (pair > 100) {
        throw MeridianException.invalid("Corrupt comparable decimal: digit byte " + pair + " out of range");
      }
      digits.append((char) ('0' + (pair - 1) / 10)).append((char) ('0' + (pair - 1) % 10));
    }
    if (digits.length() == 0) {
      throw MeridianException.invalid("Corrupt comparable decimal: no digits");
    }
    if (digits.charAt(digits.length() - 1) == '0') {
      digits.setLength(digits.length() - 1); // padding of an odd digit count
    }
    long scale = digits.length() - exponent;
    if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) {
      throw MeridianException.invalid("Comparable decimal has scale " + scale + ", which does not fit an int");
    }
    BigInteger unscaled = new BigInteger(digits.toString());
    BigDecimal value = new BigDecimal(negative ? unscaled.negate() : unscaled, (int) scale);
    // Integers come back as written (10, not 1E+1); only fractional trailing zeros are lost.
    return serialize(scale < 0 ? value.setScale(0) : value);
  }

  static ByteBuffer serialize(BigDecimal v) {
    byte[] unscaled = v.unscaledValue().toByteArray();
    ByteBuffer out = ByteBuffer.allocate(SCALE_BYTES + unscaled.length);
    out.putInt(v.scale()).put(unscaled).flip();
    return out;
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.INTEGER && kind != LiteralKind.FLOAT) {
      throw wrongKind(kind, text, "a number");
    }
    try {
      return serialize(new BigDecimal(text.trim()));
    } catch (NumberFormatException e) {
      throw MeridianException.invalid(
          "Invalid decimal '" + abbreviate(text) + "'; expected a finite decimal number (NaN and Infinity are not decimals)");
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
    if (!(value instanceof BigDecimal)) {
      throw wrongJavaType(value, "java.math.BigDecimal");
    }
    return serialize((BigDecimal) value);
  }
}
