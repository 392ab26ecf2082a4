package io.meridian.types;

import java.nio.ByteBuffer;
import java.time.LocalDate;

/**
 * date: unsigned 4-byte day count with 1970-01-01 at 2^31. Empty values are rejected, as in
 * Cassandra. Order is unsigned, which is chronological; the serialization is already its own
 * comparable key. Java value: {@link LocalDate}.
 */
final class DateType extends FixedWidthType {
  DateType() {
    super("date", 0x0011, false, 4);
  }

  private static long unsignedDays(ByteBuffer v) {
    return v.getInt(v.position()) & 0xFFFF_FFFFL;
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return Long.compare(unsignedDays(a), unsignedDays(b));
  }

  @Override
  byte[] key(ByteBuffer value) {
    return Bytes.toArray(value);
  }

  @Override
  byte[] unkey(byte[] key) {
    return key;
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.STRING && kind != LiteralKind.INTEGER) {
      throw wrongKind(kind, text, "'yyyy-mm-dd' or an unsigned day count");
    }
    return intBytes((int) TemporalLiterals.parseDateUnsignedDays(text));
  }

  @Override
  String literal(ByteBuffer value) {
    return TemporalLiterals.formatDate(unsignedDays(value));
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return LocalDate.ofEpochDay(unsignedDays(value) - TemporalLiterals.DATE_EPOCH_OFFSET_DAYS);
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (!(value instanceof LocalDate)) {
      throw wrongJavaType(value, "java.time.LocalDate");
    }
    return intBytes((int) TemporalLiterals.epochDayToUnsigned(((LocalDate) value).toEpochDay()));
  }
}
