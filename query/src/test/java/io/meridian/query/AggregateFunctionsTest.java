package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class AggregateFunctionsTest {
  private static Object fold(String fn, CqlType type, Object... values) {
    FunctionExpr arg = FunctionSelectors.expr(type, "x", (row, terms) -> null);
    AggregateFunctions.State s = AggregateFunctions.resolve(fn, fn, arg).states().get();
    for (Object v : values) {
      s.add(v == null ? null : type.encode(v));
    }
    ByteBuffer r = s.result();
    CqlType resultType = fn.equals("count") ? CqlTypes.BIGINT : type;
    return r == null ? null : resultType.decode(r);
  }

  @Test
  void emptyInput() {
    assertEquals(0L, fold("count", CqlTypes.INT));
    assertNull(fold("min", CqlTypes.INT));
    assertNull(fold("max", CqlTypes.TEXT));
    assertEquals(0, fold("sum", CqlTypes.INT));
    assertEquals(0, fold("avg", CqlTypes.INT));
    assertEquals(0.0d, fold("avg", CqlTypes.DOUBLE));
  }

  @Test
  void nullsAreSkipped() {
    assertEquals(2L, fold("count", CqlTypes.INT, 1, null, 3));
    assertEquals(2, fold("avg", CqlTypes.INT, 1, null, 3));
    assertEquals(1, fold("min", CqlTypes.INT, null, 3, 1));
  }

  @Test
  void compensatedDoubleSum() {
    Object[] values = new Object[10];
    Arrays.fill(values, 0.1d);
    assertEquals(1.0d, fold("sum", CqlTypes.DOUBLE, values));
  }

  @Property(tries = 200)
  void intSumWrapsAndAvgDoesNotOverflow(@ForAll List<Integer> values) {
    int wrapped = 0;
    long wide = 0;
    for (int v : values) {
      wrapped += v;
      wide += v;
    }
    assertEquals(wrapped, fold("sum", CqlTypes.INT, values.toArray()));
    assertEquals(values.isEmpty() ? 0 : (int) (wide / values.size()), fold("avg", CqlTypes.INT, values.toArray()));
  }

  @Property(tries = 200)
  void minAndMaxMatchJava(@ForAll List<Long> values) {
    Object min = values.stream().min(Long::compare).orElse(null);
    Object max = values.stream().max(Long::compare).orElse(null);
    assertEquals(min, fold("min", CqlTypes.BIGINT, values.toArray()));
    assertEquals(max, fold("max", CqlTypes.BIGINT, values.toArray()));
  }
}
