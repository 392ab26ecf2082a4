package io.meridian.protocol;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A port that is already taken fails start() with a clear message and leaks no threads. */
class BindFailureTest {

  private static Set<Thread> serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("meridian-cql-"))
        .collect(Collectors.toSet());
  }

  @Test
  void portInUseFailsWithAddressAndStopsEventLoops() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    Set<Thread> before = serverThreads(); // other tests' servers, if any
    try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
      int port = taken.getLocalPort();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> CqlServer.start(ServerOptions.defaults(loopback, port).withEventLoopThreads(1), new TestHandler()));
      assertTrue(e.getMessage().contains(":" + port), e.getMessage());
      // The accept and I/O loops are non-daemon threads: left running they keep the JVM alive.
      long deadline = System.nanoTime() + 10_000_000_000L;
      Set<Thread> leaked = new HashSet<>(serverThreads());
      leaked.removeAll(before);
      while (!leaked.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        leaked.removeIf(t -> !t.isAlive());
      }
      assertTrue(leaked.isEmpty(), "event loop threads still running after a failed start: " + leaked);
    }
  }
}
