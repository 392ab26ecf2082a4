package io.meridian.it.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Under the default commit policy (sync) an acknowledged write survives the process dying at any
 * moment: SIGKILL of the real server process (bin/meridian), restart on the same data folder,
 * read everything back. SIGTERM shuts down cleanly.
 */
class KillNineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private Path workDir;
  private Path dataDir;
  private int port;

  /** The expected content of one row. */
  private record Value(String v, Integer n) {}

  @BeforeEach
  void prepare() throws Exception {
    ServerProcess.launcher(); // fails clearly when the server jar is missing
    workDir = Files.createTempDirectory("meridian-durability-");
    dataDir = workDir.resolve("data");
    port = ServerProcess.freePort();
  }

  @AfterEach
  void cleanUp() {
    ServerProcess.deleteRecursively(workDir);
  }

  @Test
  void acknowledgedWritesAndDeletesSurviveKillNine() throws Exception {
    Map<Integer, Value> model = new TreeMap<>();
    try (ServerProcess server = ServerProcess.start(workDir, dataDir, port, Map.of())) {
      try (CqlSession s = server.session(TIMEOUT)) {
        s.execute("CREATE KEYSPACE dur WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        s.execute("CREATE TABLE dur.t (k int PRIMARY KEY, v text, n int)");
        PreparedStatement insert = s.prepare("INSERT INTO dur.t (k, v, n) VALUES (?, ?, ?)");
        PreparedStatement update = s.prepare("UPDATE dur.t SET v = ? WHERE k = ?");
        PreparedStatement delete = s.prepare("DELETE FROM dur.t WHERE k = ?");
        PreparedStatement deleteN = s.prepare("DELETE n FROM dur.t WHERE k = ?");
        // 0..999: prepared single inserts.
        for (int k = 0; k < 1000; k++) {
          s.execute(insert.bind(k, "p" + k, k));
          model.put(k, new Value("p" + k, k));
        }
        // 1000..1499: batches of 10, logged and unlogged alternating.
        for (int start = 1000; start < 1500; start += 10) {
          BatchStatementBuilder batch = BatchStatement.builder(
              (start / 10) % 2 == 0 ? BatchType.LOGGED : BatchType.UNLOGGED);
          for (int k = start; k < start + 10; k++) {
            batch.addStatement(insert.bind(k, "b" + k, -k));
          }
          s.execute(batch.build());
          for (int k = start; k < start + 10; k++) {
            model.put(k, new Value("b" + k, -k));
          }
        }
        // 1500..1999: unprepared inserts with literals.
        for (int k = 1500; k < 2000; k++) {
          s.execute("INSERT INTO dur.t (k, v, n) VALUES (" + k + ", 'q" + k + "', " + (k * 3) + ")");
          model.put(k, new Value("q" + k, k * 3));
        }
        // Updates of existing rows.
        for (int k = 0; k < 2000; k += 7) {
          s.execute(update.bind("u" + k, k));
          model.put(k, new Value("u" + k, model.get(k).n()));
        }
        // Updates that create rows (upsert) beyond the inserted range.
        for (int k = 2000; k < 2050; k++) {
          s.execute(update.bind("new" + k, k));
          model.put(k, new Value("new" + k, null));
        }
        // Row deletes, some of them in a batch together with an insert.
        for (int k = 3; k < 2000; k += 11) {
          if (k % 2 == 0) {
            s.execute(delete.bind(k));
          } else {
            s.execute(BatchStatement.newInstance(BatchType.LOGGED, delete.bind(k), insert.bind(k + 100_000, "x", 1)));
            model.put(k + 100_000, new Value("x", 1));
          }
          model.remove(k);
        }
        // Column deletes.
        for (int k = 5; k < 2000; k += 13) {
          if (model.containsKey(k)) {
            s.execute(deleteN.bind(k));
            model.put(k, new Value(model.get(k).v(), null));
          }
        }
        // Deleted, then written again: the later write wins.
        for (int k = 3; k < 2000; k += 110) {
          s.execute(insert.bind(k, "again" + k, 7));
          model.put(k, new Value("again" + k, 7));
        }
        assertEquals(model, readAll(s), "before the kill");
      }
      server.kill9();
    }
    try (ServerProcess server = ServerProcess.start(workDir, dataDir, port, Map.of());
        CqlSession s = server.session(TIMEOUT)) {
      Map<Integer, Value> actual = readAll(s);
      assertEquals(model.size(), actual.size(), "row count after kill -9 and restart");
      assertEquals(model, actual, "every acknowledged write and delete after kill -9");
    }
  }

  @Test
  void acknowledgedWritesSurviveKillNineWithWritesInFlight() throws Exception {
    Map<Integer, String> acked = new ConcurrentHashMap<>();
    AtomicInteger failed = new AtomicInteger();
    int issued = 0;
    try (ServerProcess server = ServerProcess.start(workDir, dataDir, port, Map.of())) {
      try (CqlSession s = server.session(TIMEOUT)) {
        s.execute("CREATE KEYSPACE dur WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        s.execute("CREATE TABLE dur.f (k int PRIMARY KEY, v text)");
        PreparedStatement insert = s.prepare("INSERT INTO dur.f (k, v) VALUES (?, ?)");
        Semaphore permits = new Semaphore(64);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        boolean killed = false;
        for (int k = 0; k < 100_000; k++) {
          if (!killed && acked.size() >= 3000) {
            server.process().destroyForcibly(); // while up to 64 writes are in flight
            killed = true;
          }
          if (killed && issued >= 3000 + 64 * 4) {
            break;
          }
          if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("writes stopped completing");
          }
          int key = k;
          issued++;
          pending.add(s.executeAsync(insert.bind(key, value(key))).toCompletableFuture().whenComplete((rs, error) -> {
            if (error == null) {
              acked.put(key, value(key));
            } else {
              failed.incrementAndGet();
            }
            permits.release();
          }));
        }
        assertTrue(killed, "the server was killed mid-way");
        for (CompletableFuture<?> f : pending) {
          try {
            f.get(60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException expected) {
            // Writes cut off by the kill fail; they are not acknowledged.
          }
        }
      }
      assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(failed.get() > 0, "some writes must have been cut off by the kill (issued " + issued + ")");
    try (ServerProcess server = ServerProcess.start(workDir, dataDir, port, Map.of());
        CqlSession s = server.session(TIMEOUT)) {
      Map<Integer, String> present = new TreeMap<>();
      for (Row row : s.execute(SimpleStatement.newInstance("SELECT k, v FROM dur.f").setPageSize(1000))) {
        present.put(row.getInt("k"), row.getString("v"));
      }
      List<Integer> lost = new ArrayList<>();
      for (Map.Entry<Integer, String> e : acked.entrySet()) {
        if (!e.getValue().equals(present.get(e.getKey()))) {
          lost.add(e.getKey());
        }
      }
      assertTrue(lost.isEmpty(), lost.size() + " of " + acked.size() + " acknowledged writes lost, e.g. "
          + lost.subList(0, Math.min(10, lost.size())));
      // Unacknowledged writes may or may not be there, but nothing else and never a torn value.
      for (Map.Entry<Integer, String> e : present.entrySet()) {
        assertTrue(e.getKey() >= 0 && e.getKey() < issued, "row " + e.getKey() + " was never written");
        assertEquals(value(e.getKey()), e.getValue(), "value of row " + e.getKey());
      }
    }
  }

  @Test
  void sigtermShutsDownCleanlyAndKeepsData() throws Exception {
    try (ServerProcess server = ServerProcess.start(workDir, dataDir, port, Map.of())) {
      try (CqlSession s = server.session(TIMEOUT)) {
        s.execute("CREATE KEYSPACE dur WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        s.execute("CREATE TABLE dur.g (k int PRIMARY KEY, v text)");
        PreparedStatement insert = s.prepare("INSERT INTO dur.g (k, v) VALUES (?, ?)");
        for (int k = 0; k < 500; k++) {
          s.execute(insert.bind(k, value(k)));
        }
        // SIGTERM while a client is still connected: the server must not wait for it.
        server.process().destroy();
        assertTrue(server.process().waitFor(10, TimeUnit.SECONDS),
            "server still running 10 s after SIGTERM:\n" + server.output());
      }
      int exit = server.process().exitValue();
      assertTrue(exit == 0 || exit == 143, "exit status " + exit + ":\n" + server.output());
      assertTrue(server.output().contains("Meridian node stopped"), "no clean-stop line in:\n" + server.output());
    }
    try (ServerProcess server = ServerProcess.start(workDir, dataDir, port, Map.of());
        CqlSession s = server.session(TIMEOUT)) {
      Map<Integer, String> present = new TreeMap<>();
      for (Row row : s.execute(SimpleStatement.newInstance("SELECT k, v FROM dur.g").setPageSize(1000))) {
        present.put(row.getInt("k"), row.getString("v"));
      }
      assertEquals(500, present.size());
      for (int k = 0; k < 500; k++) {
        assertEquals(value(k), present.get(k), "row " + k);
      }
    }
  }

  private static String value(int k) {
    return "value-" + k + "-" + Integer.toHexString(Objects.hash(k, "salt"));
  }

  private static Map<Integer, Value> readAll(CqlSession s) {
    Map<Integer, Value> rows = new TreeMap<>();
    for (Row row : s.execute(SimpleStatement.newInstance("SELECT k, v, n FROM dur.t").setPageSize(500))) {
      rows.put(row.getInt("k"), new Value(row.getString("v"), row.isNull("n") ? null : row.getInt("n")));
    }
    return rows;
  }
}
