package io.meridian.types;

import java.nio.ByteBuffer;
import java.time.LocalTime;

/**
 * time: signed 8-byte nanoseconds since midnight, 0 to 86399999999999. Empty values are rejected,
 * as in Cassandra. Signed order (all valid values are non-negative). Java value: {@link LocalTime}.
 */
final class TimeType extends FixedWidthType {
  TimeType() {
    super("time", 0x0012, false, 8);
  }

  private static long nanos(ByteBuffer v) {
    return v.getLong(v.position());
  }

  @Override
  void validateContent(ByteBuffer value) {
    TemporalLiterals.checkTimeNanos(nanos(value));
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return Long.compare(nanos(a), nanos(b));
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
    if (kind != LiteralKind.STRING && kind != LiteralKind.INTEGER) {
      throw wrongKind(kind, text, "'hh:mm:ss[.fffffffff]' or nanoseconds since midnight");
    }
    return longBytes(TemporalLiterals.parseTimeNanos(text));
  }

  @Override
  String literal(ByteBuffer value) {
    return TemporalLiterals.formatTime(nanos(value));
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return LocalTime.ofNanoOfDay(nanos(value));
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (value instanceof LocalTime) {
      return longBytes(((LocalTime) value).toNanoOfDay());
    }
    if (value instanceof Long) {
      return longBytes((Long) value);
    }
    throw wrongJavaType(value, "java.time.LocalTime (or Long nanoseconds since midnight)");
  }
}
