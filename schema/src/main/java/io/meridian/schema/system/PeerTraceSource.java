package io.meridian.schema.system;

import java.net.InetAddress;
import java.util.List;

/**
 * The trace sessions other nodes of a cluster coordinated, for {@code system_traces}: a driver
 * reads a trace from whichever node it picks, and Cassandra's traces are readable on every node.
 */
public interface PeerTraceSource {
  PeerTraceSource NONE = List::of;

  /** One node's sessions, with the address and port its rows name as coordinator and source. */
  record NodeTraces(InetAddress address, int port, List<TraceStore.Session> sessions) {}

  /** The sessions of the peers that answered; a peer that is down or slow is left out. */
  List<NodeTraces> sessions();
}
