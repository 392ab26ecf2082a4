package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.TupleType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** list, set, map (frozen and not), tuples: DDL, literals, bind values, element operations, filters. */
class CollectionsIT extends CqlTestSupport {

  private static String collections() {
    return newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>,"
        + " fl frozen<list<int>>, fs frozen<set<text>>, fm frozen<map<text, int>>, tu tuple<int, text>)");
  }

  private static Row row(String t, int k) {
    return session.execute("SELECT * FROM " + t + " WHERE k = ?", k).one();
  }

  private static List<Integer> list(String t, int k) {
    return row(t, k).getList("l", Integer.class);
  }

  private static Set<String> set(String t, int k) {
    return row(t, k).getSet("s", String.class);
  }

  private static Map<String, Integer> map(String t, int k) {
    return row(t, k).getMap("m", String.class, Integer.class);
  }

  @Test
  void literalsRoundTripForEveryKind() {
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, l, s, m, fl, fs, fm, tu) VALUES (1, [3, 1, 3], {'b', 'a', 'b'},"
        + " {'y': 2, 'x': 1}, [9, 8], {'z', 'w'}, {'q': 5}, (7, 'seven'))");
    Row r = row(t, 1);
    assertEquals(List.of(3, 1, 3), r.getList("l", Integer.class), "list keeps order and duplicates");
    assertEquals(List.of("a", "b"), List.copyOf(r.getSet("s", String.class)), "set is sorted and distinct");
    assertEquals(List.of("x", "y"), List.copyOf(r.getMap("m", String.class, Integer.class).keySet()), "map sorted by key");
    assertEquals(2, r.getMap("m", String.class, Integer.class).get("y"));
    assertEquals(List.of(9, 8), r.getList("fl", Integer.class));
    assertEquals(List.of("w", "z"), List.copyOf(r.getSet("fs", String.class)));
    assertEquals(Map.of("q", 5), r.getMap("fm", String.class, Integer.class));
    TupleValue tu = r.getTupleValue("tu");
    assertEquals(7, tu.getInt(0));
    assertEquals("seven", tu.getString(1));
  }

  @Test
  void preparedRoundTripForEveryKind() {
    String t = collections();
    PreparedStatement p = session.prepare("INSERT INTO " + t + " (k, l, s, m, fl, fs, fm, tu) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    assertEquals(DataTypes.listOf(DataTypes.INT), p.getVariableDefinitions().get("l").getType());
    assertEquals(DataTypes.mapOf(DataTypes.TEXT, DataTypes.INT, true), p.getVariableDefinitions().get("fm").getType());
    TupleType tupleType = DataTypes.tupleOf(DataTypes.INT, DataTypes.TEXT);
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("b", 2);
    m.put("a", 1);
    session.execute(p.bind(1, List.of(5, 4), new LinkedHashSet<>(List.of("y", "x")), m, List.of(1), Set.of("f"),
        Map.of("g", 7), tupleType.newValue(3, "three")));
    Row r = row(t, 1);
    assertEquals(List.of(5, 4), r.getList("l", Integer.class));
    assertEquals(List.of("x", "y"), List.copyOf(r.getSet("s", String.class)));
    assertEquals(List.of("a", "b"), List.copyOf(r.getMap("m", String.class, Integer.class).keySet()));
    assertEquals(List.of(1), r.getList("fl", Integer.class));
    assertEquals(Set.of("f"), r.getSet("fs", String.class));
    assertEquals(Map.of("g", 7), r.getMap("fm", String.class, Integer.class));
    assertEquals("three", r.getTupleValue("tu").getString(1));
  }

  @Test
  void aRowHeldOnlyByACollectionDeletionDoesNotExist() {
    String t = collections();
    // Setting an empty collection on a row that does not exist writes no element: no row appears.
    session.execute("UPDATE " + t + " SET s = {} WHERE k = 9");
    assertEquals(0, session.execute("SELECT * FROM " + t + " WHERE k = 9").all().size());
    assertEquals(0L, session.execute("SELECT count(*) FROM " + t + " WHERE k = 9").one().getLong(0));
    // An UPDATE-only row disappears once its only collection is deleted.
    session.execute("UPDATE " + t + " SET s = s + {'a'} WHERE k = 8");
    assertEquals(1, session.execute("SELECT * FROM " + t + " WHERE k = 8").all().size());
    session.execute("DELETE s FROM " + t + " WHERE k = 8");
    assertEquals(0, session.execute("SELECT * FROM " + t + " WHERE k = 8").all().size());
  }

  @Test
  void overwriteReplacesEveryElement() {
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, l, s, m) VALUES (1, [1, 2, 3], {'a', 'b'}, {'a': 1, 'b': 2})");
    session.execute("UPDATE " + t + " SET l = [9], s = {'c'}, m = {'c': 3} WHERE k = 1");
    assertEquals(List.of(9), list(t, 1));
    assertEquals(Set.of("c"), set(t, 1));
    assertEquals(Map.of("c", 3), map(t, 1));
    // An older overwrite loses to the newer elements.
    session.execute("UPDATE " + t + " USING TIMESTAMP 1 SET l = [0] WHERE k = 1");
    assertEquals(List.of(9), list(t, 1));
  }

  @Test
  void elementAddRemoveAndUpdate() {
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, l, s, m) VALUES (1, [2], {'a'}, {'a': 1})");
    session.execute("UPDATE " + t + " SET l = l + [3, 4] WHERE k = 1");
    session.execute("UPDATE " + t + " SET l = [0, 1] + l WHERE k = 1");
    session.execute("UPDATE " + t + " SET l = [-1] + l WHERE k = 1");
    session.execute("UPDATE " + t + " SET l = l + [5] WHERE k = 1");
    assertEquals(List.of(-1, 0, 1, 2, 3, 4, 5), list(t, 1), "appends go last, prepends first, in statement order");

    session.execute("UPDATE " + t + " SET s = s + {'c', 'b'} WHERE k = 1");
    session.execute("UPDATE " + t + " SET s = s - {'a', 'zz'} WHERE k = 1");
    assertEquals(List.of("b", "c"), List.copyOf(set(t, 1)));

    session.execute("UPDATE " + t + " SET m = m + {'b': 2, 'a': 10} WHERE k = 1");
    session.execute("UPDATE " + t + " SET m['c'] = 3 WHERE k = 1");
    session.execute("UPDATE " + t + " SET m = m - {'b'} WHERE k = 1");
    assertEquals(Map.of("a", 10, "c", 3), map(t, 1));
    session.execute("UPDATE " + t + " SET m['a'] = null WHERE k = 1");
    assertEquals(Map.of("c", 3), map(t, 1), "m[k] = null removes the entry");
  }

  @Test
  void elementOperationsWithBindMarkers() {
    String t = collections();
    PreparedStatement add = session.prepare("UPDATE " + t + " SET l = l + ?, s = s + ?, m = m + ? WHERE k = ?");
    PreparedStatement put = session.prepare("UPDATE " + t + " SET m[?] = ? WHERE k = ?");
    PreparedStatement remove = session.prepare("UPDATE " + t + " SET s = s - ?, m = m - ? WHERE k = ?");
    assertEquals(DataTypes.setOf(DataTypes.TEXT), remove.getVariableDefinitions().get(1).getType(), "map removal takes a set of keys");
    assertEquals(DataTypes.TEXT, put.getVariableDefinitions().get(0).getType());
    assertEquals(DataTypes.INT, put.getVariableDefinitions().get(1).getType());
    session.execute(add.bind(List.of(1, 2), Set.of("a", "b"), Map.of("x", 1, "y", 2), 1));
    session.execute(put.bind("z", 26, 1));
    session.execute(remove.bind(Set.of("a"), Set.of("x"), 1));
    assertEquals(List.of(1, 2), list(t, 1));
    assertEquals(Set.of("b"), set(t, 1));
    assertEquals(Map.of("y", 2, "z", 26), map(t, 1));
    PreparedStatement delete = session.prepare("DELETE m[?] FROM " + t + " WHERE k = ?");
    session.execute(delete.bind("y", 1));
    assertEquals(Map.of("z", 26), map(t, 1));
  }

  @Test
  void deletesOfElementsAndWholeCollections() {
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, l, s, m, fl) VALUES (1, [1, 2], {'a', 'b'}, {'a': 1, 'b': 2}, [7])");
    session.execute("DELETE m['a'], s['b'] FROM " + t + " WHERE k = 1");
    assertEquals(Map.of("b", 2), map(t, 1));
    assertEquals(Set.of("a"), set(t, 1));
    session.execute("DELETE l, m, fl FROM " + t + " WHERE k = 1");
    Row r = row(t, 1);
    assertTrue(r.isNull("l"));
    assertTrue(r.isNull("m"));
    assertTrue(r.isNull("fl"));
    assertEquals(Set.of("a"), r.getSet("s", String.class), "other columns untouched");
    // Elements written after the deletion are visible; the deleted ones do not come back.
    session.execute("UPDATE " + t + " SET l = l + [3] WHERE k = 1");
    assertEquals(List.of(3), list(t, 1));
  }

  @Test
  void nullAndEmptyCollectionsReadAsNull() {
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, l, s, m, fl, fs) VALUES (1, [], {}, {}, [], {})");
    Row r = row(t, 1);
    assertTrue(r.isNull("l"), "an empty non-frozen list is null");
    assertTrue(r.isNull("s"));
    assertTrue(r.isNull("m"));
    assertEquals(List.of(), r.getList("fl", Integer.class), "an empty frozen list is a value");
    assertTrue(!r.isNull("fl"));
    assertTrue(!r.isNull("fs"));
    session.execute("INSERT INTO " + t + " (k, s) VALUES (2, {'x'})");
    session.execute("UPDATE " + t + " SET s = null WHERE k = 2");
    assertTrue(row(t, 2).isNull("s"), "setting null removes every element");
    session.execute("UPDATE " + t + " SET s = s - {'x'} WHERE k = 2");
    session.execute("INSERT INTO " + t + " (k, s) VALUES (3, {'x'})");
    session.execute("UPDATE " + t + " SET s = s - {'x'} WHERE k = 3");
    assertTrue(row(t, 3).isNull("s"), "removing the last element leaves null");
  }

  @Test
  void frozenCollectionsAsKeysSortInOrder() {
    String t = newTable("CREATE TABLE %s (k frozen<list<int>>, c frozen<set<int>>, d tuple<int, text>, v int,"
        + " PRIMARY KEY (k, c, d))");
    session.execute("INSERT INTO " + t + " (k, c, d, v) VALUES ([1], {3}, (1, 'a'), 1)");
    session.execute("INSERT INTO " + t + " (k, c, d, v) VALUES ([1], {1, 2}, (1, 'a'), 2)");
    session.execute("INSERT INTO " + t + " (k, c, d, v) VALUES ([1], {1}, (2, 'a'), 3)");
    session.execute("INSERT INTO " + t + " (k, c, d, v) VALUES ([1], {1}, (1, 'b'), 4)");
    session.execute("INSERT INTO " + t + " (k, c, d, v) VALUES ([2, 0], {}, (1, 'a'), 5)");
    assertEquals(List.of(4, 3, 2, 1), ints("SELECT v FROM " + t + " WHERE k = [1]"));
    assertEquals(List.of(3), ints("SELECT v FROM " + t + " WHERE k = ? AND c = ? AND d = (2, 'a')", List.of(1), Set.of(1)));
    assertEquals(List.of(5), ints("SELECT v FROM " + t + " WHERE k = [2, 0] AND c = {}"));
    assertEquals(List.of(2, 1), ints("SELECT v FROM " + t + " WHERE k = [1] AND c > {1}"));
  }

  @Test
  void boundSetsAreStoredInCanonicalOrder() {
    String t = newTable("CREATE TABLE %s (k frozen<set<int>>, v frozen<list<frozen<set<int>>>>, PRIMARY KEY (k))");
    // The driver writes a LinkedHashSet in iteration order: 2 before 1.
    Set<Integer> unsorted = new LinkedHashSet<>(List.of(2, 1));
    session.execute("INSERT INTO " + t + " (k, v) VALUES (?, ?)", unsorted, List.of(unsorted));
    Row r = session.execute("SELECT v FROM " + t + " WHERE k = {1, 2}").one();
    assertEquals(List.of(List.of(1, 2)), List.of(List.copyOf(r.getList("v", Set.class).get(0))),
        "same partition as the literal, nested set sorted");
  }

  @Test
  void bindMarkersInsideLiterals() {
    String t = collections();
    PreparedStatement p = session.prepare("INSERT INTO " + t + " (k, l, m, tu) VALUES (?, [?, ?], {?: ?}, (?, ?))");
    assertEquals(DataTypes.INT, p.getVariableDefinitions().get(1).getType());
    assertEquals(DataTypes.TEXT, p.getVariableDefinitions().get(3).getType(), "map key");
    assertEquals(DataTypes.TEXT, p.getVariableDefinitions().get(6).getType(), "second tuple field");
    session.execute(p.bind(1, 5, 6, "a", 1, 2, "two"));
    Row r = row(t, 1);
    assertEquals(List.of(5, 6), r.getList("l", Integer.class));
    assertEquals(Map.of("a", 1), r.getMap("m", String.class, Integer.class));
    assertEquals("two", r.getTupleValue("tu").getString(1));
    PreparedStatement append = session.prepare("UPDATE " + t + " SET l = l + [?] WHERE k = ?");
    session.execute(append.bind(7, 1));
    assertEquals(List.of(5, 6, 7), list(t, 1));
  }

  @Test
  void nestedFrozenCollections() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, m map<text, frozen<list<int>>>,"
        + " f frozen<list<frozen<set<int>>>>, t tuple<int, frozen<map<text, int>>>)");
    session.execute("INSERT INTO " + t + " (k, m, f, t) VALUES (1, {'a': [1, 2]}, [{2, 1}, {}], (1, {'x': 1}))");
    session.execute("UPDATE " + t + " SET m['b'] = [3] WHERE k = 1");
    Row r = row(t, 1);
    assertEquals(Map.of("a", List.of(1, 2), "b", List.of(3)), r.getObject("m"));
    assertEquals(List.of(Set.of(1, 2), Set.of()), r.getObject("f"));
    assertEquals(Map.of("x", 1), r.getTupleValue("t").getMap(1, String.class, Integer.class));
    String alter = newTable("CREATE TABLE %s (k int PRIMARY KEY)");
    session.execute("ALTER TABLE " + alter + " ADD (s set<int>, n frozen<map<int, frozen<list<text>>>>)");
    session.execute("INSERT INTO " + alter + " (k, s, n) VALUES (1, {2}, {1: ['a']})");
    assertEquals(Set.of(2), row(alter, 1).getSet("s", Integer.class));
    assertEquals(Map.of(1, List.of("a")), row(alter, 1).getObject("n"));
  }

  @Test
  void containsAndContainsKeyFilters() {
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, l, s, m, fs) VALUES (1, [1, 2], {'a'}, {'x': 10}, {'p'})");
    session.execute("INSERT INTO " + t + " (k, l, s, m, fs) VALUES (2, [3], {'b'}, {'y': 20}, {'q'})");
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE l CONTAINS 2 ALLOW FILTERING"));
    assertEquals(List.of(2), ints("SELECT k FROM " + t + " WHERE s CONTAINS 'b' ALLOW FILTERING"));
    assertEquals(List.of(2), ints("SELECT k FROM " + t + " WHERE m CONTAINS KEY 'y' ALLOW FILTERING"));
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE m CONTAINS 10 ALLOW FILTERING"));
    assertEquals(List.of(2), ints("SELECT k FROM " + t + " WHERE fs CONTAINS ? ALLOW FILTERING", "q"));
    assertEquals(List.of(), ints("SELECT k FROM " + t + " WHERE m CONTAINS KEY 'nope' ALLOW FILTERING"));
    assertError(InvalidQueryException.class, "SELECT k FROM " + t + " WHERE l CONTAINS KEY 1 ALLOW FILTERING", "non-map");
  }

  @Test
  void ttlOnAnElement() throws InterruptedException {
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, s, m) VALUES (1, {'keep'}, {'keep': 1})");
    session.execute("UPDATE " + t + " USING TTL 1 SET s = s + {'short'}, m['short'] = 2 WHERE k = 1");
    assertEquals(Set.of("keep", "short"), set(t, 1));
    Thread.sleep(2100);
    assertEquals(Set.of("keep"), set(t, 1));
    assertEquals(Map.of("keep", 1), map(t, 1));
  }

  @Test
  void writetimeAndTtlOfNonFrozenCollectionsAreListsPerElement() {
    // As Apache Cassandra 5.0 answers (checked against a real Cassandra 5 node): one entry per
    // element in collection order, null when the collection is empty.
    String t = collections();
    session.execute("INSERT INTO " + t + " (k, l, m, s, fl) VALUES (1, [1, 2], {'a': 1, 'b': 2}, {'x'}, [1]) USING TIMESTAMP 42");
    session.execute("UPDATE " + t + " USING TTL 1000 AND TIMESTAMP 50 SET l = l + [3], m['c'] = 3 WHERE k = 1");
    Row r = session.execute("SELECT writetime(l), writetime(m), writetime(s), ttl(l), ttl(m) FROM " + t + " WHERE k = 1").one();
    assertEquals(List.of(42L, 42L, 50L), r.getList(0, Long.class));
    assertEquals(List.of(42L, 42L, 50L), r.getList(1, Long.class));
    assertEquals(List.of(42L), r.getList(2, Long.class));
    List<Integer> ttls = r.getList(3, Integer.class);
    assertEquals(3, ttls.size());
    assertNull(ttls.get(0), "an element without TTL has a null TTL");
    assertNull(ttls.get(1));
    assertTrue(ttls.get(2) > 990 && ttls.get(2) <= 1000, "ttl " + ttls.get(2));
    assertEquals(com.datastax.oss.driver.api.core.type.DataTypes.listOf(com.datastax.oss.driver.api.core.type.DataTypes.BIGINT,
        true), r.getColumnDefinitions().get(0).getType());
    session.execute("INSERT INTO " + t + " (k, l) VALUES (2, [7, 8]) USING TTL 500");
    Row expiring = session.execute("SELECT ttl(l) FROM " + t + " WHERE k = 2").one();
    expiring.getList(0, Integer.class).forEach(v -> assertTrue(v > 490 && v <= 500, "ttl " + v));
    assertTrue(session.execute("SELECT writetime(s) FROM " + t + " WHERE k = 2").one().isNull(0), "no elements, no list");
    assertEquals(42L, session.execute("SELECT writetime(fl) FROM " + t + " WHERE k = 1").one().getLong(0));
  }

  @Test
  void maxwritetimeCoversEveryKindOfColumn() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".pair (a int, b int)");
    String t = ks + ".mw";
    session.execute("CREATE TABLE " + t + " (k int PRIMARY KEY, a text, l list<int>, fl frozen<list<int>>, s set<int>,"
        + " fs frozen<set<int>>, m map<int, text>, fm frozen<map<int, text>>, u pair, fu frozen<pair>)");
    String all = "maxwritetime(a), maxwritetime(l), maxwritetime(fl), maxwritetime(s), maxwritetime(fs),"
        + " maxwritetime(m), maxwritetime(fm), maxwritetime(u), maxwritetime(fu)";
    session.execute("INSERT INTO " + t + " (k) VALUES (1)");
    Row empty = session.execute("SELECT " + all + " FROM " + t + " WHERE k = 1").one();
    for (int i = 0; i < 9; i++) {
      assertTrue(empty.isNull(i), "no cells, no write time: column " + i);
    }
    session.execute("INSERT INTO " + t + " (k, a, l, fl, s, fs, m, fm, u, fu) VALUES (1, 'x', [1], [2], {1}, {2}, {1: 'a'},"
        + " {2: 'b'}, {a: 1, b: 1}, {a: 2, b: 2}) USING TIMESTAMP 1");
    // Each update raises one column's newest write time; the others stay at 1.
    String[] updates = {
        "UPDATE " + t + " USING TIMESTAMP 10 SET l = l + [10] WHERE k = 1",
        "UPDATE " + t + " USING TIMESTAMP 11 SET s = s + {10} WHERE k = 1",
        "UPDATE " + t + " USING TIMESTAMP 12 SET m = m + {10: 'c'} WHERE k = 1",
        "UPDATE " + t + " USING TIMESTAMP 13 SET u.a = 10 WHERE k = 1"};
    int[] positions = {1, 3, 5, 7};
    for (int i = 0; i < updates.length; i++) {
      session.execute(updates[i]);
      Row r = session.execute("SELECT " + all + " FROM " + t + " WHERE k = 1").one();
      assertEquals(10L + i, r.getLong(positions[i]), updates[i]);
      assertEquals(1L, r.getLong(0), "the text column keeps its write time");
      assertEquals(1L, r.getLong(2), "a frozen list is one cell");
    }
    session.execute("DELETE l FROM " + t + " WHERE k = 1");
    assertTrue(session.execute("SELECT maxwritetime(l) FROM " + t + " WHERE k = 1").one().isNull(0), "a deleted list has no write time");
  }

  @Test
  void errors() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".a (k list<int> PRIMARY KEY)", "non-frozen");
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".b (k int, c set<int>, PRIMARY KEY (k, c))", "non-frozen");
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".c (k int PRIMARY KEY, l list<counter>)", "counter");
    String t = collections();
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, l) VALUES (1, ['x'])");
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, m) VALUES (1, {'a': 'b'})");
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, s) VALUES (1, [1])", "list literal");
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, l) VALUES (1, [1, null])", "null");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET fl = fl + [1] WHERE k = 1", "fl");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET s = ['a'] + s WHERE k = 1", "non list");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET l[0] = 1 WHERE k = 1", "list which is null");
    assertNull(session.execute("SELECT * FROM " + t + " WHERE k = 1").one(), "failed writes wrote nothing");
  }
}
