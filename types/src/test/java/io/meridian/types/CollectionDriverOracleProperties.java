package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.data.CqlVector;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.VectorType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.oss.driver.internal.core.type.UserDefinedTypeBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

/**
 * Collections, tuples, user types and vectors serialize byte-for-byte as the DataStax driver's
 * codecs do (v4 and v5 frame them alike), and we read the driver's bytes back to the same value.
 * Sets and maps are handed to the driver already sorted, since Cassandra stores them sorted.
 */
class CollectionDriverOracleProperties {
  private static final CodecRegistry REGISTRY = CodecRegistry.DEFAULT;
  private static final UserDefinedType DRIVER_ADDRESS = new UserDefinedTypeBuilder("ks", "address")
      .withField("street", DataTypes.TEXT)
      .withField("zip", DataTypes.INT)
      .withField("tags", DataTypes.frozenSetOf(DataTypes.TEXT))
      .build();

  /** Our type next to the driver's description of it. */
  private static final List<Map.Entry<CqlType, DataType>> TYPES = List.of(
      Map.entry(new io.meridian.types.ListType(CqlTypes.INT, false), DataTypes.listOf(DataTypes.INT)),
      Map.entry(new io.meridian.types.ListType(CqlTypes.TEXT, true), DataTypes.frozenListOf(DataTypes.TEXT)),
      Map.entry(new io.meridian.types.ListType(CqlTypes.UUID, false), DataTypes.listOf(DataTypes.UUID)),
      Map.entry(new io.meridian.types.SetType(CqlTypes.INT, false), DataTypes.setOf(DataTypes.INT)),
      Map.entry(new io.meridian.types.SetType(CqlTypes.TEXT, true), DataTypes.frozenSetOf(DataTypes.TEXT)),
      Map.entry(new io.meridian.types.SetType(new io.meridian.types.ListType(CqlTypes.BIGINT, true), false),
          DataTypes.setOf(DataTypes.frozenListOf(DataTypes.BIGINT))),
      Map.entry(new io.meridian.types.MapType(CqlTypes.TEXT, CqlTypes.INT, false),
          DataTypes.mapOf(DataTypes.TEXT, DataTypes.INT)),
      Map.entry(new io.meridian.types.MapType(CqlTypes.INT, new io.meridian.types.SetType(CqlTypes.TEXT, true), true),
          DataTypes.frozenMapOf(DataTypes.INT, DataTypes.frozenSetOf(DataTypes.TEXT))),
      Map.entry(new io.meridian.types.MapType(CqlTypes.BIGINT, CqlTypes.DOUBLE, false),
          DataTypes.mapOf(DataTypes.BIGINT, DataTypes.DOUBLE)),
      Map.entry(new io.meridian.types.TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT)),
          DataTypes.tupleOf(DataTypes.INT, DataTypes.TEXT)),
      Map.entry(new io.meridian.types.TupleType(List.of(CqlTypes.TIMESTAMP,
              new io.meridian.types.ListType(CqlTypes.TEXT, true), CqlTypes.DECIMAL)),
          DataTypes.tupleOf(DataTypes.TIMESTAMP, DataTypes.frozenListOf(DataTypes.TEXT), DataTypes.DECIMAL)),
      Map.entry(new io.meridian.types.ListType(new io.meridian.types.TupleType(List.of(CqlTypes.INT, CqlTypes.BLOB)), false),
          DataTypes.listOf(DataTypes.tupleOf(DataTypes.INT, DataTypes.BLOB))),
      Map.entry(ParameterizedArbitraries.ADDRESS, DRIVER_ADDRESS),
      Map.entry(new io.meridian.types.MapType(CqlTypes.TEXT, ParameterizedArbitraries.ADDRESS, false),
          DataTypes.mapOf(DataTypes.TEXT, DRIVER_ADDRESS)),
      Map.entry(new io.meridian.types.VectorType(CqlTypes.FLOAT, 3), DataTypes.vectorOf(DataTypes.FLOAT, 3)),
      Map.entry(new io.meridian.types.VectorType(CqlTypes.TEXT, 2), DataTypes.vectorOf(DataTypes.TEXT, 2)),
      Map.entry(new io.meridian.types.VectorType(CqlTypes.BIGINT, 4), DataTypes.vectorOf(DataTypes.BIGINT, 4)));

  @Provide
  Arbitrary<Tuple3<CqlType, DataType, Object>> typedValues() {
    return Arbitraries.of(TYPES).flatMap(e ->
        ParameterizedArbitraries.javaValues(e.getKey()).map(v -> Tuple.of(e.getKey(), e.getValue(), v)));
  }

  @Property(tries = 1500)
  void encodeMatchesDriverAndDecodesDriverBytes(@ForAll("typedValues") Tuple3<CqlType, DataType, Object> typed) {
    CqlType type = typed.get1();
    Object value = typed.get3();
    TypeCodec<Object> codec = REGISTRY.codecFor(typed.get2());
    Object driverValue = toDriver(type, typed.get2(), value);
    for (ProtocolVersion v : List.of(ProtocolVersion.V4, ProtocolVersion.V5)) {
      ByteBuffer ours = type.encode(value);
      ByteBuffer theirs = codec.encode(driverValue, v);
      assertEquals(theirs, ours, () -> type + " serialization of " + value);
      type.validate(theirs);
      assertEquals(value, type.decode(theirs), () -> type + " decoding driver bytes");
      assertEquals(driverValue, codec.decode(ours, v), () -> type + " driver decoding our bytes");
    }
  }

  /** Our Java value as the driver represents it; sets and maps in Cassandra's (sorted) order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object toDriver(CqlType type, DataType driverType, Object value) {
    if (value == null) {
      return null;
    }
    if (type instanceof io.meridian.types.ListType l) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) value) {
        out.add(toDriver(l.elementType(), ((ListType) driverType).getElementType(), e));
      }
      return out;
    }
    if (type instanceof io.meridian.types.SetType s) {
      Set<Object> out = new LinkedHashSet<>();
      for (Object e : ParameterizedArbitraries.sorted((Set<?>) value)) {
        out.add(toDriver(s.elementType(), ((SetType) driverType).getElementType(), e));
      }
      return out;
    }
    if (type instanceof io.meridian.types.MapType m) {
      Map<Object, Object> map = (Map<Object, Object>) value;
      Map<Object, Object> out = new LinkedHashMap<>();
      MapType dm = (MapType) driverType;
      for (Object k : ParameterizedArbitraries.sorted(map.keySet())) {
        out.put(toDriver(m.keyType(), dm.getKeyType(), k), toDriver(m.valueType(), dm.getValueType(), map.get(k)));
      }
      return out;
    }
    if (type instanceof io.meridian.types.TupleType t) {
      TupleType dt = (TupleType) driverType;
      TupleValue out = dt.newValue();
      List<?> fields = (List<?>) value;
      for (int i = 0; i < fields.size(); i++) {
        DataType ft = dt.getComponentTypes().get(i);
        out = out.set(i, toDriver(t.fieldTypes().get(i), ft, fields.get(i)), (TypeCodec) REGISTRY.codecFor(ft));
      }
      return out;
    }
    if (type instanceof UserType u) {
      UserDefinedType dt = (UserDefinedType) driverType;
      UdtValue out = dt.newValue();
      Map<String, ?> fields = (Map<String, ?>) value;
      for (int i = 0; i < u.fieldNames().size(); i++) {
        DataType ft = dt.getFieldTypes().get(i);
        Object f = toDriver(u.fieldTypes().get(i), ft, fields.get(u.fieldNames().get(i)));
        out = out.set(CqlIdentifier.fromInternal(u.fieldNames().get(i)), f, (TypeCodec) REGISTRY.codecFor(ft));
      }
      return out;
    }
    if (type instanceof io.meridian.types.VectorType) {
      return CqlVector.newInstance((List) value);
    }
    return value;
  }
}
