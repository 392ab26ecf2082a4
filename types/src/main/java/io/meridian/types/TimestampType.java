package io.meridian.types;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * timestamp: signed 8-byte milliseconds since the Unix epoch (UTC). Signed order; the comparable key
 * is the value with its sign bit flipped. Empty values are allowed. Java value: {@link Instant}.
 */
final class TimestampType extends FixedWidthType {
  TimestampType() {
    super("timestamp", 0x000B, true, 8);
  }

  private static long millis(ByteBuffer v) {
    return v.getLong(v.position());
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return Long.compare(millis(a), millis(b));
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
      throw wrongKind(kind, text, "a date-time string or milliseconds since epoch");
    }
    return longBytes(TemporalLiterals.parseTimestampMillis(text));
  }

  @Override
  String literal(ByteBuffer value) {
    return TemporalLiterals.formatTimestamp(millis(value));
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return Instant.ofEpochMilli(millis(value));
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (value instanceof Instant) {
      // toEpochMilli floors sub-millisecond precision, as the driver does.
      return longBytes(((Instant) value).toEpochMilli());
    }
    if (value instanceof Long) {
      return longBytes((Long) value);
    }
    throw wrongJavaType(value, "java.time.Instant (or Long milliseconds)");
  }
}
