package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scalar type round trips through bound values and literals, and sorts correctly as a clustering column. */
class TypesIT extends CqlTestSupport {
  private static final Map<String, String> TABLES = new HashMap<>();

  /** A value of a type with the CQL literal that denotes it. */
  record Case(String type, Object value, String literal) {
    @Override
    public String toString() {
      return type + " " + literal;
    }
  }

  private static ByteBuffer bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return ByteBuffer.wrap(out);
  }

  private static InetAddress inet(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Stream<Case> cases() {
    String big = "123456789012345678901234567890123456789012345678901234567890";
    return Stream.of(
        new Case("ascii", "hello", "'hello'"),
        new Case("ascii", "", "''"),
        new Case("ascii", "it's", "'it''s'"),
        new Case("bigint", Long.MIN_VALUE, String.valueOf(Long.MIN_VALUE)),
        new Case("bigint", Long.MAX_VALUE, String.valueOf(Long.MAX_VALUE)),
        new Case("bigint", 0L, "0"),
        new Case("blob", bytes(0xCA, 0xFE, 0x00, 0xFF), "0xcafe00ff"),
        new Case("blob", bytes(), "0x"),
        new Case("boolean", true, "true"),
        new Case("boolean", false, "FALSE"),
        new Case("date", LocalDate.of(2024, 2, 29), "'2024-02-29'"),
        new Case("date", LocalDate.of(1970, 1, 1), "'1970-01-01'"),
        new Case("date", LocalDate.of(1, 1, 1), "'0001-01-01'"),
        new Case("date", LocalDate.of(9999, 12, 31), "'9999-12-31'"),
        new Case("decimal", new BigDecimal("0.1"), "0.1"),
        new Case("decimal", new BigDecimal("-" + big + "." + big), "-" + big + "." + big),
        new Case("decimal", new BigDecimal("0"), "0"),
        new Case("decimal", new BigDecimal("1E+10"), "1E10"),
        new Case("double", Double.NaN, "NaN"),
        new Case("double", Double.POSITIVE_INFINITY, "Infinity"),
        new Case("double", Double.NEGATIVE_INFINITY, "-Infinity"),
        new Case("double", Double.MAX_VALUE, "1.7976931348623157E308"),
        new Case("double", Double.MIN_VALUE, "4.9E-324"),
        new Case("double", -1.5, "-1.5"),
        new Case("double", 42.0, "42"),
        new Case("duration", CqlDuration.from("1h30m"), "1h30m"),
        new Case("duration", CqlDuration.newInstance(14, 3, 4_000_000_000L), "1y2mo3d4s"),
        new Case("duration", CqlDuration.from("P1Y2M3DT4H5M6S"), "P1Y2M3DT4H5M6S"),
        new Case("duration", CqlDuration.newInstance(-1, -2, -3), "-1mo2d3ns"),
        new Case("float", 3.5f, "3.5"),
        new Case("float", Float.NaN, "NaN"),
        new Case("float", Float.NEGATIVE_INFINITY, "-Infinity"),
        new Case("float", Float.MAX_VALUE, "3.4028235E38"),
        new Case("inet", inet("127.0.0.1"), "'127.0.0.1'"),
        new Case("inet", inet("::1"), "'::1'"),
        new Case("inet", inet("2001:db8::ff00:42:8329"), "'2001:db8::ff00:42:8329'"),
        new Case("int", Integer.MIN_VALUE, String.valueOf(Integer.MIN_VALUE)),
        new Case("int", Integer.MAX_VALUE, String.valueOf(Integer.MAX_VALUE)),
        new Case("smallint", Short.MIN_VALUE, String.valueOf(Short.MIN_VALUE)),
        new Case("smallint", Short.MAX_VALUE, String.valueOf(Short.MAX_VALUE)),
        new Case("text", "", "''"),
        new Case("text", "héllo wörld ✓ 日本 \uD83D\uDE00", "'héllo wörld ✓ 日本 \uD83D\uDE00'"),
        new Case("text", "quote ' and $$", "'quote '' and $$'"),
        new Case("text", "dollar 'quoted'", "$$dollar 'quoted'$$"),
        new Case("time", LocalTime.of(13, 30, 54, 234_000_000), "'13:30:54.234'"),
        new Case("time", LocalTime.MIDNIGHT, "'00:00:00'"),
        new Case("time", LocalTime.of(23, 59, 59, 999_999_999), "'23:59:59.999999999'"),
        new Case("timestamp", Instant.parse("2024-01-01T12:34:56.789Z"), "'2024-01-01T12:34:56.789Z'"),
        new Case("timestamp", Instant.ofEpochMilli(1_700_000_000_000L), "1700000000000"),
        new Case("timestamp", Instant.parse("1960-06-15T00:00:00Z"), "'1960-06-15 00:00:00+0000'"),
        new Case("timeuuid", UUID.fromString("50554d6e-29bb-11e5-b345-feff819cdc9f"), "50554d6e-29bb-11e5-b345-feff819cdc9f"),
        new Case("tinyint", Byte.MIN_VALUE, "-128"),
        new Case("tinyint", Byte.MAX_VALUE, "127"),
        new Case("uuid", UUID.fromString("00000000-0000-0000-0000-000000000000"), "00000000-0000-0000-0000-000000000000"),
        new Case("uuid", UUID.fromString("ffffffff-ffff-4fff-bfff-ffffffffffff"), "ffffffff-ffff-4fff-bfff-ffffffffffff"),
        new Case("varchar", "v", "'v'"),
        new Case("varint", new BigInteger(big), big),
        new Case("varint", new BigInteger("-" + big), "-" + big),
        new Case("varint", BigInteger.ZERO, "0"));
  }

  private static synchronized String table(String type) {
    return TABLES.computeIfAbsent(type, t -> newTable("CREATE TABLE %s (k int PRIMARY KEY, v " + t + ")"));
  }

  private static final java.util.concurrent.atomic.AtomicInteger KEYS = new java.util.concurrent.atomic.AtomicInteger();

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void roundTripThroughBoundValues(Case c) {
    String t = table(c.type());
    int k = KEYS.incrementAndGet();
    session.execute(session.prepare("INSERT INTO " + t + " (k, v) VALUES (?, ?)").bind(k, c.value()));
    Object got = session.execute(session.prepare("SELECT v FROM " + t + " WHERE k = ?").bind(k)).one().getObject(0);
    assertEquals(c.value(), got);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void roundTripThroughLiterals(Case c) {
    String t = table(c.type());
    int k = KEYS.incrementAndGet();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (" + k + ", " + c.literal() + ")");
    Row r = session.execute("SELECT v FROM " + t + " WHERE k = " + k).one();
    assertEquals(c.value(), r.getObject(0));
    // The literal also works as a restriction value (filtering compares with the type's order).
    if (!c.type().equals("duration") && !(c.value() instanceof Double d && d.isNaN()) && !(c.value() instanceof Float f && f.isNaN())) {
      List<Row> found = session.execute("SELECT k FROM " + t + " WHERE k = " + k + " AND v = " + c.literal() + " ALLOW FILTERING").all();
      assertEquals(1, found.size(), "filter by literal");
    }
  }

  @Test
  void emptyValuesOfTextAndBlobAreNotNull() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, s text, b blob)");
    session.execute("INSERT INTO " + t + " (k, s, b) VALUES (1, '', 0x)");
    Row r = session.execute("SELECT s, b FROM " + t + " WHERE k = 1").one();
    assertEquals("", r.getString(0));
    assertEquals(0, r.getByteBuffer(1).remaining());
    assertTrue(!r.isNull(0) && !r.isNull(1));
  }

  @Test
  void emptyTextPartitionKeyIsRejected() {
    String t = newTable("CREATE TABLE %s (k text PRIMARY KEY, v int)");
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, v) VALUES ('', 1)", "key", "empty");
  }

  @Test
  void emptyTextClusteringKeyIsAllowedAndSortsFirst() {
    String t = newTable("CREATE TABLE %s (k int, c text, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c) VALUES (1, 'a')");
    session.execute("INSERT INTO " + t + " (k, c) VALUES (1, '')");
    assertEquals(List.of("", "a"), column(session.execute("SELECT c FROM " + t + " WHERE k = 1"), r -> r.getString(0)));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "int|'abc'", "int|1.5", "bigint|'x'", "text|42", "boolean|1", "uuid|'not-a-uuid'", "blob|'text'",
      "timestamp|'yesterday-ish'", "inet|'nope'", "tinyint|128", "smallint|40000", "int|3000000000", "date|'x'",
  })
  void literalOfWrongTypeIsRejected(String type, String literal) {
    String t = table(type);
    // The message names the offending value.
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, v) VALUES (1, " + literal + ")", literal.replace("'", ""));
  }

  // ---- clustering order ----

  /** Values of a type in ascending CQL order. */
  static Stream<Arguments> orderedValues() {
    Random random = new Random(7);
    List<UUID> uuids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      uuids.add(new UUID(random.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L));
    }
    uuids.sort(Comparator.comparing((UUID u) -> u.getMostSignificantBits(), Long::compareUnsigned)
        .thenComparing(u -> u.getLeastSignificantBits(), Long::compareUnsigned));
    List<UUID> timeuuids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      // Increasing timestamps, random clock/node parts: order is by time.
      timeuuids.add(Uuids.startOf(1_600_000_000_000L + i * 86_400_000L + random.nextInt(1000)));
    }
    List<String> texts = new ArrayList<>(List.of("", "A", "Z", "a", "ab", "b", "é", "ü", "ℤ", "日本", "\uD83D\uDE00", "\uFFFD"));
    // CQL orders text by UTF-8 bytes.
    texts.sort(Comparator.comparing(s -> s.getBytes(StandardCharsets.UTF_8), TypesIT::compareUnsigned));
    return Stream.of(
        Arguments.of("int", List.of(Integer.MIN_VALUE, -1000, -1, 0, 1, 255, 256, Integer.MAX_VALUE)),
        Arguments.of("bigint", List.of(Long.MIN_VALUE, -1L << 40, -1L, 0L, 1L, 1L << 40, Long.MAX_VALUE)),
        Arguments.of("smallint", List.of(Short.MIN_VALUE, (short) -1, (short) 0, (short) 1, Short.MAX_VALUE)),
        Arguments.of("tinyint", List.of(Byte.MIN_VALUE, (byte) -1, (byte) 0, (byte) 1, Byte.MAX_VALUE)),
        Arguments.of("varint", List.of(new BigInteger("-100000000000000000000000"), BigInteger.valueOf(-256), BigInteger.valueOf(-255),
            BigInteger.valueOf(-1), BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(127), BigInteger.valueOf(128),
            BigInteger.valueOf(255), BigInteger.valueOf(256), new BigInteger("100000000000000000000000"))),
        Arguments.of("decimal", List.of(new BigDecimal("-100000000000000000000"), new BigDecimal("-10.5"), new BigDecimal("-10.25"), new BigDecimal("-0.001"),
            new BigDecimal("0"), new BigDecimal("0.0001"), new BigDecimal("0.1"), new BigDecimal("1.5"), new BigDecimal("2"),
            new BigDecimal("10"), new BigDecimal("123456789012345678901234567890.5"))),
        Arguments.of("double", List.of(Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.5, -Double.MIN_VALUE, 0.0, Double.MIN_VALUE,
            0.5, 1.0, 1e300, Double.POSITIVE_INFINITY)),
        Arguments.of("float", List.of(Float.NEGATIVE_INFINITY, -3.5f, -0.25f, 0.0f, 0.25f, 3.5f, Float.MAX_VALUE, Float.POSITIVE_INFINITY)),
        Arguments.of("text", texts),
        Arguments.of("ascii", List.of("", "A", "B", "a", "aa", "b", "~")),
        Arguments.of("blob", List.of(bytes(), bytes(0x00), bytes(0x00, 0x00), bytes(0x01), bytes(0x7F), bytes(0x80), bytes(0xFF),
            bytes(0xFF, 0x00))),
        Arguments.of("boolean", List.of(false, true)),
        Arguments.of("date", List.of(LocalDate.of(1, 1, 1), LocalDate.of(1969, 12, 31), LocalDate.of(1970, 1, 1), LocalDate.of(2024, 2, 29))),
        Arguments.of("time", List.of(LocalTime.MIDNIGHT, LocalTime.of(0, 0, 0, 1), LocalTime.NOON, LocalTime.MAX)),
        Arguments.of("timestamp", List.of(Instant.ofEpochMilli(-100_000_000_000L), Instant.ofEpochMilli(-1), Instant.EPOCH,
            Instant.ofEpochMilli(1), Instant.parse("2024-01-01T00:00:00Z"))),
        Arguments.of("uuid", uuids),
        Arguments.of("timeuuid", timeuuids),
        Arguments.of("inet", List.of(inet("0.0.0.0"), inet("1.2.3.4"), inet("10.0.0.1"), inet("127.0.0.1"), inet("255.255.255.255"))));
  }

  static int compareUnsigned(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orderedValues")
  void clusteringOrderAscendingAndDescending(String type, List<Object> ascending) {
    String asc = newTable("CREATE TABLE %s (k int, c " + type + ", v int, PRIMARY KEY (k, c))");
    String desc = asc.replace(".t", ".d");
    session.execute("CREATE TABLE " + desc + " (k int, c " + type + ", v int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)");
    List<Object> shuffled = new ArrayList<>(ascending);
    Collections.shuffle(shuffled, new Random(type.hashCode()));
    PreparedStatement insAsc = session.prepare("INSERT INTO " + asc + " (k, c, v) VALUES (1, ?, 0)");
    PreparedStatement insDesc = session.prepare("INSERT INTO " + desc + " (k, c, v) VALUES (1, ?, 0)");
    for (Object v : shuffled) {
      session.execute(insAsc.bind(v));
      session.execute(insDesc.bind(v));
    }
    List<Object> descending = new ArrayList<>(ascending);
    Collections.reverse(descending);
    assertEquals(ascending, column(session.execute("SELECT c FROM " + asc + " WHERE k = 1"), r -> r.getObject(0)));
    // (decimal values here are written in their canonical form; see decimalClusteringKeysKeepIntegersAsWrittenAndEqualValuesAsOneRow)
    assertEquals(descending, column(session.execute("SELECT c FROM " + desc + " WHERE k = 1"), r -> r.getObject(0)));
    assertEquals(descending, column(session.execute("SELECT c FROM " + asc + " WHERE k = 1 ORDER BY c DESC"), r -> r.getObject(0)));
    assertEquals(ascending, column(session.execute("SELECT c FROM " + desc + " WHERE k = 1 ORDER BY c ASC"), r -> r.getObject(0)));
    // A slice above the middle value returns the upper half, in either order.
    Object middle = ascending.get(ascending.size() / 2);
    List<Object> upper = ascending.subList(ascending.size() / 2 + 1, ascending.size());
    assertEquals(upper, column(session.execute(session.prepare("SELECT c FROM " + asc + " WHERE k = 1 AND c > ?").bind(middle)),
        r -> r.getObject(0)));
    List<Object> upperDesc = new ArrayList<>(upper);
    Collections.reverse(upperDesc);
    assertEquals(upperDesc, column(session.execute(session.prepare("SELECT c FROM " + desc + " WHERE k = 1 AND c > ?").bind(middle)),
        r -> r.getObject(0)));
    // Every value is found again by equality.
    PreparedStatement eq = session.prepare("SELECT c FROM " + desc + " WHERE k = 1 AND c = ?");
    for (Object v : ascending) {
      assertEquals(v, session.execute(eq.bind(v)).one().getObject(0));
    }
  }

  @Test
  void decimalClusteringKeysCompareByValueIncludingLargeScale() {
    String t = newTable("CREATE TABLE %s (k int, c decimal, PRIMARY KEY (k, c))");
    List<BigDecimal> values = List.of(new BigDecimal("-1.000000000000000000000000000001"), new BigDecimal("-1"),
        new BigDecimal("0.999999999999999999999999999999"), new BigDecimal("1.000000000000000000000000000001"));
    for (BigDecimal v : List.of(values.get(2), values.get(0), values.get(3), values.get(1))) {
      session.execute("INSERT INTO " + t + " (k, c) VALUES (1, ?)", v);
    }
    assertEquals(values, column(session.execute("SELECT c FROM " + t + " WHERE k = 1"), r -> r.getBigDecimal(0)));
  }

  @Test
  void decimalClusteringKeysKeepIntegersAsWrittenAndEqualValuesAsOneRow() {
    String t = newTable("CREATE TABLE %s (k int, c decimal, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c) VALUES (1, 10)");
    session.execute("INSERT INTO " + t + " (k, c) VALUES (1, 2.50)");
    session.execute("INSERT INTO " + t + " (k, c) VALUES (1, 2.5)"); // equal to 2.50: the same row, as in Cassandra
    List<BigDecimal> got = column(session.execute("SELECT c FROM " + t + " WHERE k = 1"), r -> r.getBigDecimal(0));
    assertEquals(2, got.size(), got.toString());
    assertEquals(0, new BigDecimal("2.5").compareTo(got.get(0)), got.toString());
    // Integer values keep their written form (not 1E+1).
    assertEquals(new BigDecimal("10"), got.get(1));
  }

  @Test
  void multipleTypedClusteringColumnsSortLexicographically() {
    String t = newTable("CREATE TABLE %s (k int, a text, b bigint, c blob, PRIMARY KEY (k, a, b, c)) "
        + "WITH CLUSTERING ORDER BY (a ASC, b DESC, c ASC)");
    session.execute("INSERT INTO " + t + " (k, a, b, c) VALUES (1, 'b', 5, 0x01)");
    session.execute("INSERT INTO " + t + " (k, a, b, c) VALUES (1, 'a', -5, 0x02)");
    session.execute("INSERT INTO " + t + " (k, a, b, c) VALUES (1, 'a', 7, 0x00ff)");
    session.execute("INSERT INTO " + t + " (k, a, b, c) VALUES (1, 'a', 7, 0x00)");
    session.execute("INSERT INTO " + t + " (k, a, b, c) VALUES (1, 'ab', 0, 0x)");
    List<String> got = column(session.execute("SELECT a, b, c FROM " + t + " WHERE k = 1"),
        r -> r.getString(0) + "/" + r.getLong(1) + "/" + com.datastax.oss.driver.api.core.data.ByteUtils.toHexString(r.getByteBuffer(2)));
    assertEquals(List.of("a/7/0x00", "a/7/0x00ff", "a/-5/0x02", "ab/0/0x", "b/5/0x01"), got);
  }
}
