package io.meridian.types;

import io.meridian.common.MeridianException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * duration: three zig-zag signed vints, months, days, nanoseconds (months and days must fit an
 * int, all of one sign). Empty values are rejected (Cassandra wants at least 3 bytes). Durations
 * have no meaningful order (is 1mo more than 30d?), so Cassandra refuses them in primary keys: the
 * comparable encoding is refused, and {@link #compare} only gives an arbitrary but consistent
 * byte order for equality checks. Java value: {@link CqlDuration}.
 */
final class DurationType extends ScalarType {
  static final String NOT_ORDERABLE = "duration type is not supported for PRIMARY KEY columns";

  DurationType() {
    super("duration", 0x0015, false);
  }

  @Override
  public boolean orderable() {
    return false;
  }

  static CqlDuration read(ByteBuffer value) {
    ByteBuffer src = value.duplicate();
    long months = VInt.readSigned(src);
    long days = VInt.readSigned(src);
    long nanos = VInt.readSigned(src);
    if (src.hasRemaining()) {
      throw MeridianException.invalid(
          "Expected exactly three vints in a duration value, found " + src.remaining() + " trailing bytes");
    }
    if (months != (int) months || days != (int) days) {
      throw MeridianException.invalid(
          "Duration months and days must fit a 32-bit int, got " + months + " months and " + days + " days");
    }
    return new CqlDuration((int) months, (int) days, nanos);
  }

  static ByteBuffer serialize(CqlDuration d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(3 * VInt.SIZE_BYTES_MAX);
    VInt.writeSigned(d.months(), out);
    VInt.writeSigned(d.days(), out);
    VInt.writeSigned(d.nanoseconds(), out);
    return ByteBuffer.wrap(out.toByteArray());
  }

  @Override
  void validateNonEmpty(ByteBuffer value) {
    if (value.remaining() < 3) {
      throw MeridianException.invalid("Expected at least 3 bytes for a duration value, got " + value.remaining());
    }
    read(value);
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return Bytes.compareUnsigned(a, b);
  }

  @Override
  byte[] comparable(ByteBuffer value) {
    throw MeridianException.invalid(NOT_ORDERABLE);
  }

  @Override
  ByteBuffer fromComparableUnchecked(ByteBuffer src) {
    throw MeridianException.invalid(NOT_ORDERABLE);
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.DURATION) {
      throw wrongKind(kind, text, "a duration such as 1h30m or P1DT2H");
    }
    return serialize(CqlDuration.parse(text));
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
    if (!(value instanceof CqlDuration)) {
      throw wrongJavaType(value, CqlDuration.class.getName());
    }
    return serialize((CqlDuration) value);
  }
}
