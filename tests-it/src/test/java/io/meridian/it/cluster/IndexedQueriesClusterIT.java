package io.meridian.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Indexed queries on three nodes at RF 3: every predicate type finds exactly the rows a filtered
 * full scan finds, through the index (scatter-gather over the tablets), at QUORUM and ONE, paged;
 * and an indexing policy changed on one node is built on every node.
 */
class IndexedQueriesClusterIT {
  private record Case(String where, Predicate<Row> matches) {}

  @Test
  void everyPredicateTypeReadsThroughTheIndexOnTheCluster() {
    try (TestCluster cluster = new TestCluster(3).start();
         CqlSession session = cluster.session(0);
         CqlSession other = cluster.session(2)) {
      session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
      session.execute("CREATE TABLE ks.t (k int, c int, v int, s text, tags set<int>, m map<text, int>, PRIMARY KEY (k, c))");
      PreparedStatement insert = session.prepare("INSERT INTO ks.t (k, c, v, s, tags, m) VALUES (?, ?, ?, ?, ?, ?)");
      for (int k = 0; k < 40; k++) {
        for (int c = 0; c < 5; c++) {
          int v = (k * 5 + c) % 11;
          session.execute(insert.bind(k, c, v, "s" + (v % 4), java.util.Set.of(v % 3, 10 + c), Map.of("key" + c, v))
              .setConsistencyLevel(DefaultConsistencyLevel.QUORUM));
        }
      }
      session.execute("UPDATE ks.t SET v = 99 WHERE k = 3 AND c = 1");
      session.execute("DELETE FROM ks.t WHERE k = 4");
      session.execute("DELETE tags FROM ks.t WHERE k = 5 AND c = 0");
      List<Row> all = session.execute(SimpleStatement.newInstance("SELECT k, c, v, s, tags, m FROM ks.t")
          .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)).all();
      List<Case> cases = List.of(
          new Case("v = 7", r -> !r.isNull("v") && r.getInt("v") == 7),
          new Case("v = 99", r -> !r.isNull("v") && r.getInt("v") == 99),
          new Case("v IN (1, 2, 40)", r -> !r.isNull("v") && List.of(1, 2, 40).contains(r.getInt("v"))),
          new Case("v > 8", r -> !r.isNull("v") && r.getInt("v") > 8),
          new Case("v <= 1", r -> !r.isNull("v") && r.getInt("v") <= 1),
          new Case("s LIKE 's3%'", r -> r.getString("s") != null && r.getString("s").startsWith("s3")),
          new Case("v >= 2 AND v < 5", r -> !r.isNull("v") && r.getInt("v") >= 2 && r.getInt("v") < 5),
          new Case("s = 's1'", r -> "s1".equals(r.getString("s"))),
          new Case("tags CONTAINS 2", r -> r.getSet("tags", Integer.class).contains(2)),
          new Case("m CONTAINS KEY 'key3'", r -> r.getMap("m", String.class, Integer.class).containsKey("key3")),
          new Case("m CONTAINS 10", r -> r.getMap("m", String.class, Integer.class).containsValue(10)),
          new Case("v < 6 AND s = 's2'", r -> !r.isNull("v") && r.getInt("v") < 6 && "s2".equals(r.getString("s"))),
          new Case("k = 7 AND v = 2", r -> r.getInt("k") == 7 && !r.isNull("v") && r.getInt("v") == 2),
          new Case("k IN (8, 9) AND v >= 4", r -> (r.getInt("k") == 8 || r.getInt("k") == 9) && !r.isNull("v") && r.getInt("v") >= 4));
      for (Case c : cases) {
        Map<String, Integer> expected = new TreeMap<>();
        all.stream().filter(c.matches()).forEach(r -> expected.merge(r.getInt("k") + ":" + r.getInt("c"), 1, Integer::sum));
        for (CqlSession s : List.of(session, other)) {
          for (DefaultConsistencyLevel level : List.of(DefaultConsistencyLevel.QUORUM, DefaultConsistencyLevel.ONE)) {
            Map<String, Integer> found = new TreeMap<>();
            for (Row r : s.execute(SimpleStatement.newInstance("SELECT k, c FROM ks.t WHERE " + c.where())
                .setConsistencyLevel(level).setPageSize(7))) {
              found.merge(r.getInt("k") + ":" + r.getInt("c"), 1, Integer::sum);
            }
            assertEquals(expected, found, c.where() + " at " + level);
          }
        }
      }
      // the coordinator's trace, read through whichever node the driver picks, names the index plan
      for (CqlSession s : List.of(session, other)) {
        List<String> activities = s.execute(SimpleStatement.newInstance("SELECT k FROM ks.t WHERE v = 7").setTracing(true))
            .getExecutionInfo().getQueryTrace().getEvents().stream().map(e -> e.getActivity()).toList();
        assertTrue(activities.stream().anyMatch(a -> a.startsWith("Reading ks.t through the index of v")), activities.toString());
      }
      // every node holds complete entries of every indexed column (so the reads above used them)
      for (CqlSession s : List.of(session, other)) {
        Map<String, String> states = new TreeMap<>();
        for (Row r : s.execute("SELECT column_name, state FROM system_views.indexes WHERE keyspace_name = 'ks' AND table_name = 't'")) {
          states.put(r.getString("column_name"), r.getString("state"));
        }
        assertEquals(Map.of("m", "ready", "s", "ready", "tags", "ready", "v", "ready"), states);
      }

      // a policy change made through another node reaches this one
      other.execute("ALTER TABLE ks.t WITH indexing = {'exclude': 's'}");
      TestCluster.await(() -> {
        try {
          session.execute("SELECT k FROM ks.t WHERE s = 's1'");
          return false;
        } catch (InvalidQueryException e) {
          return e.getMessage().contains("ALLOW FILTERING");
        }
      }, "s no longer indexed on node 0");
      long sevens = all.stream().filter(cases.get(0).matches()).count();
      assertEquals(sevens, session.execute("SELECT k FROM ks.t WHERE v = 7").all().size());
    }
  }
}
