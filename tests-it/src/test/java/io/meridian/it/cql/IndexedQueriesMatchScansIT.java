package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.meridian.it.TestNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random writes, overwrites, deletes and TTLs, then every kind of indexed restriction: the rows a
 * query finds through the automatic indexes are exactly the rows a full scan finds when filtered
 * by the same restriction in the test (the reference), with no row twice, across pages.
 */
class IndexedQueriesMatchScansIT {
  private static final AtomicInteger TABLES = new AtomicInteger();
  static TestNode node;
  static CqlSession session;

  @BeforeContainer
  static void start() {
    node = TestNode.start();
    // Short schema debounce: each try creates a table (see CqlTestSupport#session).
    session = node.session(b -> b.withDuration(com.datastax.oss.driver.api.core.config.DefaultDriverOption.METADATA_SCHEMA_WINDOW,
        java.time.Duration.ofMillis(20)));
    session.execute("CREATE KEYSPACE idx WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  }

  @AfterContainer
  static void stop() {
    if (session != null) {
      session.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** One statement of a history; {@code %s} is the table. */
  record Op(String cql, boolean expires) {
    @Override
    public String toString() {
      return cql;
    }
  }

  /** A restriction as CQL and as the reference check on a full-scan row. */
  record Restriction(String where, Predicate<Row> matches) {
    @Override
    public String toString() {
      return where;
    }
  }

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Integer> k = Arbitraries.integers().between(0, 5);
    Arbitrary<Integer> c = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 4);
    Arbitrary<String> text = Arbitraries.of("a", "b", "c", "ab");
    Arbitrary<String> ttl = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(30, Arbitraries.just("")), net.jqwik.api.Tuple.of(1, Arbitraries.just(" USING TTL 1")));
    Arbitrary<Op> insert = Combinators.combine(k, c, small, text, ttl).as((kk, cc, v, s, t) -> new Op(
        "INSERT INTO %s (k, c, v, s, tags, m) VALUES (" + kk + ", " + cc + ", " + v + ", '" + s + "', {" + v + ", " + (v + 1) % 4
            + "}, {'" + s + "': " + v + "})" + t, !t.isEmpty()));
    Arbitrary<Op> setV = Combinators.combine(k, c, small, ttl).as((kk, cc, v, t) ->
        new Op("UPDATE %s" + t + " SET v = " + v + " WHERE k = " + kk + " AND c = " + cc, !t.isEmpty()));
    Arbitrary<Op> setStatic = Combinators.combine(k, small).as((kk, v) -> new Op("UPDATE %s SET st = " + v + " WHERE k = " + kk, false));
    Arbitrary<Op> addTag = Combinators.combine(k, c, small).as((kk, cc, v) ->
        new Op("UPDATE %s SET tags = tags + {" + v + "} WHERE k = " + kk + " AND c = " + cc, false));
    Arbitrary<Op> removeTag = Combinators.combine(k, c, small).as((kk, cc, v) ->
        new Op("UPDATE %s SET tags = tags - {" + v + "} WHERE k = " + kk + " AND c = " + cc, false));
    Arbitrary<Op> putEntry = Combinators.combine(k, c, text, small).as((kk, cc, key, v) ->
        new Op("UPDATE %s SET m['" + key + "'] = " + v + " WHERE k = " + kk + " AND c = " + cc, false));
    Arbitrary<Op> deleteCell = Combinators.combine(k, c).as((kk, cc) -> new Op("DELETE v FROM %s WHERE k = " + kk + " AND c = " + cc, false));
    Arbitrary<Op> deleteRow = Combinators.combine(k, c).as((kk, cc) -> new Op("DELETE FROM %s WHERE k = " + kk + " AND c = " + cc, false));
    Arbitrary<Op> deletePartition = k.map(kk -> new Op("DELETE FROM %s WHERE k = " + kk, false));
    Arbitrary<Op> deleteRange = Combinators.combine(k, c).as((kk, cc) -> new Op("DELETE FROM %s WHERE k = " + kk + " AND c >= " + cc, false));
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, insert), net.jqwik.api.Tuple.of(4, setV), net.jqwik.api.Tuple.of(2, setStatic),
        net.jqwik.api.Tuple.of(2, addTag), net.jqwik.api.Tuple.of(2, removeTag), net.jqwik.api.Tuple.of(2, putEntry),
        net.jqwik.api.Tuple.of(2, deleteCell), net.jqwik.api.Tuple.of(1, deleteRow), net.jqwik.api.Tuple.of(1, deletePartition),
        net.jqwik.api.Tuple.of(1, deleteRange));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Provide
  Arbitrary<Restriction> restrictions() {
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 4);
    Arbitrary<String> text = Arbitraries.of("a", "b", "c", "ab");
    return Arbitraries.oneOf(
        small.map(v -> new Restriction("v = " + v, r -> Objects.equals(integer(r, "v"), v))),
        Combinators.combine(small, small).as((a, b) -> new Restriction("v IN (" + a + ", " + b + ")",
            r -> Objects.equals(integer(r, "v"), a) || Objects.equals(integer(r, "v"), b))),
        small.map(v -> new Restriction("v > " + v, r -> integer(r, "v") != null && integer(r, "v") > v)),
        Combinators.combine(small, small).as((a, b) -> new Restriction("v >= " + a + " AND v < " + b,
            r -> integer(r, "v") != null && integer(r, "v") >= a && integer(r, "v") < b)),
        text.map(s -> new Restriction("s = '" + s + "'", r -> s.equals(r.getString("s")))),
        text.map(s -> new Restriction("s > '" + s + "'", r -> r.getString("s") != null && r.getString("s").compareTo(s) > 0)),
        text.map(s -> new Restriction("s LIKE '" + s + "%'", r -> r.getString("s") != null && r.getString("s").startsWith(s))),
        small.map(v -> new Restriction("st = " + v, r -> Objects.equals(integer(r, "st"), v))),
        small.map(v -> new Restriction("tags CONTAINS " + v, r -> r.getSet("tags", Integer.class).contains(v))),
        text.map(s -> new Restriction("m CONTAINS KEY '" + s + "'", r -> r.getMap("m", String.class, Integer.class).containsKey(s))),
        small.map(v -> new Restriction("m CONTAINS " + v, r -> r.getMap("m", String.class, Integer.class).containsValue(v))),
        Combinators.combine(small, text).as((v, s) -> new Restriction("v = " + v + " AND s = '" + s + "'",
            r -> Objects.equals(integer(r, "v"), v) && s.equals(r.getString("s")))),
        Combinators.combine(small, small).as((v, t) -> new Restriction("v <= " + v + " AND tags CONTAINS " + t,
            r -> integer(r, "v") != null && integer(r, "v") <= v && r.getSet("tags", Integer.class).contains(t))));
  }

  private static Integer integer(Row r, String column) {
    return r.isNull(column) ? null : r.getInt(column);
  }

  @Property(tries = 60)
  void indexedQueriesFindExactlyTheRowsAScanFinds(@ForAll("histories") List<Op> history,
                                                  @ForAll("restrictionLists") List<Restriction> restrictions,
                                                  @ForAll("pageSizes") int pageSize) throws InterruptedException {
    String table = "idx.t" + TABLES.incrementAndGet();
    session.execute("CREATE TABLE " + table + " (k int, c int, v int, s text, st int static, tags set<int>, "
        + "m map<text, int>, PRIMARY KEY (k, c))");
    for (Op op : history) {
      session.execute(String.format(op.cql(), table));
    }
    if (history.stream().anyMatch(Op::expires)) {
      Thread.sleep(2_100); // TTL 1: expired by now, whatever the second boundaries
    }
    List<Row> all = session.execute("SELECT k, c, v, s, st, tags, m FROM " + table).all();
    for (Restriction restriction : restrictions) {
      Map<String, Integer> expected = new TreeMap<>();
      for (Row r : all) {
        if (restriction.matches().test(r)) {
          expected.merge(key(r), 1, Integer::sum);
        }
      }
      Map<String, Integer> found = new TreeMap<>();
      SimpleStatement query = SimpleStatement.newInstance("SELECT k, c FROM " + table + " WHERE " + restriction.where())
          .setPageSize(pageSize);
      for (Row r : session.execute(query)) {
        found.merge(key(r), 1, Integer::sum);
      }
      assertEquals(expected, found, restriction + " after " + history);
      int limit = 1 + expected.size() / 2;
      List<Row> limited = session.execute(SimpleStatement.newInstance(
          "SELECT k, c FROM " + table + " WHERE " + restriction.where() + " LIMIT " + limit).setPageSize(pageSize)).all();
      assertEquals(Math.min(limit, expected.size()), limited.size(), "LIMIT " + limit + " on " + restriction);
      limited.forEach(r -> assertEquals(1, expected.get(key(r)), "a row LIMIT returned that matches: " + key(r)));
    }
    session.execute("DROP TABLE " + table);
  }

  @Provide
  Arbitrary<List<Restriction>> restrictionLists() {
    return Combinators.combine(restrictions(), scopes()).as((r, scope) -> new Restriction(scope.where() + r.where(),
        row -> scope.matches().test(row) && r.matches().test(row))).list().ofMinSize(1).ofMaxSize(4);
  }

  /** The whole table, one partition, or a few: the restriction then reads within the named partitions. */
  Arbitrary<Restriction> scopes() {
    Arbitrary<Integer> k = Arbitraries.integers().between(0, 5);
    return Arbitraries.oneOf(
        Arbitraries.just(new Restriction("", r -> true)),
        k.map(kk -> new Restriction("k = " + kk + " AND ", r -> r.getInt("k") == kk)),
        Combinators.combine(k, k).as((a, b) -> new Restriction("k IN (" + a + ", " + b + ") AND ",
            r -> r.getInt("k") == a || r.getInt("k") == b)));
  }

  @Provide
  Arbitrary<Integer> pageSizes() {
    return Arbitraries.of(1, 2, 3, 5000);
  }

  private static String key(Row r) {
    return r.getInt("k") + ":" + (r.isNull("c") ? "-" : String.valueOf(r.getInt("c")));
  }
}
