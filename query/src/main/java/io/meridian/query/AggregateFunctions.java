package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The native aggregates count, min, max, sum and avg over a scalar argument. Nulls are skipped
 * (and, for sum and avg, empty values too). Over no rows count, sum and avg give 0 and min and
 * max give null, as Cassandra does. sum keeps its argument's type and wraps on overflow for the
 * fixed-width integers; avg of integers is the truncated integer quotient, computed in a wider
 * accumulator so the sum itself cannot overflow; float and double sums are compensated (Kahan).
 */
final class AggregateFunctions {
  private AggregateFunctions() {}

  /** Folds the values of one group. */
  interface State {
    void add(ByteBuffer value);

    ByteBuffer result();
  }

  /** A resolved aggregate call: its argument, result type and column name. */
  record Spec(String name, CqlType type, FunctionExpr argument, Supplier<State> states) {}

  /** {@code fn(argument)}; {@code called} is the name as written (lower case), for the column name. */
  static Spec resolve(String fn, String called, FunctionExpr argument) {
    CqlType t = argument.type();
    String name = "system." + called + "(" + argument.name() + ")";
    switch (fn) {
      case "count" -> {
        return new Spec(name, CqlTypes.BIGINT, argument, Count::new);
      }
      case "min", "max" -> {
        if (t == CqlTypes.DURATION) {
          throw noSignature(called, t);
        }
        boolean max = fn.equals("max");
        return new Spec(name, t, argument, () -> new Extreme(t, max));
      }
      case "sum", "avg" -> {
        if (!FunctionArithmetic.isNumeric(t)) {
          throw noSignature(called, t);
        }
        boolean avg = fn.equals("avg");
        return new Spec(name, t, argument, () -> new Numeric(t, avg));
      }
      default -> throw new IllegalArgumentException("not an aggregate: " + fn);
    }
  }

  private static MeridianException noSignature(String called, CqlType t) {
    return MeridianException.invalid("Invalid call to function system." + called + ", none of its type signatures match: "
        + "no " + called + " for type " + t.cqlName());
  }

  private static final class Count implements State {
    private long count;

    @Override
    public void add(ByteBuffer value) {
      if (value != null) {
        count++;
      }
    }

    @Override
    public ByteBuffer result() {
      return CqlTypes.BIGINT.encode(count);
    }
  }

  private static final class Extreme implements State {
    private final CqlType type;
    private final boolean max;
    private ByteBuffer best;

    Extreme(CqlType type, boolean max) {
      this.type = type;
      this.max = max;
    }

    @Override
    public void add(ByteBuffer value) {
      if (value == null) {
        return;
      }
      if (best == null) {
        best = value.duplicate();
        return;
      }
      int c = type.compare(value.duplicate(), best.duplicate());
      if (max ? c > 0 : c < 0) {
        best = value.duplicate();
      }
    }

    @Override
    public ByteBuffer result() {
      return best == null ? null : best.duplicate();
    }
  }

  /** sum or avg over one numeric type. */
  private static final class Numeric implements State {
    private final CqlType type;
    private final boolean avg;
    private long count;
    /** Integral types: the exact sum. */
    private BigInteger integral = BigInteger.ZERO;
    private long smallSum;
    private BigDecimal decimal = BigDecimal.ZERO;
    /** float and double: Kahan summation. */
    private double sum;
    private double compensation;

    Numeric(CqlType type, boolean avg) {
      this.type = type;
      this.avg = avg;
    }

    private boolean isIntegral() {
      return !FunctionArithmetic.isFloatingPoint(type);
    }

    private boolean isWide() {
      return type == CqlTypes.VARINT || type == CqlTypes.BIGINT || type == CqlTypes.COUNTER;
    }

    @Override
    public void add(ByteBuffer value) {
      if (value == null || !value.hasRemaining()) {
        return;
      }
      Number n = (Number) type.decode(value.duplicate());
      count++;
      if (type == CqlTypes.DECIMAL) {
        decimal = decimal.add((BigDecimal) n);
      } else if (isIntegral() && isWide()) {
        integral = integral.add(FunctionArithmetic.toBigInteger(n));
      } else if (isIntegral()) {
        // tinyint, smallint, int: a long cannot overflow within 2^32 additions.
        smallSum += n.longValue();
      } else {
        double y = n.doubleValue() - compensation;
        double t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
      }
    }

    @Override
    public ByteBuffer result() {
      Number r;
      if (type == CqlTypes.DECIMAL) {
        r = !avg ? decimal : count == 0 ? BigDecimal.ZERO : decimal.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128);
      } else if (isIntegral()) {
        BigInteger total = isWide() ? integral : BigInteger.valueOf(smallSum);
        BigInteger v = !avg ? total : count == 0 ? BigInteger.ZERO : total.divide(BigInteger.valueOf(count));
        // Narrowing keeps the low-order bits: the wrap-around a fixed-width sum would have.
        r = type == CqlTypes.VARINT ? v : FunctionArithmetic.convert(v.longValue(), type);
      } else {
        double v = !avg ? sum : count == 0 ? 0d : sum / count;
        r = FunctionArithmetic.convert(v, type);
      }
      return type.encode(r);
    }
  }
}
