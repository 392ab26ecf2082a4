package io.meridian.query;

import io.meridian.common.Clock;
import io.meridian.schema.system.TraceStore;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One traced request (a tracing session) while it runs: its events with the time since the start,
 * published to the {@link TraceStore} when the request finishes, before the response is sent, so
 * a driver that reads system_traces right after the response finds the whole session.
 */
final class RequestTrace {
  /** Cassandra's trace type for client requests, shown in system_traces.sessions.command. */
  static final String COMMAND_QUERY = "QUERY";

  private final Clock clock;
  private final UUID sessionId;
  private final long startNanos;
  private final Instant startedAt;
  private final InetAddress client;
  private final String request;
  private final Map<String, String> parameters;
  private final List<TraceStore.Event> events = new ArrayList<>();
  private int dropped;

  RequestTrace(Clock clock, InetAddress client, String request, Map<String, String> parameters) {
    this.clock = clock;
    long nowMicros = clock.currentTimeMicros();
    this.sessionId = TimeUuids.next(nowMicros);
    this.startNanos = clock.nanoTime();
    this.startedAt = Instant.ofEpochSecond(nowMicros / 1_000_000L, (nowMicros % 1_000_000L) * 1000L);
    this.client = client;
    this.request = request;
    this.parameters = Map.copyOf(parameters);
  }

  UUID sessionId() {
    return sessionId;
  }

  /** Records one step; called from query threads and storage completion threads. */
  synchronized void event(String activity) {
    // Keep one slot for the closing event, which says how many were dropped.
    if (events.size() >= TraceStore.EVENTS_PER_SESSION_MAX - 1) {
      dropped++;
      return;
    }
    events.add(newEvent(activity));
  }

  /** Adds the closing event and publishes the session. */
  synchronized void finish(String closingActivity, TraceStore store) {
    String closing = dropped == 0 ? closingActivity
        : closingActivity + " (" + dropped + " trace events dropped: at most "
            + TraceStore.EVENTS_PER_SESSION_MAX + " are kept per session)";
    events.add(newEvent(closing));
    store.record(new TraceStore.Session(sessionId, COMMAND_QUERY, client, elapsedMicros(), parameters, request,
        startedAt, events));
  }

  private TraceStore.Event newEvent(String activity) {
    return new TraceStore.Event(TimeUuids.next(clock.currentTimeMicros()), activity, elapsedMicros(),
        Thread.currentThread().getName());
  }

  private int elapsedMicros() {
    long micros = (clock.nanoTime() - startNanos) / 1000L;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, micros));
  }
}
