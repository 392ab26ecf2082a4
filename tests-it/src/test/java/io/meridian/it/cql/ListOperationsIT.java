package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** List operations that depend on the current list: l[i] = v, l = l - [...], DELETE l[i]. */
class ListOperationsIT extends CqlTestSupport {

  private static String lists() {
    return newTable("CREATE TABLE %s (k int, c int, l list<text>, s list<int> static, PRIMARY KEY (k, c))");
  }

  private static List<String> list(String t) {
    var r = session.execute("SELECT l FROM " + t + " WHERE k = 1 AND c = 1").one();
    return r == null ? null : r.getList(0, String.class);
  }

  @Test
  void setByIndex() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b', 'c'])");
    session.execute("UPDATE " + t + " SET l[1] = 'B' WHERE k = 1 AND c = 1");
    session.execute("UPDATE " + t + " SET l[0] = 'A', l[2] = 'C' WHERE k = 1 AND c = 1");
    assertEquals(List.of("A", "B", "C"), list(t));
  }

  @Test
  void setByIndexToNullRemovesTheElement() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b', 'c'])");
    session.execute("UPDATE " + t + " SET l[1] = null WHERE k = 1 AND c = 1");
    assertEquals(List.of("a", "c"), list(t));
  }

  @Test
  void setByIndexWithBindMarkers() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b'])");
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET l[?] = ? WHERE k = 1 AND c = 1");
    session.execute(ps.bind(1, "z"));
    assertEquals(List.of("a", "z"), list(t));
  }

  @Test
  void setByIndexKeepsTtl() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b'])");
    // TTL 2, not 1: expiry is counted in whole seconds, so a 1 s TTL can be over by the next read.
    session.execute("UPDATE " + t + " USING TTL 2 SET l[0] = 'gone' WHERE k = 1 AND c = 1");
    assertEquals(List.of("gone", "b"), list(t));
  }

  @Test
  void indexOutOfBoundsAndNullListAreErrors() {
    String t = lists();
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET l[0] = 'x' WHERE k = 1 AND c = 1",
        "Attempted to set an element on a list which is null");
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b'])");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET l[2] = 'x' WHERE k = 1 AND c = 1",
        "List index 2 out of bound, list has size 2");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET l[-1] = 'x' WHERE k = 1 AND c = 1", "out of bound");
    assertError(InvalidQueryException.class, "DELETE l[5] FROM " + t + " WHERE k = 1 AND c = 1", "out of bound");
    assertError(InvalidQueryException.class, "DELETE l[0] FROM " + t + " WHERE k = 2 AND c = 2",
        "Attempted to delete an element from a list which is null");
    assertEquals(List.of("a", "b"), list(t));
  }

  @Test
  void removeByValueRemovesEveryOccurrence() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b', 'a', 'c', 'b'])");
    session.execute("UPDATE " + t + " SET l = l - ['a', 'zz'] WHERE k = 1 AND c = 1");
    assertEquals(List.of("b", "c", "b"), list(t));
    session.execute("UPDATE " + t + " SET l -= ['b'] WHERE k = 1 AND c = 1");
    assertEquals(List.of("c"), list(t));
    session.execute("UPDATE " + t + " SET l = l - ['c'] WHERE k = 1 AND c = 1");
    assertTrue(session.execute("SELECT l FROM " + t + " WHERE k = 1 AND c = 1").one().isNull(0), "an emptied list reads as null");
  }

  @Test
  void removeFromAMissingListIsANoOp() {
    String t = lists();
    session.execute("UPDATE " + t + " SET l = l - ['a'] WHERE k = 3 AND c = 3");
    assertNull(session.execute("SELECT * FROM " + t + " WHERE k = 3").one());
  }

  @Test
  void deleteByIndex() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b', 'c'])");
    session.execute("DELETE l[1] FROM " + t + " WHERE k = 1 AND c = 1");
    assertEquals(List.of("a", "c"), list(t));
    session.execute("DELETE l[0] FROM " + t + " WHERE k = 1 AND c = 1");
    assertEquals(List.of("c"), list(t));
  }

  @Test
  void staticListOperations() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, s) VALUES (1, 1, [1, 2, 3])");
    session.execute("UPDATE " + t + " SET s[0] = 10 WHERE k = 1");
    session.execute("UPDATE " + t + " SET s = s - [2] WHERE k = 1");
    session.execute("DELETE s[1] FROM " + t + " WHERE k = 1");
    assertEquals(List.of(10), session.execute("SELECT s FROM " + t + " WHERE k = 1").one().getList(0, Integer.class));
  }

  @Test
  void loggedBatchWithListOperationsStaysAtomic() {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['a', 'b'])");
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (2, 1, ['x'])");
    session.execute("BEGIN BATCH UPDATE " + t + " SET l[0] = 'A' WHERE k = 1 AND c = 1; "
        + "UPDATE " + t + " SET l = l - ['x'] WHERE k = 2 AND c = 1; APPLY BATCH");
    assertEquals(List.of("A", "b"), list(t));
    assertTrue(session.execute("SELECT l FROM " + t + " WHERE k = 2 AND c = 1").one().isNull(0));
    assertError(InvalidQueryException.class, "BEGIN BATCH UPDATE " + t + " SET l[0] = 'never' WHERE k = 1 AND c = 1; "
        + "UPDATE " + t + " SET l[9] = 'x' WHERE k = 1 AND c = 1; APPLY BATCH", "out of bound");
    assertEquals(List.of("A", "b"), list(t), "a failing batch writes nothing");
  }

  @Test
  void concurrentIndexUpdatesAndAppendsKeepEveryElement() throws Exception {
    String t = lists();
    session.execute("INSERT INTO " + t + " (k, c, l) VALUES (1, 1, ['0', '0', '0', '0'])");
    PreparedStatement set = session.prepare("UPDATE " + t + " SET l[?] = ? WHERE k = 1 AND c = 1");
    PreparedStatement append = session.prepare("UPDATE " + t + " SET l = l + ? WHERE k = 1 AND c = 1");
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(session.executeAsync(set.bind(i % 4, "v" + i)).toCompletableFuture());
      all.add(session.executeAsync(append.bind(List.of("e" + i))).toCompletableFuture());
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    List<String> l = list(t);
    assertEquals(44, l.size(), "index updates replace in place; appends add: " + l);
  }
}
