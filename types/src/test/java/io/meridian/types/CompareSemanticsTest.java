package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Fixed orderings where Cassandra's rules are not simply "the Java value's order". */
class CompareSemanticsTest {

  private static ByteBuffer uuid(String s) {
    return CqlTypes.UUID.encode(UUID.fromString(s));
  }

  /** Checks a &lt; b both by compare() and by the comparable encoding. */
  private static void assertBefore(CqlType type, ByteBuffer a, ByteBuffer b) {
    assertTrue(type.compare(a, b) < 0, () -> type + ": expected " + type.toCqlLiteral(a) + " < " + type.toCqlLiteral(b));
    assertTrue(type.compare(b, a) > 0);
    assertTrue(Arrays.compareUnsigned(type.toComparable(a), type.toComparable(b)) < 0, () -> type + " comparable");
  }

  @Test
  void uuidOrdersByVersionThenTimeOrBytes() {
    ByteBuffer v1Late = uuid("00000000-0000-1fff-8000-000000000000"); // time_hi 0xfff: far future
    ByteBuffer v1Early = uuid("ffffffff-ffff-1000-8000-000000000000"); // time_hi 0: earlier despite ff bytes
    ByteBuffer v4Low = uuid("00000000-0000-4000-8000-000000000000");
    ByteBuffer v4High = uuid("f0000000-0000-4000-8000-000000000000");
    ByteBuffer v2 = uuid("ffffffff-ffff-2fff-ffff-ffffffffffff");
    assertBefore(CqlTypes.UUID, v1Early, v1Late);
    assertBefore(CqlTypes.UUID, v1Late, v2); // version first
    assertBefore(CqlTypes.UUID, v2, v4Low);
    assertBefore(CqlTypes.UUID, v4Low, v4High); // high long unsigned
    assertBefore(CqlTypes.UUID, uuid("00000000-0000-4000-0000-000000000000"), uuid("00000000-0000-4000-8000-000000000000"));
    assertBefore(CqlTypes.UUID, ByteBuffer.allocate(0), v1Early); // empty first
  }

  @Test
  void timeuuidBreaksTimestampTiesWithSignedBytes() {
    ByteBuffer a = CqlTypes.TIMEUUID.encode(UUID.fromString("00000000-0000-1000-8000-000000000000"));
    ByteBuffer b = CqlTypes.TIMEUUID.encode(UUID.fromString("00000000-0000-1000-0000-000000000000"));
    // 0x80 is -128 as a signed byte, so it sorts before 0x00 in Cassandra's TimeUUIDType.
    assertBefore(CqlTypes.TIMEUUID, a, b);
    ByteBuffer later = CqlTypes.TIMEUUID.encode(UUID.fromString("00000001-0000-1000-0000-000000000000"));
    assertBefore(CqlTypes.TIMEUUID, b, later);
    ByteBuffer muchLater = CqlTypes.TIMEUUID.encode(UUID.fromString("00000000-0001-1000-0000-000000000000"));
    assertBefore(CqlTypes.TIMEUUID, later, muchLater); // time_mid outranks time_low
  }

  @Test
  void inetAndBlobUseUnsignedBytes() {
    ByteBuffer v4 = CqlTypes.INET.fromLiteral(LiteralKind.STRING, "255.0.0.1");
    ByteBuffer v4Low = CqlTypes.INET.fromLiteral(LiteralKind.STRING, "1.2.3.4");
    ByteBuffer v6 = CqlTypes.INET.fromLiteral(LiteralKind.STRING, "102:304::");
    assertBefore(CqlTypes.INET, v4Low, v4);
    assertBefore(CqlTypes.INET, v4Low, v6); // a prefix sorts first
    assertBefore(CqlTypes.BLOB, ByteBuffer.wrap(new byte[] {0x7f}), ByteBuffer.wrap(new byte[] {(byte) 0x80}));
    assertBefore(CqlTypes.BLOB, ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {1, 0}));
    assertBefore(CqlTypes.TEXT, CqlTypes.TEXT.encode("\uFFFF"), CqlTypes.TEXT.encode("\uD83D\uDE00"));
  }

  @Test
  void numericTypesOrderNumericallyWithEquivalentEncodingsEqual() {
    ByteBuffer padded = ByteBuffer.wrap(new byte[] {0, 0, 1});
    ByteBuffer one = ByteBuffer.wrap(new byte[] {1});
    assertEquals(0, CqlTypes.VARINT.compare(padded, one));
    assertTrue(Arrays.equals(CqlTypes.VARINT.toComparable(padded), CqlTypes.VARINT.toComparable(one)));
    ByteBuffer d1 = CqlTypes.DECIMAL.fromLiteral(LiteralKind.FLOAT, "1.0");
    ByteBuffer d2 = CqlTypes.DECIMAL.fromLiteral(LiteralKind.FLOAT, "1.00");
    assertEquals(0, CqlTypes.DECIMAL.compare(d1, d2));
    assertTrue(Arrays.equals(CqlTypes.DECIMAL.toComparable(d1), CqlTypes.DECIMAL.toComparable(d2)));
    assertBefore(CqlTypes.DECIMAL, CqlTypes.DECIMAL.fromLiteral(LiteralKind.FLOAT, "-0.123"),
        CqlTypes.DECIMAL.fromLiteral(LiteralKind.FLOAT, "-0.12"));
    assertBefore(CqlTypes.DOUBLE, CqlTypes.DOUBLE.encode(-0.0), CqlTypes.DOUBLE.encode(0.0));
    assertBefore(CqlTypes.DOUBLE, CqlTypes.DOUBLE.encode(Double.POSITIVE_INFINITY), CqlTypes.DOUBLE.encode(Double.NaN));
    assertBefore(CqlTypes.INT, ByteBuffer.allocate(0), CqlTypes.INT.encode(Integer.MIN_VALUE));
    assertBefore(CqlTypes.BOOLEAN, CqlTypes.BOOLEAN.encode(false), CqlTypes.BOOLEAN.encode(true));
    assertEquals(0, CqlTypes.BOOLEAN.compare(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {7})));
  }
}
