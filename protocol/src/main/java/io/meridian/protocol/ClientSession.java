package io.meridian.protocol;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Per-connection state the query layer may read or change: the current keyspace (USE), the
 * negotiated protocol version, the client's address, the options the client sent in STARTUP.
 * Request-scoped data (custom payload, tracing flag) travels in {@link Request}.
 */
public interface ClientSession {
  int protocolVersion();

  /** The keyspace set by USE on this connection, or null. */
  String keyspace();

  void setKeyspace(String keyspace);

  InetSocketAddress remoteAddress();

  /** Options the client sent in STARTUP (DRIVER_NAME, CQL_VERSION, COMPRESSION, ...). */
  Map<String, String> startupOptions();

  /** The user the {@link Authenticator} accepted, or null when the server runs without one. */
  default String authenticatedUser() {
    return null;
  }
}
