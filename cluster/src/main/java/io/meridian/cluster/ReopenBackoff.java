package io.meridian.cluster;

import java.util.HashMap;
import java.util.Map;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * When a tablet division that shut down while placed on this node may be opened again. The
 * first time, at once: that is the usual case, a replica told to shut down by a leader that did
 * not know it yet, and it then stays up. A division that keeps shutting down (a failing disk, say)
 * is opened again after waits that double from {@link #FIRST_WAIT_MILLIS} up to
 * {@link #MAX_WAIT_MILLIS}, so it is neither given up nor reopened (and logged) every few seconds.
 * A division that stayed up for {@link #FORGET_AFTER_MILLIS} after its last reopening starts
 * afresh. Used from the node's single reconcile thread only.
 */
final class ReopenBackoff {
  static final long FIRST_WAIT_MILLIS = 2_000;
  static final long MAX_WAIT_MILLIS = 60_000;
  static final long FORGET_AFTER_MILLIS = 2 * MAX_WAIT_MILLIS;

  private record Reopened(int times, long lastMillis) {}

  private final Map<RaftGroupId, Reopened> reopened = new HashMap<>();

  /** Milliseconds to wait before group {@code id} may be opened again; 0 for now. */
  long waitMillis(RaftGroupId id, long nowMillis) {
    Reopened r = current(id, nowMillis);
    if (r == null) {
      return 0;
    }
    return Math.max(0, r.lastMillis() + waitAfter(r.times()) - nowMillis);
  }

  /** Records that group {@code id} was opened again now; returns how often in a row, this included. */
  int reopened(RaftGroupId id, long nowMillis) {
    Reopened r = current(id, nowMillis);
    int times = r == null ? 1 : r.times() + 1;
    reopened.put(id, new Reopened(times, nowMillis));
    return times;
  }

  /** Forgets group {@code id}: it is no longer placed here. */
  void forget(RaftGroupId id) {
    reopened.remove(id);
  }

  /** The wait after the {@code times}-th reopening in a row. */
  static long waitAfter(int times) {
    int doublings = Math.min(times - 1, 30);
    return Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << doublings);
  }

  private Reopened current(RaftGroupId id, long nowMillis) {
    Reopened r = reopened.get(id);
    if (r != null && nowMillis - r.lastMillis() >= FORGET_AFTER_MILLIS) {
      reopened.remove(id);
      return null;
    }
    return r;
  }
}
