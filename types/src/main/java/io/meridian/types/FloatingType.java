package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;

/**
 * float (4 bytes) and double (8 bytes): IEEE 754 big-endian. Order is that of Float.compare /
 * Double.compare: -Infinity < ... < -0.0 < 0.0 < ... < Infinity < NaN, all NaNs equal.
 *
 * <p>Comparable key: the canonical bits (every NaN collapsed to the one canonical NaN, so equal
 * values encode equally), then negative numbers have all bits inverted and non-negative numbers
 * only the sign bit flipped. Unsigned order of the result is then the total order above.
 */
final class FloatingType extends FixedWidthType {
  FloatingType(String name, int protocolCode, int widthBytes) {
    super(name, protocolCode, true, widthBytes);
  }

  private boolean isFloat() {
    return widthBytes == 4;
  }

  private double read(ByteBuffer v) {
    return isFloat() ? v.getFloat(v.position()) : v.getDouble(v.position());
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    if (isFloat()) {
      return Float.compare(a.getFloat(a.position()), b.getFloat(b.position()));
    }
    return Double.compare(a.getDouble(a.position()), b.getDouble(b.position()));
  }

  @Override
  byte[] key(ByteBuffer value) {
    if (isFloat()) {
      int bits = Float.floatToIntBits(value.getFloat(value.position()));
      bits = bits < 0 ? ~bits : bits ^ Integer.MIN_VALUE;
      return ByteBuffer.allocate(4).putInt(0, bits).array();
    }
    long bits = Double.doubleToLongBits(value.getDouble(value.position()));
    bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    return ByteBuffer.allocate(8).putLong(0, bits).array();
  }

  @Override
  byte[] unkey(byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    if (isFloat()) {
      int bits = k.getInt(0);
      bits = bits < 0 ? bits ^ Integer.MIN_VALUE : ~bits;
      return ByteBuffer.allocate(4).putInt(0, bits).array();
    }
    long bits = k.getLong(0);
    bits = bits < 0 ? bits ^ Long.MIN_VALUE : ~bits;
    return ByteBuffer.allocate(8).putLong(0, bits).array();
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.INTEGER && kind != LiteralKind.FLOAT) {
      throw wrongKind(kind, text, "a number");
    }
    String t = text.trim();
    double v;
    try {
      // Double.parseDouble also takes hex floats and a trailing 'd'/'f'; CQL does not.
      if (!t.matches("[+-]?(NaN|Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)")) {
        throw new NumberFormatException();
      }
      v = isFloat() ? Float.parseFloat(t) : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw MeridianException.invalid("Invalid number '" + abbreviate(text) + "' for type " + cqlName());
    }
    return serialize(v);
  }

  private ByteBuffer serialize(double v) {
    return isFloat() ? ByteBuffer.allocate(4).putFloat(0, (float) v) : ByteBuffer.allocate(8).putDouble(0, v);
  }

  @Override
  String literal(ByteBuffer value) {
    return isFloat() ? Float.toString(value.getFloat(value.position())) : Double.toString(read(value));
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return isFloat() ? (Object) value.getFloat(value.position()) : (Object) value.getDouble(value.position());
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (isFloat() && value instanceof Float) {
      // Not via serialize(double): widening can quiet a signalling NaN and change its bits.
      return ByteBuffer.allocate(4).putFloat(0, (Float) value);
    }
    if (!isFloat() && (value instanceof Double || value instanceof Float)) {
      return serialize(((Number) value).doubleValue());
    }
    throw wrongJavaType(value, isFloat() ? "java.lang.Float" : "java.lang.Double");
  }
}
