package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.ArithmeticOp;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class FunctionArithmeticTest {
  private static final CqlType TINYINT = CqlTypes.TINYINT;
  private static final CqlType SMALLINT = CqlTypes.SMALLINT;
  private static final CqlType INT = CqlTypes.INT;
  private static final CqlType BIGINT = CqlTypes.BIGINT;
  private static final CqlType VARINT = CqlTypes.VARINT;
  private static final CqlType FLOAT = CqlTypes.FLOAT;
  private static final CqlType DOUBLE = CqlTypes.DOUBLE;
  private static final CqlType DECIMAL = CqlTypes.DECIMAL;

  /** Rows: left type; columns in the order of {@link #ORDER}; cells: the result type. */
  private static final List<CqlType> ORDER = List.of(TINYINT, SMALLINT, INT, BIGINT, VARINT, FLOAT, DOUBLE, DECIMAL);
  private static final CqlType[][] PROMOTION = {
      {TINYINT, SMALLINT, INT, BIGINT, VARINT, FLOAT, DOUBLE, DECIMAL},
      {SMALLINT, SMALLINT, INT, BIGINT, VARINT, FLOAT, DOUBLE, DECIMAL},
      {INT, INT, INT, BIGINT, VARINT, FLOAT, DOUBLE, DECIMAL},
      {BIGINT, BIGINT, BIGINT, BIGINT, VARINT, DOUBLE, DOUBLE, DECIMAL},
      {VARINT, VARINT, VARINT, VARINT, VARINT, DECIMAL, DECIMAL, DECIMAL},
      {FLOAT, FLOAT, FLOAT, DOUBLE, DECIMAL, FLOAT, DOUBLE, DECIMAL},
      {DOUBLE, DOUBLE, DOUBLE, DOUBLE, DECIMAL, DOUBLE, DOUBLE, DECIMAL},
      {DECIMAL, DECIMAL, DECIMAL, DECIMAL, DECIMAL, DECIMAL, DECIMAL, DECIMAL},
  };

  @Test
  void promotionTable() {
    for (int i = 0; i < ORDER.size(); i++) {
      for (int j = 0; j < ORDER.size(); j++) {
        CqlType l = ORDER.get(i);
        CqlType r = ORDER.get(j);
        assertEquals(PROMOTION[i][j], FunctionArithmetic.resultType(l, r), l.cqlName() + " op " + r.cqlName());
      }
    }
    assertEquals(BIGINT, FunctionArithmetic.resultType(CqlTypes.COUNTER, INT));
  }

  private static Object apply(ArithmeticOp op, CqlType lt, Object l, CqlType rt, Object r) {
    ByteBuffer out = FunctionArithmetic.apply(op, lt, lt.encode(l), rt, rt.encode(r));
    return out == null ? null : FunctionArithmetic.resultType(lt, rt).decode(out);
  }

  @Test
  void fixedWidthIntegersWrap() {
    assertEquals(Integer.MIN_VALUE, apply(ArithmeticOp.ADD, INT, Integer.MAX_VALUE, INT, 1));
    assertEquals(Long.MIN_VALUE, apply(ArithmeticOp.ADD, BIGINT, Long.MAX_VALUE, INT, 1));
    assertEquals((byte) -128, apply(ArithmeticOp.ADD, TINYINT, (byte) 127, TINYINT, (byte) 1));
    assertEquals((short) 32767, apply(ArithmeticOp.SUB, SMALLINT, (short) -32768, TINYINT, (byte) 1));
    assertEquals(2_147_483_648L, apply(ArithmeticOp.ADD, INT, Integer.MAX_VALUE, BIGINT, 1L));
  }

  @Test
  void integerDivisionTruncatesAndModuloKeepsTheDividendSign() {
    assertEquals(-3, apply(ArithmeticOp.DIV, INT, -7, INT, 2));
    assertEquals(-1, apply(ArithmeticOp.MOD, INT, -7, INT, 2));
    assertEquals(new BigInteger("5"), apply(ArithmeticOp.DIV, VARINT, new BigInteger("11"), INT, 2));
  }

  @Test
  void floatingAndDecimal() {
    assertEquals(3.5f, apply(ArithmeticOp.ADD, FLOAT, 1.5f, INT, 2));
    assertEquals(Double.POSITIVE_INFINITY, apply(ArithmeticOp.DIV, DOUBLE, 1d, INT, 0));
    assertEquals(0, new BigDecimal("3.6").compareTo((BigDecimal) apply(ArithmeticOp.ADD, DECIMAL, new BigDecimal("1.1"), FLOAT, 2.5f)));
    BigDecimal third = (BigDecimal) apply(ArithmeticOp.DIV, DECIMAL, BigDecimal.ONE, INT, 3);
    assertEquals(34, third.precision()); // DECIMAL128
  }

  @Test
  void divisionByZeroOfExactTypesIsAnError() {
    for (CqlType t : List.of(INT, BIGINT, VARINT)) {
      MeridianException e = assertThrows(MeridianException.class,
          () -> FunctionArithmetic.apply(ArithmeticOp.DIV, t, t.encode(FunctionArithmetic.convert(1, t)), INT, INT.encode(0)));
      assertTrue(e.getMessage().startsWith("the operation '" + t.cqlName() + " / int' failed: "), e.getMessage());
    }
    assertThrows(MeridianException.class,
        () -> FunctionArithmetic.apply(ArithmeticOp.MOD, DECIMAL, DECIMAL.encode(BigDecimal.ONE), INT, INT.encode(0)));
  }

  @Test
  void nullOrEmptyOperandGivesNull() {
    assertNull(FunctionArithmetic.apply(ArithmeticOp.ADD, INT, null, INT, INT.encode(1)));
    assertNull(FunctionArithmetic.apply(ArithmeticOp.ADD, INT, ByteBuffer.allocate(0), INT, INT.encode(1)));
    assertNull(FunctionArithmetic.negate(INT, null));
  }

  @Test
  void negateKeepsTheTypeAndWrapsTheMinimum() {
    assertEquals(Integer.MIN_VALUE, INT.decode(FunctionArithmetic.negate(INT, INT.encode(Integer.MIN_VALUE))));
    assertEquals((byte) -5, TINYINT.decode(FunctionArithmetic.negate(TINYINT, TINYINT.encode((byte) 5))));
    assertEquals(-2.5d, DOUBLE.decode(FunctionArithmetic.negate(DOUBLE, DOUBLE.encode(2.5d))));
  }

  @Property(tries = 300)
  void intArithmeticMatchesJava(@ForAll int a, @ForAll int b) {
    assertEquals(a + b, apply(ArithmeticOp.ADD, INT, a, INT, b));
    assertEquals(a - b, apply(ArithmeticOp.SUB, INT, a, INT, b));
    assertEquals(a * b, apply(ArithmeticOp.MUL, INT, a, INT, b));
    if (b != 0) {
      assertEquals(a / b, apply(ArithmeticOp.DIV, INT, a, INT, b));
      assertEquals(a % b, apply(ArithmeticOp.MOD, INT, a, INT, b));
    }
    assertEquals((long) a * b, apply(ArithmeticOp.MUL, INT, a, BIGINT, (long) b));
  }
}
