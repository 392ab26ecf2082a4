package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Frozen collections, tuples and user types as clustering keys: the comparable encoding must order
 * like compare(), compare() must agree with a reference order on Java values, and encodings must
 * be prefix-free so they can be chained into composite keys.
 */
class CollectionComparableProperties {
  private static final List<CqlType> TYPES = List.of(
      new ListType(CqlTypes.INT, true),
      new SetType(CqlTypes.TEXT, true),
      new MapType(CqlTypes.INT, CqlTypes.TEXT, true),
      new TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT)),
      new ListType(new SetType(CqlTypes.INT, true), true),
      ParameterizedArbitraries.ADDRESS,
      new VectorType(CqlTypes.INT, 2));

  record Pair(CqlType type, ByteBuffer a, ByteBuffer b) {}

  /** Valid serializations: encoded Java values, plus unsorted sets and tuples lacking trailing fields. */
  static Arbitrary<ByteBuffer> serialized(CqlType type) {
    Arbitrary<ByteBuffer> encoded = ParameterizedArbitraries.javaValues(type).map(type::encode);
    if (type instanceof SetType s) {
      Arbitrary<ByteBuffer> raw = ParameterizedArbitraries.javaValues(s.elementType()).list().ofMaxSize(4)
          .map(l -> {
            List<ByteBuffer> items = new ArrayList<>();
            l.forEach(e -> items.add(s.elementType().encode(e)));
            return ValueFraming.writeCollection(items.size(), items); // as a client may send it
          });
      return Arbitraries.oneOf(encoded, raw);
    }
    if (type instanceof TupleType t) {
      return Combinators.combine(encoded, Arbitraries.integers().between(0, t.fieldTypes().size()))
          .as((v, keep) -> t.serializeFields(t.fields(v).subList(0, keep)));
    }
    return encoded;
  }

  @Provide
  Arbitrary<Pair> pairs() {
    return Arbitraries.of(TYPES).flatMap(t -> {
      Arbitrary<ByteBuffer> values = serialized(t);
      return Combinators.combine(values, values, Arbitraries.integers().between(0, 4))
          .as((a, b, k) -> new Pair(t, a, k == 0 ? a.duplicate() : b));
    });
  }

  @Property(tries = 2000)
  void encodingOrderEqualsCompare(@ForAll("pairs") Pair p) {
    CqlType type = p.type();
    int expected = Integer.signum(type.compare(p.a(), p.b()));
    assertEquals(-expected, Integer.signum(type.compare(p.b(), p.a())), "compare must be antisymmetric");
    byte[] ka = type.toComparable(p.a());
    byte[] kb = type.toComparable(p.b());
    assertEquals(expected, Integer.signum(Arrays.compareUnsigned(ka, kb)), () -> type + " order");
    assertEquals(expected == 0, Arrays.equals(ka, kb), () -> type + ": equal values must encode equally");
    if (expected != 0) {
      assertFalse(isPrefix(ka, kb) || isPrefix(kb, ka), () -> type + ": one encoding is a prefix of another");
    }
  }

  /** compare() against an order computed on Java values, for the types the reference knows. */
  @Property(tries = 1000)
  void compareAgreesWithReferenceOrder(@ForAll("pairs") Pair p) {
    CqlType type = p.type();
    if (!(type instanceof ListType || type instanceof SetType || type instanceof TupleType)) {
      return;
    }
    Object a = type.decode(p.a());
    Object b = type.decode(p.b());
    assertEquals(Integer.signum(ParameterizedArbitraries.REFERENCE_ORDER.compare(a, b)),
        Integer.signum(type.compare(p.a(), p.b())), () -> type + ": " + a + " vs " + b);
  }

  @Property(tries = 1000)
  void chainedEncodingsReadBackExactly(@ForAll("pairs") Pair p) {
    CqlType type = p.type();
    byte[] ka = type.toComparable(p.a());
    byte[] kb = type.toComparable(p.b());
    ByteBuffer src = ByteBuffer.allocate(ka.length + kb.length).put(ka).put(kb).flip();
    ByteBuffer a = type.fromComparable(src);
    ByteBuffer b = type.fromComparable(src);
    assertFalse(src.hasRemaining(), () -> type + " left bytes unread");
    assertEquals(0, type.compare(p.a(), a), () -> type + " round trip");
    assertEquals(0, type.compare(p.b(), b), () -> type + " round trip");
    assertTrue(Arrays.equals(ka, type.toComparable(a)), () -> type + " re-encoding");
  }

  private static boolean isPrefix(byte[] shorter, byte[] longer) {
    return shorter.length < longer.length && Arrays.equals(shorter, 0, shorter.length, longer, 0, shorter.length);
  }
}
