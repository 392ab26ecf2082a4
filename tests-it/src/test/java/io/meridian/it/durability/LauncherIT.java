package io.meridian.it.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bin/meridian: usage, flag errors, bad settings and environment configuration. */
class LauncherIT {
  private Path workDir;

  @BeforeEach
  void prepare() throws Exception {
    workDir = Files.createTempDirectory("meridian-launcher-");
  }

  @AfterEach
  void cleanUp() {
    ServerProcess.deleteRecursively(workDir);
  }

  @Test
  void helpPrintsUsageAndExitsZero() throws Exception {
    ServerProcess.Finished r = ServerProcess.runToExit(List.of("--help"), workDir, 60);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("usage: meridian"), r.output());
    assertTrue(r.output().contains("--data-dir"), r.output());
  }

  @Test
  void unknownFlagExitsTwoWithAMessage() throws Exception {
    ServerProcess.Finished r = ServerProcess.runToExit(List.of("--no-such-flag"), workDir, 60);
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(r.output().contains("--no-such-flag"), r.output());
    assertTrue(r.output().contains("usage: meridian"), r.output());
  }

  @Test
  void flagWithoutValueExitsTwo() throws Exception {
    ServerProcess.Finished r = ServerProcess.runToExit(List.of("--port"), workDir, 60);
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(r.output().contains("--port needs a value"), r.output());
  }

  @Test
  void badSettingValueNamesTheKey() throws Exception {
    ServerProcess.Finished r = ServerProcess.runToExit(
        List.of("--data-dir", workDir.resolve("data").toString(), "--set", "storage.commit-policy=bogus"), workDir, 60);
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("storage.commit-policy"), r.output());
    assertTrue(r.output().contains("bogus"), r.output());
    assertTrue(Files.notExists(workDir.resolve("data")), "nothing is created before the settings are valid");
  }

  @Test
  void unknownSettingKeyIsRejected() throws Exception {
    ServerProcess.Finished r = ServerProcess.runToExit(List.of("--set", "storage.no-such-key=1"), workDir, 60);
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("storage.no-such-key"), r.output());
  }

  @Test
  void environmentVariableSetsThePort() throws Exception {
    int port = ServerProcess.freePort();
    try (ServerProcess server = ServerProcess.startWithPortFromEnvironment(workDir, workDir.resolve("data"), port,
        Map.of("MERIDIAN_SERVER_PORT", String.valueOf(port)));
        CqlSession s = server.session(Duration.ofSeconds(10))) {
      assertTrue(server.output().contains("env MERIDIAN_SERVER_PORT"), "the log names the source:\n" + server.output());
      assertEquals("datacenter1", s.execute("SELECT data_center FROM system.local").one().getString(0));
    }
  }

  @Test
  void portInUseExitsNonZeroPromptly() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ServerProcess.Finished r = ServerProcess.runToExit(List.of("--data-dir", workDir.resolve("data").toString(),
          "--listen", "127.0.0.1", "--port", String.valueOf(port)), workDir, 60);
      assertNotEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains(String.valueOf(port)), "the message names the port:\n" + r.output());
    }
  }

  @Test
  void secondServerOnTheSameDataDirExitsNonZeroAndTheFirstKeepsServing() throws Exception {
    Path data = workDir.resolve("data");
    try (ServerProcess first = ServerProcess.start(workDir, data, ServerProcess.freePort(), Map.of());
        CqlSession s = first.session(Duration.ofSeconds(10))) {
      s.execute("CREATE KEYSPACE l WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      ServerProcess.Finished r = ServerProcess.runToExit(List.of("--data-dir", data.toString(),
          "--listen", "127.0.0.1", "--port", String.valueOf(ServerProcess.freePort())), workDir, 60);
      assertNotEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains(data.toString()), "the message names the data folder:\n" + r.output());
      s.execute("CREATE TABLE l.t (k int PRIMARY KEY)");
      s.execute("INSERT INTO l.t (k) VALUES (1)");
      assertEquals(1, s.execute("SELECT k FROM l.t").all().size());
    }
  }
}
