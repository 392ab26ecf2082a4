package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors a client gets back: the driver exception type and the key words of Cassandra's message. */
class ErrorsIT extends CqlTestSupport {
  private static String ks;
  private static String t;

  @BeforeAll
  static void schema() {
    ks = newKeyspace();
    t = ks + ".t";
    session.execute("CREATE TABLE " + t + " (a int, b text, c int, d int, v int, w text, PRIMARY KEY ((a, b), c, d))");
    session.execute("INSERT INTO " + t + " (a, b, c, d, v, w) VALUES (1, 'x', 1, 1, 10, 'p')");
    session.execute("INSERT INTO " + t + " (a, b, c, d, v, w) VALUES (1, 'x', 1, 2, 20, 'q')");
    session.execute("INSERT INTO " + t + " (a, b, c, d, v, w) VALUES (1, 'x', 2, 1, 30, 'p')");
    session.execute("INSERT INTO " + t + " (a, b, c, d, v, w) VALUES (2, 'y', 1, 1, 40, 'p')");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELEC * FROM ks.t",
      "SELECT * FROM",
      "SELECT * FROM ks.t WHERE",
      "SELECT * FROM ks.t WHERE a = ",
      "INSERT INTO ks.t (a) VALUES",
      "UPDATE ks.t SET WHERE a = 1",
      "DELETE FROM ks.t WHERE a = 1 AND",
      "CREATE TABLE ks.x (k int PRIMARY KEY",
      "CREATE KEYSPACE WITH replication = {}",
      "BEGIN BATCH SELECT * FROM ks.t; APPLY BATCH",
      "SELECT * FROM ks.t LIMIT 'x'",
      "DROP",
      "SELECT * FROM ks.t WHERE a = 1 AND AND b = 'x'",
  })
  void syntaxErrors(String cql) {
    assertError(SyntaxError.class, cql.replace("ks.t", t));
  }

  @Test
  void columnAndValueCountsMustMatch() {
    // Parsed fine; rejected on validation, as in Cassandra.
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (a, b) VALUES (1)", "unmatched");
  }

  @Test
  void syntaxErrorMentionsTheOffendingToken() {
    assertError(SyntaxError.class, "SELECT * FROM " + t + " WHERE a = 1 GARBAGE", "garbage");
  }

  @Test
  void unknownKeyspace() {
    assertError(InvalidQueryException.class, "SELECT * FROM no_such_ks.t", "no_such_ks");
    assertError(InvalidQueryException.class, "INSERT INTO no_such_ks.t (k) VALUES (1)", "no_such_ks");
  }

  @Test
  void unknownTable() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + ks + ".nope", "nope");
    assertError(InvalidQueryException.class, "INSERT INTO " + ks + ".nope (k) VALUES (1)", "nope");
    assertError(InvalidQueryException.class, "UPDATE " + ks + ".nope SET v = 1 WHERE k = 1", "nope");
    assertError(InvalidQueryException.class, "DELETE FROM " + ks + ".nope WHERE k = 1", "nope");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT zz FROM ks.t",
      "SELECT * FROM ks.t WHERE a = 1 AND b = 'x' AND zz = 1 ALLOW FILTERING",
      "INSERT INTO ks.t (a, b, c, d, zz) VALUES (1, 'x', 1, 1, 1)",
      "UPDATE ks.t SET zz = 1 WHERE a = 1 AND b = 'x' AND c = 1 AND d = 1",
      "DELETE zz FROM ks.t WHERE a = 1 AND b = 'x' AND c = 1 AND d = 1",
      "SELECT * FROM ks.t WHERE a = 1 AND b = 'x' ORDER BY zz DESC",
      "SELECT writetime(zz) FROM ks.t",
  })
  void unknownColumn(String cql) {
    assertError(InvalidQueryException.class, cql.replace("ks.t", t), "zz");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INSERT INTO ks.t (a, b, c, d, v) VALUES ('abc', 'x', 1, 1, 1)|abc",
      "INSERT INTO ks.t (a, b, c, d, v) VALUES (1, 'x', 1, 1, 'abc')|abc",
      "INSERT INTO ks.t (a, b, c, d, w) VALUES (1, 'x', 1, 1, 42)|42",
      "SELECT * FROM ks.t WHERE a = 'abc' AND b = 'x'|abc",
      "SELECT * FROM ks.t WHERE a = 1 AND b = 'x' AND c > 'abc'|abc",
      "UPDATE ks.t SET v = 1.5 WHERE a = 1 AND b = 'x' AND c = 1 AND d = 1|1.5",
      "UPDATE ks.t SET v = 1 WHERE a = 1 AND b = 2 AND c = 1 AND d = 1|2",
  })
  void typeMismatch(String cql, String keyword) {
    assertError(InvalidQueryException.class, cql.replace("ks.t", t), keyword);
  }

  @Test
  void typeMismatchThroughBoundValueOfWrongSize() {
    // Bypass the driver's codecs: a simple statement with a raw value of the wrong length for int.
    assertError(InvalidQueryException.class, () -> session.execute("INSERT INTO " + t + " (a, b, c, d, v) VALUES (?, ?, ?, ?, ?)",
        1, "x", 1, 1, "not an int"), "int");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INSERT INTO ks.t (a, c, d, v) VALUES (1, 1, 1, 1)|b",
      "INSERT INTO ks.t (b, c, d, v) VALUES ('x', 1, 1, 1)|a",
      "INSERT INTO ks.t (a, b, c, v) VALUES (1, 'x', 1, 1)|d",
      "INSERT INTO ks.t (a, b, v) VALUES (1, 'x', 1)|c",
      "UPDATE ks.t SET v = 1 WHERE a = 1 AND c = 1 AND d = 1|b",
      "UPDATE ks.t SET v = 1 WHERE a = 1 AND b = 'x' AND c = 1|d",
      "UPDATE ks.t SET v = 1 WHERE a = 1 AND b = 'x'|c",
      "DELETE FROM ks.t WHERE a = 1|b",
      "DELETE v FROM ks.t WHERE a = 1 AND b = 'x' AND c = 1|d",
  })
  void missingKeyParts(String cql, String missing) {
    InvalidQueryException e = assertError(InvalidQueryException.class, cql.replace("ks.t", t), "missing");
    assertTrue(e.getMessage().endsWith(missing) || e.getMessage().contains(missing + " ") || e.getMessage().contains(missing + ","),
        e.getMessage());
  }

  @Test
  void primaryKeyPartInSetIsRejected() {
    assertError(InvalidQueryException.class, "UPDATE " + t + " SET c = 1 WHERE a = 1 AND b = 'x' AND c = 1 AND d = 1", "primary key", "c");
  }

  @Test
  void nullAndUnsetKeyValuesAreRejected() {
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (a, b, c, d, v) VALUES (?, ?, ?, ?, ?)");
    assertError(InvalidQueryException.class, () -> session.execute(insert.bind(null, "x", 1, 1, 1)), "null", "a");
    assertError(InvalidQueryException.class, () -> session.execute(insert.bind(1, "x", null, 1, 1)), "null", "c");
    assertError(InvalidQueryException.class, () -> session.execute(insert.bind().setInt(0, 1).setString(1, "x").setInt(3, 1)), "unset", "c");
    PreparedStatement select = session.prepare("SELECT * FROM " + t + " WHERE a = ? AND b = ?");
    assertError(InvalidQueryException.class, () -> session.execute(select.bind(1, null)), "null", "b");
    assertError(InvalidQueryException.class, () -> session.execute(select.bind().setInt(0, 1)), "unset", "b");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "c = 1|3",
      "a = 1|3",
      "b = 'x'|3",
      "token(a, b) > 0 AND c = 1|-1",
  })
  void restrictionsNeedingAllowFiltering(String where, int expected) {
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE " + where, "ALLOW FILTERING");
    List<Row> rows = session.execute("SELECT * FROM " + t + " WHERE " + where + " ALLOW FILTERING").all();
    if (expected >= 0) {
      assertEquals(expected, rows.size());
    }
  }

  /** Regular columns are indexed automatically (Cassandra would ask for ALLOW FILTERING here). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "v = 10|1",
      "w = 'p'|3",
      "v > 15 AND v <= 30|2",
      "a = 1 AND b = 'x' AND w = 'p'|2",
      "a = 1 AND b = 'x' AND c = 1 AND v = 20|1",
  })
  void restrictionsOnIndexedColumnsNeedNoAllowFiltering(String where, int expected) {
    assertEquals(expected, session.execute("SELECT * FROM " + t + " WHERE " + where).all().size());
    assertEquals(expected, session.execute("SELECT * FROM " + t + " WHERE " + where + " ALLOW FILTERING").all().size());
  }

  @Test
  void clusteringRestrictionAfterAGapNeedsAllowFiltering() {
    // Cassandra names the column and the unrestricted (or sliced) one before it.
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE a = 1 AND b = 'x' AND d = 2",
        "\"d\"", "preceding column \"c\"", "not restricted");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE d = 1", "\"d\"", "preceding column \"c\"");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE a = 1 AND b = 'x' AND c > 1 AND d = 1",
        "\"d\"", "preceding column \"c\"", "non-EQ");
    assertEquals(1, session.execute("SELECT * FROM " + t + " WHERE a = 1 AND b = 'x' AND d = 2 ALLOW FILTERING").all().size());
    assertEquals(3, session.execute("SELECT * FROM " + t + " WHERE d = 1 ALLOW FILTERING").all().size());
    assertEquals(1, session.execute("SELECT * FROM " + t + " WHERE a = 1 AND b = 'x' AND c > 1 AND d = 1 ALLOW FILTERING").all().size());
  }

  @Test
  void filteringCombinedWithTokenRangeCoversTheRing() {
    int low = session.execute("SELECT * FROM " + t + " WHERE token(a, b) <= 0 AND c = 1 ALLOW FILTERING").all().size();
    int high = session.execute("SELECT * FROM " + t + " WHERE token(a, b) > 0 AND c = 1 ALLOW FILTERING").all().size();
    assertEquals(3, low + high);
  }

  @Test
  void orderByWithoutPartitionKeyRestriction() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " ORDER BY c DESC", "ORDER BY", "partition key");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE a = 1 ORDER BY c DESC ALLOW FILTERING", "ORDER BY");
  }

  @Test
  void conflictingRestrictions() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE a = 1 AND a = 2 AND b = 'x'", "a");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE a = 1 AND b = 'x' AND c > 1 AND c > 2", "c");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE a = 1 AND b = 'x' AND c = 1 AND c > 0", "c");
  }

  @Test
  void preparedStatementSurvivesDropAndRecreate() {
    String k2 = newKeyspace();
    session.execute("CREATE TABLE " + k2 + ".p (k int PRIMARY KEY, v int)");
    session.execute("INSERT INTO " + k2 + ".p (k, v) VALUES (1, 1)");
    PreparedStatement select = session.prepare("SELECT v FROM " + k2 + ".p WHERE k = ?");
    PreparedStatement insert = session.prepare("INSERT INTO " + k2 + ".p (k, v) VALUES (?, ?)");
    assertEquals(1, session.execute(select.bind(1)).one().getInt(0));
    session.execute("DROP TABLE " + k2 + ".p");
    assertError(InvalidQueryException.class, () -> session.execute(select.bind(1)), "p");
    session.execute("CREATE TABLE " + k2 + ".p (k int PRIMARY KEY, v int)");
    assertNull(session.execute(select.bind(1)).one(), "the old data is gone");
    session.execute(insert.bind(1, 2));
    assertEquals(2, session.execute(select.bind(1)).one().getInt(0));
  }

  @Test
  void preparedSelectStarSeesAddedColumns() {
    String k2 = newKeyspace();
    session.execute("CREATE TABLE " + k2 + ".p (k int PRIMARY KEY, v int)");
    session.execute("INSERT INTO " + k2 + ".p (k, v) VALUES (1, 1)");
    PreparedStatement select = session.prepare("SELECT * FROM " + k2 + ".p WHERE k = ?");
    assertEquals(2, session.execute(select.bind(1)).one().getColumnDefinitions().size());
    session.execute("ALTER TABLE " + k2 + ".p ADD w text");
    session.execute("UPDATE " + k2 + ".p SET w = 'new' WHERE k = 1");
    Row r = session.execute(select.bind(1)).one();
    assertEquals(3, r.getColumnDefinitions().size());
    assertEquals("new", r.getString("w"));
  }

  @Test
  void preparedStatementsAfterRePrepareOnNewSession() {
    PreparedStatement ps = session.prepare("SELECT v FROM " + t + " WHERE a = ? AND b = ? AND c = ? AND d = ?");
    try (var other = session()) {
      PreparedStatement again = other.prepare("SELECT v FROM " + t + " WHERE a = ? AND b = ? AND c = ? AND d = ?");
      assertEquals(ps.getId(), again.getId(), "same query, same id");
      assertEquals(20, other.execute(again.bind(1, "x", 1, 2)).one().getInt(0));
    }
  }

  @Test
  void preparedStatementMetadataDescribesMarkers() {
    PreparedStatement ps = session.prepare("UPDATE " + t + " USING TTL ? SET v = ? WHERE a = ? AND b = ? AND c = ? AND d = ?");
    List<String> names = columnNames(ps.getVariableDefinitions());
    assertEquals(List.of("[ttl]", "v", "a", "b", "c", "d"), names);
    assertEquals(List.of(2, 3), ps.getPartitionKeyIndices());
  }

  @Test
  void negativeLimitIsAnInvalidQuery() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " LIMIT -1", "limit", "positive");
  }

  @Test
  void invalidLimitsAndTtls() {
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " LIMIT 0", "limit", "positive");
    assertError(InvalidQueryException.class, "INSERT INTO " + t + " (a, b, c, d) VALUES (1, 'x', 1, 1) USING TTL -5", "ttl");
    // As in Cassandra's grammar, DELETE takes USING TIMESTAMP only.
    assertError(SyntaxError.class, "DELETE FROM " + t + " USING TTL 5 WHERE a = 1 AND b = 'x'");
  }

  @Test
  void distinctOnNonKeyColumn() {
    assertError(InvalidQueryException.class, "SELECT DISTINCT v FROM " + t, "DISTINCT");
  }

  @Test
  void unsupportedFeaturesAreInvalidQueriesNotServerErrors() {
    assertError(InvalidQueryException.class, "SELECT nosuchfn(v) FROM " + t, "nosuchfn");
  }
}
