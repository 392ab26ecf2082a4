package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Malformed values are refused with INVALID; sets and maps are written sorted and deduplicated. */
class CollectionValidationTest {
  private static final ListType LIST_INT = new ListType(CqlTypes.INT, true);
  private static final SetType SET_TEXT = new SetType(CqlTypes.TEXT, true);
  private static final MapType MAP_INT_TEXT = new MapType(CqlTypes.INT, CqlTypes.TEXT, true);
  private static final TupleType TUPLE = new TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT));
  private static final UserType ADDRESS = ParameterizedArbitraries.ADDRESS;

  @Test
  void truncatedAndTrailingBytesAreRefused() {
    ByteBuffer good = LIST_INT.encode(List.of(1, 2));
    for (int n = 0; n < good.remaining(); n++) {
      ByteBuffer cut = good.duplicate().limit(n);
      assertInvalid(() -> LIST_INT.validate(cut), "");
    }
    assertInvalid(() -> LIST_INT.validate(bytes(0, 0, 0, 0, 7)), "bytes left");
    assertInvalid(() -> LIST_INT.validate(bytes(-1, -1, -1, -1)), "-1 elements");
    assertInvalid(() -> LIST_INT.validate(bytes(0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3)), "element 0");
    assertInvalid(() -> TUPLE.validate(bytes(0, 0, 0, 4, 0, 0)), "truncated");
    assertInvalid(() -> TUPLE.validate(bytes(-1, -1, -1, -2)), "length -2");
    ByteBuffer tooMany = TUPLE.serializeFields(Arrays.asList(null, null));
    ByteBuffer extended = ByteBuffer.allocate(tooMany.remaining() + 4).put(tooMany).putInt(-1).flip();
    assertInvalid(() -> TUPLE.validate(extended), "after its 2 fields");
  }

  @Test
  void nullElementsAreRefusedInCollectionsButNotInTuples() {
    assertInvalid(() -> LIST_INT.validate(bytes(0, 0, 0, 1, -1, -1, -1, -1)), "null");
    assertInvalid(() -> MAP_INT_TEXT.validate(bytes(0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, -1, -1, -1, -1)), "null");
    assertInvalid(() -> LIST_INT.serializeElements(Arrays.asList(CqlTypes.INT.encode(1), null)), "null");
    assertInvalid(() -> SET_TEXT.encode(Arrays.asList("a", null)), "null");
    assertInvalid(() -> MAP_INT_TEXT.serializeEntries(List.of(new SimpleEntry<>(CqlTypes.INT.encode(1), null))), "null");
    ByteBuffer withNull = TUPLE.serializeFields(Arrays.asList(null, CqlTypes.TEXT.encode("x")));
    assertEquals(Arrays.asList(null, "x"), TUPLE.decode(withNull));
    assertEquals("(null, 'x')", TUPLE.toCqlLiteral(withNull));
  }

  @Test
  void elementCountIsBounded() {
    int over = CollectionType.ELEMENTS_MAX + 1;
    // int accepts the empty value, so each element costs only its 4-byte length.
    ByteBuffer big = ByteBuffer.allocate(4 + 4 * over).putInt(over);
    big.rewind();
    assertInvalid(() -> LIST_INT.validate(big), "expected 0 to " + CollectionType.ELEMENTS_MAX);
    List<ByteBuffer> elements = new ArrayList<>();
    for (int i = 0; i < over; i++) {
      elements.add(ByteBuffer.allocate(0));
    }
    assertInvalid(() -> LIST_INT.serializeElements(elements), "at most " + CollectionType.ELEMENTS_MAX);
    // A count that cannot fit in the bytes is refused before anything is allocated for it.
    assertInvalid(() -> LIST_INT.validate(bytes(0, 0, (byte) 0xff, (byte) 0xff)), "cannot fit");
    LIST_INT.validate(LIST_INT.serializeElements(elements.subList(0, CollectionType.ELEMENTS_MAX)));
  }

  @Test
  void emptyValueIsInvalidForCollectionsAndAllNullForTuples() {
    ByteBuffer empty = ByteBuffer.allocate(0);
    assertFalse(LIST_INT.emptyAllowed());
    assertInvalid(() -> SET_TEXT.validate(empty), "element count");
    assertTrue(TUPLE.emptyAllowed());
    assertEquals(Arrays.asList(null, null), TUPLE.decode(empty));
    assertEquals(0, TUPLE.compare(empty, TUPLE.serializeFields(Arrays.asList(null, null))));
  }

  @Test
  void userTypeValuesMayLackTrailingFields() {
    ByteBuffer old = ADDRESS.serializeFields(List.of(CqlTypes.TEXT.encode("Main St")));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("street", "Main St");
    expected.put("zip", null);
    expected.put("tags", null);
    assertEquals(expected, ADDRESS.decode(old));
    assertEquals("{street: 'Main St', zip: null, tags: null}", ADDRESS.toCqlLiteral(old));
    assertEquals(3, ADDRESS.fields(old).size());
    assertInvalid(() -> ADDRESS.encode(Map.of("city", "x")), "Unknown field city");
  }

  @Test
  void setsAndMapsAreWrittenSortedWithoutDuplicates() {
    ByteBuffer set = SET_TEXT.serializeElements(List.of(text("b"), text("a"), text("b"), text("")));
    assertEquals(SET_TEXT.encode(new LinkedHashSet<>(List.of("", "a", "b"))), set);
    assertEquals(List.of(text(""), text("a"), text("b")), SET_TEXT.elements(set));
    assertEquals(List.of("", "a", "b"), new ArrayList<>((LinkedHashSet<?>) SET_TEXT.decode(set)));
    assertEquals(set, SET_TEXT.encode(List.of("b", "a", "", "a")));

    ByteBuffer map = MAP_INT_TEXT.serializeEntries(List.of(
        new SimpleEntry<>(CqlTypes.INT.encode(5), text("first")),
        new SimpleEntry<>(CqlTypes.INT.encode(-3), text("x")),
        new SimpleEntry<>(CqlTypes.INT.encode(5), text("last"))));
    Map<Object, Object> expected = new LinkedHashMap<>();
    expected.put(-3, "x");
    expected.put(5, "last");
    assertEquals(expected, MAP_INT_TEXT.decode(map));
    assertEquals(List.of(-3, 5), new ArrayList<>(((Map<?, ?>) MAP_INT_TEXT.decode(map)).keySet()));
    assertEquals(2, MAP_INT_TEXT.entries(map).size());
    assertEquals("{-3: 'x', 5: 'last'}", MAP_INT_TEXT.toCqlLiteral(map));

    // Values from clients may come unsorted: they are valid and read in canonical order.
    ByteBuffer unsorted = ValueFraming.writeCollection(2, List.of(text("z"), text("a")));
    SET_TEXT.validate(unsorted);
    assertEquals(List.of(text("a"), text("z")), SET_TEXT.elements(unsorted));
    assertEquals(0, SET_TEXT.compare(unsorted, SET_TEXT.encode(List.of("a", "z"))));
  }

  @Test
  void literalsReadAsCql() {
    assertEquals("[1, 2]", LIST_INT.toCqlLiteral(LIST_INT.encode(List.of(1, 2))));
    assertEquals("[]", LIST_INT.toCqlLiteral(LIST_INT.encode(List.of())));
    assertEquals("{'a', 'it''s'}", SET_TEXT.toCqlLiteral(SET_TEXT.encode(List.of("it's", "a"))));
    assertEquals("(1, 'x')", TUPLE.toCqlLiteral(TUPLE.encode(List.of(1, "x"))));
    assertEquals("[1.5, 2.0]", new VectorType(CqlTypes.FLOAT, 2).toCqlLiteral(
        new VectorType(CqlTypes.FLOAT, 2).encode(List.of(1.5f, 2.0f))));
    assertInvalid(() -> LIST_INT.fromLiteral(LiteralKind.STRING, "[1]"), "list literal");
    assertInvalid(() -> TUPLE.fromLiteral(LiteralKind.INTEGER, "1"), "tuple literal");
  }

  @Test
  void multiCellTypesCannotBeKeys() {
    ListType multiCell = new ListType(CqlTypes.INT, false);
    assertFalse(multiCell.orderable());
    assertTrue(LIST_INT.orderable());
    assertInvalid(() -> multiCell.toComparable(multiCell.encode(List.of(1))),
        "Non-frozen collections are not supported in PRIMARY KEY");
    UserType nonFrozen = ADDRESS.withFrozen(false);
    assertInvalid(() -> nonFrozen.toComparable(nonFrozen.encode(Map.of())), "PRIMARY KEY");
    assertFalse(new ListType(CqlTypes.DURATION, true).orderable());
  }

  @Test
  void userTypeKeysStayReadableAfterAFieldIsAdded() {
    UserType before = new UserType("ks", "pt", List.of("x"), List.of(CqlTypes.INT), true);
    UserType after = new UserType("ks", "pt", List.of("x", "y"), List.of(CqlTypes.INT, CqlTypes.TEXT), true);
    byte[] key = before.toComparable(before.encode(Map.of("x", 7)));
    ByteBuffer read = after.fromComparable(ByteBuffer.wrap(key));
    assertEquals(7, ((Map<?, ?>) after.decode(read)).get("x"));
    assertTrue(Arrays.equals(key, after.toComparable(after.encode(Map.of("x", 7)))));
  }

  @Test
  void vectorsHaveExactlyTheirDimension() {
    VectorType v = new VectorType(CqlTypes.FLOAT, 3);
    assertInvalid(() -> v.encode(List.of(1f, 2f)), "expected 3 elements");
    assertInvalid(() -> v.validate(ByteBuffer.allocate(11)), "expected 12 bytes");
    assertInvalid(() -> v.validate(ByteBuffer.allocate(13)), "left after");
    assertEquals(List.of(0f, 0f, 0f), v.decode(ByteBuffer.allocate(12)));
  }

  private static ByteBuffer text(String s) {
    return CqlTypes.TEXT.encode(s);
  }

  private static ByteBuffer bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return ByteBuffer.wrap(out);
  }

  private static void assertInvalid(Runnable action, String messagePart) {
    MeridianException e = assertThrows(MeridianException.class, action::run);
    assertEquals(CqlErrorCode.INVALID, e.code());
    assertTrue(e.getMessage().contains(messagePart), e::getMessage);
  }
}
