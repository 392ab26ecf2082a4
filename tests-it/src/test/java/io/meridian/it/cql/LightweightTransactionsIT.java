package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Lightweight transactions through the Java driver: IF NOT EXISTS, IF EXISTS, IF conditions, the
 * [applied] result with the current values, batches on one partition, SERIAL reads, the errors,
 * and linearizability under concurrent clients.
 */
class LightweightTransactionsIT extends CqlTestSupport {

  /** The values of the single result row, [applied] first. */
  private static List<Object> result(String cql, Object... values) {
    ResultSet rs = session.execute(cql, values);
    List<Row> all = rs.all();
    assertEquals(1, all.size(), "one result row");
    return values(all.get(0));
  }

  private static List<Object> values(Row r) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < r.getColumnDefinitions().size(); i++) {
      out.add(r.getObject(i));
    }
    return out;
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  private static String simple() {
    return newTable("CREATE TABLE %s (k int PRIMARY KEY, v1 int, v2 text, v3 int)");
  }

  private static String clustered() {
    return newTable("CREATE TABLE %s (k int, c int, s int static, v text, PRIMARY KEY (k, c))");
  }

  // ------------------------------------------------------------------ INSERT IF NOT EXISTS

  @Test
  void insertIfNotExistsAppliesOnceAndThenShowsTheExistingRow() {
    String t = simple();
    assertEquals(row(true), result("INSERT INTO " + t + " (k, v1, v2) VALUES (0, 2, 'foo') IF NOT EXISTS"));
    assertEquals(row(false, 0, 2, "foo", null), result("INSERT INTO " + t + " (k, v1, v2) VALUES (0, 5, 'bar') IF NOT EXISTS"));
    assertEquals(row(0, 2, "foo", null), values(session.execute("SELECT * FROM " + t).one()));
  }

  @Test
  void notAppliedResultNamesItsColumns() {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (1, 1)");
    ResultSet rs = session.execute("INSERT INTO " + t + " (k, v1) VALUES (1, 9) IF NOT EXISTS");
    assertEquals(List.of("[applied]", "k", "v1", "v2", "v3"), columnNames(rs.getColumnDefinitions()));
    assertFalse(rs.wasApplied());
  }

  @Test
  void appliedResultHasOnlyTheAppliedColumn() {
    String t = simple();
    ResultSet rs = session.execute("INSERT INTO " + t + " (k, v1) VALUES (1, 1) IF NOT EXISTS");
    assertEquals(List.of("[applied]"), columnNames(rs.getColumnDefinitions()));
    assertTrue(rs.wasApplied());
  }

  @Test
  void insertIfNotExistsOnClusteredRowChecksOnlyThatRow() {
    String t = clustered();
    assertEquals(row(true), result("INSERT INTO " + t + " (k, c, v) VALUES (1, 1, 'a') IF NOT EXISTS"));
    assertEquals(row(true), result("INSERT INTO " + t + " (k, c, v) VALUES (1, 2, 'b') IF NOT EXISTS"));
    assertEquals(row(false, 1, 1, null, "a"), result("INSERT INTO " + t + " (k, c, v) VALUES (1, 1, 'z') IF NOT EXISTS"));
  }

  @Test
  void aRowDeletedOrExpiredDoesNotExist() throws Exception {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (1, 1)");
    session.execute("DELETE FROM " + t + " WHERE k = 1");
    assertEquals(row(true), result("INSERT INTO " + t + " (k, v1) VALUES (1, 2) IF NOT EXISTS"));
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (2, 1) USING TTL 1");
    Thread.sleep(2100);
    assertEquals(row(true), result("INSERT INTO " + t + " (k, v1) VALUES (2, 3) IF NOT EXISTS"));
    assertEquals(3, session.execute("SELECT v1 FROM " + t + " WHERE k = 2").one().getInt(0));
  }

  @Test
  void insertIfNotExistsWithTtl() {
    String t = simple();
    assertEquals(row(true), result("INSERT INTO " + t + " (k, v1) VALUES (1, 1) IF NOT EXISTS USING TTL 1000"));
    int ttl = session.execute("SELECT ttl(v1) FROM " + t + " WHERE k = 1").one().getInt(0);
    assertTrue(ttl > 990 && ttl <= 1000, "ttl " + ttl);
  }

  @Test
  void preparedInsertIfNotExists() {
    String t = simple();
    PreparedStatement ps = session.prepare("INSERT INTO " + t + " (k, v1) VALUES (?, ?) IF NOT EXISTS");
    assertTrue(session.execute(ps.bind(1, 10)).wasApplied());
    ResultSet second = session.execute(ps.bind(1, 20));
    assertFalse(second.wasApplied());
    assertEquals(10, second.one().getInt("v1"));
  }

  // ------------------------------------------------------------------ UPDATE IF

  @Test
  void simpleCompareAndSet() {
    String t = newTable("CREATE TABLE %s (tkn int PRIMARY KEY, consumed boolean)");
    for (int i = 0; i < 5; i++) {
      session.execute("INSERT INTO " + t + " (tkn, consumed) VALUES (?, false)", i);
      assertEquals(row(true), result("UPDATE " + t + " SET consumed = true WHERE tkn = ? IF consumed = ?", i, false));
      assertEquals(row(false, true), result("UPDATE " + t + " SET consumed = true WHERE tkn = ? IF consumed = ?", i, false));
    }
  }

  @Test
  void conditionsOnAMissingRowShowOnlyApplied() {
    String t = simple();
    assertEquals(row(false), result("UPDATE " + t + " SET v1 = 3 WHERE k = 0 IF v1 = ?", 4));
    assertEquals(row(false), result("UPDATE " + t + " SET v1 = 3 WHERE k = 0 IF v1 IN (?, ?)", 1, 2));
    assertEquals(row(false), result("UPDATE " + t + " SET v1 = 3 WHERE k = 0 IF v1 IN ?", List.of(1, 2)));
    assertEquals(row(false), result("UPDATE " + t + " SET v1 = 3 WHERE k = 0 IF EXISTS"));
    assertTrue(session.execute("SELECT * FROM " + t).all().isEmpty());
  }

  @Test
  void conditionalUpdateSequence() {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1, v2) VALUES (0, 2, 'foo')");
    assertEquals(row(false, 2), result("UPDATE " + t + " SET v1 = 3, v2 = 'bar' WHERE k = 0 IF v1 = ?", 4));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'bar', v1 = 3 WHERE k = 0 IF v1 = ?", 2));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'bar', v1 = 2 WHERE k = 0 IF v1 IN (?, ?)", 2, 3));
    assertEquals(row(true), result("UPDATE " + t + " SET v1 = 3 WHERE k = 0 IF v1 IN ?", List.of(2, 3)));
    assertEquals(row(true), result("UPDATE " + t + " SET v1 = 3 WHERE k = 0 IF EXISTS"));
    assertEquals(row(false, 3, "bar"), result("UPDATE " + t + " SET v1 = 5 WHERE k = 0 IF v1 = ? AND v2 = ?", 3, "foo"));
    assertEquals(row(true), result("UPDATE " + t + " SET v1 = 5, v2 = 'foobar' WHERE k = 0 IF v1 = 3 AND v2 = 'bar'"));
    assertEquals(row(0, 5, "foobar", null), values(session.execute("SELECT * FROM " + t).one()));
  }

  @Test
  void nonEqualityConditions() {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1, v2) VALUES (0, 2, 'foo')");
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 < ?", 3));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 <= ?", 2));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 > ?", 1));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 >= ?", 2));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 != ?", 1));
    assertEquals(row(false, 2), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 != ?", 2));
    assertEquals(row(false, 2), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 > ?", 2));
    assertEquals(row(false, 2), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 IN ()"));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 IN (0, 1, 2)"));
    assertEquals(row(true), result("UPDATE " + t + " SET v2 = 'y' WHERE k = 0 IF v2 > 'a'"));
  }

  @Test
  void nullSemanticsInConditions() {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (0, 1)");
    assertEquals(row(true), result("UPDATE " + t + " SET v1 = 2 WHERE k = 0 IF v3 = null"));
    assertEquals(row(true), result("UPDATE " + t + " SET v1 = 3 WHERE k = 0 IF v3 IN (5, null)"));
    assertEquals(row(false, null), result("UPDATE " + t + " SET v1 = 4 WHERE k = 0 IF v3 IN (5, 6)"));
    assertEquals(row(true), result("UPDATE " + t + " SET v1 = 5 WHERE k = 0 IF v3 != 5"));
    for (String op : List.of(">", "<", ">=", "<=", "=")) {
      assertEquals(row(false, null), result("UPDATE " + t + " SET v1 = 9 WHERE k = 0 IF v3 " + op + " 3"), op);
    }
    assertEquals(row(false, 5), result("UPDATE " + t + " SET v1 = 9 WHERE k = 0 IF v1 = null"));
    assertEquals(5, session.execute("SELECT v1 FROM " + t + " WHERE k = 0").one().getInt(0));
  }

  @Test
  void comparisonWithNullIsAnError() {
    String t = simple();
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v1 = 1 WHERE k = 0 IF v1 > null", "comparison with null");
  }

  @Test
  void unsetConditionValueIsAnError() {
    String t = simple();
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET v1 = 1 WHERE k = 0 IF v1 = ?");
    assertError(InvalidQueryException.class, () -> session.execute(ps.bind().unset(0)), "unset", "condition");
    PreparedStatement lt = session.prepare("UPDATE " + t + " SET v1 = 1 WHERE k = 0 IF v1 < ?");
    assertError(InvalidQueryException.class, () -> session.execute(lt.bind().unset(0)), "unset", "condition");
  }

  @Test
  void unsetCandidateInInIsSkipped() {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (0, 2)");
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET v2 = 'x' WHERE k = 0 IF v1 IN (?, ?)");
    assertEquals(row(false, 2), values(session.execute(ps.bind().unset(0).setInt(1, 1)).one()));
    assertEquals(row(true), values(session.execute(ps.bind().unset(0).setInt(1, 2)).one()));
  }

  @Test
  void conditionOnExpiredValueSeesNull() throws Exception {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int, lock boolean)");
    session.execute("INSERT INTO " + t + " (k, v, lock) VALUES (0, 0, false)");
    session.execute("UPDATE " + t + " USING TTL 1 SET lock = true WHERE k = 0");
    Thread.sleep(2100);
    assertEquals(row(true), result("UPDATE " + t + " SET v = 1 WHERE k = 0 IF lock = null"));
  }

  @Test
  void updateIfExists() {
    String t = simple();
    assertEquals(row(false), result("UPDATE " + t + " SET v1 = 1 WHERE k = 5 IF EXISTS"));
    assertTrue(session.execute("SELECT * FROM " + t + " WHERE k = 5").all().isEmpty(), "not applied writes nothing");
    session.execute("INSERT INTO " + t + " (k) VALUES (5)");
    assertEquals(row(true), result("UPDATE " + t + " SET v1 = 1 WHERE k = 5 IF EXISTS"));
    assertEquals(1, session.execute("SELECT v1 FROM " + t + " WHERE k = 5").one().getInt(0));
  }

  @Test
  void preparedConditionsDescribeTheirMarkers() {
    String t = simple();
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET v2 = ? WHERE k = ? IF v1 = ? AND v3 IN ?");
    List<String> names = new ArrayList<>();
    ps.getVariableDefinitions().forEach(d -> names.add(d.getName().asInternal()));
    assertEquals(List.of("v2", "k", "v1", "in(v3)"), names);
    session.execute("INSERT INTO " + t + " (k, v1, v3) VALUES (1, 7, 8)");
    assertTrue(session.execute(ps.bind("z", 1, 7, List.of(8, 9))).wasApplied());
    assertFalse(session.execute(ps.bind("w", 1, 7, List.of(1))).wasApplied());
    assertEquals("z", session.execute("SELECT v2 FROM " + t + " WHERE k = 1").one().getString(0));
  }

  // ------------------------------------------------------------------ collections and element conditions

  @Test
  void listElementUpdateUnderACondition() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v text, l list<text>)");
    session.execute("INSERT INTO " + t + " (k, v, l) VALUES (0, 'foobar', ['foi', 'bar'])");
    assertEquals(row(false, "foobar"), result("UPDATE " + t + " SET l[0] = 'foo' WHERE k = 0 IF v = 'barfoo'"));
    assertEquals(row(true), result("UPDATE " + t + " SET l[0] = 'foo' WHERE k = 0 IF v = 'foobar'"));
    assertEquals(List.of("foo", "bar"), session.execute("SELECT l FROM " + t + " WHERE k = 0").one().getList(0, String.class));
  }

  @Test
  void elementConditionsOnListsAndMaps() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, m map<text, int>, v int)");
    session.execute("INSERT INTO " + t + " (k, l, m) VALUES (0, [10, 20], {'a': 1})");
    assertEquals(row(true), result("UPDATE " + t + " SET v = 1 WHERE k = 0 IF l[1] = 20"));
    assertEquals(row(false, List.of(10, 20)), result("UPDATE " + t + " SET v = 2 WHERE k = 0 IF l[0] = 20"));
    assertEquals(row(true), result("UPDATE " + t + " SET v = 3 WHERE k = 0 IF l[5] = null"));
    assertEquals(row(true), result("UPDATE " + t + " SET v = 4 WHERE k = 0 IF m['a'] = 1"));
    assertEquals(row(true), result("UPDATE " + t + " SET v = 5 WHERE k = 0 IF m['zz'] = null"));
    assertEquals(row(false, Map.of("a", 1)), result("UPDATE " + t + " SET v = 6 WHERE k = 0 IF m['a'] > 1"));
    assertEquals(5, session.execute("SELECT v FROM " + t + " WHERE k = 0").one().getInt(0));
  }

  @Test
  void wholeCollectionAndContainsConditions() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, s set<text>, m map<text, int>, v int)");
    session.execute("INSERT INTO " + t + " (k, s, m) VALUES (0, {'x', 'y'}, {'a': 1})");
    assertEquals(row(true), result("UPDATE " + t + " SET v = 1 WHERE k = 0 IF s = {'y', 'x'}"));
    assertEquals(row(true), result("UPDATE " + t + " SET v = 2 WHERE k = 0 IF s CONTAINS 'x'"));
    assertEquals(row(false, Set.of("x", "y")), result("UPDATE " + t + " SET v = 3 WHERE k = 0 IF s CONTAINS 'q'"));
    assertEquals(row(true), result("UPDATE " + t + " SET v = 4 WHERE k = 0 IF m CONTAINS KEY 'a'"));
    assertEquals(row(true), result("UPDATE " + t + " SET v = 5 WHERE k = 0 IF m CONTAINS 1"));
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 1 WHERE k = 0 IF v CONTAINS 1", "CONTAINS", "non-collection");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 1 WHERE k = 0 IF s CONTAINS KEY 'x'", "CONTAINS KEY");
  }

  @Test
  void userTypeFieldConditions() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".addr (street text, zip int)");
    String t = ks + ".people";
    session.execute("CREATE TABLE " + t + " (k int PRIMARY KEY, u addr, f frozen<addr>, v int)");
    session.execute("INSERT INTO " + t + " (k, u, f) VALUES (1, {street: 'Main', zip: 10}, {street: 'Side', zip: 20})");
    assertEquals(row(true), result("UPDATE " + t + " SET v = 1 WHERE k = 1 IF u.zip = 10"));
    assertEquals(row(true), result("UPDATE " + t + " SET v = 2 WHERE k = 1 IF f.street = 'Side' AND u.street > 'A'"));
    ResultSet refused = session.execute("UPDATE " + t + " SET v = 3 WHERE k = 1 IF f.zip = 99");
    assertFalse(refused.wasApplied());
    assertEquals(20, refused.one().getUdtValue("f").getInt("zip"), "the refused row shows the whole value");
    assertEquals(row(true), result("UPDATE " + t + " SET u.zip = 11 WHERE k = 1 IF u.zip = 10"));
    assertEquals(row(false, session.execute("SELECT u FROM " + t + " WHERE k = 1").one().getUdtValue(0)),
        result("UPDATE " + t + " SET v = 4 WHERE k = 1 IF u.zip = 10"));
    assertEquals(2, session.execute("SELECT v FROM " + t + " WHERE k = 1").one().getInt(0));
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 5 WHERE k = 1 IF u.nope = 1", "nope");
  }

  // ------------------------------------------------------------------ DELETE IF

  @Test
  void deleteIfExists() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v1 int)");
    assertEquals(row(false), result("DELETE FROM " + t + " WHERE k = 1 IF EXISTS"));
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (1, 2)");
    assertEquals(row(true), result("DELETE FROM " + t + " WHERE k = 1 IF EXISTS"));
    assertTrue(session.execute("SELECT * FROM " + t + " WHERE k = 1").all().isEmpty());
    assertEquals(row(false), result("DELETE FROM " + t + " WHERE k = 1 IF EXISTS"));
  }

  @Test
  void deleteColumnIfExistsKeepsTheRow() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v1 int)");
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (3, 2)");
    assertEquals(row(true), result("DELETE v1 FROM " + t + " WHERE k = 3 IF EXISTS"));
    assertEquals(row(3, null), values(session.execute("SELECT * FROM " + t + " WHERE k = 3").one()));
    assertEquals(row(true), result("DELETE v1 FROM " + t + " WHERE k = 3 IF EXISTS"));
    assertEquals(row(true), result("DELETE FROM " + t + " WHERE k = 3 IF EXISTS"));
  }

  @Test
  void conditionalDeletes() {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1, v2) VALUES (0, 5, 'foobar')");
    assertEquals(row(false, 5), result("DELETE v2 FROM " + t + " WHERE k = 0 IF v1 = ?", 3));
    assertEquals(row(false, 5), result("DELETE v2 FROM " + t + " WHERE k = 0 IF v1 = ?", (Object) null));
    assertEquals(row(true), result("DELETE v2 FROM " + t + " WHERE k = 0 IF v1 = ?", 5));
    assertEquals(row(0, 5, null, null), values(session.execute("SELECT * FROM " + t).one()));
    assertEquals(row(false, null), result("DELETE v1 FROM " + t + " WHERE k = 0 IF v3 = ?", 4));
    assertEquals(row(true), result("DELETE v1 FROM " + t + " WHERE k = 0 IF v3 = ?", (Object) null));
    assertEquals(row(true), result("DELETE FROM " + t + " WHERE k = 0 IF v1 = ?", (Object) null));
    assertTrue(session.execute("SELECT * FROM " + t).all().isEmpty());
    assertEquals(row(true), result("DELETE FROM " + t + " WHERE k = 0 IF v1 IN (?)", (Object) null));
  }

  // ------------------------------------------------------------------ static columns

  @Test
  void staticConditionsAndResults() {
    String t = newTable("CREATE TABLE %s (k text, s text static, i int, v text, PRIMARY KEY (k, i))");
    session.execute("INSERT INTO " + t + " (k, s, i, v) VALUES ('k', 's', 0, 'v')");
    assertEquals(row(true), result("DELETE v FROM " + t + " WHERE k = 'k' AND i = 0 IF EXISTS"));
    assertEquals(row(true), result("DELETE FROM " + t + " WHERE k = 'k' AND i = 0 IF EXISTS"));
    assertEquals(row("k", null, "s", null), values(session.execute("SELECT * FROM " + t).one()));
    assertEquals(row(false, "s"), result("DELETE v FROM " + t + " WHERE k = 'k' AND i = 0 IF s = 'z'"));
    assertEquals(row(false), result("DELETE v FROM " + t + " WHERE k = 'k' AND i = 0 IF v = 'z'"));
    assertEquals(row(false, null, "s"), result("DELETE v FROM " + t + " WHERE k = 'k' AND i = 0 IF v = 'z' AND s = 'z'"));
    assertEquals(row(false), result("DELETE v FROM " + t + " WHERE k = 'k' AND i = 0 IF EXISTS"));
  }

  @Test
  void staticOnlyUpdatesWithConditions() {
    String t = newTable("CREATE TABLE %s (a int, b int, s int static, d text, PRIMARY KEY (a, b))");
    assertEquals(row(true), result("UPDATE " + t + " SET s = 1 WHERE a = 1 IF s = NULL"));
    assertEquals(row(1, 1, null), values(session.execute("SELECT a, s, d FROM " + t + " WHERE a = 1").one()));
    assertEquals(row(true), result("UPDATE " + t + " SET s = 2 WHERE a = 2 IF s IN (10, 20, NULL)"));
    assertEquals(row(true), result("UPDATE " + t + " SET s = 4 WHERE a = 4 IF s != 4"));
    assertEquals(row(false), result("UPDATE " + t + " SET s = 3 WHERE a = 3 IF s IN ?", List.of(10, 20, 30)));
    assertTrue(session.execute("SELECT * FROM " + t + " WHERE a = 3").all().isEmpty());
    assertEquals(row(false, 1), result("UPDATE " + t + " SET s = 9 WHERE a = 1 IF s > 5"));
  }

  @Test
  void staticConditionWithRowsButNoStaticValue() {
    String t = newTable("CREATE TABLE %s (a int, b int, s int static, d int, PRIMARY KEY (a, b))");
    session.execute("INSERT INTO " + t + " (a, b) VALUES (3, 1)");
    session.execute("INSERT INTO " + t + " (a, b) VALUES (3, 2)");
    assertEquals(row(true), result("UPDATE " + t + " SET s = 100 WHERE a = 3 IF s = NULL"));
    List<Row> rows = session.execute("SELECT a, b, s, d FROM " + t + " WHERE a = 3").all();
    assertEquals(row(3, 1, 100, null), values(rows.get(0)));
    assertEquals(row(3, 2, 100, null), values(rows.get(1)));
  }

  @Test
  void deleteStaticColumnWithConditionOnAnotherStatic() {
    String t = newTable("CREATE TABLE %s (a int, b int, s1 int static, s2 int static, v int, PRIMARY KEY (a, b))");
    session.execute("INSERT INTO " + t + " (a, b, s1, s2, v) VALUES (1, 1, 1, null, 1)");
    assertEquals(row(true), result("DELETE s1 FROM " + t + " WHERE a = 1 IF s2 = ?", (Object) null));
    assertEquals(row(1, 1, null, null, 1), values(session.execute("SELECT * FROM " + t + " WHERE a = 1").one()));
    session.execute("INSERT INTO " + t + " (a, b, s1, s2, v) VALUES (2, 2, 2, null, 2)");
    assertEquals(row(false, null), result("DELETE s1 FROM " + t + " WHERE a = 2 IF s2 IN ?", List.of(10, 20, 30)));
  }

  @Test
  void notAppliedColumnsListRegularConditionsBeforeStaticOnes() {
    // Checked against a real Cassandra 5 node: regular columns in condition order, then statics.
    String t = newTable("CREATE TABLE %s (k int, c int, s int static, v int, w int, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c, s, v, w) VALUES (1, 1, 5, 6, 7)");
    ResultSet first = session.execute("UPDATE " + t + " SET v = 0 WHERE k = 1 AND c = 1 IF s = 1 AND v = 1");
    assertEquals(List.of("[applied]", "v", "s"), columnNames(first.getColumnDefinitions()));
    assertEquals(row(false, 6, 5), values(first.one()));
    ResultSet second = session.execute("UPDATE " + t + " SET v = 0 WHERE k = 1 AND c = 1 IF w = 1 AND v = 1");
    assertEquals(List.of("[applied]", "w", "v"), columnNames(second.getColumnDefinitions()));
    assertEquals(row(false, 7, 6), values(second.one()));
  }

  @Test
  void refusedBatchRowsComeInClusteringOrder() {
    String t = newTable("CREATE TABLE %s (k int, c int, v int, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 1, 3)");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 2, 4)");
    List<Row> rows = session.execute("BEGIN BATCH UPDATE " + t + " SET v = 1 WHERE k = 1 AND c = 2 IF v = 6; "
        + "UPDATE " + t + " SET v = 1 WHERE k = 1 AND c = 1 IF v = 5; APPLY BATCH").all();
    assertEquals(row(false, 1, 1, 3), values(rows.get(0)));
    assertEquals(row(false, 1, 2, 4), values(rows.get(1)));
  }

  // ------------------------------------------------------------------ errors

  @Test
  void statementShapeErrors() {
    String t = clustered();
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 'A' WHERE k = 0 AND c IN (1, 2) IF EXISTS",
        "IN on the clustering key columns is not supported with conditional updates");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 'A' WHERE k IN (0, 1) AND c = 1 IF EXISTS",
        "IN on the partition key is not supported with conditional updates");
    assertError(InvalidQueryException.class, "DELETE FROM " + t + " WHERE k = 0 AND c IN (0, 1) IF v = 'foo'",
        "IN on the clustering key columns is not supported with conditional deletions");
    assertError(InvalidQueryException.class, "DELETE FROM " + t + " WHERE k = 0 IF EXISTS",
        "must restrict all PRIMARY KEY columns");
    assertError(InvalidQueryException.class, "DELETE FROM " + t + " WHERE k = 0 AND c > 0 IF v = 'foo'",
        "must restrict all PRIMARY KEY columns");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 'x' WHERE k = 0 AND c = 0 IF c = 1",
        "PRIMARY KEY column 'c' cannot have IF conditions");
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, c, v) VALUES (0, 0, 'x') IF NOT EXISTS USING TIMESTAMP 5",
        "Cannot provide custom timestamp for conditional updates");
  }

  @Test
  void durationSlicesAreRefusedButEqualityWorks() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int, d duration)");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 3 WHERE k = 0 IF d > 1s",
        "Slice conditions ( > ) are not supported on durations");
    session.execute("INSERT INTO " + t + " (k, v, d) VALUES (1, 1, 2s)");
    assertFalse(session.execute("UPDATE " + t + " SET v = 4 WHERE k = 1 IF d = 1s").wasApplied());
    assertTrue(session.execute("UPDATE " + t + " SET v = 3 WHERE k = 1 IF d = 2s").wasApplied());
    assertTrue(session.execute("UPDATE " + t + " SET v = 6 WHERE k = 1 IF d IN (1s, 2s)").wasApplied());
  }

  @Test
  void counterTablesRefuseConditions() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, c counter)");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET c = c + 1 WHERE k = 0 IF EXISTS",
        "Conditional updates are not supported on counter tables");
  }

  @Test
  void serialConsistencyForANonConditionalWriteIsRefused() {
    String t = simple();
    SimpleStatement s = SimpleStatement.newInstance("INSERT INTO " + t + " (k, v1) VALUES (1, 1)")
        .setConsistencyLevel(ConsistencyLevel.SERIAL);
    assertError(InvalidQueryException.class, () -> session.execute(s), "conditional updates for serializable writes");
  }

  // ------------------------------------------------------------------ batches

  @Test
  void batchWithConditionsAppliesAllOrNothing() {
    String t = clustered();
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 1, 'a')");
    String applied = "BEGIN BATCH "
        + "UPDATE " + t + " SET v = 'b' WHERE k = 1 AND c = 1 IF v = 'a'; "
        + "INSERT INTO " + t + " (k, c, v) VALUES (1, 2, 'new'); "
        + "APPLY BATCH";
    assertEquals(row(true), result(applied));
    assertEquals(List.of("b", "new"), column(session.execute("SELECT v FROM " + t + " WHERE k = 1"), r -> r.getString(0)));
    String refused = "BEGIN BATCH "
        + "UPDATE " + t + " SET v = 'c' WHERE k = 1 AND c = 1 IF v = 'a'; "
        + "INSERT INTO " + t + " (k, c, v) VALUES (1, 3, 'never'); "
        + "APPLY BATCH";
    ResultSet rs = session.execute(refused);
    assertFalse(rs.wasApplied());
    assertEquals(List.of("[applied]", "k", "c", "v"), columnNames(rs.getColumnDefinitions()));
    assertEquals(row(false, 1, 1, "b"), values(rs.one()));
    assertEquals(2, session.execute("SELECT * FROM " + t + " WHERE k = 1").all().size(), "nothing of a refused batch is written");
  }

  @Test
  void batchConditionsAreCheckedBeforeItsWrites() {
    String t = newTable("CREATE TABLE %s (a int, b int, s int static, d text, PRIMARY KEY (a, b))");
    for (int i = 1; i <= 3; i++) {
      session.execute("INSERT INTO " + t + " (a, b) VALUES (?, ?)", i, i);
    }
    assertEquals(row(true), result("BEGIN BATCH INSERT INTO " + t + " (a, b, d) VALUES (2, 2, 'a'); "
        + "UPDATE " + t + " SET s = 2 WHERE a = 2 IF s = null; APPLY BATCH"));
    assertEquals(row(2, 2, 2, "a"), values(session.execute("SELECT * FROM " + t + " WHERE a = 2").one()));
    assertEquals(row(false, 3, 3, null), result("BEGIN BATCH INSERT INTO " + t + " (a, b, s, d) VALUES (3, 3, 40, 'a'); "
        + "UPDATE " + t + " SET s = 30 WHERE a = 3 IF s > 5; APPLY BATCH"));
    assertEquals(row(3, 3, null, null), values(session.execute("SELECT * FROM " + t + " WHERE a = 3").one()));
  }

  @Test
  void batchOnAnEmptyPartitionShowsOnlyApplied() {
    String t = newTable("CREATE TABLE %s (a int, b int, s int static, d text, PRIMARY KEY (a, b))");
    assertEquals(row(false), result("BEGIN BATCH INSERT INTO " + t + " (a, b, s, d) VALUES (6, 6, 6, 'a'); "
        + "UPDATE " + t + " SET s = 7 WHERE a = 6 IF s IN (1, 2, 3); APPLY BATCH"));
    assertTrue(session.execute("SELECT * FROM " + t + " WHERE a = 6").all().isEmpty());
  }

  @Test
  void batchOfSeveralInsertsIfNotExistsOnOneRow() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v1 text, v2 text)");
    assertEquals(row(true), result("BEGIN BATCH INSERT INTO " + t + " (k, v1) VALUES (0, 'foo') IF NOT EXISTS; "
        + "INSERT INTO " + t + " (k, v2) VALUES (0, 'bar') IF NOT EXISTS; APPLY BATCH"));
    assertEquals(row(0, "foo", "bar"), values(session.execute("SELECT * FROM " + t + " WHERE k = 0").one()));
    assertEquals(row(true), result("BEGIN BATCH DELETE FROM " + t + " WHERE k = 0 IF EXISTS; "
        + "DELETE FROM " + t + " WHERE k = 0 IF EXISTS; APPLY BATCH"));
    assertTrue(session.execute("SELECT * FROM " + t + " WHERE k = 0").all().isEmpty());
  }

  @Test
  void batchRuleErrors() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v1 text, v2 text)");
    assertError(InvalidQueryException.class, "BEGIN BATCH INSERT INTO " + t + " (k, v1) VALUES (1, 'foo') IF NOT EXISTS; "
        + "DELETE FROM " + t + " WHERE k = 1 IF EXISTS; APPLY BATCH", "Cannot mix IF EXISTS and IF NOT EXISTS");
    assertError(InvalidQueryException.class, "BEGIN BATCH INSERT INTO " + t + " (k, v1) VALUES (1, 'foo') IF NOT EXISTS; "
        + "UPDATE " + t + " SET v2 = 'bar' WHERE k = 1 IF v1 = 'foo'; APPLY BATCH", "Cannot mix IF conditions and IF NOT EXISTS");
    assertError(InvalidQueryException.class, "BEGIN BATCH UPDATE " + t + " SET v1 = 'a' WHERE k = 1 IF EXISTS; "
        + "UPDATE " + t + " SET v1 = 'b' WHERE k = 2 IF EXISTS; APPLY BATCH", "cannot span multiple partitions");
    assertError(InvalidQueryException.class, "BEGIN BATCH USING TIMESTAMP 10 UPDATE " + t + " SET v1 = 'a' WHERE k = 1 IF EXISTS; "
        + "APPLY BATCH", "Cannot provide custom timestamp for conditional BATCH");
  }

  @Test
  void driverBatchMessageWithConditions() {
    String t = clustered();
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS");
    PreparedStatement plain = session.prepare("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?)");
    BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED, insert.bind(7, 1, "x"), plain.bind(7, 2, "y"));
    assertTrue(session.execute(batch).wasApplied());
    BatchStatement again = BatchStatement.newInstance(DefaultBatchType.LOGGED, insert.bind(7, 1, "z"), plain.bind(7, 3, "w"));
    ResultSet rs = session.execute(again);
    assertFalse(rs.wasApplied());
    assertEquals("x", rs.one().getString("v"));
    assertEquals(2, session.execute("SELECT * FROM " + t + " WHERE k = 7").all().size());
  }

  // ------------------------------------------------------------------ SERIAL reads and linearizability

  @Test
  void serialReadOfOnePartition() {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (1, 1) IF NOT EXISTS");
    for (ConsistencyLevel cl : List.of(ConsistencyLevel.SERIAL, ConsistencyLevel.LOCAL_SERIAL)) {
      Row r = session.execute(SimpleStatement.newInstance("SELECT v1 FROM " + t + " WHERE k = 1").setConsistencyLevel(cl)).one();
      assertEquals(1, r.getInt(0));
    }
    SimpleStatement range = SimpleStatement.newInstance("SELECT * FROM " + t).setConsistencyLevel(ConsistencyLevel.SERIAL);
    assertError(InvalidQueryException.class, () -> session.execute(range), "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition");
  }

  @Test
  void concurrentCompareAndSetIsLinearizable() throws Exception {
    String t = simple();
    session.execute("INSERT INTO " + t + " (k, v1) VALUES (0, 0)");
    PreparedStatement cas = session.prepare("UPDATE " + t + " SET v1 = ? WHERE k = 0 IF v1 = ?");
    int clients = 8;
    int attempts = 60;
    // Each client repeatedly tries to move the value from what it read to what it read + 1.
    Set<Integer> won = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    try (CqlSession second = session()) {
      for (int c = 0; c < clients; c++) {
        CqlSession s = c % 2 == 0 ? session : second;
        all.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < attempts; i++) {
            int seen = s.execute(SimpleStatement.newInstance("SELECT v1 FROM " + t + " WHERE k = 0")
                .setConsistencyLevel(ConsistencyLevel.SERIAL)).one().getInt(0);
            ResultSet rs = s.execute(cas.bind(seen + 1, seen));
            if (rs.wasApplied()) {
              assertTrue(won.add(seen + 1), "two clients both moved the value to " + (seen + 1));
            } else {
              int now = rs.one().getInt("v1");
              assertTrue(now > seen, "a refused CAS reports the newer value " + now + " over " + seen);
            }
          }
        }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    }
    int finalValue = session.execute("SELECT v1 FROM " + t + " WHERE k = 0").one().getInt(0);
    assertEquals(won.size(), finalValue, "every successful CAS moved the value exactly one step");
    Set<Integer> expected = new HashSet<>();
    for (int i = 1; i <= finalValue; i++) {
      expected.add(i);
    }
    assertEquals(expected, won);
  }

  @Test
  void insertIfNotExistsRaceHasExactlyOneWinner() throws Exception {
    String t = simple();
    PreparedStatement ps = session.prepare("INSERT INTO " + t + " (k, v1) VALUES (?, ?) IF NOT EXISTS");
    for (int key = 0; key < 20; key++) {
      List<CompletionStage<com.datastax.oss.driver.api.core.cql.AsyncResultSet>> tries = new ArrayList<>();
      for (int client = 0; client < 6; client++) {
        tries.add(session.executeAsync(ps.bind(key, client)));
      }
      int winners = 0;
      Integer winner = null;
      for (var f : tries) {
        var rs = f.toCompletableFuture().get();
        if (rs.wasApplied()) {
          winners++;
          winner = tries.indexOf(f);
        }
      }
      assertEquals(1, winners, "key " + key);
      assertEquals(winner, session.execute("SELECT v1 FROM " + t + " WHERE k = ?", key).one().getInt(0));
    }
  }
}
