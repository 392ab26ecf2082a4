package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.ArithmeticOp;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Arithmetic on numeric values as CQL defines it: the result type of {@code a op b} is integral
 * when both sides are, floating point when either is, and as wide as the wider side (decimal and
 * varint are unbounded, so floating point with an unbounded side gives decimal). Fixed-width
 * integers wrap on overflow like Java's, which is what Cassandra does too.
 */
final class FunctionArithmetic {
  /** Width used for the unbounded types, larger than any fixed width. */
  private static final int UNBOUNDED = Integer.MAX_VALUE;

  private FunctionArithmetic() {}

  static boolean isNumeric(CqlType t) {
    return t == CqlTypes.TINYINT || t == CqlTypes.SMALLINT || t == CqlTypes.INT || t == CqlTypes.BIGINT
        || t == CqlTypes.COUNTER || t == CqlTypes.VARINT || t == CqlTypes.FLOAT || t == CqlTypes.DOUBLE
        || t == CqlTypes.DECIMAL;
  }

  static boolean isFloatingPoint(CqlType t) {
    return t == CqlTypes.FLOAT || t == CqlTypes.DOUBLE || t == CqlTypes.DECIMAL;
  }

  private static int widthBytes(CqlType t) {
    if (t == CqlTypes.TINYINT) {
      return 1;
    }
    if (t == CqlTypes.SMALLINT) {
      return 2;
    }
    if (t == CqlTypes.INT || t == CqlTypes.FLOAT) {
      return 4;
    }
    if (t == CqlTypes.BIGINT || t == CqlTypes.COUNTER || t == CqlTypes.DOUBLE) {
      return 8;
    }
    return UNBOUNDED;
  }

  /** The type of {@code left op right}; both must be numeric. */
  static CqlType resultType(CqlType left, CqlType right) {
    int width = Math.max(widthBytes(left), widthBytes(right));
    if (isFloatingPoint(left) || isFloatingPoint(right)) {
      return width == 4 ? CqlTypes.FLOAT : width == 8 ? CqlTypes.DOUBLE : CqlTypes.DECIMAL;
    }
    return switch (width) {
      case 1 -> CqlTypes.TINYINT;
      case 2 -> CqlTypes.SMALLINT;
      case 4 -> CqlTypes.INT;
      case 8 -> CqlTypes.BIGINT;
      default -> CqlTypes.VARINT;
    };
  }

  /** {@code left op right}, null if either side is null or empty. */
  static ByteBuffer apply(ArithmeticOp op, CqlType leftType, ByteBuffer left, CqlType rightType, ByteBuffer right) {
    if (left == null || !left.hasRemaining() || right == null || !right.hasRemaining()) {
      return null;
    }
    CqlType result = resultType(leftType, rightType);
    Number a = (Number) leftType.decode(left.duplicate());
    Number b = (Number) rightType.decode(right.duplicate());
    try {
      return result.encode(compute(op, result, a, b));
    } catch (ArithmeticException e) {
      // Cassandra runs operators as functions of the system keyspace and reports failures as FUNCTION_FAILURE.
      throw new io.meridian.common.FunctionFailureException("system", operatorFunction(op),
          List.of(leftType.cqlName(), rightType.cqlName()),
          "the operation '" + leftType.cqlName() + " " + op.cql() + " " + rightType.cqlName() + "' failed: " + e.getMessage());
    }
  }

  /** The name Cassandra gives the function behind an arithmetic operator. */
  private static String operatorFunction(ArithmeticOp op) {
    return switch (op) {
      case ADD -> "_add";
      case SUB -> "_substract";
      case MUL -> "_multiply";
      case DIV -> "_divide";
      case MOD -> "_modulo";
    };
  }

  /** {@code -value} in the value's own type (wrapping for the minimum integer, as Java does). */
  static ByteBuffer negate(CqlType type, ByteBuffer value) {
    if (value == null || !value.hasRemaining()) {
      return null;
    }
    Number n = (Number) type.decode(value.duplicate());
    return type.encode(compute(ArithmeticOp.SUB, type == CqlTypes.COUNTER ? CqlTypes.BIGINT : type, 0, n));
  }

  static Number compute(ArithmeticOp op, CqlType result, Number a, Number b) {
    if (result == CqlTypes.DECIMAL) {
      BigDecimal x = toDecimal(a);
      BigDecimal y = toDecimal(b);
      return switch (op) {
        case ADD -> x.add(y, MathContext.DECIMAL128);
        case SUB -> x.subtract(y, MathContext.DECIMAL128);
        case MUL -> x.multiply(y, MathContext.DECIMAL128);
        case DIV -> x.divide(y, MathContext.DECIMAL128);
        case MOD -> x.remainder(y, MathContext.DECIMAL128);
      };
    }
    if (result == CqlTypes.VARINT) {
      BigInteger x = toBigInteger(a);
      BigInteger y = toBigInteger(b);
      return switch (op) {
        case ADD -> x.add(y);
        case SUB -> x.subtract(y);
        case MUL -> x.multiply(y);
        case DIV -> x.divide(y);
        case MOD -> x.remainder(y);
      };
    }
    if (result == CqlTypes.DOUBLE) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      return switch (op) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case MOD -> x % y;
      };
    }
    if (result == CqlTypes.FLOAT) {
      float x = a.floatValue();
      float y = b.floatValue();
      return switch (op) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case MOD -> x % y;
      };
    }
    long x = a.longValue();
    long y = b.longValue();
    long r;
    if (result == CqlTypes.BIGINT) {
      r = switch (op) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case MOD -> x % y;
      };
      return r;
    }
    // tinyint, smallint and int: computed in int, as Java does, then narrowed (wrapping).
    int xi = (int) x;
    int yi = (int) y;
    int ri = switch (op) {
      case ADD -> xi + yi;
      case SUB -> xi - yi;
      case MUL -> xi * yi;
      case DIV -> xi / yi;
      case MOD -> xi % yi;
    };
    if (result == CqlTypes.TINYINT) {
      return (byte) ri;
    }
    if (result == CqlTypes.SMALLINT) {
      return (short) ri;
    }
    return ri;
  }

  static BigDecimal toDecimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Float f) {
      return new BigDecimal(Float.toString(f));
    }
    if (n instanceof Double d) {
      return BigDecimal.valueOf(d);
    }
    return BigDecimal.valueOf(n.longValue());
  }

  static BigInteger toBigInteger(Number n) {
    if (n instanceof BigInteger i) {
      return i;
    }
    if (n instanceof BigDecimal d) {
      return d.toBigInteger();
    }
    return BigInteger.valueOf(n.longValue());
  }

  /** {@code n} converted to the Java class {@code type} encodes (narrowing like a Java cast). */
  static Number convert(Number n, CqlType type) {
    if (type == CqlTypes.TINYINT) {
      return n.byteValue();
    }
    if (type == CqlTypes.SMALLINT) {
      return n.shortValue();
    }
    if (type == CqlTypes.INT) {
      return n.intValue();
    }
    if (type == CqlTypes.BIGINT || type == CqlTypes.COUNTER) {
      return n.longValue();
    }
    if (type == CqlTypes.FLOAT) {
      return n.floatValue();
    }
    if (type == CqlTypes.DOUBLE) {
      return n.doubleValue();
    }
    if (type == CqlTypes.DECIMAL) {
      return toDecimal(n);
    }
    if (type == CqlTypes.VARINT) {
      return toBigInteger(n);
    }
    throw new IllegalArgumentException("not a numeric type: " + type.cqlName());
  }
}
