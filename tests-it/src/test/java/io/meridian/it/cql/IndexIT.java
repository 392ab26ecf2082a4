package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.IndexKind;
import com.datastax.oss.driver.api.core.metadata.schema.IndexMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import io.meridian.it.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Secondary index DDL (legacy and storage-attached), its metadata (system_schema.indexes, the
 * driver's TableMetadata.getIndexes()), the queries an index allows without ALLOW FILTERING, and
 * LIKE. Expected rows and errors are Cassandra 5.0's, except LIKE, which Meridian serves on any
 * indexed text column (Cassandra needs a SASI index, disabled by default).
 */
class IndexIT extends CqlTestSupport {
  private static final String SAI = "org.apache.cassandra.index.sai.StorageAttachedIndex";
  private static final String FILTERING = "ALLOW FILTERING";

  private static String table() {
    return newTable("CREATE TABLE %s (k int, c int, v int, w int, s text, PRIMARY KEY (k, c))");
  }

  private static String keyspaceOf(String table) {
    return table.substring(0, table.indexOf('.'));
  }

  /** index_name -> "kind options" rows of system_schema.indexes for the table. */
  private static Map<String, String> indexRows(String table) {
    Map<String, String> rows = new TreeMap<>();
    for (Row r : session.execute("SELECT index_name, kind, options FROM system_schema.indexes WHERE keyspace_name = ? "
        + "AND table_name = ?", keyspaceOf(table), table.substring(table.indexOf('.') + 1))) {
      rows.put(r.getString("index_name"), r.getString("kind") + " " + new TreeMap<>(r.getMap("options", String.class, String.class)));
    }
    return rows;
  }

  private static TableMetadata metadata(String table) {
    return session.getMetadata().getKeyspace(keyspaceOf(table)).orElseThrow()
        .getTable(table.substring(table.indexOf('.') + 1)).orElseThrow();
  }

  private static void fill(String t) {
    for (int k = 0; k < 4; k++) {
      for (int c = 0; c < 5; c++) {
        session.execute("INSERT INTO " + t + " (k, c, v, w, s) VALUES (?, ?, ?, ?, ?)", k, c, c % 3, k * 10 + c, "s" + c);
      }
    }
  }

  /** Rows as "k:c", sorted, so token order does not matter. */
  private static List<String> keys(ResultSet rs) {
    List<String> out = new ArrayList<>(pairs(rs, "k", "c"));
    out.sort(null);
    return out;
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  // ---- DDL and metadata ----

  @Test
  void plainIndexGetsCassandrasDefaultNameAndIsLegacy() {
    String t = table();
    session.execute("CREATE INDEX ON " + t + " (v)");
    assertEquals(Map.of("t_v_idx", "COMPOSITES {target=v}"), indexRows(t));
  }

  @Test
  void namedIndexAppearsInDriverMetadata() {
    String t = table();
    session.execute("CREATE INDEX by_v ON " + t + " (v)");
    IndexMetadata index = metadata(t).getIndexes().get(com.datastax.oss.driver.api.core.CqlIdentifier.fromInternal("by_v"));
    assertEquals(IndexKind.COMPOSITES, index.getKind());
    assertEquals("v", index.getTarget());
    assertTrue(index.getClassName().isEmpty());
    assertEquals("CREATE INDEX \"by_v\" ON \"" + keyspaceOf(t) + "\".\"t\" (v);", index.describe(false).trim());
  }

  @Test
  void storageAttachedIndexByEveryNameRecordsTheFullClassName() {
    String t = table();
    session.execute("CREATE CUSTOM INDEX ON " + t + " (v) USING 'StorageAttachedIndex'");
    session.execute("CREATE INDEX ON " + t + " (w) USING 'sai'");
    session.execute("CREATE CUSTOM INDEX s_idx ON " + t + " (s) USING '" + SAI + "'");
    assertEquals(Map.of(
        "s_idx", "CUSTOM {class_name=" + SAI + ", target=s}",
        "t_v_idx", "CUSTOM {class_name=" + SAI + ", target=v}",
        "t_w_idx", "CUSTOM {class_name=" + SAI + ", target=w}"), indexRows(t));
    IndexMetadata index = metadata(t).getIndexes().get(com.datastax.oss.driver.api.core.CqlIdentifier.fromInternal("t_w_idx"));
    assertEquals(IndexKind.CUSTOM, index.getKind());
    assertEquals(SAI, index.getClassName().orElseThrow());
  }

  @Test
  void legacyLocalTableAliasMakesALegacyIndex() {
    String t = table();
    session.execute("CREATE INDEX ON " + t + " (v) USING 'legacy_local_table'");
    assertEquals(Map.of("t_v_idx", "COMPOSITES {target=v}"), indexRows(t));
  }

  @Test
  void storageAttachedOptionsAreRecorded() {
    String t = table();
    session.execute("CREATE CUSTOM INDEX ON " + t + " (s) USING 'StorageAttachedIndex' WITH OPTIONS = {'case_sensitive': 'true'}");
    assertEquals(Map.of("t_s_idx", "CUSTOM {case_sensitive=true, class_name=" + SAI + ", target=s}"), indexRows(t));
  }

  @Test
  void collectionTargetsAreNamedAsCassandraNamesThem() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, m map<text, int>, m2 map<text, int>,"
        + " m3 map<text, int>, fl frozen<list<int>>)");
    session.execute("CREATE INDEX ON " + t + " (l)");
    session.execute("CREATE INDEX ON " + t + " (KEYS(m))");
    session.execute("CREATE INDEX ON " + t + " (values(m2))");
    session.execute("CREATE INDEX ON " + t + " (entries(m3))");
    session.execute("CREATE INDEX ON " + t + " (full(fl))");
    assertEquals(Map.of(
        "t_l_idx", "COMPOSITES {target=values(l)}",
        "t_m_idx", "COMPOSITES {target=keys(m)}",
        "t_m2_idx", "COMPOSITES {target=values(m2)}",
        "t_m3_idx", "COMPOSITES {target=entries(m3)}",
        "t_fl_idx", "COMPOSITES {target=full(fl)}"), indexRows(t));
  }

  @Test
  void takenDefaultNameGetsANumberSuffix() {
    String t = table();
    session.execute("CREATE INDEX t_v_idx ON " + t + " (w)");
    session.execute("CREATE INDEX ON " + t + " (v)");
    assertEquals(Map.of("t_v_idx", "COMPOSITES {target=w}", "t_v_idx_1", "COMPOSITES {target=v}"), indexRows(t));
  }

  @Test
  void ifNotExistsIsANoOpForAnExistingNameOrAnEqualIndex() {
    String t = table();
    session.execute("CREATE INDEX IF NOT EXISTS by_v ON " + t + " (v)");
    session.execute("CREATE INDEX IF NOT EXISTS by_v ON " + t + " (w)");
    session.execute("CREATE INDEX IF NOT EXISTS ON " + t + " (v)");
    assertEquals(Map.of("by_v", "COMPOSITES {target=v}"), indexRows(t));
  }

  @Test
  void indexNamesAreUniqueInTheKeyspace() {
    String t = table();
    String ks = keyspaceOf(t);
    session.execute("CREATE TABLE " + ks + ".other (k int PRIMARY KEY, v int)");
    session.execute("CREATE INDEX by_v ON " + t + " (v)");
    assertError(InvalidQueryException.class, "CREATE INDEX by_v ON " + t + " (w)", "Index 'by_v' already exists");
    assertError(InvalidQueryException.class, "CREATE INDEX by_v ON " + ks + ".other (v)", "Index 'by_v' already exists");
  }

  @Test
  void anIndexEqualInAllButNameIsRefused() {
    String t = table();
    session.execute("CREATE INDEX a ON " + t + " (v)");
    assertError(InvalidQueryException.class, "CREATE INDEX b ON " + t + " (v)", "Index b is a duplicate of existing index a");
    session.execute("CREATE CUSTOM INDEX c ON " + t + " (v) USING 'sai'");
    assertEquals(List.of("a", "c"), List.copyOf(indexRows(t).keySet()), "a legacy and an SAI index may share a column");
    session.execute("CREATE CUSTOM INDEX e ON " + t + " (s) USING 'sai'");
    assertError(InvalidQueryException.class,
        "CREATE CUSTOM INDEX f ON " + t + " (s) USING 'sai' WITH OPTIONS = {'case_sensitive': 'true'}",
        "Cannot create duplicate storage-attached index on column: s");
  }

  @Test
  void dropIndexByNameAndByQualifiedName() throws InterruptedException {
    String t = table();
    session.execute("CREATE INDEX by_v ON " + t + " (v)");
    session.execute("CREATE INDEX by_w ON " + t + " (w)");
    session.execute("DROP INDEX " + keyspaceOf(t) + ".by_v");
    try (CqlSession s = node.session(b -> b.withString(
        com.datastax.oss.driver.api.core.config.DefaultDriverOption.SESSION_KEYSPACE, keyspaceOf(t)))) {
      s.execute("DROP INDEX by_w");
    }
    assertEquals(Map.of(), indexRows(t));
    eventually(() -> metadata(t).getIndexes().isEmpty(), "the driver sees both indexes dropped");
  }

  @Test
  void droppingAMissingIndex() {
    String t = table();
    String ks = keyspaceOf(t);
    assertError(InvalidQueryException.class, "DROP INDEX " + ks + ".nope", "Index '" + ks + ".nope' doesn't exist");
    session.execute("DROP INDEX IF EXISTS " + ks + ".nope");
    session.execute("DROP INDEX IF EXISTS no_such_keyspace.nope");
  }

  @Test
  void createIndexOnMissingObjects() {
    String t = table();
    String ks = keyspaceOf(t);
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + ks + ".nope (v)", "Table 'nope' doesn't exist");
    assertError(InvalidQueryException.class, "CREATE INDEX ON nokeyspace.t (v)", "Keyspace 'nokeyspace' doesn't exist");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (nope)", "Column 'nope' doesn't exist");
  }

  @Test
  void targetsAreCheckedAgainstColumnTypes() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int, l list<int>, m map<int, int>, fl frozen<list<int>>,"
        + " d duration, ld list<duration>)");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (k)",
        "Cannot create secondary index on the only partition key column k");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (keys(v))",
        "Cannot create keys() index on v. Non-collection columns only support simple indexes");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (keys(l))", "Cannot create index on keys of column l with non-map type");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (entries(l))", "with non-map type");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (full(l))", "full() indexes can only be created on frozen collections");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (fl)",
        "Cannot create values() index on frozen column fl", "full(fl)");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (d)", "not supported on duration columns");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (ld)", "collections containing durations");
    assertEquals(Map.of(), indexRows(t));
  }

  @Test
  void implementationAndOptionErrors() {
    String t = table();
    assertError(InvalidQueryException.class, "CREATE CUSTOM INDEX ON " + t + " (v)", "CUSTOM index requires specifiying the index class");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (v) WITH OPTIONS = {'a': 'b'}",
        "Cannot specify options for a non-CUSTOM index");
    assertError(InvalidConfigurationInQueryException.class, "CREATE CUSTOM INDEX ON " + t + " (v) USING 'com.example.Nope'",
        "Unable to find custom indexer class 'com.example.Nope'");
    assertError(InvalidQueryException.class, "CREATE CUSTOM INDEX ON " + t + " (s) USING 'org.apache.cassandra.index.sasi.SASIIndex'",
        "SASI indexes are disabled");
    assertError(InvalidConfigurationInQueryException.class,
        "CREATE CUSTOM INDEX ON " + t + " (s) USING 'sai' WITH OPTIONS = {'case-sensitive': 'true'}",
        "[case-sensitive] are not understood by StorageAttachedIndex");
    assertError(InvalidQueryException.class,
        "CREATE CUSTOM INDEX ON " + t + " (v) USING 'sai' WITH OPTIONS = {'case_sensitive': 'false'}", "case_sensitive",
        "text and ascii");
    assertError(InvalidQueryException.class,
        "CREATE CUSTOM INDEX ON " + t + " (s) USING 'sai' WITH OPTIONS = {'class_name': 'x'}", "Cannot specify class_name as a CUSTOM option");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (v, w)", "Only CUSTOM indexes support multiple columns");
    assertError(SyntaxError.class, "CREATE CUSTOM INDEX ON " + t + " (v) USING 'sai' WITH foo = 1", "Unknown property 'foo'");
    assertEquals(Map.of(), indexRows(t));
  }

  @Test
  void countersAreNotIndexable() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, n counter)");
    assertError(InvalidQueryException.class, "CREATE INDEX ON " + t + " (n)", "Secondary indexes on counter tables aren't supported");
  }

  @Test
  void anIndexedColumnCannotBeDroppedUntilItsIndexIs() {
    String t = table();
    session.execute("CREATE INDEX by_v ON " + t + " (v)");
    session.execute("CREATE INDEX by_v2 ON " + t + " (v) USING 'sai'");
    assertError(InvalidQueryException.class, "ALTER TABLE " + t + " DROP v",
        "Cannot drop column v because it has dependent secondary indexes (by_v, by_v2)");
    session.execute("DROP INDEX " + keyspaceOf(t) + ".by_v");
    session.execute("DROP INDEX " + keyspaceOf(t) + ".by_v2");
    session.execute("ALTER TABLE " + t + " DROP v");
    assertTrue(metadata(t).getColumn("v").isEmpty());
  }

  @Test
  void anIndexedKeyColumnCannotBeRenamed() {
    String t = table();
    session.execute("CREATE INDEX by_c ON " + t + " (c)");
    assertError(InvalidQueryException.class, "ALTER TABLE " + t + " RENAME c TO c2",
        "Cannot rename column c because it has dependent secondary indexes (by_c)");
  }

  @Test
  void droppingTheTableDropsItsIndexesAndFreesTheirNames() {
    String t = table();
    session.execute("CREATE INDEX by_v ON " + t + " (v)");
    session.execute("DROP TABLE " + t);
    session.execute("CREATE TABLE " + t + " (k int PRIMARY KEY, v int)");
    assertEquals(Map.of(), indexRows(t));
    session.execute("CREATE INDEX by_v ON " + t + " (v)");
    assertEquals(Map.of("by_v", "COMPOSITES {target=v}"), indexRows(t));
  }

  @Test
  void otherSessionsLearnAboutIndexesThroughTableUpdatedEvents() throws InterruptedException {
    String t = table();
    String name = t.substring(t.indexOf('.') + 1);
    try (CqlSession other = session()) {
      eventually(() -> other.getMetadata().getKeyspace(keyspaceOf(t)).flatMap(k -> k.getTable(name)).isPresent(), "other sees the table");
      session.execute("CREATE INDEX by_w ON " + t + " (w)");
      eventually(() -> other.getMetadata().getKeyspace(keyspaceOf(t)).flatMap(k -> k.getTable(name))
          .map(m -> m.getIndexes().size() == 1).orElse(false), "other sees the index");
      session.execute("DROP INDEX " + keyspaceOf(t) + ".by_w");
      eventually(() -> other.getMetadata().getKeyspace(keyspaceOf(t)).flatMap(k -> k.getTable(name))
          .map(m -> m.getIndexes().isEmpty()).orElse(false), "other sees the index dropped");
    }
  }

  @Test
  void indexesSurviveARestart() {
    try (TestNode own = TestNode.start()) {
      try (CqlSession s = own.session()) {
        s.execute("CREATE KEYSPACE r WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        s.execute("CREATE TABLE r.t (k int, c int, v int, PRIMARY KEY (k, c))");
        s.execute("CREATE INDEX by_v ON r.t (v)");
        s.execute("CREATE CUSTOM INDEX by_c ON r.t (c) USING 'sai'");
        s.execute("INSERT INTO r.t (k, c, v) VALUES (1, 2, 3)");
      }
      own.restart();
      try (CqlSession s = own.session()) {
        List<String> rows = column(s.execute("SELECT index_name, kind FROM system_schema.indexes WHERE keyspace_name = 'r'"),
            r -> r.getString(0) + " " + r.getString(1));
        assertEquals(List.of("by_c CUSTOM", "by_v COMPOSITES"), rows);
        assertEquals(1, s.execute("SELECT * FROM r.t WHERE v = 3").all().size(), "the index still allows the query");
        assertEquals(2, s.getMetadata().getKeyspace("r").orElseThrow().getTable("t").orElseThrow().getIndexes().size());
      }
    }
  }

  // ---- queries with legacy indexes ----

  @Test
  void legacyIndexAllowsEqualityWithoutFiltering() {
    String t = table();
    fill(t);
    session.execute("CREATE INDEX ON " + t + " (v)");
    assertEquals(List.of("0:1", "0:4", "1:1", "1:4", "2:1", "2:4", "3:1", "3:4"),
        keys(session.execute("SELECT k, c FROM " + t + " WHERE v = 1")));
    assertEquals(List.of(), keys(session.execute("SELECT k, c FROM " + t + " WHERE v = 7")));
  }

  @Test
  void rangesOnRegularColumnsNeedNoExplicitIndex() {
    String t = table();
    fill(t);
    assertEquals(4, rows("SELECT * FROM " + t + " WHERE v > 1").size());
    session.execute("CREATE INDEX ON " + t + " (v)");
    assertEquals(4, rows("SELECT * FROM " + t + " WHERE v > 1").size());
    assertEquals(4, rows("SELECT * FROM " + t + " WHERE v > 1 ALLOW FILTERING").size());
  }

  @Test
  void explicitIndexesDoNotNarrowWhatAutomaticIndexesServe() {
    String t = table();
    fill(t);
    session.execute("CREATE INDEX ON " + t + " (v)");
    session.execute("CREATE INDEX ON " + t + " (w)");
    assertEquals(List.of("1:1"), keys(session.execute("SELECT k, c FROM " + t + " WHERE v = 1 AND w = 11")));
    assertEquals(List.of("1:1"), keys(session.execute("SELECT k, c FROM " + t + " WHERE v = 1 AND w = 11 ALLOW FILTERING")));
  }

  @Test
  void restrictionsOnSeveralRegularColumnsCombine() {
    String t = table();
    fill(t);
    assertEquals(4, rows("SELECT * FROM " + t + " WHERE v = 1 AND s = 's1'").size());
    assertEquals(4, rows("SELECT * FROM " + t + " WHERE v = 1 AND s = 's1' ALLOW FILTERING").size());
  }

  @Test
  void indexedRestrictionWithinAPartitionAndAClusteringSlice() {
    String t = table();
    fill(t);
    session.execute("CREATE INDEX ON " + t + " (v)");
    assertEquals(List.of("2:1", "2:4"), keys(session.execute("SELECT k, c FROM " + t + " WHERE k = 2 AND v = 1")));
    assertEquals(List.of("0:4", "1:4", "2:4", "3:4"), keys(session.execute("SELECT k, c FROM " + t + " WHERE c > 2 AND v = 1")));
    assertEquals(List.of("3:4"), keys(session.execute("SELECT k, c FROM " + t + " WHERE k = 3 AND c >= 2 AND v = 1")));
  }

  @Test
  void readsWithinAPartitionSeekTheIndexAndKeepClusteringOrder() {
    String t = newTable("CREATE TABLE %s (k int, c int, v int, PRIMARY KEY (k, c))");
    for (int k = 1; k <= 2; k++) {
      for (int c = 0; c < 20; c++) {
        session.execute("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?)", k, c, c % 2);
      }
    }
    List<Integer> odd = java.util.stream.IntStream.range(0, 20).filter(c -> c % 2 == 1).boxed().toList();
    List<Integer> oddDescending = new ArrayList<>(odd);
    java.util.Collections.reverse(oddDescending);
    assertEquals(odd, ints("SELECT c FROM " + t + " WHERE k = 1 AND v = 1"));
    assertEquals(oddDescending, ints("SELECT c FROM " + t + " WHERE k = 1 AND v = 1 ORDER BY c DESC"));
    assertEquals(List.of(5, 7, 9, 11), ints("SELECT c FROM " + t + " WHERE k = 1 AND c >= 5 AND c < 12 AND v = 1"));
    assertEquals(List.of(19, 17, 15), ints("SELECT c FROM " + t + " WHERE k = 1 AND v = 1 ORDER BY c DESC LIMIT 3"));
    List<Integer> paged = column(session.execute(SimpleStatement.newInstance(
        "SELECT c FROM " + t + " WHERE k = 1 AND v = 1 ORDER BY c DESC").setPageSize(3)), r -> r.getInt(0));
    assertEquals(oddDescending, paged);
    assertEquals(40, rows("SELECT c FROM " + t + " WHERE k IN (1, 2) AND v IN (0, 1)").size());
    // a range within the partition seeks each value's entries of the partition
    assertEquals(oddDescending, ints("SELECT c FROM " + t + " WHERE k = 1 AND v > 0 ORDER BY c DESC"));
    List<String> rangeTrace = session.execute(SimpleStatement.newInstance("SELECT c FROM " + t + " WHERE k = 1 AND v >= 1")
        .setTracing(true)).getExecutionInfo().getQueryTrace().getEvents().stream().map(e -> e.getActivity()).toList();
    assertTrue(rangeTrace.stream().anyMatch(a -> a.startsWith("Reading 1 partition of " + t + " through the index of v (v in a range)")),
        rangeTrace.toString());
    List<String> trace = session.execute(SimpleStatement.newInstance("SELECT c FROM " + t + " WHERE k = 1 AND v = 1")
        .setTracing(true)).getExecutionInfo().getQueryTrace().getEvents().stream().map(e -> e.getActivity()).toList();
    assertTrue(trace.stream().anyMatch(a -> a.startsWith("Reading 1 partition of " + t + " through the index of v")),
        trace.toString());
  }

  @Test
  void fieldsOfUserTypesAreIndexedAndQueriedAsColumnDotField() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".address (street text, city text, zip int)");
    String t = ks + ".people";
    session.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, home address, work frozen<address>)");
    for (int i = 0; i < 30; i++) {
      session.execute("INSERT INTO " + t + " (id, home, work) VALUES (?, {street: ?, city: ?, zip: ?}, {city: ?, zip: ?})",
          i, "s" + i, "c" + (i % 3), i, "w" + (i % 5), 1000 + i);
    }
    java.util.function.IntFunction<List<Integer>> ids = m -> java.util.stream.IntStream.range(0, 30)
        .filter(i -> i % 3 == m).boxed().toList();
    assertEquals(ids.apply(1), sortedInts("SELECT id FROM " + t + " WHERE home.city = 'c1'"));
    assertEquals(List.of(10, 11, 12, 13, 14), sortedInts("SELECT id FROM " + t + " WHERE home.zip >= 10 AND home.zip < 15"));
    assertEquals(List.of(3, 4), sortedInts("SELECT id FROM " + t + " WHERE work.zip IN (1003, 1004)"));
    assertEquals(List.of(12, 27), sortedInts("SELECT id FROM " + t + " WHERE work.city = 'w2' AND home.city = 'c0'"));
    // a field updated alone, and a whole value removed, leave no stale answer
    session.execute("UPDATE " + t + " SET home.city = 'zz' WHERE id = 1");
    assertEquals(List.of(1), sortedInts("SELECT id FROM " + t + " WHERE home.city = 'zz'"));
    assertFalse(sortedInts("SELECT id FROM " + t + " WHERE home.city = 'c1'").contains(1));
    session.execute("UPDATE " + t + " SET home = null WHERE id = 4");
    assertEquals(List.of(), sortedInts("SELECT id FROM " + t + " WHERE home.zip = 4"));
    List<String> trace = session.execute(SimpleStatement.newInstance("SELECT id FROM " + t + " WHERE home.city = 'c2'")
        .setTracing(true)).getExecutionInfo().getQueryTrace().getEvents().stream().map(e -> e.getActivity()).toList();
    assertTrue(trace.stream().anyMatch(a -> a.startsWith("Reading " + t + " through the index of home.city")), trace.toString());
    assertError(InvalidQueryException.class, "SELECT id FROM " + t + " WHERE home.country = 'x'", "has no field country");
    assertError(InvalidQueryException.class, "SELECT id FROM " + t + " WHERE id.x = 1", "user-defined type");
    assertError(InvalidQueryException.class, "SELECT id FROM " + t + " WHERE home.city CONTAINS 'x'", "not supported");
    // a column the policy leaves out: its fields need ALLOW FILTERING, which still answers
    session.execute("ALTER TABLE " + t + " WITH indexing = {'exclude': 'home'}");
    assertError(InvalidQueryException.class, "SELECT id FROM " + t + " WHERE home.city = 'zz'", FILTERING);
    assertEquals(List.of(1), sortedInts("SELECT id FROM " + t + " WHERE home.city = 'zz' ALLOW FILTERING"));
  }

  private static List<Integer> sortedInts(String cql) {
    return ints(cql).stream().sorted().toList();
  }

  @Test
  void indexOnAClusteringColumnLiftsThePrefixRule() {
    String t = newTable("CREATE TABLE %s (k int, c1 int, c2 int, v int, PRIMARY KEY (k, c1, c2))");
    for (int i = 0; i < 6; i++) {
      session.execute("INSERT INTO " + t + " (k, c1, c2, v) VALUES (?, ?, ?, ?)", i % 2, i, i % 3, i);
    }
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE k = 0 AND c2 = 1",
        "PRIMARY KEY column \"c2\" cannot be restricted as preceding column \"c1\" is not restricted");
    session.execute("CREATE INDEX ON " + t + " (c2)");
    assertEquals(List.of(4), ints("SELECT c1 FROM " + t + " WHERE k = 0 AND c2 = 1"));
    assertEquals(List.of(1, 4), ints("SELECT c1 FROM " + t + " WHERE c2 = 1").stream().sorted().toList());
  }

  @Test
  void indexOnAPartitionKeyComponent() {
    String t = newTable("CREATE TABLE %s (a int, b int, v int, PRIMARY KEY ((a, b)))");
    session.execute("INSERT INTO " + t + " (a, b, v) VALUES (1, 1, 10)");
    session.execute("INSERT INTO " + t + " (a, b, v) VALUES (1, 2, 20)");
    session.execute("INSERT INTO " + t + " (a, b, v) VALUES (2, 1, 30)");
    assertError(InvalidQueryException.class, "SELECT v FROM " + t + " WHERE a = 1", FILTERING);
    session.execute("CREATE INDEX ON " + t + " (a)");
    assertEquals(List.of(10, 20), ints("SELECT v FROM " + t + " WHERE a = 1").stream().sorted().toList());
  }

  @Test
  void indexOnAStaticColumn() {
    String t = newTable("CREATE TABLE %s (k int, c int, st int static, v int, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + t + " (k, c, st, v) VALUES (1, 1, 7, 1)");
    session.execute("INSERT INTO " + t + " (k, c, v) VALUES (1, 2, 2)");
    session.execute("INSERT INTO " + t + " (k, c, st, v) VALUES (2, 1, 8, 3)");
    session.execute("CREATE INDEX ON " + t + " (st)");
    assertEquals(List.of(1, 2), ints("SELECT c FROM " + t + " WHERE st = 7"));
  }

  @Test
  void collectionsServeContainsAndContainsKeyWithoutAnExplicitIndex() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, l list<int>, m map<text, int>, fs frozen<set<int>>)");
    session.execute("INSERT INTO " + t + " (k, l, m, fs) VALUES (1, [1, 2], {'a': 1}, {1, 2})");
    session.execute("INSERT INTO " + t + " (k, l, m, fs) VALUES (2, [2, 3], {'b': 2}, {3})");
    session.execute("INSERT INTO " + t + " (k) VALUES (3)");
    assertEquals(List.of(1, 2), ints("SELECT k FROM " + t + " WHERE l CONTAINS 2").stream().sorted().toList());
    assertEquals(List.of(2), ints("SELECT k FROM " + t + " WHERE m CONTAINS KEY 'b'"));
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE m CONTAINS 1"));
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE fs = {1, 2}"));
    // explicit indexes on the same columns change nothing
    session.execute("CREATE INDEX ON " + t + " (l)");
    session.execute("CREATE INDEX ON " + t + " (keys(m))");
    session.execute("CREATE INDEX ON " + t + " (full(fs))");
    assertEquals(List.of(1, 2), ints("SELECT k FROM " + t + " WHERE l CONTAINS 2").stream().sorted().toList());
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE m CONTAINS 1"));
  }

  @Test
  void droppingAnExplicitIndexKeepsTheColumnQueryable() {
    String t = table();
    fill(t);
    session.execute("CREATE INDEX by_v ON " + t + " (v)");
    assertEquals(8, rows("SELECT * FROM " + t + " WHERE v = 1").size());
    session.execute("DROP INDEX " + keyspaceOf(t) + ".by_v");
    assertEquals(8, rows("SELECT * FROM " + t + " WHERE v = 1").size());
  }

  // ---- queries with storage-attached indexes ----

  @Test
  void rangesWorkOnNumbersAndOnText() {
    String t = table();
    fill(t);
    session.execute("CREATE INDEX ON " + t + " (w) USING 'sai'");
    assertEquals(List.of("1:2", "1:3", "1:4", "2:0"), keys(session.execute("SELECT k, c FROM " + t + " WHERE w > 11 AND w <= 20")));
    assertEquals(4, rows("SELECT * FROM " + t + " WHERE s = 's3'").size());
    assertEquals(List.of("0:4", "1:4", "2:4", "3:4"), keys(session.execute("SELECT k, c FROM " + t + " WHERE s > 's3'")));
  }

  @Test
  void aConjunctionOfIndexedColumns() {
    String t = table();
    fill(t);
    session.execute("CREATE INDEX ON " + t + " (v) USING 'sai'");
    assertEquals(List.of("2:1", "2:4", "3:1"), keys(session.execute("SELECT k, c FROM " + t + " WHERE v = 1 AND w >= 21 AND w < 34")));
    assertEquals(List.of("2:1", "3:1"), keys(session.execute("SELECT k, c FROM " + t + " WHERE v = 1 AND w > 20 AND s = 's1'")));
  }

  @Test
  void saiMixedWithALegacyIndex() {
    String t = table();
    fill(t);
    session.execute("CREATE INDEX ON " + t + " (v) USING 'sai'");
    session.execute("CREATE INDEX ON " + t + " (w)");
    assertEquals(List.of("1:1"), keys(session.execute("SELECT k, c FROM " + t + " WHERE v = 1 AND w = 11")));
  }

  @Test
  void saiCollectionIndexesServeSeveralContains() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, tags set<text>)");
    session.execute("INSERT INTO " + t + " (k, tags) VALUES (1, {'red', 'big'})");
    session.execute("INSERT INTO " + t + " (k, tags) VALUES (2, {'red'})");
    session.execute("CREATE CUSTOM INDEX ON " + t + " (tags) USING 'StorageAttachedIndex'");
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE tags CONTAINS 'red' AND tags CONTAINS 'big'"));
  }

  @Test
  void indexedQueriesPageCorrectly() {
    String t = newTable("CREATE TABLE %s (k int, c int, v int, PRIMARY KEY (k, c))");
    PreparedStatement insert = session.prepare("INSERT INTO " + t + " (k, c, v) VALUES (?, ?, ?)");
    int expected = 0;
    for (int k = 0; k < 10; k++) {
      for (int c = 0; c < 20; c++) {
        session.execute(insert.bind(k, c, (k + c) % 4));
        expected += (k + c) % 4 == 2 ? 1 : 0;
      }
    }
    session.execute("CREATE INDEX ON " + t + " (v) USING 'sai'");
    PreparedStatement select = session.prepare("SELECT k, c, v FROM " + t + " WHERE v = ?");
    ResultSet rs = session.execute(select.bind(2).setPageSize(7));
    List<String> seen = new ArrayList<>();
    for (Row r : rs) {
      assertEquals(2, r.getInt("v"));
      seen.add(r.getInt("k") + ":" + r.getInt("c"));
    }
    assertEquals(expected, seen.size());
    assertEquals(expected, new java.util.HashSet<>(seen).size(), "no row twice across pages");
    assertTrue(rs.getExecutionInfo().getPagingState() == null);
    assertEquals(7, session.execute(SimpleStatement.newInstance("SELECT * FROM " + t + " WHERE v = 2 LIMIT 7").setPageSize(3))
        .all().size());
  }

  // ---- LIKE ----

  private static String words() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, name text, code ascii, n int)");
    String[] names = {"apple", "pineapple", "applesauce", "grape", "Apple", "", "ännchen", "50%off"};
    for (int i = 0; i < names.length; i++) {
      session.execute("INSERT INTO " + t + " (k, name, code, n) VALUES (?, ?, ?, ?)", i, names[i], "c" + i, i);
    }
    session.execute("INSERT INTO " + t + " (k) VALUES (99)");
    return t;
  }

  private static List<String> names(String t, String where) {
    List<String> out = column(session.execute("SELECT name FROM " + t + " WHERE " + where), r -> r.getString(0));
    out.sort(null);
    return out;
  }

  @Test
  void likeFormsOnAnIndexedColumn() {
    String t = words();
    session.execute("CREATE INDEX ON " + t + " (name)");
    assertEquals(List.of("apple", "applesauce"), names(t, "name LIKE 'apple%'"));
    assertEquals(List.of("apple", "pineapple"), names(t, "name LIKE '%apple'"));
    assertEquals(List.of("apple", "applesauce", "pineapple"), names(t, "name LIKE '%apple%'"));
    assertEquals(List.of("apple"), names(t, "name LIKE 'apple'"));
    assertEquals(List.of("grape"), names(t, "name LIKE '%rap%'"));
  }

  @Test
  void likeIsCaseSensitiveAndWorksOnUnicodeAndLiteralPercent() {
    String t = words();
    session.execute("CREATE CUSTOM INDEX ON " + t + " (name) USING 'sai'");
    assertEquals(List.of("Apple"), names(t, "name LIKE 'App%'"));
    assertEquals(List.of("ännchen"), names(t, "name LIKE 'änn%'"));
    assertEquals(List.of("ännchen"), names(t, "name LIKE '%chen'"));
    // Only a leading or trailing % is a wildcard: '5%f' is matched as written.
    assertEquals(List.of(), names(t, "name LIKE '5%f'"));
    assertEquals(List.of("50%off"), names(t, "name LIKE '%0%o%'"));
  }

  @Test
  void likeWithABindMarkerAndPaging() {
    String t = words();
    session.execute("CREATE INDEX ON " + t + " (name)");
    PreparedStatement p = session.prepare("SELECT name FROM " + t + " WHERE name LIKE ?");
    List<String> out = column(session.execute(p.bind("%pp%").setPageSize(1)), r -> r.getString(0));
    out.sort(null);
    assertEquals(List.of("Apple", "apple", "applesauce", "pineapple"), out);
    assertError(InvalidQueryException.class, () -> session.execute(p.bind((Object) null)), "null");
  }

  @Test
  void likeOnAnAsciiColumn() {
    String t = words();
    session.execute("CREATE INDEX ON " + t + " (code)");
    assertEquals(List.of(1), ints("SELECT n FROM " + t + " WHERE code LIKE '%1'"));
  }

  @Test
  void likeOnAnyTextColumnNeedsNoExplicitIndex() {
    String t = words();
    assertEquals(List.of("apple", "applesauce"), names(t, "name LIKE 'apple%'"));
    assertEquals(List.of("apple", "applesauce"), names(t, "name LIKE 'apple%' ALLOW FILTERING"));
  }

  @Test
  void likeBesideAnotherRestriction() {
    String t = words();
    session.execute("CREATE INDEX ON " + t + " (name)");
    assertEquals(List.of("apple"), names(t, "k = 0 AND name LIKE 'a%'"));
    assertEquals(List.of("applesauce"), names(t, "name LIKE 'a%' AND n > 1"));
    assertEquals(List.of("applesauce"), names(t, "name LIKE 'a%' AND n > 1 ALLOW FILTERING"));
  }

  @Test
  void likeErrors() {
    String t = words();
    session.execute("CREATE INDEX ON " + t + " (name)");
    session.execute("CREATE INDEX ON " + t + " (n)");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE n LIKE '1%'",
        "LIKE restrictions are only supported on text and ascii columns", "int");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE name LIKE ''", "LIKE value can't be empty");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE name LIKE '%'", "LIKE value can't be empty");
    assertError(InvalidQueryException.class, "SELECT * FROM " + t + " WHERE name LIKE '%%'", "LIKE value can't be empty");
    assertFalse(rows("SELECT * FROM " + t + " WHERE name LIKE '%%%'").isEmpty(), "'%%%' looks for a literal %");
  }
}
