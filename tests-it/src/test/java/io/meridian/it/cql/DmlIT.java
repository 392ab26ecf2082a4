package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** INSERT, UPDATE, DELETE, TTL, timestamps, nulls, unset values and batches. */
class DmlIT extends CqlTestSupport {

  private static String kv() {
    return newTable("CREATE TABLE %s (k int PRIMARY KEY, a int, b text)");
  }

  private static String wide() {
    String t = newTable("CREATE TABLE %s (k int, c int, v int, PRIMARY KEY (k, c))");
    for (int k = 0; k < 2; k++) {
      for (int c = 0; c < 10; c++) {
        session.execute("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?)", k, c, c * 10);
      }
    }
    return t;
  }

  private static List<Integer> clusterings(String t, int k) {
    return ints("SELECT c FROM " + t + " WHERE k = ?", k);
  }

  // ---- INSERT / UPDATE ----

  @Test
  void insertThenSelect() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 2, 'x')");
    Row r = session.execute("SELECT k, a, b FROM " + t + " WHERE k = 1").one();
    assertEquals(1, r.getInt("k"));
    assertEquals(2, r.getInt("a"));
    assertEquals("x", r.getString("b"));
  }

  @Test
  void insertIsAnUpsertThatMergesColumns() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a) VALUES (1, 2)");
    session.execute("INSERT INTO " + t + " (k, b) VALUES (1, 'y')");
    Row r = session.execute("SELECT a, b FROM " + t + " WHERE k = 1").one();
    assertEquals(2, r.getInt("a"));
    assertEquals("y", r.getString("b"));
    assertEquals(1, session.execute("SELECT * FROM " + t).all().size());
  }

  @Test
  void insertOfOnlyTheKeyCreatesARowWithNulls() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k) VALUES (7)");
    Row r = session.execute("SELECT * FROM " + t + " WHERE k = 7").one();
    assertNotNull(r);
    assertTrue(r.isNull("a"));
    assertTrue(r.isNull("b"));
  }

  @Test
  void insertOfNullDeletesTheColumnButKeepsTheRow() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 2, 'x')");
    session.execute("INSERT INTO " + t + " (k, a) VALUES (1, null)");
    Row r = session.execute("SELECT a, b, writetime(a) FROM " + t + " WHERE k = 1").one();
    assertTrue(r.isNull("a"));
    assertTrue(r.isNull(2), "a tombstone has no writetime");
    assertEquals("x", r.getString("b"));
  }

  @Test
  void insertOfNullThroughAPreparedStatement() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 2, 'x')");
    PreparedStatement ps = session.prepare("INSERT INTO " + t + " (k, a, b) VALUES (?, ?, ?)");
    session.execute(ps.bind(1, null, "z"));
    Row r = session.execute("SELECT a, b FROM " + t + " WHERE k = 1").one();
    assertTrue(r.isNull("a"));
    assertEquals("z", r.getString("b"));
  }

  @Test
  void unsetValuesLeaveColumnsUntouched() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 2, 'x')");
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, a, b) VALUES (?, ?, ?)");
    session.execute(insert.bind().setInt(0, 1).setInt(1, 3)); // b left unset
    Row r = session.execute("SELECT a, b FROM " + t + " WHERE k = 1").one();
    assertEquals(3, r.getInt("a"));
    assertEquals("x", r.getString("b"));
    PreparedStatement update = session.prepare("UPDATE " + t + " SET a = ?, b = ? WHERE k = ?");
    BoundStatement bs = update.bind(null, "w", 1).unset(0);
    session.execute(bs);
    r = session.execute("SELECT a, b FROM " + t + " WHERE k = 1").one();
    assertEquals(3, r.getInt("a"));
    assertEquals("w", r.getString("b"));
  }

  @Test
  void unsetTtlAndTimestampFallBackToDefaults() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int) WITH default_time_to_live = 500");
    PreparedStatement ps = session.prepare("INSERT INTO " + t + " (k, v) VALUES (?, ?) USING TTL ? AND TIMESTAMP ?");
    long before = System.currentTimeMillis() * 1000;
    session.execute(ps.bind(1, 1).unset(2).unset(3));
    Row r = session.execute("SELECT ttl(v), writetime(v) FROM " + t + " WHERE k = 1").one();
    assertTrue(r.getInt(0) > 400 && r.getInt(0) <= 500, "unset TTL means the table default, got " + r.getInt(0));
    assertTrue(r.getLong(1) >= before - 5_000_000, "unset timestamp means 'now', got " + r.getLong(1));
  }

  @Test
  void nullTtlMeansNoTtl() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int) WITH default_time_to_live = 500");
    PreparedStatement ps = session.prepare("INSERT INTO " + t + " (k, v) VALUES (?, ?) USING TTL ?");
    session.execute(ps.bind(1, 1, null));
    assertTrue(session.execute("SELECT ttl(v) FROM " + t + " WHERE k = 1").one().isNull(0));
  }

  @Test
  void updateCreatesColumnsWithoutARowMarker() {
    String t = kv();
    session.execute("UPDATE " + t + " SET a = 5 WHERE k = 1");
    assertEquals(5, session.execute("SELECT a FROM " + t + " WHERE k = 1").one().getInt(0));
    // No primary key liveness: once its only column is gone, the row is gone.
    session.execute("UPDATE " + t + " SET a = null WHERE k = 1");
    assertNull(session.execute("SELECT * FROM " + t + " WHERE k = 1").one());
    // An INSERTed row survives the same update.
    session.execute("INSERT INTO " + t + " (k, a) VALUES (2, 5)");
    session.execute("UPDATE " + t + " SET a = null WHERE k = 2");
    assertNotNull(session.execute("SELECT * FROM " + t + " WHERE k = 2").one());
  }

  @Test
  void updateWithInOnPartitionAndClusteringKeys() {
    String t = wide();
    session.execute("UPDATE " + t + " SET v = -1 WHERE k IN (0, 1) AND c IN (2, 4)");
    for (int k = 0; k < 2; k++) {
      List<Integer> v = ints("SELECT v FROM " + t + " WHERE k = ?", k);
      assertEquals(List.of(0, 10, -1, 30, -1, 50, 60, 70, 80, 90), v);
    }
  }

  @Test
  void updateOnCompositeKeyTable() {
    String t = newTable("CREATE TABLE %s (a int, b text, c int, d int, v int, PRIMARY KEY ((a, b), c, d))");
    session.execute("UPDATE " + t + " SET v = 1 WHERE a = 1 AND b = 'x' AND c = 2 AND d = 3");
    Row r = session.execute("SELECT * FROM " + t).one();
    assertEquals(1, r.getInt("a"));
    assertEquals("x", r.getString("b"));
    assertEquals(2, r.getInt("c"));
    assertEquals(3, r.getInt("d"));
    assertEquals(1, r.getInt("v"));
  }

  // ---- DELETE ----

  @Test
  void deleteSingleRow() {
    String t = wide();
    session.execute("DELETE FROM " + t + " WHERE k = 0 AND c = 3");
    assertEquals(List.of(0, 1, 2, 4, 5, 6, 7, 8, 9), clusterings(t, 0));
    assertEquals(10, clusterings(t, 1).size());
  }

  @Test
  void deletePartition() {
    String t = wide();
    session.execute("DELETE FROM " + t + " WHERE k = 0");
    assertEquals(List.of(), clusterings(t, 0));
    assertEquals(10, clusterings(t, 1).size());
  }

  @Test
  void deletePartitionsByIn() {
    String t = wide();
    session.execute("DELETE FROM " + t + " WHERE k IN (0, 1)");
    assertEquals(0, session.execute("SELECT * FROM " + t).all().size());
  }

  @Test
  void deleteRowsByClusteringIn() {
    String t = wide();
    session.execute("DELETE FROM " + t + " WHERE k = 1 AND c IN (0, 9, 5)");
    assertEquals(List.of(1, 2, 3, 4, 6, 7, 8), clusterings(t, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "c > 2 AND c <= 5|0,1,2,6,7,8,9",
      "c >= 2 AND c < 5|0,1,5,6,7,8,9",
      "c > 7|0,1,2,3,4,5,6,7",
      "c >= 7|0,1,2,3,4,5,6",
      "c < 3|3,4,5,6,7,8,9",
      "c <= 3|4,5,6,7,8,9",
      "c > 3 AND c < 4|0,1,2,3,4,5,6,7,8,9",
  })
  void deleteClusteringSlice(String spec) {
    String t = wide();
    String[] parts = spec.split("\\|");
    session.execute("DELETE FROM " + t + " WHERE k = 0 AND " + parts[0]);
    assertEquals(parts[1], String.join(",", clusterings(t, 0).stream().map(String::valueOf).toList()));
    assertEquals(10, clusterings(t, 1).size(), "the other partition is untouched");
  }

  @Test
  void deleteSliceOnDescendingClusteringAndUnderAPrefix() {
    String t = newTable("CREATE TABLE %s (k int, c1 int, c2 int, v int, PRIMARY KEY (k, c1, c2)) WITH CLUSTERING ORDER BY (c1 ASC, c2 DESC)");
    for (int c1 = 0; c1 < 3; c1++) {
      for (int c2 = 0; c2 < 4; c2++) {
        session.execute("INSERT INTO " + t + " (k, c1, c2, v) VALUES (0, ?, ?, 0)", c1, c2);
      }
    }
    session.execute("DELETE FROM " + t + " WHERE k = 0 AND c1 = 1 AND c2 >= 1 AND c2 < 3");
    assertEquals(List.of("0:3", "0:2", "0:1", "0:0", "1:3", "1:0", "2:3", "2:2", "2:1", "2:0"),
        pairs(session.execute("SELECT c1, c2 FROM " + t + " WHERE k = 0"), "c1", "c2"));
    session.execute("DELETE FROM " + t + " WHERE k = 0 AND c1 = 2");
    assertEquals(List.of("0:3", "0:2", "0:1", "0:0", "1:3", "1:0"),
        pairs(session.execute("SELECT c1, c2 FROM " + t + " WHERE k = 0"), "c1", "c2"));
    session.execute("DELETE FROM " + t + " WHERE k = 0 AND (c1, c2) <= (0, 1)");
    assertEquals(List.of("0:3", "0:2", "1:3", "1:0"),
        pairs(session.execute("SELECT c1, c2 FROM " + t + " WHERE k = 0"), "c1", "c2"));
  }

  @Test
  void deleteSingleColumn() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 2, 'x')");
    session.execute("DELETE a FROM " + t + " WHERE k = 1");
    Row r = session.execute("SELECT a, b FROM " + t + " WHERE k = 1").one();
    assertTrue(r.isNull("a"));
    assertEquals("x", r.getString("b"));
  }

  @Test
  void deleteColumnOfClusteredRow() {
    String t = wide();
    session.execute("DELETE v FROM " + t + " WHERE k = 0 AND c = 4");
    Row r = session.execute("SELECT c, v FROM " + t + " WHERE k = 0 AND c = 4").one();
    assertNotNull(r, "the row itself still exists");
    assertTrue(r.isNull("v"));
  }

  @Test
  void insertAfterDeleteIsVisible() {
    String t = wide();
    session.execute("DELETE FROM " + t + " WHERE k = 0");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (0, 3, 3)");
    assertEquals(List.of(3), clusterings(t, 0));
  }

  // ---- TTL and timestamps ----

  @Test
  void usingTimestampSetsWritetime() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 1, 'x') USING TIMESTAMP 123456789");
    Row r = session.execute("SELECT writetime(a), writetime(b) FROM " + t + " WHERE k = 1").one();
    assertEquals(123456789L, r.getLong(0));
    assertEquals(123456789L, r.getLong(1));
    session.execute("UPDATE " + t + " USING TIMESTAMP 223456789 SET b = 'y' WHERE k = 1");
    r = session.execute("SELECT writetime(a), writetime(b) FROM " + t + " WHERE k = 1").one();
    assertEquals(123456789L, r.getLong(0));
    assertEquals(223456789L, r.getLong(1));
  }

  @Test
  void olderTimestampLosesLastWriteWins() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a) VALUES (1, 2) USING TIMESTAMP 2000");
    session.execute("INSERT INTO " + t + " (k, a) VALUES (1, 1) USING TIMESTAMP 1000");
    assertEquals(2, session.execute("SELECT a FROM " + t + " WHERE k = 1").one().getInt(0));
    session.execute("UPDATE " + t + " USING TIMESTAMP 1500 SET a = 3 WHERE k = 1");
    assertEquals(2, session.execute("SELECT a FROM " + t + " WHERE k = 1").one().getInt(0));
    session.execute("UPDATE " + t + " USING TIMESTAMP 2001 SET a = 4 WHERE k = 1");
    assertEquals(4, session.execute("SELECT a FROM " + t + " WHERE k = 1").one().getInt(0));
  }

  @Test
  void deleteWithOlderTimestampKeepsNewerData() {
    String t = wide();
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (5, 1, 1) USING TIMESTAMP 2000");
    session.execute("DELETE FROM " + t + " USING TIMESTAMP 1000 WHERE k = 5");
    session.execute("DELETE FROM " + t + " USING TIMESTAMP 1000 WHERE k = 5 AND c = 1");
    session.execute("DELETE v FROM " + t + " USING TIMESTAMP 1000 WHERE k = 5 AND c = 1");
    session.execute("DELETE FROM " + t + " USING TIMESTAMP 1000 WHERE k = 5 AND c >= 0");
    assertEquals(1, session.execute("SELECT v FROM " + t + " WHERE k = 5 AND c = 1").one().getInt(0));
    // A newer delete wins, and data older than it stays shadowed.
    session.execute("DELETE FROM " + t + " USING TIMESTAMP 3000 WHERE k = 5");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (5, 2, 2) USING TIMESTAMP 2500");
    assertEquals(List.of(), clusterings(t, 5));
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (5, 2, 2) USING TIMESTAMP 3001");
    assertEquals(List.of(2), clusterings(t, 5));
  }

  @Test
  void driverClientTimestampIsUsed() {
    String t = kv();
    session.execute(SimpleStatement.newInstance("INSERT INTO " + t + " (k, a) VALUES (1, 1)").setQueryTimestamp(42L));
    assertEquals(42L, session.execute("SELECT writetime(a) FROM " + t + " WHERE k = 1").one().getLong(0));
  }

  @Test
  void usingTtlSetsTtlAndCombinesWithTimestamp() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a) VALUES (1, 1) USING TTL 1000 AND TIMESTAMP 777");
    Row r = session.execute("SELECT ttl(a), writetime(a) FROM " + t + " WHERE k = 1").one();
    assertTrue(r.getInt(0) > 990 && r.getInt(0) <= 1000, "ttl " + r.getInt(0));
    assertEquals(777L, r.getLong(1));
    session.execute("UPDATE " + t + " USING TTL 50 SET b = 'x' WHERE k = 1");
    r = session.execute("SELECT ttl(a), ttl(b) FROM " + t + " WHERE k = 1").one();
    assertTrue(r.getInt(1) > 40 && r.getInt(1) <= 50, "ttl " + r.getInt(1));
    assertTrue(r.getInt(0) > 900, "the other column keeps its own TTL");
  }

  @Test
  void preparedTtlAndTimestamp() {
    String t = kv();
    PreparedStatement ps = session.prepare("INSERT INTO " + t + " (k, a) VALUES (?, ?) USING TTL ? AND TIMESTAMP ?");
    session.execute(ps.bind(1, 1, 300, 999L));
    Row r = session.execute("SELECT ttl(a), writetime(a) FROM " + t + " WHERE k = 1").one();
    assertTrue(r.getInt(0) > 290 && r.getInt(0) <= 300);
    assertEquals(999L, r.getLong(1));
  }

  @Test
  void ttlExpiresCellsAndRows() throws InterruptedException {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 1, 'x') USING TTL 1");
    session.execute("INSERT INTO " + t + " (k, a) VALUES (2, 2)");
    session.execute("UPDATE " + t + " USING TTL 1 SET b = 'short' WHERE k = 2");
    Thread.sleep(2100);
    assertNull(session.execute("SELECT * FROM " + t + " WHERE k = 1").one(), "the whole row expired");
    Row r = session.execute("SELECT a, b FROM " + t + " WHERE k = 2").one();
    assertEquals(2, r.getInt("a"));
    assertTrue(r.isNull("b"), "the expiring cell is gone");
  }

  @Test
  void negativeOrTooLargeTtlIsRejected() {
    String t = kv();
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, a) VALUES (1, 1) USING TTL -1", "ttl");
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (k, a) VALUES (1, 1) USING TTL 630720001", "ttl");
  }

  // ---- batches ----

  @Test
  void loggedTextBatch() {
    String t = kv();
    session.execute("BEGIN BATCH "
        + "INSERT INTO " + t + " (k, a) VALUES (1, 1); "
        + "INSERT INTO " + t + " (k, a) VALUES (2, 2); "
        + "UPDATE " + t + " SET b = 'x' WHERE k = 1; "
        + "DELETE FROM " + t + " WHERE k = 3; "
        + "APPLY BATCH");
    assertEquals(List.of(1, 2), ints("SELECT k FROM " + t + " WHERE k IN (1, 2, 3)"));
    assertEquals("x", session.execute("SELECT b FROM " + t + " WHERE k = 1").one().getString(0));
  }

  @Test
  void unloggedTextBatchWithBatchLevelTimestamp() {
    String t = kv();
    session.execute("BEGIN UNLOGGED BATCH USING TIMESTAMP 5000 "
        + "INSERT INTO " + t + " (k, a) VALUES (1, 1); "
        + "INSERT INTO " + t + " (k, a) VALUES (2, 2) "
        + "APPLY BATCH");
    assertEquals(List.of(5000L, 5000L),
        column(session.execute("SELECT writetime(a) FROM " + t + " WHERE k IN (1, 2)"), r -> r.getLong(0)));
    // Older batch loses against newer data.
    session.execute("BEGIN BATCH USING TIMESTAMP 4000 UPDATE " + t + " SET a = 9 WHERE k = 1 APPLY BATCH");
    assertEquals(1, session.execute("SELECT a FROM " + t + " WHERE k = 1").one().getInt(0));
  }

  @Test
  void batchInsertThenDeleteWithSameTimestampDeletes() {
    String t = kv();
    // Same timestamp: the tombstone wins, as in Cassandra.
    session.execute("BEGIN BATCH USING TIMESTAMP 100 "
        + "INSERT INTO " + t + " (k, a) VALUES (1, 1); "
        + "DELETE FROM " + t + " WHERE k = 1; "
        + "APPLY BATCH");
    assertNull(session.execute("SELECT * FROM " + t + " WHERE k = 1").one());
  }

  @Test
  void timestampOnBothBatchAndStatementIsRejected() {
    String t = kv();
    assertError(InvalidQueryException.class, "BEGIN BATCH USING TIMESTAMP 1 "
        + "INSERT INTO " + t + " (k, a) VALUES (1, 1) USING TIMESTAMP 2; APPLY BATCH", "timestamp");
  }

  @Test
  void batchWithBindMarkersInSimpleStatement() {
    String t = kv();
    session.execute("BEGIN BATCH INSERT INTO " + t + " (k, a) VALUES (?, ?); INSERT INTO " + t + " (k, b) VALUES (?, ?); APPLY BATCH",
        1, 10, 2, "two");
    assertEquals(10, session.execute("SELECT a FROM " + t + " WHERE k = 1").one().getInt(0));
    assertEquals("two", session.execute("SELECT b FROM " + t + " WHERE k = 2").one().getString(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"LOGGED", "UNLOGGED"})
  void driverBatchMixingPreparedAndSimpleStatements(String type) {
    String t = kv();
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, a, b) VALUES (?, ?, ?)");
    BatchStatement batch = BatchStatement.builder(com.datastax.oss.driver.api.core.cql.DefaultBatchType.valueOf(type))
        .addStatement(insert.bind(1, 1, "one"))
        .addStatement(insert.bind(2, 2, "two"))
        .addStatement(SimpleStatement.newInstance("INSERT INTO " + t + " (k, a) VALUES (3, 3)"))
        .addStatement(SimpleStatement.newInstance("UPDATE " + t + " SET b = ? WHERE k = ?", "three", 3))
        .build();
    session.execute(batch);
    List<String> all = column(session.execute("SELECT k, a, b FROM " + t + " WHERE k IN (1, 2, 3)"),
        r -> r.getInt(0) + "/" + r.getInt(1) + "/" + r.getString(2));
    assertEquals(List.of("1/1/one", "2/2/two", "3/3/three"), all);
  }

  @Test
  void driverBatchTimestampAppliesToEveryStatement() {
    String t = kv();
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, a) VALUES (?, ?)");
    BatchStatement batch = BatchStatement.newInstance(BatchType.LOGGED, insert.bind(1, 1), insert.bind(2, 2))
        .setQueryTimestamp(31337L);
    session.execute(batch);
    assertEquals(List.of(31337L, 31337L),
        column(session.execute("SELECT writetime(a) FROM " + t + " WHERE k IN (1, 2)"), r -> r.getLong(0)));
  }

  @Test
  void driverBatchWithUnsetValue() {
    String t = kv();
    session.execute("INSERT INTO " + t + " (k, a, b) VALUES (1, 1, 'keep')");
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, a, b) VALUES (?, ?, ?)");
    session.execute(BatchStatement.newInstance(BatchType.UNLOGGED, insert.bind().setInt(0, 1).setInt(1, 5)));
    Row r = session.execute("SELECT a, b FROM " + t + " WHERE k = 1").one();
    assertEquals(5, r.getInt(0));
    assertEquals("keep", r.getString(1));
  }

  @Test
  void batchAcrossTables() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".a (k int PRIMARY KEY, v int)");
    session.execute("CREATE TABLE " + ks + ".b (k int PRIMARY KEY, v int)");
    session.execute("BEGIN BATCH INSERT INTO " + ks + ".a (k, v) VALUES (1, 1); INSERT INTO " + ks + ".b (k, v) VALUES (1, 2); APPLY BATCH");
    assertEquals(1, session.execute("SELECT v FROM " + ks + ".a WHERE k = 1").one().getInt(0));
    assertEquals(2, session.execute("SELECT v FROM " + ks + ".b WHERE k = 1").one().getInt(0));
  }

  @Test
  void failingStatementInLoggedBatchAppliesNothing() {
    String t = kv();
    assertError(InvalidQueryException.class, "BEGIN BATCH INSERT INTO " + t + " (k, a) VALUES (1, 1); "
        + "INSERT INTO " + t + " (k, a) VALUES (2, 'not an int'); APPLY BATCH", "int");
    assertNull(session.execute("SELECT * FROM " + t + " WHERE k = 1").one());
  }

  @Test
  void staticColumnsAreSharedByThePartition() {
    String t = newTable("CREATE TABLE %s (k int, c int, s text static, v int, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c, s, v) VALUES (1, 1, 'first', 1)");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 2, 2)");
    session.execute("UPDATE " + t + " SET s = 'shared' WHERE k = 1");
    assertEquals(List.of("shared", "shared"), column(session.execute("SELECT s FROM " + t + " WHERE k = 1"), r -> r.getString(0)));
    session.execute("DELETE FROM " + t + " WHERE k = 1 AND c IN (1, 2)");
    // Only the static row is left: it shows as one row with null clustering.
    Row r = session.execute("SELECT k, c, s FROM " + t + " WHERE k = 1").one();
    assertEquals("shared", r.getString("s"));
    assertTrue(r.isNull("c"));
  }
}
