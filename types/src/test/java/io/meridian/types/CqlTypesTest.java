package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names, protocol codes and the validation rules (empty values, widths) of the scalar types. */
class CqlTypesTest {

  @Test
  void namesParseCaseInsensitivelyAndVarcharIsText() {
    for (CqlType type : CqlTypes.ALL) {
      assertSame(type, CqlTypes.parse(type.cqlName()));
      assertSame(type, CqlTypes.parse(type.cqlName().toUpperCase()));
      assertSame(type, CqlTypes.forProtocolCode(type.protocolCode()));
    }
    assertSame(CqlTypes.TEXT, CqlTypes.parse("VarChar"));
    assertEquals("text", CqlTypes.parse("varchar").cqlName());
    MeridianException e = assertThrows(MeridianException.class, () -> CqlTypes.parse("money"));
    assertEquals(CqlErrorCode.INVALID, e.code());
    assertTrue(e.getMessage().contains("money"));
    assertThrows(MeridianException.class, () -> CqlTypes.forProtocolCode(0x0020));
  }

  @Test
  void protocolCodesFollowTheSpec() {
    assertEquals(0x0001, CqlTypes.ASCII.protocolCode());
    assertEquals(0x0002, CqlTypes.BIGINT.protocolCode());
    assertEquals(0x0003, CqlTypes.BLOB.protocolCode());
    assertEquals(0x0004, CqlTypes.BOOLEAN.protocolCode());
    assertEquals(0x0005, CqlTypes.COUNTER.protocolCode());
    assertEquals(0x0006, CqlTypes.DECIMAL.protocolCode());
    assertEquals(0x0007, CqlTypes.DOUBLE.protocolCode());
    assertEquals(0x0008, CqlTypes.FLOAT.protocolCode());
    assertEquals(0x0009, CqlTypes.INT.protocolCode());
    assertEquals(0x000B, CqlTypes.TIMESTAMP.protocolCode());
    assertEquals(0x000C, CqlTypes.UUID.protocolCode());
    assertEquals(0x000D, CqlTypes.TEXT.protocolCode());
    assertEquals(0x000E, CqlTypes.VARINT.protocolCode());
    assertEquals(0x000F, CqlTypes.TIMEUUID.protocolCode());
    assertEquals(0x0010, CqlTypes.INET.protocolCode());
    assertEquals(0x0011, CqlTypes.DATE.protocolCode());
    assertEquals(0x0012, CqlTypes.TIME.protocolCode());
    assertEquals(0x0013, CqlTypes.SMALLINT.protocolCode());
    assertEquals(0x0014, CqlTypes.TINYINT.protocolCode());
    assertEquals(0x0015, CqlTypes.DURATION.protocolCode());
    assertSame(CqlTypes.TEXT, CqlTypes.forProtocolCode(0x000A));
  }

  @Test
  void emptyValuesAreAcceptedExceptWhereCassandraRefusesThem() {
    Set<CqlType> refuse = Set.of(CqlTypes.TINYINT, CqlTypes.SMALLINT, CqlTypes.DATE, CqlTypes.TIME, CqlTypes.DURATION);
    ByteBuffer empty = ByteBuffer.allocate(0);
    for (CqlType type : CqlTypes.ALL) {
      if (refuse.contains(type)) {
        assertFalse(type.emptyAllowed());
        assertThrows(MeridianException.class, () -> type.validate(empty), type::cqlName);
      } else {
        assertTrue(type.emptyAllowed());
        type.validate(empty);
        assertEquals(type.compare(empty, empty), 0);
      }
    }
    assertEquals(null, CqlTypes.INT.decode(empty));
    assertEquals("", CqlTypes.TEXT.decode(empty));
  }

  @Test
  void wrongWidthsAndBadContentAreRefused() {
    assertInvalid(CqlTypes.INT, new byte[3]);
    assertInvalid(CqlTypes.BIGINT, new byte[4]);
    assertInvalid(CqlTypes.UUID, new byte[15]);
    assertInvalid(CqlTypes.INET, new byte[5]);
    assertInvalid(CqlTypes.DECIMAL, new byte[3]);
    assertInvalid(CqlTypes.BOOLEAN, new byte[2]);
    assertInvalid(CqlTypes.TIMEUUID, new byte[16]); // version 0
    assertInvalid(CqlTypes.TIME, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}); // negative nanos
    assertInvalid(CqlTypes.ASCII, new byte[] {'a', (byte) 0xC3});
    assertInvalid(CqlTypes.TEXT, new byte[] {(byte) 0xC3}); // truncated UTF-8
    assertInvalid(CqlTypes.DURATION, new byte[] {2, 1, 0}); // months +1, days -1: mixed signs
    assertInvalid(CqlTypes.DURATION, new byte[] {0, 0, 0, 0}); // trailing byte
    assertInvalid(CqlTypes.DURATION, new byte[] {0, (byte) 0x80}); // too short
  }

  private static void assertInvalid(CqlType type, byte[] bytes) {
    MeridianException e = assertThrows(MeridianException.class, () -> type.validate(ByteBuffer.wrap(bytes)),
        () -> type + " should refuse " + bytes.length + " bytes");
    assertEquals(CqlErrorCode.INVALID, e.code());
  }

  @Test
  void durationIsNotOrderable() {
    assertFalse(CqlTypes.DURATION.orderable());
    ByteBuffer d = CqlTypes.DURATION.encode(new CqlDuration(1, 2, 3));
    MeridianException e = assertThrows(MeridianException.class, () -> CqlTypes.DURATION.toComparable(d));
    assertEquals("duration type is not supported for PRIMARY KEY columns", e.getMessage());
  }

  @Test
  void encodeRefusesWrongJavaTypesAndOutOfRangeNumbers() {
    assertThrows(MeridianException.class, () -> CqlTypes.INT.encode("1"));
    assertThrows(MeridianException.class, () -> CqlTypes.TINYINT.encode(300));
    assertEquals(CqlTypes.SMALLINT.encode((short) 5), CqlTypes.SMALLINT.encode(5));
    assertThrows(MeridianException.class, () -> CqlTypes.UUID.encode("x"));
  }
}
