package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.schema.ColumnMetadata;
import io.meridian.types.CqlType;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import java.nio.ByteBuffer;
import java.util.Map;

/** CONTAINS and CONTAINS KEY on collection columns (frozen or not), evaluated per row. */
final class CollectionFilters {
  private CollectionFilters() {}

  /** The type of the value right of CONTAINS (an element, or a map value) or CONTAINS KEY (a map key). */
  static CqlType elementType(ColumnMetadata column, boolean key) {
    CqlType type = column.type();
    if (key) {
      if (type instanceof MapType mt) {
        return mt.keyType();
      }
      throw MeridianException.invalid("Cannot use CONTAINS KEY on non-map column " + column.name());
    }
    if (type instanceof ListType lt) {
      return lt.elementType();
    }
    if (type instanceof SetType st) {
      return st.elementType();
    }
    if (type instanceof MapType mt) {
      return mt.valueType();
    }
    throw MeridianException.invalid("Cannot use CONTAINS on non-collection column " + column.name());
  }

  static boolean contains(CqlType type, boolean key, ByteBuffer collection, ByteBuffer wanted) {
    if (type instanceof ListType lt) {
      return lt.elements(collection).stream().anyMatch(e -> lt.elementType().compare(e, wanted) == 0);
    }
    if (type instanceof SetType st) {
      return st.elements(collection).stream().anyMatch(e -> st.elementType().compare(e, wanted) == 0);
    }
    MapType mt = (MapType) type;
    for (Map.Entry<ByteBuffer, ByteBuffer> e : mt.entries(collection)) {
      boolean match = key ? mt.keyType().compare(e.getKey(), wanted) == 0 : mt.valueType().compare(e.getValue(), wanted) == 0;
      if (match) {
        return true;
      }
    }
    return false;
  }
}
