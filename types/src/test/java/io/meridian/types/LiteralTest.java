package io.meridian.types;

import static io.meridian.types.LiteralKind.BOOLEAN;
import static io.meridian.types.LiteralKind.DURATION;
import static io.meridian.types.LiteralKind.FLOAT;
import static io.meridian.types.LiteralKind.HEX;
import static io.meridian.types.LiteralKind.INTEGER;
import static io.meridian.types.LiteralKind.STRING;
import static io.meridian.types.LiteralKind.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** CQL literal parsing and printing, following Cassandra's rules per type. */
class LiteralTest {

  private static Object parse(CqlType type, LiteralKind kind, String text) {
    return type.decode(type.fromLiteral(kind, text));
  }

  private static void assertInvalid(CqlType type, LiteralKind kind, String text, String keyWord) {
    MeridianException e = assertThrows(MeridianException.class, () -> type.fromLiteral(kind, text),
        () -> type + " should refuse " + kind + " " + text);
    assertEquals(CqlErrorCode.INVALID, e.code());
    assertTrue(e.getMessage().toLowerCase().contains(keyWord.toLowerCase()),
        () -> "message '" + e.getMessage() + "' should mention '" + keyWord + "'");
  }

  @Test
  void integers() {
    assertEquals((byte) -128, parse(CqlTypes.TINYINT, INTEGER, "-128"));
    assertEquals((short) 32767, parse(CqlTypes.SMALLINT, INTEGER, "32767"));
    assertEquals(42, parse(CqlTypes.INT, INTEGER, "42"));
    assertEquals(Long.MIN_VALUE, parse(CqlTypes.BIGINT, INTEGER, "-9223372036854775808"));
    assertEquals(7L, parse(CqlTypes.COUNTER, INTEGER, "7"));
    assertInvalid(CqlTypes.TINYINT, INTEGER, "300", "Value 300 is out of range for tinyint");
    assertInvalid(CqlTypes.INT, INTEGER, "2147483648", "out of range for int");
    assertInvalid(CqlTypes.BIGINT, INTEGER, "9223372036854775808", "out of range");
    assertInvalid(CqlTypes.INT, STRING, "42", "STRING");
    assertInvalid(CqlTypes.INT, FLOAT, "4.2", "FLOAT");
    BigInteger big = new BigInteger("123456789012345678901234567890");
    assertEquals(big, parse(CqlTypes.VARINT, INTEGER, big.toString()));
    assertEquals(big.negate(), parse(CqlTypes.VARINT, INTEGER, "-" + big));
    assertInvalid(CqlTypes.VARINT, FLOAT, "1.5", "expected an integer");
  }

  @Test
  void floatingAndDecimal() {
    assertEquals(1.5f, parse(CqlTypes.FLOAT, FLOAT, "1.5"));
    assertEquals(3.0f, parse(CqlTypes.FLOAT, INTEGER, "3"));
    assertEquals(-2e10, parse(CqlTypes.DOUBLE, FLOAT, "-2e10"));
    assertEquals(Double.NaN, parse(CqlTypes.DOUBLE, FLOAT, "NaN"));
    assertEquals(Double.NEGATIVE_INFINITY, parse(CqlTypes.DOUBLE, FLOAT, "-Infinity"));
    assertEquals(new BigDecimal("12.340"), parse(CqlTypes.DECIMAL, FLOAT, "12.340"));
    assertEquals(new BigDecimal("5"), parse(CqlTypes.DECIMAL, INTEGER, "5"));
    assertEquals(new BigDecimal("1E+3"), parse(CqlTypes.DECIMAL, FLOAT, "1e3"));
    assertInvalid(CqlTypes.DECIMAL, FLOAT, "NaN", "NaN");
    assertInvalid(CqlTypes.DOUBLE, FLOAT, "0x1p3", "Invalid number");
    assertInvalid(CqlTypes.DOUBLE, STRING, "1.0", "STRING");
  }

  @Test
  void strings() {
    assertEquals("it's", parse(CqlTypes.TEXT, STRING, "it's"));
    assertEquals("h\u00e9", parse(CqlTypes.TEXT, STRING, "h\u00e9"));
    assertEquals("abc", parse(CqlTypes.ASCII, STRING, "abc"));
    assertInvalid(CqlTypes.ASCII, STRING, "h\u00e9", "ASCII");
    assertInvalid(CqlTypes.TEXT, INTEGER, "1", "INTEGER");
    assertInvalid(CqlTypes.TEXT, STRING, "\uD800", "Unicode");
    assertEquals("'it''s'", CqlTypes.TEXT.toCqlLiteral(CqlTypes.TEXT.encode("it's")));
    assertEquals("''", CqlTypes.ASCII.toCqlLiteral(ByteBuffer.allocate(0)));
  }

  @Test
  void blobsAndBooleans() {
    assertEquals(ByteBuffer.wrap(new byte[] {(byte) 0xca, (byte) 0xfe}), parse(CqlTypes.BLOB, HEX, "0xCAFE"));
    assertEquals(ByteBuffer.allocate(0), parse(CqlTypes.BLOB, HEX, "0x"));
    assertInvalid(CqlTypes.BLOB, HEX, "0xabc", "even number");
    assertInvalid(CqlTypes.BLOB, HEX, "0xzz", "non-hex");
    assertInvalid(CqlTypes.BLOB, STRING, "cafe", "STRING");
    assertEquals("0xcafe", CqlTypes.BLOB.toCqlLiteral(ByteBuffer.wrap(new byte[] {(byte) 0xca, (byte) 0xfe})));
    assertEquals(true, parse(CqlTypes.BOOLEAN, BOOLEAN, "TRUE"));
    assertEquals(false, parse(CqlTypes.BOOLEAN, BOOLEAN, "false"));
    assertInvalid(CqlTypes.BOOLEAN, STRING, "true", "STRING");
    assertInvalid(CqlTypes.BOOLEAN, INTEGER, "1", "INTEGER");
  }

  @Test
  void timestamps() {
    Instant expected = Instant.parse("2024-01-02T03:04:05Z");
    assertEquals(expected, parse(CqlTypes.TIMESTAMP, STRING, "2024-01-02 03:04:05+0000"));
    assertEquals(expected, parse(CqlTypes.TIMESTAMP, STRING, "2024-01-02T03:04:05Z"));
    assertEquals(expected, parse(CqlTypes.TIMESTAMP, STRING, "2024-01-02 03:04:05"));
    assertEquals(expected, parse(CqlTypes.TIMESTAMP, STRING, "2024-01-02T05:04:05+02:00"));
    assertEquals(expected, parse(CqlTypes.TIMESTAMP, STRING, "2024-01-01 22:04:05-0500"));
    assertEquals(Instant.parse("2024-01-02T03:04:05.120Z"), parse(CqlTypes.TIMESTAMP, STRING, "2024-01-02 03:04:05.12Z"));
    assertEquals(Instant.parse("2024-01-02T03:04:00Z"), parse(CqlTypes.TIMESTAMP, STRING, "2024-01-02 03:04"));
    assertEquals(Instant.parse("2024-01-02T00:00:00Z"), parse(CqlTypes.TIMESTAMP, STRING, "2024-01-02"));
    assertEquals(Instant.ofEpochMilli(1704164645000L), parse(CqlTypes.TIMESTAMP, INTEGER, "1704164645000"));
    assertEquals(Instant.ofEpochMilli(-5), parse(CqlTypes.TIMESTAMP, STRING, "-5"));
    assertInvalid(CqlTypes.TIMESTAMP, STRING, "2024-13-01", "Invalid timestamp");
    assertInvalid(CqlTypes.TIMESTAMP, STRING, "yesterday", "Unable to parse a timestamp");
    assertInvalid(CqlTypes.TIMESTAMP, STRING, "now", "toTimestamp(now())");
    assertInvalid(CqlTypes.TIMESTAMP, FLOAT, "1.5", "FLOAT");
    assertEquals("'2024-01-02T03:04:05.000Z'", CqlTypes.TIMESTAMP.toCqlLiteral(CqlTypes.TIMESTAMP.encode(expected)));
    assertEquals("blobAsTimestamp(0x)", CqlTypes.TIMESTAMP.toCqlLiteral(ByteBuffer.allocate(0)));
  }

  @Test
  void datesAndTimes() {
    assertEquals(LocalDate.of(2024, 1, 2), parse(CqlTypes.DATE, STRING, "2024-01-02"));
    assertEquals(LocalDate.of(1970, 1, 1), parse(CqlTypes.DATE, INTEGER, "2147483648"));
    assertEquals(LocalDate.of(1969, 12, 31), parse(CqlTypes.DATE, STRING, "2147483647"));
    assertInvalid(CqlTypes.DATE, INTEGER, "4294967296", "out of range");
    assertInvalid(CqlTypes.DATE, STRING, "2024-02-30", "Invalid date");
    assertInvalid(CqlTypes.DATE, STRING, "Jan 2", "Unable to parse a date");
    assertEquals("'2024-01-02'", CqlTypes.DATE.toCqlLiteral(CqlTypes.DATE.encode(LocalDate.of(2024, 1, 2))));
    // The serialization is the unsigned day count with the epoch at 2^31.
    assertEquals(ByteBuffer.allocate(4).putInt(0, 0x80000000), CqlTypes.DATE.encode(LocalDate.of(1970, 1, 1)));

    assertEquals(LocalTime.of(8, 12, 54, 123456789), parse(CqlTypes.TIME, STRING, "08:12:54.123456789"));
    assertEquals(LocalTime.of(8, 12, 54, 100_000_000), parse(CqlTypes.TIME, STRING, "08:12:54.1"));
    assertEquals(LocalTime.of(0, 0, 0, 5), parse(CqlTypes.TIME, INTEGER, "5"));
    assertInvalid(CqlTypes.TIME, STRING, "24:00:00", "hours 0-23");
    assertInvalid(CqlTypes.TIME, INTEGER, "86400000000000", "out of range");
    assertEquals("'08:12:54.123456789'",
        CqlTypes.TIME.toCqlLiteral(CqlTypes.TIME.encode(LocalTime.of(8, 12, 54, 123456789))));
  }

  @Test
  void inetAndUuids() throws Exception {
    assertEquals(InetAddress.getByName("127.0.0.1"), parse(CqlTypes.INET, STRING, "127.0.0.1"));
    assertEquals(InetAddress.getByName("::1"), parse(CqlTypes.INET, STRING, "::1"));
    assertEquals(16, CqlTypes.INET.fromLiteral(STRING, "2001:db8::ff00:42:8329").remaining());
    assertInvalid(CqlTypes.INET, STRING, "256.0.0.1", "Unable to parse an inet");
    assertInvalid(CqlTypes.INET, STRING, "localhost", "Unable to parse an inet");
    assertInvalid(CqlTypes.INET, STRING, "1::2::3", "Unable to parse an inet");
    assertEquals("'127.0.0.1'", CqlTypes.INET.toCqlLiteral(CqlTypes.INET.fromLiteral(STRING, "127.0.0.1")));

    String v4 = "123e4567-e89b-42d3-a456-556642440000";
    String v1 = "123e4567-e89b-12d3-a456-426614174000";
    assertEquals(java.util.UUID.fromString(v4), parse(CqlTypes.UUID, UUID, v4));
    assertEquals(java.util.UUID.fromString(v1), parse(CqlTypes.TIMEUUID, UUID, v1));
    assertInvalid(CqlTypes.TIMEUUID, UUID, v4, "version 1");
    assertInvalid(CqlTypes.UUID, STRING, v4, "STRING");
    assertInvalid(CqlTypes.UUID, UUID, "1-2-3-4-5", "8-4-4-4-12");
    assertEquals(v1, CqlTypes.TIMEUUID.toCqlLiteral(CqlTypes.TIMEUUID.fromLiteral(UUID, v1)));
  }

  @Test
  void durations() {
    long h = 3_600_000_000_000L;
    assertEquals(new CqlDuration(14, 25, 5 * h + 6 * 60_000_000_000L + 7_000_000_000L + 8_000_000 + 9_000 + 10),
        parse(CqlTypes.DURATION, DURATION, "1y2mo3w4d5h6m7s8ms9us10ns"));
    assertEquals(new CqlDuration(12, 2, 0), parse(CqlTypes.DURATION, DURATION, "P1Y2D"));
    assertEquals(new CqlDuration(0, 7, 0), parse(CqlTypes.DURATION, DURATION, "P1W"));
    assertEquals(new CqlDuration(14, 3, 4 * h + 5 * 60_000_000_000L + 6_000_000_000L),
        parse(CqlTypes.DURATION, DURATION, "P0001-02-03T04:05:06"));
    assertEquals(new CqlDuration(0, 1, 2 * h), parse(CqlTypes.DURATION, DURATION, "P1DT2H"));
    assertEquals(new CqlDuration(0, 0, -90 * 60_000_000_000L), parse(CqlTypes.DURATION, DURATION, "-1h30m"));
    assertEquals(new CqlDuration(0, 0, 3_000), parse(CqlTypes.DURATION, DURATION, "3\u00b5s"));
    assertEquals(new CqlDuration(1, 0, 0), parse(CqlTypes.DURATION, DURATION, "1MO"));
    assertInvalid(CqlTypes.DURATION, DURATION, "1h2d", "out of order");
    assertInvalid(CqlTypes.DURATION, DURATION, "1h1h", "repeated");
    assertInvalid(CqlTypes.DURATION, DURATION, "1x", "unit");
    assertInvalid(CqlTypes.DURATION, DURATION, "PT", "ISO 8601");
    assertInvalid(CqlTypes.DURATION, DURATION, "178956971y", "months");
    assertInvalid(CqlTypes.DURATION, STRING, "1h", "STRING");
    assertEquals("1y2mo10d5h30m", CqlTypes.DURATION.toCqlLiteral(CqlTypes.DURATION.fromLiteral(DURATION, "1y2mo10d5h30m")));
    assertEquals("-3h", new CqlDuration(0, 0, -3 * h).toString());
    assertEquals("0s", new CqlDuration(0, 0, 0).toString());
    assertThrows(MeridianException.class, () -> new CqlDuration(1, -1, 0));
  }

  @Test
  void nullArgumentsAreInvalidNotNpe() {
    assertThrows(MeridianException.class, () -> CqlTypes.INT.fromLiteral(INTEGER, null));
    assertThrows(MeridianException.class, () -> CqlTypes.INT.encode(null));
  }
}
