package io.meridian.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random Java values and serialized values for every scalar type, biased toward edge cases. */
final class TypeArbitraries {
  private TypeArbitraries() {}

  /** Java values of the kind {@link CqlType#decode} returns. */
  static Arbitrary<Object> javaValues(CqlType type) {
    switch (type.cqlName()) {
      case "ascii":
        return Arbitraries.strings().ascii().ofMaxLength(12).map(s -> s);
      case "text":
        return Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12),
            Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF').ofMaxLength(8),
            Arbitraries.of("", "a", "a\u0000", "\u0000", "\uD83D\uDE00", "\uFFFF", "\u00e9t\u00e9"))
            .map(s -> s);
      case "blob":
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(b -> (Object) ByteBuffer.wrap(b));
      case "boolean":
        return Arbitraries.of(true, false).map(b -> b);
      case "tinyint":
        return Arbitraries.bytes().map(b -> b);
      case "smallint":
        return Arbitraries.shorts().map(s -> s);
      case "int":
        return Arbitraries.integers().map(i -> i);
      case "bigint":
      case "counter":
        return Arbitraries.longs().map(l -> l);
      case "float":
        return Arbitraries.oneOf(
            Arbitraries.floats(),
            Arbitraries.integers().map(Float::intBitsToFloat),
            Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.0f, -0.0f,
                Float.MIN_VALUE, -Float.MAX_VALUE))
            .map(f -> f);
      case "double":
        return Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.longs().map(Double::longBitsToDouble),
            Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
                Double.MIN_VALUE, -Double.MAX_VALUE))
            .map(d -> d);
      case "decimal":
        return Combinators.combine(
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
                Arbitraries.integers().between(-40, 40))
            .as((unscaled, scale) -> (Object) new BigDecimal(unscaled, scale));
      case "varint":
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.valueOf(-70000), BigInteger.valueOf(70000)),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(640).negate(), BigInteger.TWO.pow(640)))
            .map(b -> b);
      case "date":
        return Arbitraries.integers().map(d -> (Object) LocalDate.ofEpochDay(d));
      case "time":
        return Arbitraries.longs().between(0, TemporalLiterals.NANOS_PER_DAY - 1)
            .map(n -> (Object) LocalTime.ofNanoOfDay(n));
      case "timestamp":
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1L << 40, 1L << 42))
            .map(m -> (Object) Instant.ofEpochMilli(m));
      case "uuid":
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 15))
            .as((msb, lsb, version) -> (Object) new UUID((msb & ~0xF000L) | ((long) version << 12), lsb));
      case "timeuuid":
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
            .as((msb, lsb) -> (Object) new UUID((msb & ~0xF000L) | 0x1000L, lsb));
      case "inet":
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16))
            .map(TypeArbitraries::inet);
      case "duration":
        return Combinators.combine(
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(1, -1),
                Arbitraries.integers().between(0, 7))
            .as((m, d, n, sign, zeroMask) -> (Object) new CqlDuration(
                (zeroMask & 1) == 0 ? sign * m : 0,
                (zeroMask & 2) == 0 ? sign * d : 0,
                (zeroMask & 4) == 0 ? sign * n : 0));
      default:
        throw new IllegalArgumentException("no generator for " + type);
    }
  }

  private static Object inet(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Valid serializations, including the empty value where the type allows it. */
  static Arbitrary<ByteBuffer> serialized(CqlType type) {
    Arbitrary<ByteBuffer> values = javaValues(type).map(type::encode);
    if (type.cqlName().equals("varint")) {
      // Cassandra accepts non-minimal varints; they must order and encode like the minimal form.
      values = Arbitraries.oneOf(values, Arbitraries.longs().between(-300, 300).map(TypeArbitraries::paddedVarint));
    }
    if (type.emptyAllowed()) {
      return Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(1, Arbitraries.just(ByteBuffer.allocate(0))),
          net.jqwik.api.Tuple.of(12, values));
    }
    return values;
  }

  private static ByteBuffer paddedVarint(long v) {
    byte[] minimal = BigInteger.valueOf(v).toByteArray();
    byte[] padded = new byte[minimal.length + 2];
    byte fill = (byte) (v < 0 ? 0xFF : 0x00);
    padded[0] = fill;
    padded[1] = fill;
    System.arraycopy(minimal, 0, padded, 2, minimal.length);
    return ByteBuffer.wrap(padded);
  }
}
