package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import java.nio.ByteBuffer;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Our serialization must be byte-for-byte what the DataStax Java driver writes and reads, since
 * that driver (and every other) talks to us: the driver's codecs are the oracle here.
 */
class DriverCodecOracleProperties {
  private static final ProtocolVersion V4 = ProtocolVersion.V4;

  private static final Map<CqlType, TypeCodec<?>> DRIVER_CODECS = Map.ofEntries(
      Map.entry(CqlTypes.ASCII, TypeCodecs.ASCII),
      Map.entry(CqlTypes.BIGINT, TypeCodecs.BIGINT),
      Map.entry(CqlTypes.BLOB, TypeCodecs.BLOB),
      Map.entry(CqlTypes.BOOLEAN, TypeCodecs.BOOLEAN),
      Map.entry(CqlTypes.COUNTER, TypeCodecs.COUNTER),
      Map.entry(CqlTypes.DATE, TypeCodecs.DATE),
      Map.entry(CqlTypes.DECIMAL, TypeCodecs.DECIMAL),
      Map.entry(CqlTypes.DOUBLE, TypeCodecs.DOUBLE),
      Map.entry(CqlTypes.DURATION, TypeCodecs.DURATION),
      Map.entry(CqlTypes.FLOAT, TypeCodecs.FLOAT),
      Map.entry(CqlTypes.INET, TypeCodecs.INET),
      Map.entry(CqlTypes.INT, TypeCodecs.INT),
      Map.entry(CqlTypes.SMALLINT, TypeCodecs.SMALLINT),
      Map.entry(CqlTypes.TEXT, TypeCodecs.TEXT),
      Map.entry(CqlTypes.TIME, TypeCodecs.TIME),
      Map.entry(CqlTypes.TIMESTAMP, TypeCodecs.TIMESTAMP),
      Map.entry(CqlTypes.TIMEUUID, TypeCodecs.TIMEUUID),
      Map.entry(CqlTypes.TINYINT, TypeCodecs.TINYINT),
      Map.entry(CqlTypes.UUID, TypeCodecs.UUID),
      Map.entry(CqlTypes.VARINT, TypeCodecs.VARINT));

  @Provide
  Arbitrary<Tuple2<CqlType, Object>> typedValues() {
    return Arbitraries.of(CqlTypes.ALL).flatMap(t -> TypeArbitraries.javaValues(t).map(v -> Tuple.of(t, v)));
  }

  @Property(tries = 3000)
  void encodeMatchesDriverAndDecodesDriverBytes(@ForAll("typedValues") Tuple2<CqlType, Object> typed) {
    CqlType type = typed.get1();
    Object value = typed.get2();
    @SuppressWarnings("unchecked")
    TypeCodec<Object> codec = (TypeCodec<Object>) DRIVER_CODECS.get(type);

    ByteBuffer ours = type.encode(value);
    ByteBuffer theirs = codec.encode(toDriver(value), V4);
    assertEquals(theirs, ours, () -> type + " serialization of " + value);

    type.validate(theirs);
    assertEquals(value, type.decode(theirs), () -> type + " decoding driver bytes");
    assertEquals(value, fromDriver(codec.decode(ours, V4)), () -> type + " driver decoding our bytes");
  }

  private static Object toDriver(Object value) {
    if (value instanceof CqlDuration d) {
      return com.datastax.oss.driver.api.core.data.CqlDuration.newInstance(d.months(), d.days(), d.nanoseconds());
    }
    return value;
  }

  private static Object fromDriver(Object value) {
    if (value instanceof com.datastax.oss.driver.api.core.data.CqlDuration d) {
      return new CqlDuration(d.getMonths(), d.getDays(), d.getNanoseconds());
    }
    return value;
  }

  @Example
  void everyScalarTypeHasAnOracle() {
    assertEquals(CqlTypes.ALL.size(), DRIVER_CODECS.size());
  }
}
