package io.meridian.protocol;

import java.net.InetAddress;

/**
 * Settings of one {@link CqlServer}. Every bound is chosen up front and checked here, so a server
 * never starts with a limit it cannot honour.
 *
 * @param listenAddress the address to bind
 * @param port the TCP port; 0 picks an ephemeral port (see {@link CqlServer#boundPort()})
 * @param frameBytesMax the largest frame body (after decompression) accepted from a client; a
 *     larger announced length is answered with PROTOCOL_ERROR and the connection is closed without
 *     buffering the body
 * @param connectionsMax open client connections above this are closed as soon as they are accepted
 * @param inFlightRequestsPerConnectionMax requests of one connection being handled at once; one
 *     more is answered with OVERLOADED
 * @param eventLoopThreads Netty worker threads serving client connections
 */
public record ServerOptions(
    InetAddress listenAddress,
    int port,
    int frameBytesMax,
    int connectionsMax,
    int inFlightRequestsPerConnectionMax,
    int eventLoopThreads) {

  public static final int FRAME_BYTES_MAX_DEFAULT = 16 * 1024 * 1024;
  /** Cassandra's own ceiling for native_transport_max_frame_size. */
  public static final int FRAME_BYTES_MAX_LIMIT = 256 * 1024 * 1024;

  public static final int FRAME_BYTES_MIN_LIMIT = 64 * 1024;
  public static final int CONNECTIONS_MAX_DEFAULT = 4096;
  public static final int IN_FLIGHT_REQUESTS_PER_CONNECTION_MAX_DEFAULT = 2048;
  /** Stream ids are signed 16-bit and only non-negative ones carry requests. */
  public static final int IN_FLIGHT_REQUESTS_PER_CONNECTION_LIMIT = 32768;

  public static final int EVENT_LOOP_THREADS_LIMIT = 256;

  public ServerOptions {
    if (listenAddress == null) {
      throw new IllegalArgumentException("listenAddress is null, expected an address to bind");
    }
    checkRange("port", port, 0, 65535);
    checkRange("frameBytesMax", frameBytesMax, FRAME_BYTES_MIN_LIMIT, FRAME_BYTES_MAX_LIMIT);
    checkRange("connectionsMax", connectionsMax, 1, 1_000_000);
    checkRange(
        "inFlightRequestsPerConnectionMax",
        inFlightRequestsPerConnectionMax,
        1,
        IN_FLIGHT_REQUESTS_PER_CONNECTION_LIMIT);
    checkRange("eventLoopThreads", eventLoopThreads, 1, EVENT_LOOP_THREADS_LIMIT);
  }

  /** Defaults on the given address and port. */
  public static ServerOptions defaults(InetAddress listenAddress, int port) {
    return new ServerOptions(
        listenAddress,
        port,
        FRAME_BYTES_MAX_DEFAULT,
        CONNECTIONS_MAX_DEFAULT,
        IN_FLIGHT_REQUESTS_PER_CONNECTION_MAX_DEFAULT,
        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
  }

  public ServerOptions withFrameBytesMax(int value) {
    return new ServerOptions(
        listenAddress, port, value, connectionsMax, inFlightRequestsPerConnectionMax,
        eventLoopThreads);
  }

  public ServerOptions withConnectionsMax(int value) {
    return new ServerOptions(
        listenAddress, port, frameBytesMax, value, inFlightRequestsPerConnectionMax,
        eventLoopThreads);
  }

  public ServerOptions withInFlightRequestsPerConnectionMax(int value) {
    return new ServerOptions(
        listenAddress, port, frameBytesMax, connectionsMax, value, eventLoopThreads);
  }

  public ServerOptions withEventLoopThreads(int value) {
    return new ServerOptions(
        listenAddress, port, frameBytesMax, connectionsMax, inFlightRequestsPerConnectionMax,
        value);
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " is " + value + ", expected " + min + ".." + max);
    }
  }
}
