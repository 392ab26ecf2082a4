package io.meridian.it.durability;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Meridian server started the way users start it, with bin/meridian, as a separate process.
 * bin/meridian execs java, so {@link #process()} is the server JVM itself: destroy() sends it
 * SIGTERM and destroyForcibly() SIGKILL.
 */
final class ServerProcess implements AutoCloseable {
  static final String READY_LINE = "Meridian is ready for CQL clients";
  static final String JAVA_OPTS = "-Xms64m -Xmx512m -XX:+UseSerialGC";

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The launcher script; fails with a clear message if the server has not been built. */
  static Path launcher() {
    String home = System.getProperty("meridian.home");
    if (home == null) {
      throw new AssertionError("system property meridian.home (the repository root) is not set");
    }
    Path root = Path.of(home).toAbsolutePath().normalize();
    Path jar = root.resolve("server/target/meridian-server.jar");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(root.resolve("server/target/lib"))) {
      throw new AssertionError(jar + " (and server/target/lib) not found: build the server first, e.g."
          + " mvn -o -q install -DskipTests in " + root.resolve("server"));
    }
    return root.resolve("bin/meridian");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs bin/meridian with {@code args} and waits for it to exit (for flag checks). */
  static Finished runToExit(List<String> args, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(launcher().toString());
    command.addAll(args);
    Path out = Files.createTempFile(workDir, "launcher-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("MERIDIAN_JAVA_OPTS", JAVA_OPTS);
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError("bin/meridian " + args + " did not exit within " + timeoutSeconds + " s:\n"
            + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Finished(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  record Finished(int exitCode, String output) {}

  /**
   * Starts a server on 127.0.0.1:{@code port} with its data in {@code dataDir} and waits until it
   * accepts clients. The working directory is {@code workDir} so no conf/meridian.yaml is picked up.
   */
  static ServerProcess start(Path workDir, Path dataDir, int port, Map<String, String> env, String... extraArgs) {
    return launch(workDir, dataDir, port, true, env, extraArgs);
  }

  /** Like {@link #start} but without --port: the port must come from {@code env} (MERIDIAN_SERVER_PORT). */
  static ServerProcess startWithPortFromEnvironment(Path workDir, Path dataDir, int port, Map<String, String> env) {
    return launch(workDir, dataDir, port, false, env);
  }

  private static ServerProcess launch(Path workDir, Path dataDir, int port, boolean portFlag,
      Map<String, String> env, String... extraArgs) {
    List<String> command = new ArrayList<>(List.of(launcher().toString(),
        "--data-dir", dataDir.toString(), "--listen", "127.0.0.1",
        "--set", "storage.block-cache-bytes=16777216", "--set", "storage.tablets-per-table=4"));
    if (portFlag) {
      command.add("--port");
      command.add(String.valueOf(port));
    }
    command.addAll(List.of(extraArgs));
    try {
      Path log = Files.createTempFile(workDir, "server-", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("MERIDIAN_JAVA_OPTS", JAVA_OPTS);
      pb.environment().putAll(env);
      ServerProcess server = new ServerProcess(pb.start(), log, port);
      server.awaitReady(Duration.ofSeconds(90));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = output();
      if (text.contains(READY_LINE)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("server exited with " + process.exitValue() + " before it was ready:\n" + text);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    process.destroyForcibly();
    throw new AssertionError("server not ready within " + timeout + ":\n" + output());
  }

  Process process() {
    return process;
  }

  int port() {
    return port;
  }

  /** Everything the server printed so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CqlSession session(Duration requestTimeout) {
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress("127.0.0.1", port))
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(20))
            .build())
        .build();
  }

  /** SIGKILL, and wait for the process to be gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("server did not die after SIGKILL");
    }
  }

  /** Kills the process if still running; always safe to call. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
