package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Names must read exactly as Cassandra shows them in system_schema.columns.type, since drivers and
 * tools parse that column, and parse(cqlName()) must give the same type back.
 */
class ParameterizedTypeNamesTest {
  private static final UserType ADDRESS = new UserType("ks", "address", List.of("street", "zip"),
      List.of(CqlTypes.TEXT, CqlTypes.INT), false);
  private static final UserType QUOTED = new UserType("ks", "Mixed Case", List.of("Field", "select"),
      List.of(CqlTypes.TEXT, new ListType(CqlTypes.INT, false)), false);
  private static final Function<String, UserType> RESOLVER =
      Map.of("address", ADDRESS, "Mixed Case", QUOTED)::get;

  @Test
  void namesReadAsInSystemSchema() {
    assertEquals("list<int>", new ListType(CqlTypes.INT, false).cqlName());
    assertEquals("frozen<list<int>>", new ListType(CqlTypes.INT, true).cqlName());
    assertEquals("map<text, int>", new MapType(CqlTypes.TEXT, CqlTypes.INT, false).cqlName());
    assertEquals("set<frozen<list<int>>>", new SetType(new ListType(CqlTypes.INT, false), true).freeze().cqlName()
        .replaceFirst("^frozen<(.*)>$", "$1"));
    assertEquals("set<frozen<list<int>>>", new SetType(new ListType(CqlTypes.INT, true), false).cqlName());
    assertEquals("frozen<tuple<int, text>>", new TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT)).cqlName());
    assertEquals("frozen<tuple<int, frozen<list<text>>>>",
        new TupleType(List.of(CqlTypes.INT, new ListType(CqlTypes.TEXT, false))).cqlName());
    assertEquals("address", ADDRESS.cqlName());
    assertEquals("frozen<address>", ADDRESS.freeze().cqlName());
    assertEquals("frozen<\"Mixed Case\">", QUOTED.freeze().cqlName());
    assertEquals("list<frozen<address>>", new ListType(ADDRESS, true).cqlName().replaceFirst("^frozen<(.*)>$", "$1"));
    assertEquals("vector<float, 3>", new VectorType(CqlTypes.FLOAT, 3).cqlName());
    assertEquals("map<text, text>", new MapType(CqlTypes.TEXT, CqlTypes.parse("varchar"), false).cqlName());
  }

  @Test
  void protocolCodesAndAccessors() {
    MapType map = new MapType(CqlTypes.UUID, CqlTypes.BLOB, false);
    assertEquals(0x21, map.protocolCode());
    assertSame(CqlTypes.UUID, map.keyType());
    assertSame(CqlTypes.BLOB, map.valueType());
    assertTrue(map.isMultiCell());
    assertFalse(map.isFrozen());
    assertEquals(0x20, new ListType(CqlTypes.INT, true).protocolCode());
    assertEquals(0x22, new SetType(CqlTypes.INT, true).protocolCode());
    assertEquals(0x31, new TupleType(List.of(CqlTypes.INT)).protocolCode());
    assertEquals(0x30, ADDRESS.protocolCode());
    assertEquals("ks", ADDRESS.keyspace());
    assertEquals("address", ADDRESS.typeName());
    assertEquals(List.of("street", "zip"), ADDRESS.fieldNames());
    assertEquals(1, ADDRESS.fieldPosition("zip"));
    assertTrue(ADDRESS.isMultiCell());
    assertFalse(((UserType) ADDRESS.freeze()).isMultiCell());
    assertFalse(new TupleType(List.of(CqlTypes.INT)).isMultiCell());
    assertEquals("org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType,3)",
        new VectorType(CqlTypes.FLOAT, 3).customClassName());
  }

  @Test
  void frozenTypesFreezeWhatTheyContain() {
    ListType inner = new ListType(CqlTypes.INT, false);
    MapType map = new MapType(CqlTypes.TEXT, inner, true);
    assertEquals("frozen<map<text, frozen<list<int>>>>", map.cqlName());
    assertTrue(((ListType) map.valueType()).isFrozen());
    UserType frozenWithList = (UserType) QUOTED.freeze();
    assertTrue(((ListType) frozenWithList.fieldTypes().get(1)).isFrozen());
    assertFalse(((ListType) QUOTED.fieldTypes().get(1)).isFrozen());
  }

  @Test
  void parseReadsEveryNameItPrints() {
    List<CqlType> types = List.of(
        new ListType(CqlTypes.INT, false),
        new ListType(CqlTypes.INT, true),
        new SetType(CqlTypes.TEXT, false),
        new SetType(new ListType(CqlTypes.INT, true), false),
        new MapType(CqlTypes.UUID, CqlTypes.BLOB, false),
        new MapType(CqlTypes.TEXT, new MapType(CqlTypes.INT, new SetType(CqlTypes.TEXT, true), true), true),
        new TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT, new ListType(CqlTypes.DOUBLE, true))),
        new ListType(new TupleType(List.of(CqlTypes.INT)), false),
        ADDRESS,
        ADDRESS.freeze(),
        QUOTED.freeze(),
        new MapType(CqlTypes.TEXT, ADDRESS.freeze(), false),
        new VectorType(CqlTypes.FLOAT, 3),
        new VectorType(CqlTypes.TEXT, 1));
    for (CqlType type : types) {
      assertEquals(type, CqlTypes.parse(type.cqlName(), RESOLVER), type::cqlName);
      assertEquals(type.hashCode(), CqlTypes.parse(type.cqlName(), RESOLVER).hashCode());
    }
  }

  @Test
  void parseIsCaseInsensitiveAndSpacesAreOptional() {
    CqlType expected = new MapType(CqlTypes.TEXT, new ListType(CqlTypes.INT, true), true);
    assertEquals(expected, CqlTypes.parse("FROZEN<Map<VARCHAR,frozen<LIST<int>>>>"));
    assertEquals(expected, CqlTypes.parse("  frozen < map < text ,  frozen < list < int > > > >  "));
    assertEquals(expected, CqlTypes.parse("frozen<map<text, list<int>>>"), "nested types freeze implicitly");
    assertEquals(new SetType(CqlTypes.TEXT, false), CqlTypes.parse("set<text>"));
    assertEquals(new TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT)), CqlTypes.parse("tuple<int,text>"));
    assertEquals(ADDRESS.freeze(), CqlTypes.parse("frozen<ADDRESS>", RESOLVER), "unquoted names fold to lower case");
    assertEquals(QUOTED, CqlTypes.parse("\"Mixed Case\"", RESOLVER));
    for (String systemName : List.of("frozen<map<text, text>>", "set<text>", "frozen<list<text>>", "map<uuid, blob>",
        "frozen<set<text>>", "frozen<list<boolean>>", "frozen<map<text, blob>>")) {
      assertEquals(systemName, CqlTypes.parse(systemName).cqlName());
    }
  }

  @Test
  void parseRefusesWhatCassandraRefuses() {
    assertInvalid("list<list<int>>", "Non-frozen");
    assertInvalid("map<text, set<int>>", "Non-frozen");
    assertInvalid("frozen<int>", "frozen<>");
    assertInvalid("list<int", "'>'");
    assertInvalid("list<int>>", "end of type name");
    assertInvalid("map<int>", "','");
    assertInvalid("tuple<>", "type name");
    assertInvalid("list<counter>", "Counters");
    assertInvalid("set<duration>", "Durations");
    assertInvalid("address", "Unknown type address");
    assertInvalid("frozen<list<address>>", "Unknown type address");
    assertInvalid("vector<float, 0>", "dimension");
    assertInvalid("\"unterminated", "closing");
    MeridianException e = assertThrows(MeridianException.class, () -> CqlTypes.parse("list<address>", RESOLVER));
    assertTrue(e.getMessage().contains("Non-frozen"), e.getMessage());
  }

  @Test
  void nestingDepthIsBounded() {
    String ok = "frozen<list<".repeat(CqlTypes.NESTING_DEPTH_MAX) + "int" + ">>".repeat(CqlTypes.NESTING_DEPTH_MAX);
    assertEquals(ok, CqlTypes.parse(ok).cqlName());
    String deep = "frozen<list<".repeat(CqlTypes.NESTING_DEPTH_MAX + 1) + "int" + ">>".repeat(CqlTypes.NESTING_DEPTH_MAX + 1);
    assertInvalid(deep, "limit of " + CqlTypes.NESTING_DEPTH_MAX);
    // A hostile name far beyond the limit fails cleanly instead of overflowing the stack.
    assertInvalid("list<".repeat(5000) + "int" + ">".repeat(5000), "");
  }

  private static void assertInvalid(String name, String messagePart) {
    MeridianException e = assertThrows(MeridianException.class, () -> CqlTypes.parse(name), name);
    assertEquals(CqlErrorCode.INVALID, e.code());
    assertTrue(e.getMessage().contains(messagePart), () -> name + ": " + e.getMessage());
  }
}
