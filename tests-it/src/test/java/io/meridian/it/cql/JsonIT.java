package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.servererrors.FunctionFailureException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SELECT JSON, INSERT JSON, toJson() and fromJson(): the JSON text of every type, names and
 * aliases, nulls and empty values, DEFAULT NULL/UNSET, prepared statements, paging and errors,
 * with the outputs and messages Apache Cassandra 5.0 gives (its JsonTest states most of them).
 *
 * <p>Expected JSON is written with single quotes for readability: {@link #j} turns them into
 * double quotes.
 */
class JsonIT extends CqlTestSupport {
  private static final String TIMEUUID = "6bddc89a-5644-11e4-97fc-56847afe9799";
  private static final String UUID1 = "2dd2cd62-6af3-4cf6-96fc-91b9ab62eedc";

  /** Single quotes to double quotes, so expected JSON reads cleanly in Java source. */
  private static String j(String s) {
    return s.replace('\'', '"');
  }

  /** The [json] column of each row. */
  private static List<String> json(String cql, Object... values) {
    return column(session.execute(cql, values), r -> r.getString(0));
  }

  private static String kv() {
    return newTable("CREATE TABLE %s (k int PRIMARY KEY, v int)");
  }

  private static String allTypes() {
    return newTable("CREATE TABLE %s (k int PRIMARY KEY, a ascii, bi bigint, bl blob, bo boolean, d date, de decimal,"
        + " db double, f float, i inet, n int, si smallint, ti tinyint, t text, tm time, ts timestamp, tu timeuuid,"
        + " u uuid, vi varint, du duration)");
  }

  private static void insertAllTypes(String t, int k) {
    session.execute("INSERT INTO " + t + " (k, a, bi, bl, bo, d, de, db, f, i, n, si, ti, t, tm, ts, tu, u, vi, du) VALUES ("
        + k + ", 'ascii text', 123123123123, 0x00000001, true, '1987-03-23', -1.23E-12, 123123.123123, 123.123, '::1',"
        + " -123123, 32767, -128, 'h\u00e9 \"q\" \\ x', '07:35:07.000111222', '2014-01-01 12:15:45+0000', " + TIMEUUID + ", "
        + UUID1 + ", 123123123123123123123, 1y1mo2d10h5m)");
  }

  private static final String ALL_TYPES_JSON = j("{'k': 1, 'a': 'ascii text', 'bi': 123123123123, 'bl': '0x00000001', 'bo': true,"
      + " 'd': '1987-03-23', 'db': 123123.123123, 'de': -1.23E-12, 'du': '1y1mo2d10h5m', 'f': 123.123,"
      + " 'i': '0:0:0:0:0:0:0:1', 'n': -123123, 'si': 32767, 't': 'h\u00e9 \\'q\\' \\\\ x', 'ti': -128,"
      + " 'tm': '07:35:07.000111222', 'ts': '2014-01-01 12:15:45.000Z', 'tu': '" + TIMEUUID + "', 'u': '" + UUID1 + "',"
      + " 'vi': 123123123123123123123}");

  // ---------------------------------------------------------------- SELECT JSON

  @Test
  void selectJsonReturnsOneTextColumnNamedJson() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (0, 0)");
    session.execute("INSERT INTO " + t + " (k, v) VALUES (1, 1)");
    ResultSet rs = session.execute("SELECT JSON * FROM " + t + " WHERE k IN (0, 1)");
    ColumnDefinitions defs = rs.getColumnDefinitions();
    assertEquals(List.of("[json]"), columnNames(defs));
    assertEquals(DataTypes.TEXT, defs.get(0).getType());
    List<String> rows = column(rs, r -> r.getString("\"[json]\""));
    rows.sort(null); // partitions come in token order
    assertEquals(List.of(j("{'k': 0, 'v': 0}"), j("{'k': 1, 'v': 1}")), rows);
  }

  @Test
  void selectJsonKeepsTheSelectedOrder() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (0, 5)");
    assertEquals(List.of(j("{'k': 0, 'v': 5}")), json("SELECT JSON k, v FROM " + t));
    assertEquals(List.of(j("{'v': 5, 'k': 0}")), json("SELECT JSON v, k FROM " + t));
  }

  @Test
  void aliasesNameTheKeys() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (0, 5)");
    assertEquals(List.of(j("{'foo': 5, 'bar': 0}")), json("SELECT JSON v AS foo, k AS bar FROM " + t));
    assertEquals(List.of(j("{'hello': 5}")), json("SELECT JSON v AS Hello FROM " + t));
    assertEquals(List.of(j("{'\\'Hello World!\\'': 5}")), json("SELECT JSON v AS \"Hello World!\" FROM " + t));
  }

  @Test
  void caseSensitiveNamesAreQuotedInKeys() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, \"Foo\" int)");
    session.execute("INSERT INTO " + t + " (k, \"Foo\") VALUES (0, 7)");
    assertEquals(List.of(j("{'k': 0, '\\'Foo\\'': 7}")), json("SELECT JSON * FROM " + t));
    assertEquals(List.of(j("{'k': 0, 'foo': 7}")), json("SELECT JSON k, \"Foo\" AS foo FROM " + t));
    assertEquals(List.of(j("{'k': 0, '\\'Bar\\'': 7}")), json("SELECT JSON k, \"Foo\" AS \"Bar\" FROM " + t));
  }

  @Test
  void metadataFunctionsAreKeyedByTheirNames() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (0, 17) USING TIMESTAMP 1234");
    assertEquals(List.of(j("{'ttl(v)': null, 'k': 0}")), json("SELECT JSON ttl(v), k FROM " + t));
    assertEquals(List.of(j("{'foo': null, 'k': 0}")), json("SELECT JSON ttl(v) AS foo, k FROM " + t));
    assertEquals(List.of(j("{'writetime(v)': 1234}")), json("SELECT JSON writetime(v) FROM " + t));
  }

  @Test
  void scalarFunctionsAndCastsAreKeyedByTheirNames() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (0, 17)");
    assertEquals(List.of(j("{'system.intasblob(v)': '0x00000011'}")), json("SELECT JSON intAsBlob(v) FROM " + t));
    assertEquals(List.of(j("{'system.blobasint(system.intasblob(v))': 17}")), json("SELECT JSON blobAsInt(intAsBlob(v)) FROM " + t));
    assertEquals(List.of(j("{'system.tojson(system.blobasint(system.intasblob(v)))': '17'}")),
        json("SELECT JSON toJson(blobAsInt(intAsBlob(v))) FROM " + t));
    assertEquals(List.of(j("{'cast(v as float)': 17.0}")), json("SELECT JSON CAST(v AS FLOAT) FROM " + t));
  }

  @Test
  void aggregatesAndCount() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (0, 1)");
    session.execute("INSERT INTO " + t + " (k, v) VALUES (1, 3)");
    assertEquals(List.of(j("{'count': 2}")), json("SELECT JSON count(*) FROM " + t));
    assertEquals(List.of(j("{'foo': 2}")), json("SELECT JSON count(*) AS foo FROM " + t));
    assertEquals(List.of(j("{'system.max(v)': 3, 'system.sum(v)': 4}")), json("SELECT JSON max(v), sum(v) FROM " + t));
  }

  @Test
  void groupBy() {
    String t = newTable("CREATE TABLE %s (k int, c int, v int, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (0, 0, 0)");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (0, 1, 1)");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 0, 1)");
    List<String> counts = json("SELECT JSON k, count(*) FROM " + t + " GROUP BY k");
    counts.sort(null);
    assertEquals(List.of(j("{'k': 0, 'count': 2}"), j("{'k': 1, 'count': 1}")), counts);
  }

  @Test
  void whereLimitAndOrderBy() {
    String t = newTable("CREATE TABLE %s (a int, b int, PRIMARY KEY (a, b))");
    session.execute("INSERT INTO " + t + " (a, b) VALUES (20, 30)");
    session.execute("INSERT INTO " + t + " (a, b) VALUES (100, 200)");
    session.execute("INSERT INTO " + t + " (a, b) VALUES (100, 300)");
    assertEquals(List.of(j("{'a': 100, 'b': 300}")), json("SELECT JSON * FROM " + t + " WHERE a = 100 AND b > 200"));
    assertEquals(List.of(j("{'a': 100, 'b': 200}")), json("SELECT JSON * FROM " + t + " WHERE a = 100 LIMIT 1"));
    assertEquals(List.of(j("{'a': 100, 'c': 300}"), j("{'a': 100, 'c': 200}")),
        json("SELECT JSON a, b AS c FROM " + t + " WHERE a = 100 ORDER BY b DESC"));
    List<String> in = json("SELECT JSON a, b AS c FROM " + t + " WHERE a IN (20, 100) AND b IN (30, 300)");
    in.sort(null);
    assertEquals(List.of(j("{'a': 100, 'c': 300}"), j("{'a': 20, 'c': 30}")), in);
  }

  @Test
  void distinctPartitionsAndStatics() {
    String t = newTable("CREATE TABLE %s (k int, c int, s text static, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c, s) VALUES (1, 1, 'one')");
    session.execute("INSERT INTO " + t + " (k, c) VALUES (1, 2)");
    assertEquals(List.of(j("{'k': 1, 's': 'one'}")), json("SELECT JSON DISTINCT k, s FROM " + t));
  }

  @Test
  void pagingThroughSelectJson() {
    String t = newTable("CREATE TABLE %s (k int, c int, v text, PRIMARY KEY (k, c))");
    List<String> expected = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, ?, ?)", c, "v" + c);
      expected.add(j("{'k': 1, 'c': " + c + ", 'v': 'v" + c + "'}"));
    }
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT JSON * FROM " + t + " WHERE k = 1").setPageSize(3));
    assertEquals(3, rs.getAvailableWithoutFetching(), "first page");
    assertNotNull(rs.getExecutionInfo().getPagingState(), "more pages follow");
    assertEquals(expected, column(rs, r -> r.getString(0)));
  }

  @Test
  void preparedSelectJson() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (3, 9)");
    PreparedStatement p = session.prepare("SELECT JSON k, v FROM " + t + " WHERE k = ?");
    assertEquals(List.of("[json]"), columnNames(p.getResultSetDefinitions()));
    assertEquals(DataTypes.TEXT, p.getResultSetDefinitions().get(0).getType());
    assertEquals(j("{'k': 3, 'v': 9}"), session.execute(p.bind(3)).one().getString(0));
    assertNull(session.execute(p.bind(4)).one());
  }

  @Test
  void nullAndEmptyValues() {
    String t = newTable("CREATE TABLE %s (id int PRIMARY KEY, name text, bytes blob, n int)");
    session.execute("INSERT INTO " + t + " (id, name) VALUES (0, 'Foo')");
    session.execute("INSERT INTO " + t + " (id, name, bytes) VALUES (2, '', 0x)");
    session.execute("INSERT INTO " + t + " (id, name) VALUES (3, null)");
    assertEquals(j("{'id': 0, 'bytes': null, 'n': null, 'name': 'Foo'}"), json("SELECT JSON * FROM " + t + " WHERE id = 0").get(0));
    assertEquals(j("{'id': 2, 'bytes': '0x', 'n': null, 'name': ''}"), json("SELECT JSON * FROM " + t + " WHERE id = 2").get(0));
    assertEquals(j("{'id': 3, 'bytes': null, 'n': null, 'name': null}"), json("SELECT JSON * FROM " + t + " WHERE id = 3").get(0));
  }

  @Test
  void emptyIntValueIsAnEmptyString() {
    String t = newTable("CREATE TABLE %s (id int PRIMARY KEY, n int)");
    PreparedStatement p = session.prepare("INSERT INTO " + t + " (id, n) VALUES (1, ?)");
    session.execute(p.bind().setBytesUnsafe(0, ByteBuffer.allocate(0)));
    assertEquals(List.of(j("{'id': 1, 'n': ''}")), json("SELECT JSON * FROM " + t));
    assertEquals(List.of("\"\""), json("SELECT toJson(n) FROM " + t));
  }

  @Test
  void nanAndInfinityAreNull() {
    String t = newTable("CREATE TABLE %s (pk int PRIMARY KEY, f1 float, f2 float, d1 double, d2 double)");
    session.execute("INSERT INTO " + t + " (pk, f1, f2, d1, d2) VALUES (?, ?, ?, ?, ?)", 1, Float.NaN, Float.POSITIVE_INFINITY,
        Double.NaN, Double.NEGATIVE_INFINITY);
    assertEquals(List.of(j("{'pk': 1, 'd1': null, 'd2': null, 'f1': null, 'f2': null}")), json("SELECT JSON * FROM " + t));
  }

  @Test
  void everyScalarTypeInSelectJson() {
    String t = allTypes();
    insertAllTypes(t, 1);
    assertEquals(List.of(ALL_TYPES_JSON), json("SELECT JSON * FROM " + t));
  }

  @Test
  void toJsonOfNumbers() {
    String t = allTypes();
    insertAllTypes(t, 1);
    Row r = session.execute("SELECT toJson(bi), toJson(de), toJson(db), toJson(f), toJson(n), toJson(si), toJson(ti), toJson(vi)"
        + " FROM " + t).one();
    assertEquals(List.of("123123123123", "-1.23E-12", "123123.123123", "123.123", "-123123", "32767", "-128",
        "123123123123123123123"), strings(r, 8));
  }

  @Test
  void toJsonOfTextBlobBooleanAndInet() {
    String t = allTypes();
    insertAllTypes(t, 1);
    Row r = session.execute("SELECT toJson(a), toJson(t), toJson(bl), toJson(bo), toJson(i) FROM " + t).one();
    assertEquals(List.of("\"ascii text\"", "\"h\u00e9 \\\"q\\\" \\\\ x\"", "\"0x00000001\"", "true", "\"0:0:0:0:0:0:0:1\""),
        strings(r, 5));
  }

  @Test
  void toJsonOfTemporalsUuidsAndDurations() {
    String t = allTypes();
    insertAllTypes(t, 1);
    Row r = session.execute("SELECT toJson(d), toJson(tm), toJson(ts), toJson(tu), toJson(u), toJson(du) FROM " + t).one();
    assertEquals(List.of("\"1987-03-23\"", "\"07:35:07.000111222\"", "\"2014-01-01 12:15:45.000Z\"", "\"" + TIMEUUID + "\"",
        "\"" + UUID1 + "\"", "\"1y1mo2d10h5m\""), strings(r, 6));
  }

  @Test
  void toJsonResultIsTextNamedAfterTheCall() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k) VALUES (1)");
    ResultSet rs = session.execute("SELECT toJson(v), toJson(k) AS kj FROM " + t);
    assertEquals(List.of("system.tojson(v)", "kj"), columnNames(rs.getColumnDefinitions()));
    assertEquals(DataTypes.TEXT, rs.getColumnDefinitions().get(0).getType());
    Row r = rs.one();
    assertEquals("null", r.getString(0), "toJson(null) is the text null, not a null");
    assertEquals("1", r.getString(1));
  }

  @Test
  void collectionsAsArraysAndObjects() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>,"
        + " fl frozen<list<int>>, fs frozen<set<uuid>>, fm frozen<map<text, int>>, tu tuple<int, text, uuid>)");
    session.execute("INSERT INTO " + t + " (k, l, s, m, fl, fs, fm, tu) VALUES (0, [1, 2, 3], {'b', 'a'}, {'b': 2, 'a': 1},"
        + " [3, 2], {" + UUID1 + "}, {'x': 9}, (1, 'foobar', null))");
    assertEquals(List.of(j("{'k': 0, 'fl': [3, 2], 'fm': {'x': 9}, 'fs': ['" + UUID1 + "'], 'l': [1, 2, 3], 'm': {'a': 1, 'b': 2},"
        + " 's': ['a', 'b'], 'tu': [1, 'foobar', null]}")), json("SELECT JSON * FROM " + t));
  }

  @Test
  void emptyNonFrozenCollectionsAreNull() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, s set<int>, m map<int, int>, fl frozen<list<int>>)");
    session.execute("INSERT INTO " + t + " (k, l, s, m, fl) VALUES (0, [], {}, {}, [])");
    assertEquals(List.of(j("{'k': 0, 'fl': [], 'l': null, 'm': null, 's': null}")), json("SELECT JSON * FROM " + t));
    assertEquals(List.of("null"), json("SELECT toJson(l) FROM " + t));
  }

  @Test
  void nonTextMapKeysAreStringsHoldingTheirJson() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, im map<int, boolean>, tm map<frozen<tuple<int, text>>, boolean>,"
        + " lm map<frozen<list<int>>, boolean>, bm map<boolean, boolean>, um map<uuid, int>)");
    session.execute("INSERT INTO " + t + " (k, im, tm, lm, bm, um) VALUES (0, {0: true, 1: false}, {(0, 'a'): true},"
        + " {[0, 1, 2]: true}, {true: true, false: false}, {" + UUID1 + ": 3})");
    assertEquals(List.of(j("{'k': 0, 'bm': {'false': false, 'true': true}, 'im': {'0': true, '1': false},"
        + " 'lm': {'[0, 1, 2]': true}, 'tm': {'[0, \\'a\\']': true}, 'um': {'" + UUID1 + "': 3}}")), json("SELECT JSON * FROM " + t));
  }

  @Test
  void frozenCollectionKeysAndClusteringAcrossPages() {
    String t = newTable("CREATE TABLE %s (k1 frozen<tuple<uuid, int>>, c1 frozen<tuple<uuid, int>>, value int, PRIMARY KEY (k1, c1))");
    PreparedStatement p = session.prepare("INSERT INTO " + t + " JSON ?");
    for (int i = 1; i < 5; i++) {
      session.execute(p.bind(j("{'k1': ['" + UUID1 + "', 2], 'c1': ['" + UUID1 + "', " + i + "], 'value': " + i + "}")));
    }
    for (int pageSize = 1; pageSize < 6; pageSize++) {
      List<String> rows = column(session.execute(SimpleStatement.newInstance("SELECT JSON * FROM " + t).setPageSize(pageSize)),
          r -> r.getString(0));
      List<String> expected = new ArrayList<>();
      for (int i = 1; i < 5; i++) {
        expected.add(j("{'k1': ['" + UUID1 + "', 2], 'c1': ['" + UUID1 + "', " + i + "], 'value': " + i + "}"));
      }
      assertEquals(expected, rows, "page size " + pageSize);
    }
  }

  @Test
  void selectJsonOnSystemTables() {
    assertEquals(List.of(j("{'key': 'local'}")), json("SELECT JSON key FROM system.local"));
    assertEquals(List.of(j("{'count': 1}")), json("SELECT JSON count(*) FROM system.local"));
    assertEquals(List.of(j("{'name': 'system'}")),
        json("SELECT JSON keyspace_name AS name FROM system_schema.keyspaces WHERE keyspace_name = 'system'"));
  }

  @Test
  void fromJsonIsRefusedInTheSelection() {
    String t = kv();
    assertError(InvalidQueryException.class, "SELECT fromJson(v) FROM " + t, "fromJson() cannot be used in the selection clause");
  }

  @Test
  void toJsonIsRefusedOutsideTheSelection() {
    String t = kv();
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " (k, v) VALUES (?, toJson(?))", 0, 0),
        "toJson() may only be used within the selection clause");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = toJson(1) WHERE k = 0",
        "toJson() may only be used within the selection clause");
    assertError(InvalidQueryException.class, "DELETE FROM " + t + " WHERE k = fromJson(toJson(1))",
        "toJson() may only be used within the selection clause");
  }

  // ---------------------------------------------------------------- INSERT JSON

  @Test
  void insertJsonLiteral() {
    String t = kv();
    session.execute("INSERT INTO " + t + " JSON '{\"k\": 0, \"v\": 0}'");
    assertEquals(List.of(0), ints("SELECT v FROM " + t + " WHERE k = 0"));
    session.execute("INSERT INTO " + t + " JSON '{\"v\": 1, \"k\": 0}'");
    assertEquals(List.of(1), ints("SELECT v FROM " + t + " WHERE k = 0"));
  }

  @Test
  void insertJsonPreparedMarkerIsNamedJson() {
    String t = kv();
    PreparedStatement p = session.prepare("INSERT INTO " + t + " JSON ?");
    assertEquals(1, p.getVariableDefinitions().size());
    assertEquals("[json]", p.getVariableDefinitions().get(0).getName().asInternal());
    assertEquals(DataTypes.TEXT, p.getVariableDefinitions().get(0).getType());
    session.execute(p.bind("{\"k\": 5, \"v\": 6}"));
    assertEquals(List.of(6), ints("SELECT v FROM " + t + " WHERE k = 5"));
  }

  @Test
  void explicitNullDeletesTheColumn() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (0, 3)");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v\": null}");
    Row r = session.execute("SELECT k, v FROM " + t + " WHERE k = 0").one();
    assertEquals(0, r.getInt("k"));
    assertTrue(r.isNull("v"));
  }

  @Test
  void defaultNullDeletesMissingColumns() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v1 int, v2 int)");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v1\": 0, \"v2\": 0}");
    session.execute("INSERT INTO " + t + " JSON ? DEFAULT NULL", "{\"k\": 0, \"v2\": 2}");
    assertEquals(List.of(j("{'k': 0, 'v1': null, 'v2': 2}")), json("SELECT JSON * FROM " + t));
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0}");
    assertEquals(List.of(j("{'k': 0, 'v1': null, 'v2': null}")), json("SELECT JSON * FROM " + t), "DEFAULT NULL is the default");
  }

  @Test
  void defaultUnsetLeavesMissingColumnsUntouched() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v1 int, v2 int)");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v1\": 0, \"v2\": 0}");
    session.execute("INSERT INTO " + t + " JSON ? DEFAULT UNSET", "{\"k\": 0, \"v2\": 2}");
    assertEquals(List.of(j("{'k': 0, 'v1': 0, 'v2': 2}")), json("SELECT JSON * FROM " + t));
    // an explicit null still deletes while the missing column keeps its value
    session.execute("INSERT INTO " + t + " JSON '{\"k\": 0, \"v1\": null}' DEFAULT UNSET");
    assertEquals(List.of(j("{'k': 0, 'v1': null, 'v2': 2}")), json("SELECT JSON * FROM " + t));
    session.execute("INSERT INTO " + t + " JSON '{\"k\": 0}' DEFAULT NULL");
    assertEquals(List.of(j("{'k': 0, 'v1': null, 'v2': null}")), json("SELECT JSON * FROM " + t));
  }

  @Test
  void defaultUnsetKeepsCollectionsAndStatics() {
    String t = newTable("CREATE TABLE %s (k int, c int, s int static, l list<int>, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 1, \"c\": 1, \"s\": 7, \"l\": [1, 2]}");
    session.execute("INSERT INTO " + t + " JSON ? DEFAULT UNSET", "{\"k\": 1, \"c\": 2}");
    assertEquals(List.of(j("{'k': 1, 'c': 1, 's': 7, 'l': [1, 2]}"), j("{'k': 1, 'c': 2, 's': 7, 'l': null}")),
        json("SELECT JSON * FROM " + t));
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 1, \"c\": 1}");
    assertEquals(List.of(j("{'k': 1, 'c': 1, 's': null, 'l': null}"), j("{'k': 1, 'c': 2, 's': null, 'l': null}")),
        json("SELECT JSON * FROM " + t), "DEFAULT NULL clears the static column and the list too");
  }

  @Test
  void keysAreCaseInsensitiveUnlessQuoted() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, \"Foo\" int)");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"K\": 0, \"\\\"Foo\\\"\": 1}");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"\\\"k\\\"\": 1, \"\\\"Foo\\\"\": 2}");
    assertEquals(List.of(j("{'k': 0, '\\'Foo\\'': 1}")), json("SELECT JSON * FROM " + t + " WHERE k = 0"));
    assertEquals(List.of(j("{'k': 1, '\\'Foo\\'': 2}")), json("SELECT JSON * FROM " + t + " WHERE k = 1"));
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"foo\": 0}"),
        "JSON values map contains unrecognized column: foo");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"\\\"foo\\\"\": 0}"),
        "unrecognized column");
  }

  @Test
  void unrecognizedColumn() {
    String t = kv();
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v\": 0, \"zzz\": 0}"),
        "JSON values map contains unrecognized column: zzz");
  }

  @Test
  void missingPrimaryKeyColumns() {
    String t = newTable("CREATE TABLE %s (k int, c int, v int, PRIMARY KEY (k, c))");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"c\": 0, \"v\": 0}"),
        "Invalid null value", "k");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v\": 0}"),
        "Invalid null value", "c");
    assertError(InvalidQueryException.class,
        () -> session.execute("INSERT INTO " + t + " JSON ? DEFAULT UNSET", "{\"k\": 0, \"v\": 0}"), "Invalid unset value", "c");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": null, \"c\": 0}"),
        "Invalid null value", "k");
  }

  @Test
  void nullOrNonObjectJsonIsRefused() {
    String t = kv();
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "null"),
        "Got null for INSERT JSON values");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", (Object) null),
        "Got null for INSERT JSON values");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "\"notamap\""),
        "Could not decode JSON string as a map");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "12.34"),
        "Could not decode JSON string as a map");
  }

  @Test
  void malformedJsonIsRefused() {
    String t = kv();
    for (String bad : List.of("{", "{\"k\": 0,}", "{k: 0}", "{'k': 0}", "", "{\"k\": 01}")) {
      assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", bad),
          "Could not decode JSON string as a map");
    }
  }

  @Test
  void wrongValueTypesNameTheColumn() {
    String t = kv();
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v\": \"notanint\"}"),
        "Error decoding JSON value for v", "Unable to make int from 'notanint'");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v\": 2147483648}"),
        "Expected an int value, but got a Long");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v\": 1.5}"),
        "Expected an int value, but got a Double");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"v\": [1]}"),
        "Expected an int value, but got a ArrayList");
  }

  @Test
  void numbersMayComeAsStrings() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, b bigint, d double, de decimal, vi varint, bo boolean)");
    session.execute("INSERT INTO " + t + " JSON ?",
        "{\"k\": \"1\", \"b\": \"123123123123\", \"d\": \"1.5\", \"de\": \"123123.123123\", \"vi\": \"1234567890123456789012345678901234567890\","
            + " \"bo\": \"fALSe\"}");
    Row r = session.execute("SELECT * FROM " + t).one();
    assertEquals(1, r.getInt("k"));
    assertEquals(123123123123L, r.getLong("b"));
    assertEquals(1.5d, r.getDouble("d"));
    assertEquals(new BigDecimal("123123.123123"), r.getBigDecimal("de"));
    assertEquals(new BigInteger("1234567890123456789012345678901234567890"), r.getBigInteger("vi"));
    assertFalse(r.getBoolean("bo"));
  }

  @Test
  void everyScalarTypeFromJson() throws Exception {
    String t = allTypes();
    session.execute("INSERT INTO " + t + " JSON ?", ALL_TYPES_JSON);
    Row r = session.execute("SELECT * FROM " + t + " WHERE k = 1").one();
    assertEquals("ascii text", r.getString("a"));
    assertEquals(123123123123L, r.getLong("bi"));
    assertEquals(ByteBuffer.wrap(new byte[] {0, 0, 0, 1}), r.getByteBuffer("bl"));
    assertTrue(r.getBoolean("bo"));
    assertEquals(LocalDate.of(1987, 3, 23), r.getLocalDate("d"));
    assertEquals(new BigDecimal("-1.23E-12"), r.getBigDecimal("de"));
    assertEquals(123123.123123d, r.getDouble("db"));
    assertEquals(123.123f, r.getFloat("f"));
    assertEquals(InetAddress.getByName("::1"), r.getInetAddress("i"));
    assertEquals(-123123, r.getInt("n"));
    assertEquals((short) 32767, r.getShort("si"));
    assertEquals((byte) -128, r.getByte("ti"));
    assertEquals("h\u00e9 \"q\" \\ x", r.getString("t"));
    assertEquals(LocalTime.parse("07:35:07.000111222"), r.getLocalTime("tm"));
    assertEquals(Instant.parse("2014-01-01T12:15:45Z"), r.getInstant("ts"));
    assertEquals(UUID.fromString(TIMEUUID), r.getUuid("tu"));
    assertEquals(UUID.fromString(UUID1), r.getUuid("u"));
    assertEquals(new BigInteger("123123123123123123123"), r.getBigInteger("vi"));
    assertEquals(com.datastax.oss.driver.api.core.data.CqlDuration.from("1y1mo2d10h5m"), r.getCqlDuration("du"));
  }

  @Test
  void selectJsonOutputInsertsBackToTheSameRow() {
    String t = allTypes();
    insertAllTypes(t, 1);
    String out = json("SELECT JSON * FROM " + t + " WHERE k = 1").get(0);
    session.execute("DELETE FROM " + t + " WHERE k = 1");
    session.execute("INSERT INTO " + t + " JSON ?", out);
    assertEquals(List.of(out), json("SELECT JSON * FROM " + t + " WHERE k = 1"));
  }

  @Test
  void emptyStringsAndBlobs() {
    String t = newTable("CREATE TABLE %s (id int PRIMARY KEY, name text, name_asc ascii, bytes blob, n int)");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"id\": 0, \"bytes\": \"0x\", \"name\": \"\", \"name_asc\": \"\", \"n\": \"\"}");
    Row r = session.execute("SELECT * FROM " + t + " WHERE id = 0").one();
    assertEquals("", r.getString("name"));
    assertEquals("", r.getString("name_asc"));
    assertEquals(0, r.getByteBuffer("bytes").remaining());
    assertEquals(0, r.getBytesUnsafe("n").remaining(), "an empty string is int's empty value, as in Cassandra");
    assertEquals(List.of(j("{'id': 0, 'bytes': '0x', 'n': '', 'name': '', 'name_asc': ''}")), json("SELECT JSON * FROM " + t));
  }

  @Test
  void collectionsFromJson() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, m map<text, boolean>, mf frozen<map<text, boolean>>, s set<int>,"
        + " sf frozen<set<int>>, l list<int>, lf frozen<list<int>>)");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"m\": {\"a\": true, \"b\": false}, \"mf\": {\"b\": false, \"a\": true},"
        + " \"s\": [3, 1, 2, 1], \"sf\": [3, 1, 2], \"l\": [1, 2, 3, 1], \"lf\": [3, 2]}");
    Row r = session.execute("SELECT * FROM " + t).one();
    assertEquals(Map.of("a", true, "b", false), r.getMap("m", String.class, Boolean.class));
    assertEquals(Map.of("a", true, "b", false), r.getMap("mf", String.class, Boolean.class));
    assertEquals(List.of(1, 2, 3), List.copyOf(r.getSet("s", Integer.class)));
    assertEquals(Set.of(1, 2, 3), r.getSet("sf", Integer.class));
    assertEquals(List.of(1, 2, 3, 1), r.getList("l", Integer.class));
    assertEquals(List.of(3, 2), r.getList("lf", Integer.class));
  }

  @Test
  void collectionErrors() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, s set<int>, m map<text, int>)");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"l\": [null]}"),
        "Invalid null element in list");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"s\": 123}"),
        "Expected a list (representing a set), but got a Integer");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"m\": {\"a\": null}}"),
        "Invalid null value in map");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"m\": [1]}"),
        "Expected a map, but got a ArrayList");
  }

  @Test
  void nonTextMapKeysRoundTrip() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, intmap map<int, boolean>, tuplemap map<frozen<tuple<int, text>>, boolean>,"
        + " setmap map<frozen<set<int>>, boolean>, textsetmap map<frozen<set<text>>, boolean>, floatmap map<float, boolean>,"
        + " decimalmap map<decimal, boolean>)");
    String in = j("{'k': 0, 'decimalmap': {'1.23': true, '4.56': false}, 'floatmap': {'1.23': true, '4.56': false},"
        + " 'intmap': {'0': true, '1': false}, 'setmap': {'[0, 1, 2]': true, '[3, 4, 5]': false},"
        + " 'textsetmap': {'[\\'0\\', \\'1\\']': true, '[\\'3\\', \\'4\\']': false}, 'tuplemap': {'[0, \\'a\\']': true, '[1, \\'b\\']': false}}");
    session.execute("INSERT INTO " + t + " JSON ?", in);
    assertEquals(List.of(in), json("SELECT JSON * FROM " + t));
  }

  @Test
  void tuplesFromJson() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, b tuple<int, boolean>, n frozen<tuple<int, list<text>>>)");
    session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"b\": [0, true], \"n\": [1, [\"x\", \"y\"]]}");
    Row r = session.execute("SELECT b, n FROM " + t).one();
    TupleValue b = r.getTupleValue("b");
    assertEquals(0, b.getInt(0));
    assertTrue(b.getBoolean(1));
    assertEquals(List.of("x", "y"), r.getTupleValue("n").getList(1, String.class));
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"b\": [0]}"),
        "Tuple is missing items");
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " JSON ?", "{\"k\": 0, \"b\": [0, true, 1]}"),
        "Tuple contains extra items");
  }

  @Test
  void usingTtlAndTimestamp() {
    String t = kv();
    session.execute("INSERT INTO " + t + " JSON '{\"k\": 1, \"v\": 1}' USING TTL 1000 AND TIMESTAMP 4242");
    Row r = session.execute("SELECT ttl(v), writetime(v) FROM " + t + " WHERE k = 1").one();
    assertTrue(r.getInt(0) > 990 && r.getInt(0) <= 1000, "ttl " + r.getInt(0));
    assertEquals(4242L, r.getLong(1));
  }

  @Test
  void preparedJsonWithBoundTtlAndTimestamp() {
    String t = kv();
    PreparedStatement p = session.prepare("INSERT INTO " + t + " JSON ? USING TTL ? AND TIMESTAMP ?");
    assertEquals(List.of("[json]", "[ttl]", "[timestamp]"), columnNames(p.getVariableDefinitions()));
    session.execute(p.bind("{\"k\": 2, \"v\": 5}", 500, 77L));
    Row r = session.execute("SELECT v, ttl(v), writetime(v) FROM " + t + " WHERE k = 2").one();
    assertEquals(5, r.getInt(0));
    assertTrue(r.getInt(1) > 490 && r.getInt(1) <= 500);
    assertEquals(77L, r.getLong(2));
    // an older timestamp loses against the stored value
    session.execute(p.bind("{\"k\": 2, \"v\": 6}", 500, 10L));
    assertEquals(List.of(5), ints("SELECT v FROM " + t + " WHERE k = 2"));
  }

  @Test
  void ifNotExistsTakesTheInsertPath() {
    // INSERT JSON ... IF NOT EXISTS must behave exactly like INSERT ... IF NOT EXISTS (whatever LWT support does).
    String t = kv();
    String plain = outcome("INSERT INTO " + t + " (k, v) VALUES (1, 1) IF NOT EXISTS");
    String fromJson = outcome("INSERT INTO " + t + " JSON '{\"k\": 2, \"v\": 1}' IF NOT EXISTS");
    assertEquals(plain, fromJson);
    assertEquals(outcome("INSERT INTO " + t + " (k, v) VALUES (1, 1) IF NOT EXISTS"),
        outcome("INSERT INTO " + t + " JSON '{\"k\": 2, \"v\": 1}' IF NOT EXISTS"), "second attempt");
  }

  private static String outcome(String cql) {
    try {
      Row r = session.execute(cql).one();
      return r == null ? "no row" : "applied=" + r.getBoolean("[applied]");
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  @Test
  void insertJsonInBatches() {
    String t = kv();
    session.execute("BEGIN BATCH INSERT INTO " + t + " JSON '{\"k\": 1, \"v\": 1}'; INSERT INTO " + t
        + " JSON '{\"k\": 2}' DEFAULT UNSET; APPLY BATCH");
    PreparedStatement p = session.prepare("INSERT INTO " + t + " JSON ?");
    session.execute(BatchStatement.newInstance(BatchType.UNLOGGED, p.bind("{\"k\": 3, \"v\": 3}"), p.bind("{\"k\": 4, \"v\": 4}")));
    List<String> rows = json("SELECT JSON * FROM " + t);
    rows.sort(null);
    assertEquals(List.of(j("{'k': 1, 'v': 1}"), j("{'k': 2, 'v': null}"), j("{'k': 3, 'v': 3}"), j("{'k': 4, 'v': 4}")), rows);
  }

  // ---------------------------------------------------------------- fromJson()

  @Test
  void fromJsonInInsertValues() {
    String t = allTypes();
    PreparedStatement p = session.prepare("INSERT INTO " + t + " (k, a, bi, bl, bo, ts, u, vi) VALUES (?, fromJson(?), fromJson(?),"
        + " fromJson(?), fromJson(?), fromJson(?), fromJson(?), fromJson(?))");
    session.execute(p.bind(1, "\"ascii \\\" text\"", "\"123123123123\"", "\"0x00000001\"", "\"false\"", "123123123123",
        "\"" + UUID1.toUpperCase() + "\"", "123"));
    Row r = session.execute("SELECT a, bi, bl, bo, ts, u, vi FROM " + t + " WHERE k = 1").one();
    assertEquals("ascii \" text", r.getString(0));
    assertEquals(123123123123L, r.getLong(1));
    assertEquals(ByteBuffer.wrap(new byte[] {0, 0, 0, 1}), r.getByteBuffer(2));
    assertFalse(r.getBoolean(3));
    assertEquals(Instant.ofEpochMilli(123123123123L), r.getInstant(4));
    assertEquals(UUID.fromString(UUID1), r.getUuid(5));
    assertEquals(BigInteger.valueOf(123), r.getBigInteger(6));
  }

  @Test
  void fromJsonMarkerIsTextNamedAfterTheArgument() {
    String t = kv();
    PreparedStatement p = session.prepare("INSERT INTO " + t + " (k, v) VALUES (?, fromJson(?))");
    assertEquals(List.of("k", "arg0(system.fromjson)"), columnNames(p.getVariableDefinitions()));
    assertEquals(DataTypes.TEXT, p.getVariableDefinitions().get(1).getType());
  }

  @Test
  void fromJsonLiteralAndNulls() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, v) VALUES (1, fromJson('7'))");
    assertEquals(List.of(7), ints("SELECT v FROM " + t + " WHERE k = 1"));
    session.execute("INSERT INTO " + t + " (k, v) VALUES (1, fromJson(null))");
    assertTrue(session.execute("SELECT v FROM " + t + " WHERE k = 1").one().isNull(0));
    session.execute("INSERT INTO " + t + " (k, v) VALUES (2, fromJson('7'))");
    session.execute("INSERT INTO " + t + " (k, v) VALUES (?, fromJson(?))", 2, null);
    assertTrue(session.execute("SELECT v FROM " + t + " WHERE k = 2").one().isNull(0));
    session.execute("INSERT INTO " + t + " (k, v) VALUES (3, fromJson('7'))");
    session.execute("INSERT INTO " + t + " (k, v) VALUES (3, fromJson('null'))");
    assertTrue(session.execute("SELECT v FROM " + t + " WHERE k = 3").one().isNull(0), "the JSON null is a null value");
  }

  @Test
  void fromJsonInUpdateWhereAndDelete() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, a ascii)");
    session.execute("INSERT INTO " + t + " (k, a) VALUES (0, 'x')");
    assertEquals(List.of("x"), column(session.execute("SELECT a FROM " + t + " WHERE k = fromJson(?)", "0"), r -> r.getString(0)));
    session.execute("UPDATE " + t + " SET a = fromJson(?) WHERE k = fromJson(?)", "\"ascii \\\" text\"", "\"0\"");
    assertEquals("ascii \" text", session.execute("SELECT a FROM " + t + " WHERE k = 0").one().getString(0));
    session.execute("DELETE FROM " + t + " WHERE k = fromJson(?)", "0");
    assertNull(session.execute("SELECT a FROM " + t + " WHERE k = 0").one());
  }

  @Test
  void fromJsonCollectionsAndTuples() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, s set<uuid>, m map<ascii, int>, tu frozen<tuple<int, ascii>>)");
    session.execute("INSERT INTO " + t + " (k, l, s, m, tu) VALUES (0, fromJson(?), fromJson(?), fromJson(?), fromJson(?))",
        "[1, 2, 3]", "[\"" + UUID1 + "\", \"" + UUID1 + "\"]", "{\"a\": 1, \"b\": 2}", "[1, null]");
    Row r = session.execute("SELECT l, s, m, tu FROM " + t).one();
    assertEquals(List.of(1, 2, 3), r.getList(0, Integer.class));
    assertEquals(Set.of(UUID.fromString(UUID1)), r.getSet(1, UUID.class));
    assertEquals(Map.of("a", 1, "b", 2), r.getMap(2, String.class, Integer.class));
    assertTrue(r.getTupleValue(3).isNull(1));
    session.execute("INSERT INTO " + t + " (k, l) VALUES (0, fromJson('[]'))");
    assertTrue(session.execute("SELECT l FROM " + t).one().isNull(0), "an empty list is no list");
  }

  @Test
  void fromJsonFailuresAreFunctionFailures() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int, a ascii, bl blob)");
    FunctionFailureException e = assertError(FunctionFailureException.class,
        () -> session.execute("INSERT INTO " + t + " (k, v) VALUES (0, fromJson('dog'))"), "Could not decode JSON string 'dog'");
    assertTrue(e.getMessage().contains("system.fromjson"), e.getMessage());
    assertError(FunctionFailureException.class, () -> session.execute("INSERT INTO " + t + " (k, v) VALUES (?, fromJson(?))", 0, "\"dog\""),
        "Unable to make int from 'dog'");
    assertError(FunctionFailureException.class, () -> session.execute("INSERT INTO " + t + " (k, v) VALUES (?, fromJson(?))", 0, "1.2"),
        "Expected an int value, but got a Double");
    assertError(FunctionFailureException.class, () -> session.execute("INSERT INTO " + t + " (k, v) VALUES (?, fromJson(?))", 0, "2147483648"),
        "Expected an int value");
    assertError(FunctionFailureException.class, () -> session.execute("INSERT INTO " + t + " (k, a) VALUES (?, fromJson(?))", 0, "3"),
        "Expected an ascii string, but got a Integer");
    assertError(FunctionFailureException.class,
        () -> session.execute("INSERT INTO " + t + " (k, a) VALUES (?, fromJson(?))", 0, "\"\u05e9\u05dc\u05d5\u05dd\""),
        "Invalid ASCII character");
    assertError(FunctionFailureException.class, () -> session.execute("INSERT INTO " + t + " (k, bl) VALUES (?, fromJson(?))", 0, "\"123\""),
        "missing 0x prefix");
  }

  @Test
  void fromJsonArityIsChecked() {
    String t = kv();
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, v) VALUES (0, fromJson('1', '2'))",
        "Invalid number of arguments in call to function system.fromjson");
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> strings(Row r, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(r.getString(i));
    }
    return out;
  }

  @Test
  void aZeroDurationIsAnEmptyJsonString() {
    // As a real Cassandra 5 node writes it.
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, d duration)");
    session.execute("INSERT INTO " + t + " (k, d) VALUES (1, 0s)");
    assertEquals("{\"d\": \"\"}", session.execute("SELECT JSON d FROM " + t + " WHERE k = 1").one().getString(0));
  }

}
