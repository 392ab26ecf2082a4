package io.meridian.storage.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.PartitionData;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 a writer in another JVM; every write it acknowledged must be there on reopen. */
class CrashDurabilityTest {
  static final int ACKS_BEFORE_KILL = 300;

  @TempDir Path dir;

  @Test
  void acknowledgedWritesSurviveKillMinus9() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", classpath, CrashWriterMain.class.getName(),
        dir.toString())).redirectErrorStream(true).start();
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(120_000); // a hung child must not hang the build
        child.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "crash-test-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int lastAcked = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACKED ")) {
          lastAcked = Integer.parseInt(line.substring(6).trim());
          if (lastAcked + 1 >= ACKS_BEFORE_KILL) {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      watchdog.interrupt();
    }
    assertTrue(lastAcked + 1 >= ACKS_BEFORE_KILL, "child acknowledged only " + (lastAcked + 1) + " writes");
    try (RocksStorageEngine e = RocksStorageEngine.open(StorageConfig.defaults(dir).withPurge(0, 100), new ManualClock(0))) {
      for (int i = 0; i <= lastAcked; i++) {
        int index = i;
        PartitionData p = e.readPartition(CrashWriterMain.TABLE, Muts.pk("k" + i), ReadRange.all(), 0)
            .orElseThrow(() -> new AssertionError("acknowledged write " + index + " lost"));
        assertArrayEquals(Muts.s("value-" + i), p.rows().get(0).cells().get(0).value(), "write " + i);
      }
    }
  }
}
