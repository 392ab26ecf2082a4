package io.meridian.types;

import io.meridian.common.MeridianException;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * tinyint, smallint, int, bigint and counter: signed two's complement, big-endian, of 1, 2, 4, 8
 * and 8 bytes. Order is numeric; the comparable key is the value with its sign bit flipped.
 * Cassandra rejects empty values for tinyint and smallint (the newer types) and allows them for the
 * rest.
 */
final class IntegerType extends FixedWidthType {
  private final long minValue;
  private final long maxValue;

  IntegerType(String name, int protocolCode, boolean emptyAllowed, int widthBytes) {
    super(name, protocolCode, emptyAllowed, widthBytes);
    this.minValue = widthBytes == 8 ? Long.MIN_VALUE : -(1L << (8 * widthBytes - 1));
    this.maxValue = widthBytes == 8 ? Long.MAX_VALUE : (1L << (8 * widthBytes - 1)) - 1;
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return Long.compare(Bytes.readSigned(a, widthBytes), Bytes.readSigned(b, widthBytes));
  }

  @Override
  byte[] key(ByteBuffer value) {
    return flipSignBit(Bytes.toArray(value));
  }

  @Override
  byte[] unkey(byte[] key) {
    return flipSignBit(key);
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.INTEGER) {
      throw wrongKind(kind, text, "an integer");
    }
    BigInteger parsed;
    try {
      parsed = new BigInteger(text.trim());
    } catch (NumberFormatException e) {
      throw MeridianException.invalid("Invalid integer '" + abbreviate(text) + "' for type " + cqlName());
    }
    if (parsed.bitLength() > 63 || parsed.longValue() < minValue || parsed.longValue() > maxValue) {
      throw MeridianException.invalid(
          "Value " + abbreviate(text.trim()) + " is out of range for " + cqlName()
              + " (expected " + minValue + " to " + maxValue + ")");
    }
    return serialize(parsed.longValue());
  }

  private ByteBuffer serialize(long v) {
    ByteBuffer out = ByteBuffer.allocate(widthBytes);
    for (int i = widthBytes - 1; i >= 0; i--) {
      out.put(i, (byte) v);
      v >>= 8;
    }
    return out;
  }

  @Override
  String literal(ByteBuffer value) {
    return Long.toString(Bytes.readSigned(value, widthBytes));
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    long v = Bytes.readSigned(value, widthBytes);
    switch (widthBytes) {
      case 1:
        return (byte) v;
      case 2:
        return (short) v;
      case 4:
        return (int) v;
      default:
        return v;
    }
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    long v;
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
      v = ((Number) value).longValue();
    } else if (value instanceof BigInteger && ((BigInteger) value).bitLength() <= 63) {
      v = ((BigInteger) value).longValue();
    } else {
      throw wrongJavaType(value, "an integral Number (Byte, Short, Integer, Long)");
    }
    if (v < minValue || v > maxValue) {
      throw MeridianException.invalid("Value " + v + " is out of range for " + cqlName());
    }
    return serialize(v);
  }
}
