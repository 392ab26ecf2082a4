package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Static columns: one value per partition, their edge cases, and paging through wide partitions. */
class StaticColumnsIT extends CqlTestSupport {

  private static String table() {
    return newTable("CREATE TABLE %s (k int, c int, s text static, v int, PRIMARY KEY (k, c))");
  }

  private static List<Object> values(Row r) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < r.getColumnDefinitions().size(); i++) {
      out.add(r.getObject(i));
    }
    return out;
  }

  @Test
  void oneValueSharedByEveryRowOfThePartition() {
    String t = table();
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 1, 'a', 10)");
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 2, 'b', 20)");
    List<Row> rows = session.execute("SELECT c, s, v FROM " + t + " WHERE k = 1").all();
    assertEquals(List.of(1, "b", 10), values(rows.get(0)), "the later static write wins for every row");
    assertEquals(List.of(2, "b", 20), values(rows.get(1)));
  }

  @Test
  void aPartitionWithOnlyAStaticValue() {
    String t = table();
    session.execute("INSERT INTO " + t + " (k, s) VALUES (1, 'only')");
    assertEquals(Arrays.asList(1, null, "only", null), values(session.execute("SELECT * FROM " + t + " WHERE k = 1").one()));
    assertTrue(session.execute("SELECT * FROM " + t + " WHERE k = 1 AND c = 1").all().isEmpty(),
        "a clustering restriction excludes the static-only row");
    assertEquals(1L, session.execute("SELECT count(*) FROM " + t + " WHERE k = 1").one().getLong(0));
    assertEquals(List.of(1, "only"), values(session.execute("SELECT DISTINCT k, s FROM " + t).one()));
  }

  @Test
  void updateOfAStaticColumnNeedsOnlyThePartitionKey() {
    String t = table();
    session.execute("UPDATE " + t + " SET s = 'x' WHERE k = 2");
    assertEquals("x", session.execute("SELECT s FROM " + t + " WHERE k = 2").one().getString(0));
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET v = 1 WHERE k = 2", "Some clustering keys are missing");
  }

  @Test
  void deletingEveryRowKeepsTheStaticValue() {
    String t = table();
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 1, 'a', 10)");
    session.execute("DELETE FROM " + t + " WHERE k = 1 AND c = 1");
    assertEquals(Arrays.asList(1, null, "a", null), values(session.execute("SELECT * FROM " + t + " WHERE k = 1").one()));
    session.execute("DELETE FROM " + t + " WHERE k = 1");
    assertNull(session.execute("SELECT * FROM " + t + " WHERE k = 1").one(), "a partition deletion removes the static value");
  }

  @Test
  void rangeDeletionDoesNotTouchTheStaticValue() {
    String t = table();
    for (int c = 0; c < 5; c++) {
      session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, ?, 's', ?)", c, c);
    }
    session.execute("DELETE FROM " + t + " WHERE k = 1 AND c >= 0");
    assertEquals(Arrays.asList(1, null, "s", null), values(session.execute("SELECT * FROM " + t + " WHERE k = 1").one()));
  }

  @Test
  void deletingTheStaticColumnOnly() {
    String t = table();
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 1, 'a', 10)");
    session.execute("DELETE s FROM " + t + " WHERE k = 1");
    assertEquals(Arrays.asList(1, 1, null, 10), values(session.execute("SELECT * FROM " + t + " WHERE k = 1").one()));
  }

  @Test
  void staticValueWithTtlExpiresAlone() throws Exception {
    String t = table();
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 1, 10)");
    // TTL 2, not 1: expiry is counted in whole seconds, so a 1 s TTL written late in a second can
    // be over by the read right after it (seen once in CI).
    session.execute("UPDATE " + t + " USING TTL 2 SET s = 'brief' WHERE k = 1");
    assertEquals("brief", session.execute("SELECT s FROM " + t + " WHERE k = 1").one().getString(0));
    Thread.sleep(3100);
    assertEquals(Arrays.asList(1, 1, null, 10), values(session.execute("SELECT * FROM " + t + " WHERE k = 1").one()));
  }

  @Test
  void writetimeAndTtlOfAStaticColumn() {
    String t = table();
    session.execute("UPDATE " + t + " USING TIMESTAMP 1234 AND TTL 500 SET s = 'w' WHERE k = 1");
    Row r = session.execute("SELECT writetime(s), ttl(s) FROM " + t + " WHERE k = 1").one();
    assertEquals(1234L, r.getLong(0));
    assertTrue(r.getInt(1) > 490 && r.getInt(1) <= 500);
  }

  @Test
  void olderStaticWriteLosesToNewer() {
    String t = table();
    session.execute("UPDATE " + t + " USING TIMESTAMP 20 SET s = 'new' WHERE k = 1");
    session.execute("UPDATE " + t + " USING TIMESTAMP 10 SET s = 'old' WHERE k = 1");
    assertEquals("new", session.execute("SELECT s FROM " + t + " WHERE k = 1").one().getString(0));
  }

  @Test
  void filteringOnAStaticColumn() {
    String t = table();
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 1, 'yes', 1)");
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 2, 'yes', 2)");
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (2, 1, 'no', 3)");
    List<Integer> vs = column(session.execute("SELECT v FROM " + t + " WHERE s = 'yes' ALLOW FILTERING"), r -> r.getInt(0));
    assertEquals(List.of(1, 2), vs);
  }

  @Test
  void descendingOrderKeepsTheStaticValue() {
    String t = table();
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 1, 'a', 1)");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 2, 2)");
    List<Row> rows = session.execute("SELECT c, s FROM " + t + " WHERE k = 1 ORDER BY c DESC").all();
    assertEquals(List.of(2, "a"), values(rows.get(0)));
    assertEquals(List.of(1, "a"), values(rows.get(1)));
  }

  @Test
  void pagingThroughAWidePartitionCarriesTheStaticValueOnEveryPage() {
    String t = table();
    session.execute("UPDATE " + t + " SET s = 'shared' WHERE k = 1");
    for (int c = 0; c < 53; c++) {
      session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, ?, ?)", c, c);
    }
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT c, s FROM " + t + " WHERE k = 1").setPageSize(7));
    List<Integer> seen = new ArrayList<>();
    int pages = 1;
    for (Row r : rs) {
      assertEquals("shared", r.getString("s"), "row " + r.getInt("c"));
      seen.add(r.getInt("c"));
      if (rs.getAvailableWithoutFetching() == 0 && !rs.isFullyFetched()) {
        pages++;
      }
    }
    assertEquals(53, seen.size());
    for (int i = 0; i < 53; i++) {
      assertEquals(i, seen.get(i));
    }
    assertTrue(pages >= 7, "paged in " + pages + " pages");
  }

  @Test
  void pagingAcrossPartitionsWithStaticOnlyOnes() {
    String t = table();
    for (int k = 0; k < 10; k++) {
      session.execute("UPDATE " + t + " SET s = ? WHERE k = ?", "s" + k, k);
      if (k % 2 == 0) {
        for (int c = 0; c < 3; c++) {
          session.execute("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?)", k, c, c);
        }
      }
    }
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT k, c, s FROM " + t).setPageSize(4));
    int rows = 0;
    int staticOnly = 0;
    for (Row r : rs) {
      rows++;
      assertEquals("s" + r.getInt("k"), r.getString("s"));
      if (r.isNull("c")) {
        staticOnly++;
      }
    }
    assertEquals(5 * 3 + 5, rows, "five partitions with three rows and five with only a static value");
    assertEquals(5, staticOnly);
  }

  @Test
  void limitCountsTheStaticOnlyRow() {
    String t = table();
    session.execute("UPDATE " + t + " SET s = 'a' WHERE k = 1");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (2, 1, 1)");
    assertEquals(1, session.execute("SELECT * FROM " + t + " LIMIT 1").all().size());
    assertEquals(2, session.execute("SELECT * FROM " + t + " LIMIT 5").all().size());
  }

  @Test
  void staticColumnRules() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".a (k int PRIMARY KEY, s int static)", "static");
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".b (k int, c int static, PRIMARY KEY (k, c))", "static");
    String t = table();
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, c, s) VALUES (1, null, 'x')", "null");
  }

  @Test
  void staticCollection() {
    String t = newTable("CREATE TABLE %s (k int, c int, tags set<text> static, PRIMARY KEY (k, c))");
    session.execute("UPDATE " + t + " SET tags = tags + {'a'} WHERE k = 1");
    session.execute("UPDATE " + t + " SET tags = tags + {'b'} WHERE k = 1");
    session.execute("INSERT INTO " + t + " (k, c) VALUES (1, 1)");
    assertEquals(java.util.Set.of("a", "b"), session.execute("SELECT tags FROM " + t + " WHERE k = 1 AND c = 1").one().getSet(0, String.class));
  }
}
