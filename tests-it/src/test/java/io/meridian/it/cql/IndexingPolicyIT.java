package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.QueryTrace;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The {@code indexing} table option: which columns are indexed automatically, shown in
 * system_schema.tables; changing it drops or builds entries online, with the state in
 * system_views.indexes; CREATE INDEX on an excluded column includes it.
 */
class IndexingPolicyIT extends CqlTestSupport {
  private static final String FILTERING = "ALLOW FILTERING";

  private static Map<String, String> indexingOption(String table) {
    String[] parts = table.split("\\.");
    Row r = session.execute("SELECT indexing FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
        parts[0], parts[1]).one();
    return new TreeMap<>(r.getMap("indexing", String.class, String.class));
  }

  /** column -> state of system_views.indexes for the table. */
  private static Map<String, String> states(String table) {
    String[] parts = table.split("\\.");
    Map<String, String> out = new TreeMap<>();
    for (Row r : session.execute("SELECT column_name, state FROM system_views.indexes WHERE keyspace_name = ? AND table_name = ?",
        parts[0], parts[1])) {
      out.put(r.getString("column_name"), r.getString("state"));
    }
    return out;
  }

  private static void awaitReady(String table, String column) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!"ready".equals(states(table).get(column)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("ready", states(table).get(column), states(table).toString());
  }

  private static List<String> traceOf(String cql) {
    QueryTrace trace = session.execute(SimpleStatement.newInstance(cql).setTracing(true)).getExecutionInfo().getQueryTrace();
    return trace.getEvents().stream().map(e -> e.getActivity()).toList();
  }

  @Test
  void everyRegularAndStaticColumnIsIndexedByDefault() throws InterruptedException {
    String t = newTable("CREATE TABLE %s (k int, c int, st text static, v int, notes text, tags set<int>, PRIMARY KEY (k, c))");
    assertEquals(Map.of("exclude", ""), indexingOption(t));
    awaitReady(t, "v");
    assertEquals(Map.of("notes", "ready", "st", "ready", "tags", "ready", "v", "ready"), states(t));
  }

  @Test
  void anExcludedColumnNeedsAllowFilteringAndTheOthersDoNot() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int, notes text) WITH indexing = {'exclude': 'notes'}");
    session.execute("INSERT INTO " + t + " (k, v, notes) VALUES (1, 10, 'x')");
    session.execute("INSERT INTO " + t + " (k, v, notes) VALUES (2, 20, 'y')");
    assertEquals(Map.of("exclude", "notes"), indexingOption(t));
    assertEquals(Map.of("v", "ready"), states(t));
    assertError(InvalidQueryException.class, "SELECT k FROM " + t + " WHERE notes = 'x'", FILTERING);
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE notes = 'x' ALLOW FILTERING"));
    assertEquals(List.of(2), ints("SELECT k FROM " + t + " WHERE v = 20"));
    assertTrue(traceOf("SELECT k FROM " + t + " WHERE notes = 'x' ALLOW FILTERING").stream()
        .anyMatch(a -> a.startsWith("Scanning all partitions")), "an excluded column is scanned");
  }

  @Test
  void includingAColumnLaterBuildsItsEntriesOnlineFromTheStoredRows() throws InterruptedException {
    String t = newTable("CREATE TABLE %s (k int, c int, v int, w int, PRIMARY KEY (k, c)) WITH indexing = {'include': ''}");
    assertEquals(Map.of(), states(t));
    var insert = session.prepare("INSERT INTO " + t + " (k, c, v, w) VALUES (?, ?, ?, ?)");
    for (int k = 0; k < 300; k++) {
      for (int c = 0; c < 10; c++) {
        session.execute(insert.bind(k, c, (k * 10 + c) % 7, c));
      }
    }
    assertError(InvalidQueryException.class, "SELECT k FROM " + t + " WHERE v = 3", FILTERING);
    session.execute("ALTER TABLE " + t + " WITH indexing = {'include': 'v'}");
    // reads and writes go on while the entries are built; writes during the build are found too
    for (int k = 300; k < 320; k++) {
      session.execute(insert.bind(k, 0, 3, 0));
      assertEquals(List.of(3), ints("SELECT v FROM " + t + " WHERE k = ? AND c = 0", k));
    }
    long during = session.execute("SELECT k FROM " + t + " WHERE v = 3").all().size();
    awaitReady(t, "v");
    long expected = 20 + java.util.stream.IntStream.range(0, 3000).filter(i -> i % 7 == 3).count();
    assertEquals(expected, during, "while building, the query scans and finds the same rows");
    assertEquals(expected, session.execute("SELECT k FROM " + t + " WHERE v = 3").all().size());
    assertTrue(traceOf("SELECT k FROM " + t + " WHERE v = 3").stream()
        .anyMatch(a -> a.startsWith("Reading " + t + " through the index of v")));
    assertError(InvalidQueryException.class, "SELECT k FROM " + t + " WHERE w = 3", FILTERING);

    // excluding it again drops its entries: back to ALLOW FILTERING
    session.execute("ALTER TABLE " + t + " WITH indexing = {'exclude': 'v'}");
    awaitReady(t, "w");
    assertEquals(Map.of("w", "ready"), states(t));
    assertError(InvalidQueryException.class, "SELECT k FROM " + t + " WHERE v = 3", FILTERING);
    assertEquals(300, session.execute("SELECT k FROM " + t + " WHERE w = 3").all().size());
  }

  /** The rows of the page the result set holds, without fetching the next. */
  private static java.util.List<Integer> onePage(com.datastax.oss.driver.api.core.cql.ResultSet rs) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (int n = rs.getAvailableWithoutFetching(); n > 0; n--) {
      out.add(rs.one().getInt(0));
    }
    return out;
  }

  @Test
  void aPagedQueryGoesOnTheWayItsFirstPageRead() throws InterruptedException {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int) WITH indexing = {'include': ''}");
    for (int k = 0; k < 30; k++) {
      session.execute("INSERT INTO " + t + " (k, v) VALUES (?, ?)", k, k % 3);
    }
    SimpleStatement query = SimpleStatement.newInstance("SELECT k FROM " + t + " WHERE v = 1 ALLOW FILTERING").setPageSize(4);
    // first page by scanning; the index becomes ready before the next page, which still scans
    var first = session.execute(query);
    java.util.List<Integer> seen = new java.util.ArrayList<>();
    seen.addAll(onePage(first));
    session.execute("ALTER TABLE " + t + " WITH indexing = {'include': 'v'}");
    awaitReady(t, "v");
    java.nio.ByteBuffer state = first.getExecutionInfo().getPagingState();
    while (state != null) {
      var page = session.execute(query.setPagingState(state));
      seen.addAll(onePage(page));
      state = page.getExecutionInfo().getPagingState();
    }
    assertEquals(java.util.stream.IntStream.range(0, 30).filter(k -> k % 3 == 1).boxed().toList(),
        seen.stream().sorted().toList(), "every row once");

    // first page through the index; the column leaves the policy before the next page
    var indexed = session.execute(query);
    session.execute("ALTER TABLE " + t + " WITH indexing = {'include': ''}");
    java.nio.ByteBuffer indexState = indexed.getExecutionInfo().getPagingState();
    assertError(InvalidQueryException.class, () -> session.execute(query.setPagingState(indexState)),
        "not available any more", "first page");
  }

  @Test
  void createIndexOnAnExcludedColumnIndexesIt() throws InterruptedException {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int, notes text) WITH indexing = {'exclude': 'notes'}");
    session.execute("INSERT INTO " + t + " (k, v, notes) VALUES (1, 10, 'x')");
    session.execute("CREATE INDEX notes_idx ON " + t + " (notes)");
    awaitReady(t, "notes");
    assertEquals(List.of(1), ints("SELECT k FROM " + t + " WHERE notes = 'x'"));
    assertTrue(traceOf("SELECT k FROM " + t + " WHERE notes = 'x'").stream()
        .anyMatch(a -> a.startsWith("Reading " + t + " through the index of notes")));
    session.execute("DROP INDEX " + t.substring(0, t.indexOf('.')) + ".notes_idx");
    assertEquals(Map.of("v", "ready"), states(t));
    assertError(InvalidQueryException.class, "SELECT k FROM " + t + " WHERE notes = 'x'", FILTERING);
  }

  @Test
  void droppingANamedColumnTakesItOutOfThePolicy() {
    String t = newTable("CREATE TABLE %s (k int PRIMARY KEY, v int, notes text, raw blob) WITH indexing = {'exclude': 'raw, notes'}");
    assertEquals(Map.of("exclude", "notes, raw"), indexingOption(t));
    session.execute("ALTER TABLE " + t + " DROP raw");
    assertEquals(Map.of("exclude", "notes"), indexingOption(t));
    session.execute("ALTER TABLE " + t + " ADD extra int");
    assertEquals(Map.of("extra", "ready", "v", "ready"), states(t), "a new column is indexed unless excluded");
  }

  @Test
  void badPoliciesAreRefusedWithAClearError() {
    String ks = newKeyspace();
    assertError(InvalidConfigurationInQueryException.class,
        "CREATE TABLE " + ks + ".a (k int PRIMARY KEY, v int) WITH indexing = {'exclude': 'nope'}", "nope", "does not have");
    assertError(InvalidConfigurationInQueryException.class,
        "CREATE TABLE " + ks + ".b (k int PRIMARY KEY, v int) WITH indexing = {'exclude': 'k'}", "primary key column k");
    assertError(InvalidConfigurationInQueryException.class,
        "CREATE TABLE " + ks + ".c (k int PRIMARY KEY, v int) WITH indexing = {'include': 'v', 'exclude': ''}", "exactly one");
    assertError(InvalidConfigurationInQueryException.class,
        "CREATE TABLE " + ks + ".d (k int PRIMARY KEY, v int) WITH indexing = {'only': 'v'}", "exactly one");
  }
}
