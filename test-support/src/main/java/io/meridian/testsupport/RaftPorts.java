package io.meridian.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers started by tests, Raft servers first. A port is taken below the kernel's
 * ephemeral range (32768 and up on Linux), not with port 0: a port from that range can be handed
 * to an outgoing connection between the check and the Raft server's bind, and Ratis ends the JVM
 * when its server cannot bind; and once such a server closes, a connection to its port can be
 * given that port as its source and connect to itself.
 */
public final class RaftPorts {
  private static final int FIRST = 20_000;
  private static final int COUNT = 12_000;
  private static final int ATTEMPTS = 200;

  private RaftPorts() {}

  /** A port in 20000-31999 that binds on every local address now. */
  public static int free() throws IOException {
    return free(null);
  }

  /** A port in 20000-31999 that binds on {@code host} now (every local address when null). */
  public static int free(InetAddress host) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
      try (ServerSocket s = new ServerSocket(port, 1, host)) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port found in " + FIRST + "-" + (FIRST + COUNT - 1)
        + (host == null ? "" : " on " + host.getHostAddress()));
  }
}
