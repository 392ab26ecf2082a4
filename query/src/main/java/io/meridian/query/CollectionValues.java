package io.meridian.query;

import io.meridian.types.CqlType;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import io.meridian.types.TupleType;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Canonical form of bound collection, tuple and user type values: sets sorted and distinct, maps sorted by
 * key with one entry per key, at every nesting level. Drivers send sets in their iteration order,
 * but equal values must have equal bytes: partition keys are hashed and compared as bytes, and
 * stored frozen values are returned as they were written.
 */
final class CollectionValues {
  private CollectionValues() {}

  static boolean needsCanonical(CqlType type) {
    return type instanceof ListType || type instanceof SetType || type instanceof MapType || type instanceof TupleType
        || type instanceof UserType;
  }

  /** {@code value} (valid for {@code type}) in canonical form; the same buffer if nothing nests. */
  static ByteBuffer canonical(CqlType type, ByteBuffer value) {
    if (value == null || !value.hasRemaining() || !needsCanonical(type)) {
      return value;
    }
    if (type instanceof ListType lt) {
      return lt.serializeElements(canonicalAll(lt.elementType(), lt.elements(value)));
    }
    if (type instanceof SetType st) {
      return st.serializeElements(canonicalAll(st.elementType(), st.elements(value)));
    }
    if (type instanceof MapType mt) {
      List<Map.Entry<ByteBuffer, ByteBuffer>> entries = new ArrayList<>();
      for (Map.Entry<ByteBuffer, ByteBuffer> e : mt.entries(value)) {
        entries.add(new AbstractMap.SimpleImmutableEntry<>(
            canonical(mt.keyType(), e.getKey()), canonical(mt.valueType(), e.getValue())));
      }
      return mt.serializeEntries(entries);
    }
    if (type instanceof UserType ut) {
      List<ByteBuffer> fields = ut.fields(value);
      List<ByteBuffer> out = new ArrayList<>(fields.size());
      for (int i = 0; i < fields.size(); i++) {
        out.add(canonical(ut.fieldTypes().get(i), fields.get(i)));
      }
      return ut.serializeFields(out);
    }
    TupleType tt = (TupleType) type;
    List<ByteBuffer> fields = tt.fields(value);
    List<ByteBuffer> out = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      out.add(canonical(tt.fieldTypes().get(i), fields.get(i)));
    }
    return tt.serializeFields(out);
  }

  private static List<ByteBuffer> canonicalAll(CqlType type, List<ByteBuffer> values) {
    if (!needsCanonical(type)) {
      return values;
    }
    List<ByteBuffer> out = new ArrayList<>(values.size());
    for (ByteBuffer v : values) {
      out.add(canonical(type, v));
    }
    return out;
  }
}
