package io.meridian.types;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random Java values for collections, tuples and user types, and an order on those values that is
 * independent of our compare() (natural order for numbers, UTF-8 byte order for text, element-wise
 * for lists), used to sort sets and maps the way Cassandra does.
 */
final class ParameterizedArbitraries {
  private ParameterizedArbitraries() {}

  static final UserType ADDRESS = new UserType("ks", "address", List.of("street", "zip", "tags"),
      List.of(CqlTypes.TEXT, CqlTypes.INT, new SetType(CqlTypes.TEXT, true)), true);

  /** Java values of the kind decode() returns; small sizes so nested values stay small. */
  static Arbitrary<Object> javaValues(CqlType type) {
    if (type instanceof ListType l) {
      return javaValues(l.elementType()).list().ofMaxSize(4).map(v -> (Object) v);
    }
    if (type instanceof SetType s) {
      return javaValues(s.elementType()).list().ofMaxSize(4).map(v -> (Object) new LinkedHashSet<>(v));
    }
    if (type instanceof MapType m) {
      return Combinators.combine(javaValues(m.keyType()), javaValues(m.valueType())).as(List::of)
          .list().ofMaxSize(4)
          .map(entries -> {
            Map<Object, Object> out = new LinkedHashMap<>();
            entries.forEach(e -> out.put(e.get(0), e.get(1)));
            return (Object) out;
          });
    }
    if (type instanceof TupleType t) {
      return fields(t.fieldTypes()).map(v -> (Object) v);
    }
    if (type instanceof UserType u) {
      return fields(u.fieldTypes()).map(values -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
          out.put(u.fieldNames().get(i), values.get(i));
        }
        return (Object) out;
      });
    }
    if (type instanceof VectorType v) {
      return javaValues(v.elementType()).list().ofSize(v.dimension()).map(l -> (Object) l);
    }
    return TypeArbitraries.javaValues(type);
  }

  /** One value per field, each null one time in five. */
  private static Arbitrary<List<Object>> fields(List<CqlType> types) {
    List<Arbitrary<Object>> fields = new ArrayList<>();
    for (CqlType t : types) {
      fields.add(javaValues(t).injectNull(0.2));
    }
    return Combinators.combine(fields).as(ArrayList::new);
  }

  /** Cassandra's order for the Java values of int, bigint, text and (frozen) lists, sets of them. */
  static final Comparator<Object> REFERENCE_ORDER = ParameterizedArbitraries::referenceCompare;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int referenceCompare(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) {
      return Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
    }
    if (a instanceof Set<?> x && b instanceof Set<?> y) {
      return referenceCompare(sorted(x), sorted(y));
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        Object p = x.get(i);
        Object q = y.get(i);
        int c = p == null || q == null ? Boolean.compare(p != null, q != null) : referenceCompare(p, q);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    if (a instanceof Integer || a instanceof Long) {
      return ((Comparable) a).compareTo(b);
    }
    throw new IllegalArgumentException("no reference order for " + a.getClass());
  }

  static List<Object> sorted(Set<?> set) {
    List<Object> out = new ArrayList<>(set);
    out.sort(REFERENCE_ORDER);
    return out;
  }
}
