package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.types.CqlDuration;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import io.meridian.types.TupleType;
import io.meridian.types.UserType;
import io.meridian.types.VectorType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The JSON forms of CQL values, checked against the outputs and errors Cassandra's own tests state. */
class JsonCodecTest {
  private static final UUID TIMEUUID = UUID.fromString("6bddc89a-5644-11e4-97fc-56847afe9799");

  private static String json(CqlType type, Object javaValue) {
    return JsonCodec.toJson(type, type.encode(javaValue));
  }

  /** Parses the JSON text and decodes it for {@code type}, back to the type's Java value. */
  private static Object read(CqlType type, String json) throws Exception {
    ByteBuffer v = JsonCodec.fromJson(type, JsonParser.parse(json));
    return type.decode(v);
  }

  private static String error(CqlType type, String json) {
    return assertThrows(JsonCodec.JsonValueException.class, () -> JsonCodec.fromJson(type, JsonParser.parse(json))).getMessage();
  }

  @Test
  void scalarsAreWrittenAsCassandraWritesThem() throws Exception {
    assertEquals("\"ascii text\"", json(CqlTypes.ASCII, "ascii text"));
    assertEquals("123123123123", json(CqlTypes.BIGINT, 123123123123L));
    assertEquals("\"0x00000001\"", JsonCodec.toJson(CqlTypes.BLOB, ByteBuffer.wrap(new byte[] {0, 0, 0, 1})));
    assertEquals("\"0x\"", JsonCodec.toJson(CqlTypes.BLOB, ByteBuffer.allocate(0)));
    assertEquals("true", json(CqlTypes.BOOLEAN, true));
    assertEquals("\"1987-03-23\"", json(CqlTypes.DATE, LocalDate.of(1987, 3, 23)));
    assertEquals("-1.23E-12", json(CqlTypes.DECIMAL, new BigDecimal("-1.23E-12")));
    assertEquals("123123.0", json(CqlTypes.DOUBLE, 123123d));
    assertEquals("123.123", json(CqlTypes.FLOAT, 123.123f));
    assertEquals("\"0:0:0:0:0:0:0:1\"", json(CqlTypes.INET, InetAddress.getByName("::1")));
    assertEquals("-123123", json(CqlTypes.INT, -123123));
    assertEquals("-32768", json(CqlTypes.SMALLINT, (short) -32768));
    assertEquals("127", json(CqlTypes.TINYINT, (byte) 127));
    assertEquals("\"00:00:00.000000123\"", json(CqlTypes.TIME, LocalTime.ofNanoOfDay(123)));
    assertEquals("\"2014-01-01 00:00:00.000Z\"", json(CqlTypes.TIMESTAMP, Instant.parse("2014-01-01T00:00:00Z")));
    assertEquals("\"6bddc89a-5644-11e4-97fc-56847afe9799\"", json(CqlTypes.TIMEUUID, TIMEUUID));
    assertEquals("123123123123123123123", json(CqlTypes.VARINT, new BigInteger("123123123123123123123")));
    assertEquals("\"1y1mo2d10h5m\"", json(CqlTypes.DURATION, CqlDuration.parse("P1Y1M2DT10H5M")));
    assertEquals("\"12us\"", json(CqlTypes.DURATION, CqlDuration.parse("12us")));
  }

  @Test
  void textIsEscapedLikeJackson() {
    assertEquals("\"\\u0000\"", json(CqlTypes.TEXT, "\u0000"));
    assertEquals("\"a \\\" b \\\\ c\\n\\t\"", json(CqlTypes.TEXT, "a \" b \\ c\n\t"));
    assertEquals("\"\u8422/\"", json(CqlTypes.TEXT, "\u8422/"));
    assertEquals("\"\\u001F\"", json(CqlTypes.TEXT, "\u001f"));
  }

  @Test
  void nanAndInfinityAreNull() {
    assertEquals("null", json(CqlTypes.FLOAT, Float.NaN));
    assertEquals("null", json(CqlTypes.DOUBLE, Double.POSITIVE_INFINITY));
    assertEquals("null", json(CqlTypes.DOUBLE, Double.NEGATIVE_INFINITY));
  }

  @Test
  void emptyValuesAreEmptyStrings() {
    assertEquals("\"\"", JsonCodec.toJson(CqlTypes.INT, ByteBuffer.allocate(0)));
    assertEquals("\"\"", JsonCodec.toJson(CqlTypes.TEXT, ByteBuffer.allocate(0)));
    assertEquals("\"\"", JsonCodec.toJson(CqlTypes.TIMESTAMP, ByteBuffer.allocate(0)));
    assertEquals("null", JsonCodec.toJson(CqlTypes.INT, null));
  }

  @Test
  void collectionsTuplesUdtsAndVectors() {
    ListType list = new ListType(CqlTypes.INT, true);
    assertEquals("[1, 2, 3]", json(list, List.of(1, 2, 3)));
    SetType set = new SetType(CqlTypes.TEXT, false);
    assertEquals("[\"a\", \"b\"]", json(set, new java.util.LinkedHashSet<>(List.of("b", "a"))));
    MapType map = new MapType(CqlTypes.ASCII, CqlTypes.INT, false);
    assertEquals("{\"a\": 1, \"b\": 2}", json(map, Map.of("b", 2, "a", 1)));
    TupleType tuple = new TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT, CqlTypes.UUID));
    assertEquals("[1, \"foobar\", null]", json(tuple, Arrays.asList(1, "foobar", null)));
    UserType udt = new UserType("ks", "t", List.of("a", "Foo"), List.of(CqlTypes.INT, CqlTypes.INT), true);
    assertEquals("{\"a\": 0, \"\\\"Foo\\\"\": null}",
        JsonCodec.toJson(udt, udt.serializeFields(Arrays.asList(CqlTypes.INT.encode(0), null))));
    VectorType vector = new VectorType(CqlTypes.FLOAT, 3);
    assertEquals("[1.0, 2.5, -3.0]", JsonCodec.toJson(vector,
        vector.serializeElements(List.of(CqlTypes.FLOAT.encode(1f), CqlTypes.FLOAT.encode(2.5f), CqlTypes.FLOAT.encode(-3f)))));
  }

  @Test
  void nonStringMapKeysBecomeStringsHoldingTheirJson() {
    MapType intKeys = new MapType(CqlTypes.INT, CqlTypes.BOOLEAN, false);
    assertEquals("{\"0\": true, \"1\": false}", json(intKeys, Map.of(0, true, 1, false)));
    MapType tupleKeys = new MapType(new TupleType(List.of(CqlTypes.INT, CqlTypes.TEXT)), CqlTypes.BOOLEAN, false);
    assertEquals("{\"[0, \\\"a\\\"]\": true}", json(tupleKeys, Map.of(Arrays.asList(0, "a"), true)));
    MapType listKeys = new MapType(new ListType(CqlTypes.INT, true), CqlTypes.BOOLEAN, false);
    assertEquals("{\"[0, 1, 2]\": true}", json(listKeys, Map.of(List.of(0, 1, 2), true)));
  }

  @Test
  void numbersAreReadFromNumbersOrStrings() throws Exception {
    assertEquals(123123, read(CqlTypes.INT, "123123"));
    assertEquals(123123, read(CqlTypes.INT, "\"123123\""));
    assertEquals(123123123123L, read(CqlTypes.BIGINT, "\"123123123123\""));
    assertEquals((short) 32767, read(CqlTypes.SMALLINT, "32767"));
    assertEquals((byte) 127, read(CqlTypes.TINYINT, "\"127\""));
    assertEquals(new BigInteger("1234567890123456789012345678901234567890"),
        read(CqlTypes.VARINT, "\"1234567890123456789012345678901234567890\""));
    assertEquals(new BigInteger("123123123123"), read(CqlTypes.VARINT, "123123123123"));
    assertEquals(new BigDecimal("123123.123123"), read(CqlTypes.DECIMAL, "123123.123123"));
    assertEquals(new BigDecimal("-1.23E-12"), read(CqlTypes.DECIMAL, "\"-1.23E-12\""));
    assertEquals(123123.0d, read(CqlTypes.DOUBLE, "123123"));
    assertEquals(123123.0f, read(CqlTypes.FLOAT, "\"123123.0\""));
    assertEquals(Float.NaN, read(CqlTypes.FLOAT, "\"NaN\""));
  }

  @Test
  void numberErrorsAreCassandras() {
    assertEquals("Expected an int value, but got a Long: 2147483648", error(CqlTypes.INT, "2147483648"));
    assertEquals("Expected an int value, but got a Double: 123.456", error(CqlTypes.INT, "123.456"));
    assertEquals("Expected an int value, but got a Boolean: true", error(CqlTypes.INT, "true"));
    assertEquals("Unable to make int from 'xyzz'", error(CqlTypes.INT, "\"xyzz\""));
    assertEquals("Expected a bigint value, but got a BigInteger: 9223372036854775808", error(CqlTypes.BIGINT, "9223372036854775808"));
    assertEquals("Expected a bigint value, but got a ArrayList: [abc]", error(CqlTypes.BIGINT, "[\"abc\"]"));
    assertEquals("Unable to make long from 'abc'", error(CqlTypes.BIGINT, "\"abc\""));
    assertEquals("Unable to make short from '32768'", error(CqlTypes.SMALLINT, "32768"));
    assertEquals("Unable to make short from '123.456'", error(CqlTypes.SMALLINT, "123.456"));
    assertEquals("Expected a short value, but got a Boolean: true", error(CqlTypes.SMALLINT, "true"));
    assertEquals("Unable to make byte from '128'", error(CqlTypes.TINYINT, "128"));
    assertEquals("Expected a byte value, but got a Boolean: true", error(CqlTypes.TINYINT, "true"));
    assertEquals("Value '123123.123' is not a valid representation of a varint value", error(CqlTypes.VARINT, "123123.123"));
    assertEquals("Value '' is not a valid representation of a varint value", error(CqlTypes.VARINT, "\"\""));
    assertEquals("Value 'true' is not a valid representation of a decimal value", error(CqlTypes.DECIMAL, "true"));
    assertEquals("Unable to make double from 'xyzz'", error(CqlTypes.DOUBLE, "\"xyzz\""));
    assertTrue(error(CqlTypes.FLOAT, "true").startsWith("Expected a float value, but got a Boolean"));
  }

  @Test
  void emptyStringsFollowEachTypesTextParser() throws Exception {
    assertEquals(0, JsonCodec.fromJson(CqlTypes.INT, "").remaining());
    assertEquals(0, JsonCodec.fromJson(CqlTypes.TIMESTAMP, "").remaining());
    assertEquals(0, JsonCodec.fromJson(CqlTypes.UUID, "").remaining());
    assertEquals("", read(CqlTypes.TEXT, "\"\""));
    assertEquals("Unable to coerce '' to a formatted date (long)", error(CqlTypes.DATE, "\"\""));
    assertEquals("Unable to make short from ''", error(CqlTypes.SMALLINT, "\"\""));
  }

  @Test
  void textBooleanBlobAndTemporalInputs() throws Exception {
    assertEquals("ascii \" text", read(CqlTypes.ASCII, "\"ascii \\\" text\""));
    assertTrue(error(CqlTypes.ASCII, "\"\\u1fff\"").startsWith("Invalid ASCII character in string literal"));
    assertEquals("Expected an ascii string, but got a Integer: 123", error(CqlTypes.ASCII, "123"));
    assertEquals("Expected a UTF-8 string, but got a Integer: 123", error(CqlTypes.TEXT, "123"));
    assertEquals("\u2013", read(CqlTypes.TEXT, "\"\\u2013\""));
    assertEquals(false, read(CqlTypes.BOOLEAN, "\"fALSe\""));
    assertEquals(true, read(CqlTypes.BOOLEAN, "true"));
    assertEquals("Unable to make boolean from 'abc'", error(CqlTypes.BOOLEAN, "\"abc\""));
    assertEquals("Expected a boolean value, but got a Integer: 123", error(CqlTypes.BOOLEAN, "123"));
    assertEquals(ByteBuffer.wrap(new byte[] {0, 0, 0, 1}), read(CqlTypes.BLOB, "\"0x00000001\""));
    assertTrue(error(CqlTypes.BLOB, "\"123\"").contains("String representation of blob is missing 0x prefix: 123"));
    assertTrue(error(CqlTypes.BLOB, "\"0x123\"").startsWith("Value '0x123' is not a valid blob representation"));
    assertTrue(error(CqlTypes.BLOB, "123").startsWith("Value '123' is not a valid blob representation"));
    assertEquals(LocalDate.of(1987, 3, 23), read(CqlTypes.DATE, "\"1987-03-23\""));
    assertTrue(error(CqlTypes.DATE, "123").startsWith("Expected a string representation of a date value, but got a Integer"));
    assertEquals("Unable to coerce 'xyz' to a formatted date (long)", error(CqlTypes.DATE, "\"xyz\""));
    assertEquals(LocalTime.ofNanoOfDay(27_307_000_111_222L), read(CqlTypes.TIME, "\"07:35:07.000111222\""));
    assertTrue(error(CqlTypes.TIME, "123456").startsWith("Expected a string representation of a time value"));
    assertEquals("Unable to coerce 'xyz' to a formatted time (long)", error(CqlTypes.TIME, "\"xyz\""));
    assertEquals(Instant.ofEpochMilli(123123123123L), read(CqlTypes.TIMESTAMP, "123123123123"));
    assertEquals(Instant.parse("2014-01-01T12:15:45Z"), read(CqlTypes.TIMESTAMP, "\"2014-01-01 12:15:45.000Z\""));
    assertEquals(Instant.parse("2014-01-01T12:15:45Z"), read(CqlTypes.TIMESTAMP, "\"2014-01-01T12:15:45.000Z\""));
    assertEquals(Instant.parse("2014-01-01T12:15:45Z"), read(CqlTypes.TIMESTAMP, "\"2014-01-01 12:15:45+0000\""));
    assertEquals("Expected a long or a datestring representation of a timestamp value, but got a Double: 123.456",
        error(CqlTypes.TIMESTAMP, "123.456"));
    assertEquals("Unable to coerce 'abcd' to a formatted date (long)", error(CqlTypes.TIMESTAMP, "\"abcd\""));
    assertEquals(TIMEUUID, read(CqlTypes.TIMEUUID, "\"6BDDC89A-5644-11E4-97FC-56847AFE9799\""));
    assertEquals("TimeUUID supports only version 1 UUIDs", error(CqlTypes.TIMEUUID, "\"00000000-0000-0000-0000-000000000000\""));
    assertEquals("Unable to make UUID from '00000000-0000-0000-zzzz-000000000000'",
        error(CqlTypes.UUID, "\"00000000-0000-0000-zzzz-000000000000\""));
    assertEquals("Expected a string representation of a uuid, but got a Integer: 123", error(CqlTypes.UUID, "123"));
    assertEquals(InetAddress.getByName("::1"), read(CqlTypes.INET, "\"::1\""));
    assertEquals("Unable to make inet address from 'xyzz'", error(CqlTypes.INET, "\"xyzz\""));
    assertEquals("Expected a string representation of an inet value, but got a Integer: 123", error(CqlTypes.INET, "123"));
    assertEquals(CqlDuration.parse("53us"), read(CqlTypes.DURATION, "\"53us\""));
    assertEquals(CqlDuration.parse("P2W"), read(CqlTypes.DURATION, "\"P2W\""));
    assertEquals("Unable to convert 'xyz' to a duration", error(CqlTypes.DURATION, "\"xyz\""));
  }

  @Test
  void collectionInputs() throws Exception {
    ListType list = new ListType(CqlTypes.INT, false);
    assertEquals(List.of(1, 2, 3), read(list, "[1, 2, 3]"));
    assertEquals(List.of(1, 2), read(list, "\"[1, 2]\"")); // a string holding the JSON is accepted
    assertEquals("Expected a list, but got a Integer: 123", error(list, "123"));
    assertEquals("Invalid null element in list", error(list, "[null]"));
    assertEquals("Unable to make int from 'abc'", error(list, "[\"abc\"]"));
    SetType set = new SetType(CqlTypes.INT, false);
    assertEquals(new java.util.LinkedHashSet<>(List.of(1, 2, 3)), read(set, "[3, 1, 2, 1]"));
    assertEquals("Expected a list (representing a set), but got a Integer: 123", error(set, "123"));
    assertEquals("Invalid null element in set", error(set, "[null]"));
    MapType map = new MapType(CqlTypes.ASCII, CqlTypes.INT, false);
    assertEquals(Map.of("a", 1, "b", 2), read(map, "{\"b\": 2, \"a\": 1}"));
    assertEquals("Invalid null value in map", error(map, "{\"a\": null}"));
    assertEquals("Expected a map, but got a Integer: 123", error(map, "123"));
    MapType numericKeys = new MapType(CqlTypes.INT, CqlTypes.BOOLEAN, false);
    assertEquals(Map.of(0, true, 1, false), read(numericKeys, "{\"0\": true, \"1\": false}"));
    MapType setKeys = new MapType(new SetType(CqlTypes.TEXT, true), CqlTypes.BOOLEAN, false);
    assertEquals(Map.of(new java.util.LinkedHashSet<>(List.of("0", "1")), true), read(setKeys, "{\"[\\\"0\\\", \\\"1\\\"]\": true}"));
  }

  @Test
  void tupleUdtAndVectorInputs() throws Exception {
    TupleType tuple = new TupleType(List.of(CqlTypes.INT, CqlTypes.ASCII, CqlTypes.UUID));
    assertEquals(Arrays.asList(1, null, TIMEUUID), read(tuple, "[1, null, \"" + TIMEUUID + "\"]"));
    assertTrue(error(tuple, "[1, \"a\", \"" + TIMEUUID + "\", 1]").startsWith("Tuple contains extra items (expected 3)"));
    assertTrue(error(tuple, "[1, \"foobar\"]").startsWith("Tuple is missing items (expected 3)"));
    assertTrue(error(tuple, "{}").startsWith("Expected a list representation of a tuple, but got a LinkedHashMap"));
    UserType udt = new UserType("ks", "t", List.of("a", "Foo", "c"), List.of(CqlTypes.INT, CqlTypes.INT, CqlTypes.TEXT), true);
    ByteBuffer v = JsonCodec.fromJson(udt, JsonParser.parse("{\"A\": 1, \"\\\"Foo\\\"\": 2}"));
    assertEquals("{\"a\": 1, \"\\\"Foo\\\"\": 2, \"c\": null}", JsonCodec.toJson(udt, v));
    assertEquals("Unknown field 'xxx' in value of user defined type t", error(udt, "{\"xxx\": 1}"));
    assertEquals("Unable to make int from 'foobar'", error(udt, "{\"a\": \"foobar\"}"));
    VectorType vector = new VectorType(CqlTypes.INT, 2);
    assertEquals(List.of(1, 2), read(vector, "[1, 2]"));
    assertTrue(error(vector, "[1, 2, 3]").startsWith("Expected a list of 2 elements"));
    assertEquals("Invalid null element in vector", error(vector, "[1, null]"));
  }

  @Test
  void parserShapesValuesLikeJackson() throws Exception {
    assertEquals(Integer.class, JsonParser.parse("2147483647").getClass());
    assertEquals(Long.class, JsonParser.parse("2147483648").getClass());
    assertEquals(BigInteger.class, JsonParser.parse("9223372036854775808").getClass());
    assertEquals(Double.class, JsonParser.parse("1e6").getClass());
    assertEquals(Double.class, JsonParser.parse("-0.5").getClass());
    assertEquals(Map.of("a", 2), JsonParser.parse(" {\"a\": 1, \"a\": 2} "));
    assertEquals(Arrays.asList(null, true, "x/\u00e9"), JsonParser.parse("[null, true, \"x\\/\\u00e9\"]"));
    for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "01", "+1", ".5", "NaN", "'a'", "\"a\nb\"", "{} x", "tru", "\"\\x\"")) {
      assertThrows(JsonParser.JsonSyntaxException.class, () -> JsonParser.parse(bad), bad);
    }
    assertThrows(JsonParser.JsonSyntaxException.class, () -> JsonParser.parse("[".repeat(JsonParser.DEPTH_MAX + 1)));
  }

  @Property
  void textRoundTrips(@ForAll String s) throws Exception {
    if (s.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
      return; // lone surrogates are not valid text values
    }
    String json = JsonCodec.toJson(CqlTypes.TEXT, CqlTypes.TEXT.encode(s));
    assertEquals(s, read(CqlTypes.TEXT, json));
  }

  @Property
  void bigintAndDoubleRoundTrip(@ForAll long l, @ForAll double d) throws Exception {
    assertEquals(l, read(CqlTypes.BIGINT, json(CqlTypes.BIGINT, l)));
    if (!Double.isNaN(d) && !Double.isInfinite(d)) {
      assertEquals(d, read(CqlTypes.DOUBLE, json(CqlTypes.DOUBLE, d)));
    }
  }

  @Property
  void timestampsRoundTrip(@ForAll long millis) throws Exception {
    long ms = Math.floorMod(millis, 253_402_300_800_000L); // years 1970..9999: the yyyy form
    Instant i = Instant.ofEpochMilli(ms);
    assertEquals(i, read(CqlTypes.TIMESTAMP, json(CqlTypes.TIMESTAMP, i)));
  }
}
