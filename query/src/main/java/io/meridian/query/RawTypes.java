package io.meridian.query;

import com.datastax.oss.protocol.internal.response.result.RawType;
import io.meridian.schema.system.SystemColumnType;
import io.meridian.types.CqlType;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import io.meridian.types.TupleType;
import io.meridian.types.UserType;
import io.meridian.types.VectorType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps our types to the native-protocol type descriptions sent in result and bind metadata. */
final class RawTypes {
  private RawTypes() {}

  static RawType of(CqlType type) {
    if (type instanceof ListType l) {
      return new RawType.RawList(of(l.elementType()));
    }
    if (type instanceof SetType s) {
      return new RawType.RawSet(of(s.elementType()));
    }
    if (type instanceof MapType m) {
      return new RawType.RawMap(of(m.keyType()), of(m.valueType()));
    }
    if (type instanceof TupleType t) {
      return new RawType.RawTuple(t.fieldTypes().stream().map(RawTypes::of).toList());
    }
    if (type instanceof UserType u) {
      Map<String, RawType> fields = new LinkedHashMap<>();
      List<String> names = u.fieldNames();
      for (int i = 0; i < names.size(); i++) {
        fields.put(names.get(i), of(u.fieldTypes().get(i)));
      }
      return new RawType.RawUdt(u.keyspace(), u.typeName(), fields);
    }
    if (type instanceof VectorType v) {
      // Protocol v5 has no vector type: drivers read it as this custom class, as from Cassandra 5.
      return new RawType.RawCustom(v.customClassName());
    }
    RawType primitive = RawType.PRIMITIVES.get(type.protocolCode());
    if (primitive == null) {
      throw new IllegalStateException("no protocol description for type " + type.cqlName());
    }
    return primitive;
  }

  static RawType of(SystemColumnType type) {
    return of(type.cqlType());
  }
}
