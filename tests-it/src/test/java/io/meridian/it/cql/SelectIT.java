package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SELECT restrictions, ordering, limits, DISTINCT, aggregates and selectors over one shared
 * grid table: k in 0..3, c1 in 0..3, c2 in 0..3, v = "k-c1-c2", n = k*100 + c1*10 + c2 (null when c2 = 3).
 */
class SelectIT extends CqlTestSupport {
  private static String grid;
  private static String desc;
  private static String composite;

  @BeforeAll
  static void data() {
    grid = newTable("CREATE TABLE %s (k int, c1 int, c2 int, v text, n int, PRIMARY KEY (k, c1, c2))");
    desc = grid.replace(".t", ".d");
    session.execute("CREATE TABLE " + desc + " (k int, c1 int, c2 int, v text, n int, PRIMARY KEY (k, c1, c2)) "
        + "WITH CLUSTERING ORDER BY (c1 DESC, c2 DESC)");
    PreparedStatement ins = session.prepare("INSERT INTO " + grid + " (k, c1, c2, v, n) VALUES (?, ?, ?, ?, ?)");
    PreparedStatement insDesc = session.prepare("INSERT INTO " + desc + " (k, c1, c2, v, n) VALUES (?, ?, ?, ?, ?)");
    for (int k = 0; k < 4; k++) {
      for (int c1 = 0; c1 < 4; c1++) {
        for (int c2 = 0; c2 < 4; c2++) {
          Integer n = c2 == 3 ? null : k * 100 + c1 * 10 + c2;
          session.execute(ins.bind(k, c1, c2, k + "-" + c1 + "-" + c2, n));
          session.execute(insDesc.bind(k, c1, c2, k + "-" + c1 + "-" + c2, n));
        }
      }
    }
    composite = grid.replace(".t", ".comp");
    session.execute("CREATE TABLE " + composite + " (a int, b text, c int, v int, PRIMARY KEY ((a, b), c))");
    for (int a = 0; a < 3; a++) {
      for (String b : List.of("x", "y", "z")) {
        for (int c = 0; c < 3; c++) {
          session.execute("INSERT INTO " + composite + " (a, b, c, v) VALUES (?, ?, ?, ?)", a, b, c, a * 10 + c);
        }
      }
    }
  }

  /** "c1:c2" pairs of a query on the grid. */
  private static List<String> cc(String table, String where) {
    return pairs(session.execute("SELECT c1, c2 FROM " + table + " WHERE " + where), "c1", "c2");
  }

  private static List<String> expected(String... pairs) {
    return List.of(pairs);
  }

  private static List<String> all(int c1From, int c1To) {
    List<String> out = new ArrayList<>();
    for (int c1 = c1From; c1 <= c1To; c1++) {
      for (int c2 = 0; c2 < 4; c2++) {
        out.add(c1 + ":" + c2);
      }
    }
    return out;
  }

  // ---- partition key ----

  @Test
  void partitionKeyEqualityReturnsThePartitionInClusteringOrder() {
    assertEquals(all(0, 3), cc(grid, "k = 2"));
  }

  @Test
  void missingPartitionIsEmpty() {
    assertEquals(List.of(), cc(grid, "k = 99"));
  }

  @Test
  void partitionKeyInReturnsEachPartitionOnce() {
    ResultSet rs = session.execute("SELECT k FROM " + grid + " WHERE k IN (3, 1, 3, 42) AND c1 = 0 AND c2 = 0");
    List<Integer> ks = column(rs, r -> r.getInt(0));
    assertEquals(2, ks.size(), ks.toString());
    assertEquals(List.of(1, 3), ks.stream().sorted().toList());
  }

  @Test
  void compositePartitionKeyEquality() {
    List<Integer> v = ints("SELECT v FROM " + composite + " WHERE a = 1 AND b = 'y'");
    assertEquals(List.of(10, 11, 12), v);
  }

  @Test
  void compositePartitionKeyInOnBothParts() {
    List<String> got = column(session.execute("SELECT a, b, c FROM " + composite + " WHERE a IN (0, 2) AND b IN ('x', 'z') AND c = 1"),
        r -> r.getInt(0) + r.getString(1) + r.getInt(2));
    assertEquals(List.of("0x1", "0z1", "2x1", "2z1"), got.stream().sorted().toList());
  }

  @Test
  void compositePartitionKeyWithOnlyOnePartNeedsFiltering() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + composite + " WHERE a = 1", "ALLOW FILTERING");
    assertEquals(9, session.execute("SELECT * FROM " + composite + " WHERE a = 1 ALLOW FILTERING").all().size());
  }

  // ---- clustering restrictions ----

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "c1 = 2|2:0,2:1,2:2,2:3",
      "c1 = 2 AND c2 = 3|2:3",
      "c1 < 1|0:0,0:1,0:2,0:3",
      "c1 <= 0|0:0,0:1,0:2,0:3",
      "c1 > 2|3:0,3:1,3:2,3:3",
      "c1 >= 3|3:0,3:1,3:2,3:3",
      "c1 > 0 AND c1 < 2|1:0,1:1,1:2,1:3",
      "c1 >= 1 AND c1 <= 1|1:0,1:1,1:2,1:3",
      "c1 > 1 AND c1 < 2|",
      "c1 = 1 AND c2 > 1|1:2,1:3",
      "c1 = 1 AND c2 >= 1 AND c2 < 3|1:1,1:2",
      "c1 = 1 AND c2 <= 0|1:0",
      "c1 IN (3, 1)|1:0,1:1,1:2,1:3,3:0,3:1,3:2,3:3",
      "c1 = 0 AND c2 IN (3, 0, 2)|0:0,0:2,0:3",
      "c1 IN (0, 2) AND c2 IN (1, 3)|0:1,0:3,2:1,2:3",
      "c1 IN (0, 2) AND c2 > 2|0:3,2:3",
      "(c1, c2) > (1, 2)|1:3,2:0,2:1,2:2,2:3,3:0,3:1,3:2,3:3",
      "(c1, c2) >= (3, 2)|3:2,3:3",
      "(c1, c2) < (0, 2)|0:0,0:1",
      "(c1, c2) <= (0, 2)|0:0,0:1,0:2",
      "(c1, c2) > (1, 2) AND (c1, c2) <= (2, 1)|1:3,2:0,2:1",
      "(c1, c2) = (2, 2)|2:2",
      "(c1, c2) IN ((3, 0), (1, 1))|1:1,3:0",
      "(c1) > (2)|3:0,3:1,3:2,3:3",
  })
  void clusteringRestrictions(String where, String expected) {
    List<String> want = expected == null ? List.of() : List.of(expected.split(","));
    assertEquals(want, cc(grid, "k = 1 AND " + where), "ascending table");
    List<String> reversed = new ArrayList<>(want);
    java.util.Collections.reverse(reversed);
    assertEquals(reversed, cc(desc, "k = 1 AND " + where), "descending table");
  }

  /**
   * Tuple slices over clustering columns of mixed order compare lexicographically by value; the
   * rows come back in clustering order. Checked against a brute-force evaluation.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "(c1, c2) > (1, 1)", "(c1, c2) >= (1, 1)", "(c1, c2) < (1, 1)", "(c1, c2) <= (1, 1)",
      "(c1, c2, c3) > (1, 0, 2)", "(c1, c2, c3) <= (2, 2, 0)",
      "(c1, c2) > (0, 2) AND (c1, c2) < (2, 1)", "(c1, c2, c3) >= (0, 1, 1) AND (c1, c2) <= (1, 0)",
      "(c1, c2) = (1, 2)", "(c1, c2, c3) IN ((2, 0, 1), (0, 2, 2))",
  })
  void tupleSlicesOverMixedClusteringOrder(String where) {
    String t = mixedTable();
    List<int[]> expected = new ArrayList<>();
    for (int c1 = 0; c1 < 3; c1++) {
      for (int c2 = 2; c2 >= 0; c2--) { // c2 is DESC
        for (int c3 = 0; c3 < 3; c3++) {
          if (matches(where, new int[] {c1, c2, c3})) {
            expected.add(new int[] {c1, c2, c3});
          }
        }
      }
    }
    List<String> want = expected.stream().map(r -> r[0] + ":" + r[1] + ":" + r[2]).toList();
    List<String> got = column(session.execute("SELECT c1, c2, c3 FROM " + t + " WHERE k = 0 AND " + where),
        r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getInt(2));
    assertEquals(want, got);
  }

  private static String mixed;

  private static synchronized String mixedTable() {
    if (mixed == null) {
      mixed = newTable("CREATE TABLE %s (k int, c1 int, c2 int, c3 int, PRIMARY KEY (k, c1, c2, c3)) "
          + "WITH CLUSTERING ORDER BY (c1 ASC, c2 DESC, c3 ASC)");
      for (int c1 = 0; c1 < 3; c1++) {
        for (int c2 = 0; c2 < 3; c2++) {
          for (int c3 = 0; c3 < 3; c3++) {
            session.execute("INSERT INTO " + mixed + " (k, c1, c2, c3) VALUES (0, ?, ?, ?)", c1, c2, c3);
          }
        }
      }
    }
    return mixed;
  }

  /** Brute-force evaluation of the tuple relations used above (AND of relations). */
  private static boolean matches(String where, int[] row) {
    for (String rel : where.split(" AND ")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([^)]*)\\) (>=|<=|>|<|=|IN) (.*)").matcher(rel.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(rel);
      }
      int n = m.group(1).split(",").length;
      String op = m.group(2);
      List<int[]> values = new ArrayList<>();
      java.util.regex.Matcher v = java.util.regex.Pattern.compile("\\(([0-9, ]+)\\)").matcher(m.group(3));
      while (v.find()) {
        values.add(java.util.Arrays.stream(v.group(1).split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray());
      }
      boolean ok = false;
      for (int[] value : values) {
        int cmp = java.util.Arrays.compare(java.util.Arrays.copyOf(row, n), value);
        ok |= switch (op) {
          case ">" -> cmp > 0;
          case ">=" -> cmp >= 0;
          case "<" -> cmp < 0;
          case "<=" -> cmp <= 0;
          default -> cmp == 0;
        };
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Test
  void updateAndDeleteByFullTupleEquality() {
    String t = newTable("CREATE TABLE %s (k int, c1 int, c2 int, v int, PRIMARY KEY (k, c1, c2))");
    session.execute("UPDATE " + t + " SET v = 5 WHERE k = 0 AND (c1, c2) = (1, 2)");
    session.execute("UPDATE " + t + " SET v = 6 WHERE k = 0 AND (c1, c2) IN ((3, 4), (5, 6))");
    assertEquals(List.of("1:2", "3:4", "5:6"), pairs(session.execute("SELECT c1, c2 FROM " + t + " WHERE k = 0"), "c1", "c2"));
    session.execute("DELETE v FROM " + t + " WHERE k = 0 AND (c1, c2) = (3, 4)");
    assertTrue(session.execute("SELECT v FROM " + t + " WHERE k = 0 AND c1 = 3 AND c2 = 4").one() == null,
        "the row had no liveness marker (written by UPDATE), so it is gone with its only column");
    assertEquals(6, session.execute("SELECT v FROM " + t + " WHERE k = 0 AND c1 = 5 AND c2 = 6").one().getInt(0));
  }

  @Test
  void sliceOnSecondClusteringColumnWithoutFirstNeedsFiltering() {
    assertError(InvalidQueryException.class, () -> session.execute("SELECT * FROM " + grid + " WHERE k = 1 AND c2 = 1"));
    assertEquals(expected("0:1", "1:1", "2:1", "3:1"), cc(grid, "k = 1 AND c2 = 1 ALLOW FILTERING"));
  }

  @Test
  void preparedClusteringSliceAndIn() {
    PreparedStatement ps = session.prepare("SELECT c1, c2 FROM " + grid + " WHERE k = ? AND c1 IN (?, ?) AND c2 >= ?");
    assertEquals(expected("0:3", "3:3"), pairs(session.execute(ps.bind(2, 3, 0, 3)), "c1", "c2"));
    PreparedStatement tuple = session.prepare("SELECT c1, c2 FROM " + grid + " WHERE k = ? AND (c1, c2) > (?, ?) AND (c1, c2) < (?, ?)");
    assertEquals(expected("1:3", "2:0"), pairs(session.execute(tuple.bind(2, 1, 2, 2, 1)), "c1", "c2"));
  }

  // ---- ORDER BY ----

  @Test
  void orderByReverseOfClusteringOrder() {
    List<String> want = new ArrayList<>(all(0, 3));
    java.util.Collections.reverse(want);
    assertEquals(want, cc(grid, "k = 0 ORDER BY c1 DESC"));
    assertEquals(want, cc(grid, "k = 0 ORDER BY c1 DESC, c2 DESC"));
    assertEquals(all(0, 3), cc(grid, "k = 0 ORDER BY c1 ASC"));
    assertEquals(all(0, 3), cc(desc, "k = 0 ORDER BY c1 ASC, c2 ASC"));
    assertEquals(want, cc(desc, "k = 0 ORDER BY c1 DESC"));
  }

  @Test
  void orderByWithSlicesAndIn() {
    assertEquals(expected("2:3", "2:2", "2:1", "2:0", "1:3", "1:2", "1:1", "1:0"),
        cc(grid, "k = 0 AND c1 >= 1 AND c1 < 3 ORDER BY c1 DESC"));
    assertEquals(expected("3:1", "3:0", "1:1", "1:0"), cc(grid, "k = 0 AND c1 IN (1, 3) AND c2 < 2 ORDER BY c1 DESC"));
    assertEquals(expected("1:3", "1:2"), cc(grid, "k = 0 AND c1 = 1 AND c2 > 1 ORDER BY c1 DESC, c2 DESC"));
    assertEquals(expected("2:1", "2:0", "1:3"), cc(grid, "k = 0 AND (c1, c2) > (1, 2) AND (c1, c2) <= (2, 1) ORDER BY c1 DESC"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "k = 0 ORDER BY c1 DESC, c2 ASC|order",
      "k = 0 ORDER BY c2 DESC|order",
      "k = 0 ORDER BY v DESC|v",
      "k = 0 ORDER BY k DESC|k",
      "k IN (0, 1) ORDER BY nosuch DESC|nosuch",
  })
  void invalidOrderBy(String where, String keyword) {
    assertError(InvalidQueryException.class, "SELECT * FROM " + grid + " WHERE " + where, keyword);
  }

  @Test
  void inWithOneBindMarkerTakesAList() {
    PreparedStatement p = session.prepare("SELECT k, c1, c2 FROM " + grid + " WHERE k IN ? AND c1 = 1 AND c2 IN ?");
    // Described as Cassandra does: a list of the column's type, named in(column).
    ColumnDefinitions vars = p.getVariableDefinitions();
    assertEquals("in(k)", vars.get(0).getName().asInternal());
    assertEquals(com.datastax.oss.driver.api.core.type.DataTypes.listOf(com.datastax.oss.driver.api.core.type.DataTypes.INT),
        vars.get(0).getType());
    List<String> got = new ArrayList<>();
    for (Row r : session.execute(p.bind(List.of(2, 0), List.of(3, 1)))) {
      got.add(r.getInt("k") + ":" + r.getInt("c1") + ":" + r.getInt("c2"));
    }
    // Each partition's rows in clustering order; the partitions themselves in ring order.
    assertEquals(4, got.size(), got.toString());
    assertTrue(got.containsAll(List.of("0:1:1", "0:1:3", "2:1:1", "2:1:3")), got.toString());
    assertTrue(got.indexOf("0:1:1") < got.indexOf("0:1:3") && got.indexOf("2:1:1") < got.indexOf("2:1:3"), got.toString());
    // A key listed twice selects its partition once.
    assertEquals(1, session.execute(p.bind(List.of(1, 1), List.of(0))).all().size());
    assertError(InvalidQueryException.class, () -> session.execute(p.bind(null, List.of(1))), "null", "k");
  }

  @Test
  void orderByWithInOnSeveralPartitionsCannotBePaged() {
    // The Java driver always pages; Cassandra refuses to sort IN results across partitions then.
    // (The unpaged, sorted case is checked through the Python driver, which can turn paging off.)
    assertError(InvalidQueryException.class, "SELECT * FROM " + grid + " WHERE k IN (0, 1) ORDER BY c1 DESC",
        "Cannot page", "ORDER BY", "IN");
    assertEquals(8, session.execute("SELECT * FROM " + grid + " WHERE k IN (0, 1) AND c1 = 2").all().size());
  }

  @Test
  void orderByWithoutPartitionRestrictionFails() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + grid + " ORDER BY c1 DESC", "ORDER BY", "partition key");
  }

  // ---- LIMIT / PER PARTITION LIMIT / DISTINCT ----

  @Test
  void limit() {
    assertEquals(expected("0:0", "0:1", "0:2"), cc(grid, "k = 3 LIMIT 3"));
    assertEquals(expected("3:3", "3:2"), cc(grid, "k = 3 ORDER BY c1 DESC LIMIT 2"));
    assertEquals(64, session.execute("SELECT * FROM " + grid + " LIMIT 1000").all().size());
    assertEquals(5, session.execute("SELECT * FROM " + grid + " LIMIT 5").all().size());
    PreparedStatement ps = session.prepare("SELECT c1 FROM " + grid + " WHERE k = ? LIMIT ?");
    assertEquals(7, session.execute(ps.bind(0, 7)).all().size());
  }

  @Test
  void perPartitionLimit() {
    List<Row> rows = session.execute("SELECT k, c1, c2 FROM " + grid + " PER PARTITION LIMIT 2").all();
    assertEquals(8, rows.size());
    for (Row r : rows) {
      assertEquals(0, r.getInt("c1"));
      assertTrue(r.getInt("c2") < 2);
    }
    assertEquals(3, session.execute("SELECT * FROM " + grid + " PER PARTITION LIMIT 2 LIMIT 3").all().size());
    List<Row> in = session.execute("SELECT k, c1, c2 FROM " + grid + " WHERE k IN (1, 2) AND c1 > 1 PER PARTITION LIMIT 1").all();
    assertEquals(List.of("2:0", "2:0"), column(session.execute("SELECT k, c1, c2 FROM " + grid
        + " WHERE k IN (1, 2) AND c1 > 1 PER PARTITION LIMIT 1"), r -> r.getInt("c1") + ":" + r.getInt("c2")));
    assertEquals(2, in.size());
  }

  @Test
  void nonPositiveLimitsAreRejected() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + grid + " LIMIT 0", "LIMIT", "positive");
    assertError(InvalidQueryException.class, "SELECT * FROM " + grid + " PER PARTITION LIMIT 0", "LIMIT", "positive");
  }

  @Test
  void distinctPartitionKeys() {
    assertEquals(List.of(0, 1, 2, 3), ints("SELECT DISTINCT k FROM " + grid).stream().sorted().toList());
    assertEquals(9, session.execute("SELECT DISTINCT a, b FROM " + composite).all().size());
    assertEquals(List.of(1), ints("SELECT DISTINCT k FROM " + grid + " WHERE k = 1"));
    assertError(InvalidQueryException.class, "SELECT DISTINCT c1 FROM " + grid, "DISTINCT", "c1");
    assertError(InvalidQueryException.class, "SELECT DISTINCT a FROM " + composite, "DISTINCT", "b");
  }

  @Test
  void distinctWithStaticColumn() {
    String t = newTable("CREATE TABLE %s (k int, c int, s int static, PRIMARY KEY (k, c))");
    for (int k = 0; k < 3; k++) {
      session.execute("INSERT INTO " + t + " (k, c, s) VALUES (?, 0, ?)", k, k * 7);
      session.execute("INSERT INTO " + t + " (k, c) VALUES (?, 1)", k);
    }
    List<String> got = column(session.execute("SELECT DISTINCT k, s FROM " + t), r -> r.getInt(0) + "=" + r.getInt(1));
    assertEquals(List.of("0=0", "1=7", "2=14"), got.stream().sorted().toList());
  }

  // ---- aggregates and selectors ----

  @Test
  void countRowsAndColumns() {
    assertEquals(64L, session.execute("SELECT COUNT(*) FROM " + grid).one().getLong(0));
    assertEquals(16L, session.execute("SELECT count(*) FROM " + grid + " WHERE k = 2").one().getLong(0));
    assertEquals(4L, session.execute("SELECT count(1) FROM " + grid + " WHERE k = 2 AND c1 = 1").one().getLong(0));
    // count(column) skips nulls: n is null where c2 = 3.
    assertEquals(12L, session.execute("SELECT count(n) FROM " + grid + " WHERE k = 2").one().getLong(0));
    assertEquals(0L, session.execute("SELECT count(*) FROM " + grid + " WHERE k = 99").one().getLong(0));
    Row r = session.execute("SELECT count(*) AS total, count(n) AS nonnull FROM " + grid + " WHERE k IN (0, 1)").one();
    assertEquals(32L, r.getLong("total"));
    assertEquals(24L, r.getLong("nonnull"));
  }

  @Test
  void countHonoursLimitAndFiltering() {
    assertEquals(16L, session.execute("SELECT count(*) FROM " + grid + " WHERE c2 = 0 ALLOW FILTERING").one().getLong(0));
  }

  @Test
  void aliasesNameResultColumns() {
    ResultSet rs = session.execute("SELECT k AS key, v AS value, writetime(v) AS wt, token(k) AS tk FROM " + grid
        + " WHERE k = 1 AND c1 = 0 AND c2 = 0");
    ColumnDefinitions defs = rs.getColumnDefinitions();
    assertEquals(List.of("key", "value", "wt", "tk"), columnNames(defs));
    Row r = rs.one();
    assertEquals(1, r.getInt("key"));
    assertEquals("1-0-0", r.getString("value"));
    assertTrue(r.getLong("wt") > 0);
  }

  @Test
  void selectedColumnsComeInRequestedOrder() {
    Row r = session.execute("SELECT v, c2, k FROM " + grid + " WHERE k = 1 AND c1 = 2 AND c2 = 3").one();
    assertEquals("1-2-3", r.getString(0));
    assertEquals(3, r.getInt(1));
    assertEquals(1, r.getInt(2));
    List<String> names = columnNames(session.execute("SELECT * FROM " + grid + " WHERE k = 1 LIMIT 1").getColumnDefinitions());
    // SELECT * lists partition key, clustering columns, then the others by name.
    assertEquals(List.of("k", "c1", "c2", "n", "v"), names);
  }

  @Test
  void writetimeAndTtlSelectors() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, a int, b int)");
    session.execute("INSERT INTO " + t + " (k, a) VALUES (1, 1) USING TIMESTAMP 1234 AND TTL 600");
    Row r = session.execute("SELECT writetime(a), ttl(a), writetime(b), ttl(b) FROM " + t + " WHERE k = 1").one();
    assertEquals(1234L, r.getLong(0));
    assertTrue(r.getInt(1) > 590 && r.getInt(1) <= 600);
    assertTrue(r.isNull(2));
    assertTrue(r.isNull(3));
    assertEquals("writetime(a)", r.getColumnDefinitions().get(0).getName().asInternal());
    assertEquals("ttl(a)", r.getColumnDefinitions().get(1).getName().asInternal());
    assertError(InvalidQueryException.class, "SELECT writetime(k) FROM " + t, "k");
  }

  @Test
  void allowFilteringOnRegularColumns() {
    // v is indexed automatically: no ALLOW FILTERING needed, and the same rows either way
    List<Row> indexed = session.execute("SELECT k, c1, c2 FROM " + grid + " WHERE v = '2-1-1'").all();
    assertEquals(1, indexed.size());
    assertError(InvalidQueryException.class, "SELECT * FROM " + grid + " WHERE c1 = 3", "ALLOW FILTERING");
    List<Row> rows = session.execute("SELECT k, c1, c2 FROM " + grid + " WHERE v = '2-1-1' ALLOW FILTERING").all();
    assertEquals(1, rows.size());
    assertEquals(2, rows.get(0).getInt("k"));
    assertEquals(6, session.execute("SELECT * FROM " + grid + " WHERE k = 1 AND n >= 120 ALLOW FILTERING").all().size());
    assertEquals(16, session.execute("SELECT * FROM " + grid + " WHERE c1 = 3 ALLOW FILTERING").all().size());
    // n = 301, 302 (c1 = 0) and 310, 311, 312 (c1 = 1); n is null where c2 = 3.
    assertEquals(5, session.execute("SELECT * FROM " + grid + " WHERE k = 3 AND n > 300 AND n < 330 AND c1 < 2 ALLOW FILTERING").all().size());
  }

  @Test
  void tableWithoutClusteringColumns() {
    String t = newTable("CREATE TABLE %s (k text PRIMARY KEY, v int)");
    for (String k : List.of("a", "b", "c", "d")) {
      session.execute("INSERT INTO " + t + " (k, v) VALUES (?, ?)", k, (int) k.charAt(0));
    }
    assertEquals(List.of(98), ints("SELECT v FROM " + t + " WHERE k = 'b'"));
    assertEquals(List.of(97, 99), ints("SELECT v FROM " + t + " WHERE k IN ('a', 'c', 'zz')").stream().sorted().toList());
    assertEquals(4, session.execute("SELECT * FROM " + t).all().size());
    assertEquals(4L, session.execute("SELECT count(*) FROM " + t).one().getLong(0));
    session.execute("DELETE v FROM " + t + " WHERE k = 'a'");
    Row r = session.execute("SELECT * FROM " + t + " WHERE k = 'a'").one();
    assertTrue(r != null && r.isNull("v"));
  }
}
