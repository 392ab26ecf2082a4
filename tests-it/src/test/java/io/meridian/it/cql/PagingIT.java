package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paging through the driver: page sizes, wide partitions, full scans, resuming from a paging
 * state on another session and after a node restart, and paging with LIMIT / PER PARTITION LIMIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagingIT extends CqlTestSupport {
  private static final int WIDE = 1000;
  private static final int PARTITIONS = 60;
  private static final int PER_PARTITION = 7;
  private static String wide;
  private static String scan;

  @BeforeAll
  static void data() {
    wide = newTable("CREATE TABLE %s (k int, c int, v text, PRIMARY KEY (k, c))");
    scan = wide.replace(".t", ".s");
    session.execute("CREATE TABLE " + scan + " (k int, c int, v text, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)");
    PreparedStatement w = session.prepare("INSERT INTO " + wide + " (k, c, v) VALUES (1, ?, ?)");
    for (int c = 0; c < WIDE; c++) {
      session.execute(w.bind(c, "v" + c));
    }
    PreparedStatement s = session.prepare("INSERT INTO " + scan + " (k, c, v) VALUES (?, ?, ?)");
    for (int k = 0; k < PARTITIONS; k++) {
      for (int c = 0; c < PER_PARTITION; c++) {
        session.execute(s.bind(k, c, k + ":" + c));
      }
    }
  }

  /**
   * Reads all pages one request at a time, passing the paging state explicitly, and checks each
   * page holds at most pageSize rows; returns "k:c" keys.
   */
  private static List<String> readAll(CqlSession s, Statement<?> statement, int pageSize) {
    List<String> out = new ArrayList<>();
    Statement<?> next = statement.setPageSize(pageSize);
    int pages = 0;
    while (true) {
      ResultSet rs = s.execute(next);
      int available = rs.getAvailableWithoutFetching();
      assertTrue(available <= pageSize, "page of " + available + " rows for page size " + pageSize);
      for (int i = 0; i < available; i++) {
        Row r = rs.one();
        out.add(r.getInt("k") + ":" + r.getInt("c"));
      }
      ByteBuffer state = rs.getExecutionInfo().getPagingState();
      if (state == null) {
        break;
      }
      assertTrue(++pages < 100_000, "paging does not end");
      next = next.setPagingState(state);
    }
    return out;
  }

  private static void assertNoDuplicates(List<String> rows) {
    assertEquals(rows.size(), new HashSet<>(rows).size(), "duplicate rows");
  }

  private static List<String> wideKeys(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int c = from; c < to; c++) {
      out.add("1:" + c);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 100, 999, 1000, 1001, 5000})
  @Order(1)
  void widePartitionInPages(int pageSize) {
    List<String> rows = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + wide + " WHERE k = 1"), pageSize);
    assertEquals(wideKeys(0, WIDE), rows);
  }

  @Test
  @Order(1)
  void widePartitionReversedInPages() {
    List<String> rows = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + wide + " WHERE k = 1 ORDER BY c DESC"), 33);
    List<String> want = wideKeys(0, WIDE);
    java.util.Collections.reverse(want);
    assertEquals(want, rows);
  }

  @Test
  @Order(1)
  void widePartitionSliceInPagesWithPreparedStatement() {
    PreparedStatement ps = session.prepare("SELECT k, c FROM " + wide + " WHERE k = ? AND c >= ? AND c < ?");
    assertEquals(wideKeys(100, 350), readAll(session, ps.bind(1, 100, 350), 40));
  }

  @Test
  @Order(1)
  void pagingAcrossSeveralClusteringRanges() {
    List<String> rows = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + wide + " WHERE k = 1 AND c IN (5, 1, 900, 3, 77)"), 2);
    assertEquals(List.of("1:1", "1:3", "1:5", "1:77", "1:900"), rows);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6, 7, 8, 50, 1000})
  @Order(1)
  void fullTableScanInPages(int pageSize) {
    List<String> rows = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + scan), pageSize);
    assertEquals(PARTITIONS * PER_PARTITION, rows.size());
    assertNoDuplicates(rows);
  }

  @Test
  @Order(1)
  void partitionInListInPages() {
    List<String> rows = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + scan + " WHERE k IN (3, 10, 20)"), 4);
    assertEquals(21, rows.size());
    assertNoDuplicates(rows);
    // Within each partition the clustering order (DESC) is kept.
    assertEquals(List.of("3:6", "3:5", "3:4", "3:3", "3:2", "3:1", "3:0"), rows.stream().filter(r -> r.startsWith("3:")).toList());
  }

  @Test
  @Order(1)
  void pagingWithLimit() {
    List<String> rows = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + wide + " WHERE k = 1 LIMIT 25"), 10);
    assertEquals(wideKeys(0, 25), rows);
    List<String> scanned = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + scan + " LIMIT 100"), 9);
    assertEquals(100, scanned.size());
    assertNoDuplicates(scanned);
    // A limit that is a multiple of the page size.
    assertEquals(wideKeys(0, 30), readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + wide + " WHERE k = 1 LIMIT 30"), 10));
  }

  @Test
  @Order(1)
  void pagingWithPerPartitionLimit() {
    List<String> rows = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + scan + " PER PARTITION LIMIT 3"), 4);
    assertEquals(PARTITIONS * 3, rows.size());
    assertNoDuplicates(rows);
    assertTrue(rows.stream().allMatch(r -> Integer.parseInt(r.split(":")[1]) >= 4), "each partition's first three rows (DESC): " + rows);
    List<String> limited = readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + scan + " PER PARTITION LIMIT 2 LIMIT 11"), 3);
    assertEquals(11, limited.size());
    assertNoDuplicates(limited);
  }

  @Test
  @Order(1)
  void pagingDistinct() {
    List<Integer> keys = new ArrayList<>();
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT DISTINCT k FROM " + scan).setPageSize(7));
    for (Row r : rs) {
      keys.add(r.getInt(0));
    }
    assertEquals(PARTITIONS, keys.size());
    assertEquals(PARTITIONS, new HashSet<>(keys).size());
  }

  @Test
  @Order(1)
  void aggregatesIgnorePageSize() {
    Row r = session.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + scan).setPageSize(5)).one();
    assertEquals((long) PARTITIONS * PER_PARTITION, r.getLong(0));
  }

  @Test
  @Order(1)
  void exactlyOnePageLeavesNoPagingState() {
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT k, c FROM " + wide + " WHERE k = 1 LIMIT 10").setPageSize(20));
    assertNull(rs.getExecutionInfo().getPagingState());
    assertEquals(10, rs.all().size());
  }

  /** First page on one session, the rest on another, from the paging state alone. */
  private static void resumeOnOtherSession(Statement<?> first, java.util.function.Function<CqlSession, Statement<?>> again, int expected) {
    ResultSet rs = session.execute(first.setPageSize(50));
    List<String> seen = new ArrayList<>();
    for (int i = rs.getAvailableWithoutFetching(); i > 0; i--) {
      Row r = rs.one();
      seen.add(r.getInt("k") + ":" + r.getInt("c"));
    }
    ByteBuffer state = rs.getExecutionInfo().getPagingState();
    assertNotNull(state);
    try (CqlSession other = session()) {
      seen.addAll(readAll(other, again.apply(other).setPagingState(state), 50));
    }
    assertEquals(expected, seen.size());
    assertNoDuplicates(seen);
  }

  @Test
  @Order(2)
  void resumeSimpleStatementOnAnotherSession() {
    String cql = "SELECT k, c FROM " + scan;
    resumeOnOtherSession(SimpleStatement.newInstance(cql), s -> SimpleStatement.newInstance(cql), PARTITIONS * PER_PARTITION);
  }

  @Test
  @Order(2)
  void resumePreparedStatementOnAnotherSession() {
    String cql = "SELECT k, c FROM " + wide + " WHERE k = ?";
    BoundStatement first = session.prepare(cql).bind(1);
    resumeOnOtherSession(first, s -> s.prepare(cql).bind(1), WIDE);
  }

  @Test
  @Order(3)
  void resumeAfterNodeRestart() {
    String cql = "SELECT k, c FROM " + scan;
    ResultSet rs = session.execute(SimpleStatement.newInstance(cql).setPageSize(100));
    Set<String> seen = new HashSet<>();
    List<String> all = new ArrayList<>();
    for (int i = rs.getAvailableWithoutFetching(); i > 0; i--) {
      Row r = rs.one();
      all.add(r.getInt("k") + ":" + r.getInt("c"));
    }
    ByteBuffer state = rs.getExecutionInfo().getPagingState();
    assertNotNull(state);
    session.close();
    node.restart();
    session = session();
    all.addAll(readAll(session, SimpleStatement.newInstance(cql).setPagingState(state), 100));
    seen.addAll(all);
    assertEquals(PARTITIONS * PER_PARTITION, all.size());
    assertEquals(all.size(), seen.size(), "duplicates after resuming");
    // And the data itself survived the restart.
    assertEquals(wideKeys(0, WIDE), readAll(session, SimpleStatement.newInstance("SELECT k, c FROM " + wide + " WHERE k = 1"), 300));
  }

  @Test
  @Order(4)
  void pageInWidePartitionWithConcurrentDeletesStaysConsistent() {
    // Rows deleted ahead of the cursor do not appear; rows behind it are not repeated.
    String t = newTable("CREATE TABLE %s (k int, c int, PRIMARY KEY (k, c))");
    for (int c = 0; c < 100; c++) {
      session.execute("INSERT INTO " + t + " (k, c) VALUES (0, ?)", c);
    }
    ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT k, c FROM " + t + " WHERE k = 0").setPageSize(10));
    List<Integer> seen = new ArrayList<>();
    for (int i = rs.getAvailableWithoutFetching(); i > 0; i--) {
      seen.add(rs.one().getInt("c"));
    }
    session.execute("DELETE FROM " + t + " WHERE k = 0 AND c >= 50");
    for (Row r : rs) {
      seen.add(r.getInt("c"));
    }
    List<Integer> want = new ArrayList<>();
    for (int c = 0; c < 50; c++) {
      want.add(c);
    }
    assertEquals(want, seen);
  }
}
