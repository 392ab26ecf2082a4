package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Counter tables: increments and decrements, their rules and errors, batches, concurrency. */
class CountersIT extends CqlTestSupport {

  private static String counters() {
    return newTable("CREATE TABLE %s (k int, c int, n counter, m counter, PRIMARY KEY (k, c))");
  }

  private static Long n(String t, int k, int c) {
    Row r = session.execute("SELECT n FROM " + t + " WHERE k = ? AND c = ?", k, c).one();
    return r == null || r.isNull(0) ? null : r.getLong(0);
  }

  @Test
  void incrementAndDecrement() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + 5 WHERE k = 1 AND c = 1");
    session.execute("UPDATE " + t + " SET n = n + 2, m = m - 3 WHERE k = 1 AND c = 1");
    session.execute("UPDATE " + t + " SET n = n - 1 WHERE k = 1 AND c = 1");
    Row r = session.execute("SELECT n, m FROM " + t + " WHERE k = 1 AND c = 1").one();
    assertEquals(6L, r.getLong("n"));
    assertEquals(-3L, r.getLong("m"));
  }

  @Test
  void counterColumnsAreTypedCounter() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 1");
    var defs = session.execute("SELECT n FROM " + t).getColumnDefinitions();
    assertEquals(DataTypes.COUNTER, defs.get(0).getType());
  }

  @Test
  void aNeverIncrementedCounterIsAbsent() {
    String t = counters();
    assertNull(n(t, 9, 9));
    session.execute("UPDATE " + t + " SET m = m + 1 WHERE k = 9 AND c = 9");
    assertNull(n(t, 9, 9), "n was never touched");
  }

  @Test
  void incrementByZeroCreatesTheRow() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + 0 WHERE k = 2 AND c = 2");
    assertEquals(0L, n(t, 2, 2));
  }

  @Test
  void preparedIncrementsWithBindMarkers() {
    String t = counters();
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET n = n + ? WHERE k = ? AND c = ?");
    assertEquals(DataTypes.COUNTER, ps.getVariableDefinitions().get(0).getType());
    for (int i = 1; i <= 10; i++) {
      session.execute(ps.bind((long) i, 1, 1));
    }
    assertEquals(55L, n(t, 1, 1));
  }

  @Test
  void unsetIncrementLeavesTheCounterAlone() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + 4 WHERE k = 1 AND c = 1");
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET n = n + ?, m = m + ? WHERE k = 1 AND c = 1");
    session.execute(ps.bind().unset(0).setLong(1, 2L));
    assertEquals(4L, n(t, 1, 1));
  }

  @Test
  void nullIncrementIsAnError() {
    String t = counters();
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET n = n + ? WHERE k = 1 AND c = 1");
    assertError(InvalidQueryException.class, () -> session.execute(ps.bind((Object) null)), "Invalid null value for counter increment");
  }

  @Test
  void inOnKeysUpdatesEveryRow() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + 1 WHERE k IN (1, 2) AND c IN (1, 2)");
    session.execute("UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c IN (1, 2)");
    assertEquals(2L, n(t, 1, 1));
    assertEquals(2L, n(t, 1, 2));
    assertEquals(1L, n(t, 2, 1));
    assertEquals(1L, n(t, 2, 2));
  }

  @Test
  void overflowWraps() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + " + Long.MAX_VALUE + " WHERE k = 1 AND c = 1");
    session.execute("UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 1");
    assertEquals(Long.MIN_VALUE, n(t, 1, 1));
  }

  @Test
  void deleteRemovesTheCounterAndLaterIncrementsStartAgain() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + 7 WHERE k = 1 AND c = 1");
    session.execute("DELETE n FROM " + t + " WHERE k = 1 AND c = 1");
    assertNull(n(t, 1, 1));
    session.execute("UPDATE " + t + " SET n = n + 7, m = m + 1 WHERE k = 1 AND c = 1");
    session.execute("DELETE FROM " + t + " WHERE k = 1 AND c = 1");
    assertTrue(session.execute("SELECT * FROM " + t + " WHERE k = 1").all().isEmpty());
    session.execute("UPDATE " + t + " SET n = n + 2 WHERE k = 1 AND c = 1");
    assertEquals(2L, n(t, 1, 1));
  }

  @Test
  void staticCounters() {
    String t = newTable("CREATE TABLE %s (k int, c int, total counter static, n counter, PRIMARY KEY (k, c))");
    session.execute("UPDATE " + t + " SET total = total + 10 WHERE k = 1");
    session.execute("UPDATE " + t + " SET n = n + 1, total = total + 1 WHERE k = 1 AND c = 1");
    session.execute("UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 2");
    List<Row> rows = session.execute("SELECT c, total, n FROM " + t + " WHERE k = 1").all();
    assertEquals(2, rows.size());
    assertEquals(11L, rows.get(0).getLong("total"));
    assertEquals(11L, rows.get(1).getLong("total"));
  }

  @Test
  void counterRules() {
    String t = counters();
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, c, n) VALUES (1, 1, 1)",
        "INSERT statements are not allowed on counter tables, use UPDATE instead");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET n = 5 WHERE k = 1 AND c = 1",
        "Cannot set the value of counter column n");
    assertError(InvalidQueryException.class, "UPDATE " + t + " USING TIMESTAMP 5 SET n = n + 1 WHERE k = 1 AND c = 1",
        "Cannot provide custom timestamp for counter updates");
    assertError(InvalidQueryException.class, "UPDATE " + t + " USING TTL 5 SET n = n + 1 WHERE k = 1 AND c = 1",
        "Cannot provide custom TTL for counter updates");
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET n = n + 1 WHERE k = 1",
        "Some clustering keys are missing");
  }

  @Test
  void schemaRules() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".mixed (k int PRIMARY KEY, n counter, v int)",
        "counter");
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".keyed (k counter PRIMARY KEY, v counter)",
        "counter type is not supported for PRIMARY KEY column");
    assertError(InvalidQueryException.class,
        "CREATE TABLE " + ks + ".ttl (k int PRIMARY KEY, n counter) WITH default_time_to_live = 5", "default_time_to_live");
    session.execute("CREATE TABLE " + ks + ".ok (k int PRIMARY KEY, n counter)");
    assertError(InvalidQueryException.class, "ALTER TABLE " + ks + ".ok ADD v int",
        "Cannot add a non counter column (v) in a counter column family");
  }

  @Test
  void counterBatches() {
    String t = counters();
    session.execute("BEGIN COUNTER BATCH UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 1; "
        + "UPDATE " + t + " SET n = n + 2 WHERE k = 2 AND c = 1; UPDATE " + t + " SET n = n + 3 WHERE k = 1 AND c = 1; APPLY BATCH");
    assertEquals(4L, n(t, 1, 1));
    assertEquals(2L, n(t, 2, 1));
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET n = n + ? WHERE k = ? AND c = ?");
    session.execute(BatchStatement.newInstance(DefaultBatchType.COUNTER, ps.bind(10L, 1, 1), ps.bind(1L, 3, 3)));
    assertEquals(14L, n(t, 1, 1));
    assertEquals(1L, n(t, 3, 3));
  }

  @Test
  void batchMixingRules() {
    String t = counters();
    String plain = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int)");
    assertError(InvalidQueryException.class, "BEGIN BATCH UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 1; APPLY BATCH",
        "Cannot include a counter statement in a logged batch");
    assertError(InvalidQueryException.class, "BEGIN COUNTER BATCH INSERT INTO " + plain + " (k, v) VALUES (1, 1); APPLY BATCH",
        "Cannot include non-counter statement in a counter batch");
    assertError(InvalidQueryException.class, "BEGIN UNLOGGED BATCH UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 1; "
        + "INSERT INTO " + plain + " (k, v) VALUES (1, 1); APPLY BATCH", "Counter and non-counter mutations cannot exist in the same batch");
    assertError(InvalidQueryException.class, "BEGIN COUNTER BATCH USING TIMESTAMP 5 UPDATE " + t
        + " SET n = n + 1 WHERE k = 1 AND c = 1; APPLY BATCH", "Cannot provide custom timestamp for counter BATCH");
    assertNull(n(t, 1, 1), "no refused batch wrote anything");
  }

  @Test
  void concurrentIncrementsAreNeverLost() throws Exception {
    String t = counters();
    PreparedStatement ps = session.prepare("UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 1");
    int clients = 8;
    int each = 100;
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      all.add(CompletableFuture.runAsync(() -> {
        List<CompletableFuture<?>> mine = new ArrayList<>();
        for (int i = 0; i < each; i++) {
          mine.add(session.executeAsync(ps.bind()).toCompletableFuture());
        }
        CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new)).join();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    assertEquals((long) clients * each, n(t, 1, 1));
  }

  @Test
  void countersSurviveARestart() {
    String t = counters();
    session.execute("UPDATE " + t + " SET n = n + 41 WHERE k = 1 AND c = 1");
    session.close();
    node.restart();
    session = session();
    session.execute("UPDATE " + t + " SET n = n + 1 WHERE k = 1 AND c = 1");
    assertEquals(42L, n(t, 1, 1));
  }
}
