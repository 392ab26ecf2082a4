package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.meridian.it.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;

/**
 * One node and one driver session per test class; each test works in keyspaces of its own, so
 * tests neither see nor depend on each other's data.
 */
abstract class CqlTestSupport {
  private static final AtomicInteger KEYSPACES = new AtomicInteger();

  static TestNode node;
  static CqlSession session;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
    session = session();
  }

  @AfterAll
  static void stopNode() {
    if (session != null) {
      session.close();
      session = null;
    }
    if (node != null) {
      node.close();
      node = null;
    }
  }

  /**
   * A new session on the node. The driver debounces schema refreshes for a second by default,
   * which would make every DDL statement take that long; tests shorten the window.
   */
  static CqlSession session() {
    return node.session(b -> b.withDuration(com.datastax.oss.driver.api.core.config.DefaultDriverOption.METADATA_SCHEMA_WINDOW,
        java.time.Duration.ofMillis(20)));
  }

  /** Creates a fresh SimpleStrategy keyspace and returns its name. */
  static String newKeyspace() {
    String name = "ks_" + KEYSPACES.incrementAndGet();
    session.execute("CREATE KEYSPACE " + name + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    return name;
  }

  /** A fresh keyspace holding one table created from {@code ddl}, where "%s" stands for the qualified table name. */
  static String newTable(String ddl) {
    String table = newKeyspace() + ".t";
    session.execute(String.format(ddl, table));
    return table;
  }

  static List<Row> rows(String cql, Object... values) {
    return session.execute(cql, values).all();
  }

  static List<Row> rows(Statement<?> statement) {
    return session.execute(statement).all();
  }

  /** Each row mapped to a value, in result order. */
  static <T> List<T> column(ResultSet rs, Function<Row, T> f) {
    List<T> out = new ArrayList<>();
    for (Row r : rs) {
      out.add(f.apply(r));
    }
    return out;
  }

  static List<Integer> ints(String cql, Object... values) {
    return column(session.execute(cql, values), r -> r.getInt(0));
  }

  /** Asserts the call fails with exactly {@code type} and a message containing each key word (case-insensitive). */
  static <T extends Throwable> T assertError(Class<T> type, Executable call, String... keywords) {
    T e = assertThrows(type, call);
    assertTrue(type == e.getClass(), () -> "expected " + type.getName() + " but got " + e.getClass().getName() + ": " + e.getMessage());
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    for (String k : keywords) {
      assertTrue(message.contains(k.toLowerCase(Locale.ROOT)), () -> "message lacks '" + k + "': " + e.getMessage());
    }
    return e;
  }

  static <T extends Throwable> T assertError(Class<T> type, String cql, String... keywords) {
    return assertError(type, () -> session.execute(cql), keywords);
  }

  static List<String> columnNames(com.datastax.oss.driver.api.core.cql.ColumnDefinitions defs) {
    List<String> out = new ArrayList<>();
    defs.forEach(d -> out.add(d.getName().asInternal()));
    return out;
  }

  /** Grid of (k, c) pairs rendered as "k:c" for compact comparisons. */
  static List<String> pairs(ResultSet rs, String a, String b) {
    return column(rs, r -> r.getObject(a) + ":" + r.getObject(b));
  }
}
