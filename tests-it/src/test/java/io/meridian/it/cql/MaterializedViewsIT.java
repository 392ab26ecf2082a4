package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ClusteringOrder;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.ViewMetadata;
import com.datastax.oss.driver.api.core.servererrors.AlreadyExistsException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Materialized views through the Java driver: DDL and Cassandra's errors, schema tables and driver
 * metadata, and view contents kept in sync with every kind of base write.
 */
class MaterializedViewsIT extends CqlTestSupport {

  /** A base table ks.t (k, c) -> v, w and a view ks.mv keyed by v. Returns the keyspace. */
  static String baseWithView() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, w text, PRIMARY KEY (k, c))");
    session.execute("CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
        + " WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)");
    return ks;
  }

  /** The view rows as "v:k:c:w", sorted (a scan returns view partitions in token order). */
  static List<String> view(String ks) {
    List<String> rows = column(session.execute("SELECT v, k, c, w FROM " + ks + ".mv"),
        r -> r.getObject("v") + ":" + r.getObject("k") + ":" + r.getObject("c") + ":" + r.getObject("w"));
    rows.sort(null);
    return rows;
  }

  static String base(String ks) {
    return ks + ".t";
  }

  static void createView(String ks, String rest) {
    session.execute("CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT " + rest);
  }

  // ------------------------------------------------------------------ DDL and errors

  @Test
  void viewIsQueryableByItsOwnKey() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (2, 1, 10, 'b')");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (3, 1, 20, 'c')");
    assertEquals(List.of("10:1:1:a", "10:2:1:b"),
        column(session.execute("SELECT v, k, c, w FROM " + ks + ".mv WHERE v = 10"),
            r -> r.getInt("v") + ":" + r.getInt("k") + ":" + r.getInt("c") + ":" + r.getString("w")));
  }

  @Test
  void secondaryIndexesOnAViewAreRefused() {
    String ks = baseWithView();
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + ks + ".mv (w)",
        "Secondary indexes are not supported on materialized views");
    session.execute("CREATE INDEX ON " + base(ks) + " (w)");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    assertEquals(List.of("10:1:1:a"), view(ks), "an index on the base does not disturb its view");
  }

  @Test
  void ifNotExistsIsANoOpAndADuplicateIsAlreadyExists() {
    String ks = baseWithView();
    session.execute("CREATE MATERIALIZED VIEW IF NOT EXISTS " + ks + ".mv AS SELECT * FROM " + ks + ".t"
        + " WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)");
    assertError(AlreadyExistsException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
        + " WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)", "mv");
  }

  @Test
  void viewNamedLikeATableIsRefused() {
    String ks = baseWithView();
    session.execute("CREATE TABLE " + ks + ".other (k int PRIMARY KEY)");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".other AS SELECT * FROM " + ks + ".t"
        + " WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)",
        "Cannot create materialized view 'other' - a table with the same name already exists");
  }

  @Test
  void missingBaseTableOrKeyspace() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".nope"
        + " WHERE k IS NOT NULL PRIMARY KEY (k)", "Base table 'nope' doesn't exist");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW nokeyspace.mv AS SELECT * FROM nokeyspace.t"
        + " WHERE k IS NOT NULL PRIMARY KEY (k)", "Keyspace 'nokeyspace' doesn't exist");
  }

  @Test
  void everyViewKeyColumnNeedsIsNotNull() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
            + " WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)",
        "Primary key columns v must be restricted with 'IS NOT NULL' or otherwise");
  }

  @Test
  void viewKeyMustHoldEveryBaseKeyColumn() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
            + " WHERE v IS NOT NULL AND k IS NOT NULL PRIMARY KEY (v, k)",
        "Cannot create materialized view 'mv' without primary key columns c from base table 't'");
  }

  @Test
  void atMostOneRegularColumnInTheViewKey() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, a int, b int)");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
            + " WHERE a IS NOT NULL AND b IS NOT NULL AND k IS NOT NULL PRIMARY KEY (a, b, k)",
        "Cannot include more than one non-primary key column in materialized view primary key");
  }

  @Test
  void staticColumnsCannotBeInAView() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, s int STATIC, v int, PRIMARY KEY (k, c))");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
        + " WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (c, k)", "Cannot include static column 's' in materialized view 'mv'");
    // Leaving the static column out is fine.
    session.execute("CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT k, c, v FROM " + ks + ".t"
        + " WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (c, k)");
  }

  @Test
  void countersAndDurationsAreRefused() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".counts (k int PRIMARY KEY, n counter)");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".counts"
        + " WHERE k IS NOT NULL PRIMARY KEY (k)", "Materialized views are not supported on counter tables");
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, d duration)");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
        + " WHERE d IS NOT NULL AND k IS NOT NULL PRIMARY KEY (d, k)", "duration type is not supported for PRIMARY KEY column 'd'");
  }

  @Test
  void nonKeyColumnsMayOnlyBeIsNotNull() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, a int, b int)");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
            + " WHERE a IS NOT NULL AND k IS NOT NULL AND b = 1 PRIMARY KEY (a, k)",
        "Non-primary key columns can only be restricted with 'IS NOT NULL' (got: b restricted illegally)");
    // IS NOT NULL on a column outside the view key is allowed.
    session.execute("CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT * FROM " + ks + ".t"
        + " WHERE a IS NOT NULL AND k IS NOT NULL AND b IS NOT NULL PRIMARY KEY (a, k)");
  }

  @Test
  void selectionMustBePlainColumnsAndKeyColumnsSelected() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, a int, b int)");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT k, a AS x FROM " + ks + ".t"
        + " WHERE a IS NOT NULL AND k IS NOT NULL PRIMARY KEY (a, k)", "Cannot use aliases when defining a materialized view");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT k, writetime(a) FROM " + ks + ".t"
        + " WHERE a IS NOT NULL AND k IS NOT NULL PRIMARY KEY (a, k)", "Can only select columns by name when defining a materialized view");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT k, b FROM " + ks + ".t"
        + " WHERE a IS NOT NULL AND k IS NOT NULL PRIMARY KEY (a, k)", "Unknown column 'a' referenced in PRIMARY KEY for materialized view 'mv'");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv AS SELECT k, nope FROM " + ks + ".t"
        + " WHERE k IS NOT NULL PRIMARY KEY (k)", "Undefined column name nope");
  }

  @Test
  void viewMustBeInTheBaseKeyspaceAndHaveNoDefaultTtl() {
    String ks = baseWithView();
    String other = newKeyspace();
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + other + ".mv2 AS SELECT * FROM " + ks + ".t"
        + " WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)",
        "Cannot create a materialized view on a table in a different keyspace");
    assertError(InvalidQueryException.class, "CREATE MATERIALIZED VIEW " + ks + ".mv2 AS SELECT * FROM " + ks + ".t"
        + " WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c) WITH default_time_to_live = 10",
        "Cannot set default_time_to_live for a materialized view");
  }

  @Test
  void viewsCannotBeWrittenDirectly() {
    String ks = baseWithView();
    assertError(InvalidQueryException.class, "INSERT INTO " + ks + ".mv (v, k, c) VALUES (1, 1, 1)",
        "Cannot directly modify a materialized view");
    assertError(InvalidQueryException.class, "UPDATE " + ks + ".mv SET w = 'x' WHERE v = 1 AND k = 1 AND c = 1",
        "Cannot directly modify a materialized view");
    assertError(InvalidQueryException.class, "DELETE FROM " + ks + ".mv WHERE v = 1",
        "Cannot directly modify a materialized view");
    assertError(InvalidQueryException.class, "BEGIN BATCH INSERT INTO " + base(ks) + " (k, c, v) VALUES (1, 1, 1);"
        + " INSERT INTO " + ks + ".mv (v, k, c) VALUES (1, 1, 1); APPLY BATCH", "Cannot directly modify a materialized view");
    assertTrue(view(ks).isEmpty(), "the refused batch wrote nothing");
  }

  @Test
  void dropTableRules() {
    String ks = baseWithView();
    assertError(InvalidQueryException.class, "DROP TABLE " + ks + ".mv",
        "Cannot use DROP TABLE on a materialized view. Please use DROP MATERIALIZED VIEW instead.");
    assertError(InvalidQueryException.class, "DROP TABLE " + base(ks),
        "Cannot drop a table when materialized views still depend on it", "mv");
    session.execute("DROP MATERIALIZED VIEW " + ks + ".mv");
    session.execute("DROP TABLE " + base(ks));
    assertTrue(rows("SELECT * FROM system_schema.tables WHERE keyspace_name = ?", ks).isEmpty());
  }

  @Test
  void dropViewMissingAndIfExists() {
    String ks = baseWithView();
    assertError(InvalidQueryException.class, "DROP MATERIALIZED VIEW " + ks + ".nope", "Materialized view '" + ks + ".nope' doesn't exist");
    assertError(InvalidQueryException.class, "DROP MATERIALIZED VIEW " + ks + ".t", "Materialized view '" + ks + ".t' doesn't exist");
    session.execute("DROP MATERIALIZED VIEW IF EXISTS " + ks + ".nope");
    session.execute("DROP MATERIALIZED VIEW " + ks + ".mv");
    assertError(InvalidQueryException.class, "SELECT * FROM " + ks + ".mv", "mv");
    // The base keeps working without maintenance once the view is gone.
    session.execute("INSERT INTO " + base(ks) + " (k, c, v) VALUES (1, 1, 1)");
    assertEquals(1, rows("SELECT * FROM " + base(ks)).size());
  }

  @Test
  void alterRules() {
    String ks = baseWithView();
    assertError(InvalidQueryException.class, "ALTER TABLE " + ks + ".mv WITH comment = 'x'",
        "Cannot use ALTER TABLE on a materialized view; use ALTER MATERIALIZED VIEW instead");
    session.execute("ALTER MATERIALIZED VIEW " + ks + ".mv WITH comment = 'by v' AND gc_grace_seconds = 3600");
    Row row = session.execute("SELECT comment, gc_grace_seconds FROM system_schema.views WHERE keyspace_name = ? AND view_name = 'mv'", ks).one();
    assertEquals("by v", row.getString("comment"));
    assertEquals(3600, row.getInt("gc_grace_seconds"));
    assertError(InvalidQueryException.class, "ALTER MATERIALIZED VIEW " + ks + ".mv WITH default_time_to_live = 5",
        "Forbidden default_time_to_live detected for a materialized view");
    assertError(InvalidQueryException.class, "ALTER MATERIALIZED VIEW " + ks + ".mv WITH gc_grace_seconds = 0",
        "Cannot alter gc_grace_seconds of a materialized view to 0");
    assertError(InvalidQueryException.class, "ALTER MATERIALIZED VIEW " + ks + ".nope WITH comment = 'x'",
        "Materialized view '" + ks + ".nope' doesn't exist");
    session.execute("ALTER MATERIALIZED VIEW IF EXISTS " + ks + ".nope WITH comment = 'x'");
  }

  @Test
  void baseColumnsCannotBeDroppedWhileViewsExistButAddedOnesReachSelectStarViews() {
    String ks = baseWithView();
    assertError(InvalidQueryException.class, "ALTER TABLE " + base(ks) + " DROP w",
        "Cannot drop column w on base table t with materialized views");
    session.execute("ALTER TABLE " + base(ks) + " ADD x text");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, x) VALUES (1, 1, 5, 'new')");
    assertEquals("new", session.execute("SELECT x FROM " + ks + ".mv WHERE v = 5").one().getString("x"));
  }

  @Test
  void truncateOfAViewIsRefusedAndTruncateOfTheBaseEmptiesIt() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v) VALUES (1, 1, 1)");
    assertError(InvalidQueryException.class, "TRUNCATE " + ks + ".mv",
        "Cannot TRUNCATE materialized view directly; must truncate base table instead");
    session.execute("TRUNCATE " + base(ks));
    assertTrue(view(ks).isEmpty());
  }

  @Test
  void dropKeyspaceWithViews() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v) VALUES (1, 1, 1)");
    session.execute("DROP KEYSPACE " + ks);
    assertTrue(rows("SELECT * FROM system_schema.views WHERE keyspace_name = ?", ks).isEmpty());
  }

  // ------------------------------------------------------------------ schema tables and driver metadata

  @Test
  void systemSchemaViewsAndColumns() {
    String ks = baseWithView();
    UUID baseId = session.execute("SELECT id FROM system_schema.tables WHERE keyspace_name = ? AND table_name = 't'", ks)
        .one().getUuid("id");
    Row v = session.execute("SELECT * FROM system_schema.views WHERE keyspace_name = ? AND view_name = 'mv'", ks).one();
    assertEquals("t", v.getString("base_table_name"));
    assertEquals(baseId, v.getUuid("base_table_id"));
    assertTrue(v.getBoolean("include_all_columns"));
    assertEquals("v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL", v.getString("where_clause"));
    assertTrue(v.getUuid("id") != null && !v.getUuid("id").equals(baseId));
    assertEquals(864000, v.getInt("gc_grace_seconds"));
    // A view is not a table in system_schema.tables ...
    assertEquals(List.of("t"), column(session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", ks),
        r -> r.getString(0)));
    // ... but its columns are listed under its name.
    assertEquals(List.of("c:clustering:1", "k:clustering:0", "v:partition_key:0", "w:regular:-1"),
        column(session.execute("SELECT column_name, kind, position FROM system_schema.columns"
            + " WHERE keyspace_name = ? AND table_name = 'mv'", ks),
            r -> r.getString(0) + ":" + r.getString(1) + ":" + r.getInt(2)));
  }

  @Test
  void selectedColumnsOnlyAndNotIncludeAll() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, w text, x text, PRIMARY KEY (k, c))");
    createView(ks, "k, c, v, x FROM " + ks + ".t WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w, x) VALUES (1, 1, 7, 'w', 'x')");
    ResultSet rs = session.execute("SELECT * FROM " + ks + ".mv");
    assertEquals(List.of("v", "k", "c", "x"), columnNames(rs.getColumnDefinitions()));
    assertEquals("x", rs.one().getString("x"));
    assertFalse(session.execute("SELECT include_all_columns FROM system_schema.views WHERE keyspace_name = ?", ks)
        .one().getBoolean(0));
  }

  @Test
  void driverMetadataShowsTheView() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    createView(ks, "* FROM " + ks + ".t WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL"
        + " PRIMARY KEY ((v), c, k) WITH CLUSTERING ORDER BY (c DESC, k ASC) AND comment = 'hello'");
    ViewMetadata view = awaitView(ks, "mv").orElseThrow();
    assertEquals("t", view.getBaseTable().asInternal());
    assertTrue(view.includesAllColumns());
    assertEquals(List.of("v"), view.getPartitionKey().stream().map(c -> c.getName().asInternal()).toList());
    List<String> clustering = new ArrayList<>();
    view.getClusteringColumns().forEach((c, o) -> clustering.add(c.getName().asInternal() + " " + o));
    assertEquals(List.of("c " + ClusteringOrder.DESC, "k " + ClusteringOrder.ASC), clustering);
    assertEquals(Optional.of("v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL"), view.getWhereClause());
    assertEquals("hello", view.getOptions().get(CqlIdentifier.fromCql("comment")));
    KeyspaceMetadata meta = session.getMetadata().getKeyspace(ks).orElseThrow();
    assertEquals(1, meta.getViewsOnTable(CqlIdentifier.fromCql("t")).size());
    assertTrue(meta.getTable("mv").isEmpty(), "a view is not a table in driver metadata");
    session.execute("DROP MATERIALIZED VIEW " + ks + ".mv");
    assertTrue(awaitViewGone(ks, "mv"), "the drop reached the driver through a schema event");
  }

  static Optional<ViewMetadata> awaitView(String ks, String name) {
    for (int i = 0; i < 100; i++) {
      Optional<ViewMetadata> v = session.getMetadata().getKeyspace(ks).flatMap(k -> k.getView(name));
      if (v.isPresent()) {
        return v;
      }
      sleep(50);
    }
    return Optional.empty();
  }

  static boolean awaitViewGone(String ks, String name) {
    for (int i = 0; i < 100; i++) {
      if (session.getMetadata().getKeyspace(ks).flatMap(k -> k.getView(name)).isEmpty()) {
        return true;
      }
      sleep(50);
    }
    return false;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ keeping the view in sync

  @Test
  void updateOfASelectedColumnReachesTheView() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.execute("UPDATE " + base(ks) + " SET w = 'b' WHERE k = 1 AND c = 1");
    assertEquals(List.of("10:1:1:b"), view(ks));
  }

  @Test
  void changingTheRegularKeyColumnMovesTheViewRow() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.execute("UPDATE " + base(ks) + " SET v = 20 WHERE k = 1 AND c = 1");
    assertEquals(List.of("20:1:1:a"), view(ks));
    assertTrue(rows("SELECT * FROM " + ks + ".mv WHERE v = 10").isEmpty(), "the old view row is gone");
  }

  @Test
  void aViewRowComesBackUnderAKeyItHadBefore() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.execute("UPDATE " + base(ks) + " SET v = 20 WHERE k = 1 AND c = 1");
    session.execute("UPDATE " + base(ks) + " SET v = 10 WHERE k = 1 AND c = 1");
    assertEquals(List.of("10:1:1:a"), view(ks));
  }

  @Test
  void nullingTheKeyColumnRemovesTheViewRowAndSettingItAgainRestoresIt() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.execute("UPDATE " + base(ks) + " SET v = null WHERE k = 1 AND c = 1");
    assertTrue(view(ks).isEmpty());
    session.execute("DELETE v FROM " + base(ks) + " WHERE k = 1 AND c = 1");
    session.execute("UPDATE " + base(ks) + " SET v = 30 WHERE k = 1 AND c = 1");
    assertEquals(List.of("30:1:1:a"), view(ks));
    // A base row without v never had a view row.
    session.execute("INSERT INTO " + base(ks) + " (k, c, w) VALUES (2, 2, 'no v')");
    assertEquals(1, view(ks).size());
  }

  @Test
  void deletingASelectedColumnNullsItInTheView() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.execute("DELETE w FROM " + base(ks) + " WHERE k = 1 AND c = 1");
    assertEquals(List.of("10:1:1:null"), view(ks));
  }

  @Test
  void rowPartitionAndRangeDeletions() {
    String ks = baseWithView();
    for (int k = 1; k <= 2; k++) {
      for (int c = 1; c <= 4; c++) {
        session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (?, ?, ?, 'x')", k, c, c);
      }
    }
    session.execute("DELETE FROM " + base(ks) + " WHERE k = 1 AND c = 1");
    assertEquals(7, view(ks).size());
    session.execute("DELETE FROM " + base(ks) + " WHERE k = 1 AND c >= 3");
    assertEquals(List.of("1:2:1:x", "2:1:2:x", "2:2:2:x", "3:2:3:x", "4:2:4:x"), view(ks));
    session.execute("DELETE FROM " + base(ks) + " WHERE k = 2");
    assertEquals(List.of("2:1:2:x"), view(ks));
  }

  @Test
  void viewRowExpiresWithTheBaseRow() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a') USING TTL 1");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (2, 1, 10, 'b') USING TTL 1000");
    int ttl = session.execute("SELECT TTL(w) FROM " + ks + ".mv WHERE v = 10 AND k = 2 AND c = 1").one().getInt(0);
    assertTrue(ttl > 990 && ttl <= 1000, "the view cell keeps the base TTL: " + ttl);
    sleep(2100);
    assertEquals(List.of("10:2:1:b"), view(ks));
  }

  @Test
  void viewRowLivesAsLongAsTheKeyColumnCell() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, w) VALUES (1, 1, 'stays')");
    session.execute("UPDATE " + base(ks) + " USING TTL 1 SET v = 10 WHERE k = 1 AND c = 1");
    assertEquals(List.of("10:1:1:stays"), view(ks));
    sleep(2100);
    assertTrue(view(ks).isEmpty(), "v expired, so the row left the view");
    assertEquals(1, rows("SELECT * FROM " + base(ks)).size());
  }

  @Test
  void usingTimestampOrderingHoldsInTheView() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'new') USING TIMESTAMP 1000");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 20, 'old') USING TIMESTAMP 500");
    assertEquals(List.of("10:1:1:new"), view(ks));
    assertEquals(1000L, session.execute("SELECT WRITETIME(w) FROM " + ks + ".mv WHERE v = 10").one().getLong(0));
    session.execute("DELETE FROM " + base(ks) + " USING TIMESTAMP 700 WHERE k = 1 AND c = 1");
    assertEquals(List.of("10:1:1:new"), view(ks), "an older deletion changes nothing");
    session.execute("DELETE FROM " + base(ks) + " USING TIMESTAMP 2000 WHERE k = 1 AND c = 1");
    assertTrue(view(ks).isEmpty());
  }

  @Test
  void loggedAndUnloggedBatches() {
    String ks = baseWithView();
    session.execute("BEGIN BATCH"
        + " INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a');"
        + " INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (2, 1, 10, 'b');"
        + " UPDATE " + base(ks) + " SET v = 11 WHERE k = 1 AND c = 1;"
        + " APPLY BATCH");
    assertEquals(List.of("10:2:1:b", "11:1:1:a"), view(ks));
    session.execute("BEGIN UNLOGGED BATCH"
        + " DELETE FROM " + base(ks) + " WHERE k = 2;"
        + " INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (3, 3, 30, 'c');"
        + " APPLY BATCH");
    assertEquals(List.of("11:1:1:a", "30:3:3:c"), view(ks));
  }

  @Test
  void batchMixingTablesWithAndWithoutViews() {
    String ks = baseWithView();
    session.execute("CREATE TABLE " + ks + ".plain (k int PRIMARY KEY, v int)");
    BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
        SimpleStatement.newInstance("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')"),
        SimpleStatement.newInstance("INSERT INTO " + ks + ".plain (k, v) VALUES (1, 1)"));
    session.execute(batch);
    assertEquals(List.of("10:1:1:a"), view(ks));
    assertEquals(1, rows("SELECT * FROM " + ks + ".plain").size());
  }

  @Test
  void lightweightTransactionsOnTheBase() {
    String ks = baseWithView();
    assertTrue(session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a') IF NOT EXISTS").wasApplied());
    assertFalse(session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 99, 'z') IF NOT EXISTS").wasApplied());
    assertEquals(List.of("10:1:1:a"), view(ks));
    assertTrue(session.execute("UPDATE " + base(ks) + " SET v = 20 WHERE k = 1 AND c = 1 IF v = 10").wasApplied());
    assertFalse(session.execute("UPDATE " + base(ks) + " SET v = 30 WHERE k = 1 AND c = 1 IF v = 10").wasApplied());
    assertEquals(List.of("20:1:1:a"), view(ks));
    assertTrue(session.execute("DELETE FROM " + base(ks) + " WHERE k = 1 AND c = 1 IF EXISTS").wasApplied());
    assertTrue(view(ks).isEmpty());
  }

  @Test
  void listOperationsThatReadKeepTheViewInSync() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int, l list<int>)");
    createView(ks, "* FROM " + ks + ".t WHERE v IS NOT NULL AND k IS NOT NULL PRIMARY KEY (v, k)");
    session.execute("INSERT INTO " + ks + ".t (k, v, l) VALUES (1, 5, [1, 2, 3])");
    session.execute("UPDATE " + ks + ".t SET l[1] = 20 WHERE k = 1");
    session.execute("UPDATE " + ks + ".t SET l = l - [3] WHERE k = 1");
    assertEquals(List.of(1, 20), session.execute("SELECT l FROM " + ks + ".mv WHERE v = 5").one().getList("l", Integer.class));
  }

  @Test
  void collectionsAreCopiedElementByElement() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int, s set<text>, m map<text, int>)");
    createView(ks, "* FROM " + ks + ".t WHERE v IS NOT NULL AND k IS NOT NULL PRIMARY KEY (v, k)");
    session.execute("INSERT INTO " + ks + ".t (k, v, s, m) VALUES (1, 5, {'a', 'b'}, {'x': 1})");
    session.execute("UPDATE " + ks + ".t SET s = s + {'c'}, s = s - {'a'}, m['y'] = 2 WHERE k = 1");
    Row r = session.execute("SELECT s, m FROM " + ks + ".mv WHERE v = 5").one();
    assertEquals(Set.of("b", "c"), r.getSet("s", String.class));
    assertEquals(2, r.getMap("m", String.class, Integer.class).size());
    session.execute("UPDATE " + ks + ".t SET s = {'only'} WHERE k = 1");
    assertEquals(Set.of("only"), session.execute("SELECT s FROM " + ks + ".mv WHERE v = 5").one().getSet("s", String.class));
  }

  @Test
  void viewKeyedByBaseKeyColumnsOnlyFollowsRowsCreatedByUpdate() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    createView(ks, "* FROM " + ks + ".t WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (c, k)");
    session.execute("UPDATE " + ks + ".t SET v = 1 WHERE k = 1 AND c = 2");
    assertEquals(List.of("2:1:1"), column(session.execute("SELECT c, k, v FROM " + ks + ".mv"),
        r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getInt(2)));
    session.execute("DELETE v FROM " + ks + ".t WHERE k = 1 AND c = 2");
    assertTrue(rows("SELECT * FROM " + ks + ".t").isEmpty());
    assertTrue(rows("SELECT * FROM " + ks + ".mv").isEmpty(), "the base row is gone, so is the view row");
  }

  @Test
  void keyRestrictionsInTheWhereClauseFilterRows() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c))");
    createView(ks, "* FROM " + ks + ".t WHERE v IS NOT NULL AND k IS NOT NULL AND c >= 2 PRIMARY KEY (v, k, c)");
    for (int c = 1; c <= 3; c++) {
      session.execute("INSERT INTO " + ks + ".t (k, c, v) VALUES (1, ?, ?)", c, c * 10);
    }
    List<Integer> values = ints("SELECT v FROM " + ks + ".mv");
    values.sort(null);
    assertEquals(List.of(20, 30), values);
    assertEquals("v IS NOT NULL AND k IS NOT NULL AND c >= 2",
        session.execute("SELECT where_clause FROM system_schema.views WHERE keyspace_name = ?", ks).one().getString(0));
  }

  @Test
  void buildFromExistingData() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, w text, PRIMARY KEY (k, c))");
    for (int k = 0; k < 50; k++) {
      session.execute("INSERT INTO " + ks + ".t (k, c, v, w) VALUES (?, 0, ?, 'w') USING TIMESTAMP 42", k, k % 5);
    }
    session.execute("INSERT INTO " + ks + ".t (k, c, w) VALUES (100, 0, 'no v')");
    session.execute("DELETE FROM " + ks + ".t WHERE k = 0");
    createView(ks, "* FROM " + ks + ".t WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)");
    assertEquals(49, rows("SELECT * FROM " + ks + ".mv").size());
    assertEquals(10, rows("SELECT * FROM " + ks + ".mv WHERE v = 1").size());
    assertEquals(42L, session.execute("SELECT WRITETIME(w) FROM " + ks + ".mv WHERE v = 1 LIMIT 1").one().getLong(0),
        "the build keeps the base timestamps");
  }

  @Test
  void pagingThroughAView() {
    String ks = baseWithView();
    PreparedStatement insert = session.prepare("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (?, ?, ?, ?)");
    for (int i = 0; i < 230; i++) {
      session.execute(insert.bind(i % 7, i, i % 3, "w" + i));
    }
    List<Integer> seen = new ArrayList<>();
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT c FROM " + ks + ".mv").setPageSize(40));
    for (Row r : rs) {
      seen.add(r.getInt(0));
    }
    assertEquals(230, seen.size());
    assertEquals(230, seen.stream().distinct().count());
    List<Integer> inPartition = ints("SELECT c FROM " + ks + ".mv WHERE v = 2");
    assertEquals(76, inPartition.size());
  }

  @Test
  void preparedWritesAndReads() {
    String ks = baseWithView();
    PreparedStatement update = session.prepare("UPDATE " + base(ks) + " SET v = ?, w = ? WHERE k = ? AND c = ?");
    session.execute(update.bind(5, "p", 1, 1));
    session.execute(update.bind(6, null, 1, 1));
    PreparedStatement select = session.prepare("SELECT k, c, w FROM " + ks + ".mv WHERE v = ?");
    assertTrue(session.execute(select.bind(5)).all().isEmpty());
    Row r = session.execute(select.bind(6)).one();
    assertEquals(1, r.getInt("k"));
    assertNull(r.getString("w"));
  }

  @Test
  void baseWithDescendingClusteringKeepsItsOrderInTheView() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, v int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)");
    createView(ks, "* FROM " + ks + ".t WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c)");
    for (int c = 1; c <= 3; c++) {
      session.execute("INSERT INTO " + ks + ".t (k, c, v) VALUES (1, ?, 7)", c);
    }
    assertEquals(List.of(3, 2, 1), ints("SELECT c FROM " + ks + ".mv WHERE v = 7"));
  }

  @Test
  void viewsStayInSyncAcrossARestart() {
    String ks = baseWithView();
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.close();
    node.restart();
    session = session();
    assertEquals(List.of("10:1:1:a"), view(ks));
    session.execute("UPDATE " + base(ks) + " SET v = 20 WHERE k = 1 AND c = 1");
    assertEquals(List.of("20:1:1:a"), view(ks));
    assertEquals(1, rows("SELECT * FROM system_schema.views WHERE keyspace_name = ?", ks).size());
    assertError(InvalidQueryException.class, "INSERT INTO " + ks + ".mv (v, k, c) VALUES (1, 1, 1)",
        "Cannot directly modify a materialized view");
  }

  @Test
  void severalViewsOnOneBase() {
    String ks = baseWithView();
    session.execute("CREATE MATERIALIZED VIEW " + ks + ".by_w AS SELECT k, c, w FROM " + ks + ".t"
        + " WHERE w IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (w, k, c)");
    session.execute("INSERT INTO " + base(ks) + " (k, c, v, w) VALUES (1, 1, 10, 'a')");
    session.execute("UPDATE " + base(ks) + " SET w = 'b' WHERE k = 1 AND c = 1");
    assertEquals(List.of("10:1:1:b"), view(ks));
    assertEquals(List.of("b"), column(session.execute("SELECT w FROM " + ks + ".by_w"), r -> r.getString(0)));
    assertError(InvalidQueryException.class, "DROP TABLE " + base(ks), "by_w", "mv");
  }

  @Test
  void preparingAWriteToAViewIsRefused() {
    String ks = baseWithView();
    assertError(InvalidQueryException.class, () -> session.prepare("INSERT INTO " + ks + ".mv (v, k, c) VALUES (?, ?, ?)"),
        "Cannot directly modify a materialized view");
  }

  @Test
  void quotedNamesAndInRestrictionsSurviveTheStoredWhereClause() {
    String ks = newKeyspace();
    session.execute("CREATE TABLE " + ks + ".t (\"Key\" int, c int, \"Val\" int, PRIMARY KEY (\"Key\", c))");
    createView(ks, "* FROM " + ks + ".t WHERE \"Val\" IS NOT NULL AND \"Key\" IS NOT NULL AND c IN (1, 3)"
        + " PRIMARY KEY (\"Val\", \"Key\", c)");
    for (int c = 1; c <= 3; c++) {
      session.execute("INSERT INTO " + ks + ".t (\"Key\", c, \"Val\") VALUES (1, ?, 5)", c);
    }
    assertEquals(List.of(1, 3), ints("SELECT c FROM " + ks + ".mv WHERE \"Val\" = 5"));
    assertEquals("\"Val\" IS NOT NULL AND \"Key\" IS NOT NULL AND c IN (1, 3)",
        session.execute("SELECT where_clause FROM system_schema.views WHERE keyspace_name = ?", ks).one().getString(0));
    // The stored clause is parsed again after a restart.
    session.close();
    node.restart();
    session = session();
    session.execute("INSERT INTO " + ks + ".t (\"Key\", c, \"Val\") VALUES (2, 2, 5)");
    session.execute("INSERT INTO " + ks + ".t (\"Key\", c, \"Val\") VALUES (2, 3, 5)");
    assertEquals(List.of("1:1", "1:3", "2:3"), column(session.execute("SELECT \"Key\", c FROM " + ks + ".mv WHERE \"Val\" = 5"),
        r -> r.getInt(0) + ":" + r.getInt(1)));
  }

  @Test
  void concurrentKeyChangesLeaveExactlyOneViewRowPerBaseRow() throws Exception {
    String ks = baseWithView();
    PreparedStatement update = session.prepare("UPDATE " + base(ks) + " SET v = ?, w = ? WHERE k = ? AND c = 1");
    List<java.util.concurrent.CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      writes.add(session.executeAsync(update.bind(i % 13, "w" + i, i % 4)).toCompletableFuture());
    }
    java.util.concurrent.CompletableFuture.allOf(writes.toArray(java.util.concurrent.CompletableFuture[]::new)).get();
    List<Row> baseRows = rows("SELECT k, v, w FROM " + base(ks));
    assertEquals(4, baseRows.size());
    List<String> expected = new ArrayList<>();
    for (Row r : baseRows) {
      expected.add(r.getInt("v") + ":" + r.getInt("k") + ":1:" + r.getString("w"));
    }
    expected.sort(null);
    assertEquals(expected, view(ks));
  }
}
