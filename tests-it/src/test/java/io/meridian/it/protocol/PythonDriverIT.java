package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.meridian.it.TestNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Python driver (Debian's python3-cassandra) runs driver_test.py against a live node. */
class PythonDriverIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static final long TIMEOUT_SECONDS = 120;

  @Test
  void pythonDriverChecksPass() throws Exception {
    String dirProperty = System.getProperty("meridian.python.tests");
    assertNotNull(dirProperty, "system property meridian.python.tests must name the python test folder");
    File dir = new File(dirProperty);
    assertTrue(new File(dir, "driver_test.py").isFile(), "driver_test.py not found in " + dir);
    assertTrue(new File(PYTHON).canExecute(), PYTHON + " not found; install python3 and python3-cassandra");

    Result probe = run(dir, TIMEOUT_SECONDS, PYTHON, "-c", "import cassandra.cluster");
    if (probe.exitCode != 0) {
      fail("The Python driver is missing: " + PYTHON + " cannot import the 'cassandra' module. "
          + "Install it with: apt-get install python3-cassandra\n" + probe.output);
    }

    try (TestNode node = TestNode.start()) {
      Result r = run(dir, TIMEOUT_SECONDS, PYTHON, "driver_test.py", "127.0.0.1", String.valueOf(node.port()));
      assertEquals(0, r.exitCode, "driver_test.py failed (exit " + r.exitCode + "):\n" + r.output);
      assertTrue(r.output.contains("python driver checks passed"), r.output);
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(File dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("meridian-python-", ".log");
    Process p = null;
    try {
      p = new ProcessBuilder(command).directory(dir).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, "timed out after " + timeoutSeconds + " s\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      Files.deleteIfExists(log);
    }
  }
}
