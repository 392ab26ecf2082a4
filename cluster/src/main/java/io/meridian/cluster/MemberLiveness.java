package io.meridian.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which members are up, as this node sees them: every {@link #PROBE_INTERVAL_MS} it opens a TCP
 * connection to each member's Raft port. A member is down after {@link #FAILURES_FOR_DOWN} probes
 * in a row fail and up again after one succeeds. It is a hint, not a verdict: Raft decides what
 * commits; this only lets a request that cannot reach a majority fail fast as UNAVAILABLE (as
 * Cassandra's coordinator does) instead of waiting for a timeout, and tells drivers (STATUS_CHANGE).
 * A paused process still accepts connections and so looks up; requests to it time out instead.
 */
final class MemberLiveness implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberLiveness.class);
  static final long PROBE_INTERVAL_MS = 500;
  static final int PROBE_TIMEOUT_MS = 400;
  static final int FAILURES_FOR_DOWN = 2;

  interface Listener {
    void changed(NodeRecord node, boolean up);
  }

  private final Supplier<ClusterState> state;
  private final String selfPeer;
  private final Listener listener;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Boolean> up = new ConcurrentHashMap<>();
  private final ScheduledExecutorService prober;

  MemberLiveness(Supplier<ClusterState> state, String selfPeer, Listener listener) {
    this.state = state;
    this.selfPeer = selfPeer;
    this.listener = listener;
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meridian-liveness");
      t.setDaemon(true);
      return t;
    });
    prober.scheduleWithFixedDelay(this::probeAll, PROBE_INTERVAL_MS, PROBE_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  /** Whether the member is believed up; this node always is, and a member not probed yet counts as up. */
  boolean isUp(String peerId) {
    return peerId.equals(selfPeer) || up.getOrDefault(peerId, true);
  }

  private void probeAll() {
    try {
      for (NodeRecord n : state.get().nodes()) {
        if (!n.peerId().equals(selfPeer)) {
          probe(n);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Liveness probe round failed: {}", e.toString());
    }
  }

  private void probe(NodeRecord n) {
    boolean reachable;
    int colon = n.raftAddress().lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(n.raftAddress().substring(0, colon),
          Integer.parseInt(n.raftAddress().substring(colon + 1))), PROBE_TIMEOUT_MS);
      reachable = true;
    } catch (IOException e) {
      reachable = false;
    }
    boolean wasUp = up.getOrDefault(n.peerId(), true);
    if (reachable) {
      failures.put(n.peerId(), 0);
      if (!wasUp) {
        up.put(n.peerId(), true);
        LOG.info("Member {} is up", n.raftAddress());
        listener.changed(n, true);
      }
    } else {
      int f = failures.merge(n.peerId(), 1, Integer::sum);
      if (wasUp && f >= FAILURES_FOR_DOWN) {
        up.put(n.peerId(), false);
        LOG.info("Member {} is down ({} probes failed)", n.raftAddress(), f);
        listener.changed(n, false);
      }
    }
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
