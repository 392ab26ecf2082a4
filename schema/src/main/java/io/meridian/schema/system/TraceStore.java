package io.meridian.schema.system;

import io.meridian.common.Clock;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The finished query-tracing sessions behind {@code system_traces.sessions} and {@code
 * system_traces.events}, kept in memory with fixed ceilings: at most {@code sessionsMax} sessions
 * (the oldest is dropped when a new one arrives) of at most {@link #EVENTS_PER_SESSION_MAX} events
 * each, and none older than {@link #TTL_SECONDS} (Cassandra's default trace TTL). Traces do not
 * survive a restart.
 *
 * <p>A session is published once, complete with its duration and events, so a reader never sees
 * half of one (Cassandra writes the rows as it goes and drivers poll until {@code duration} is set).
 */
public final class TraceStore {
  /** Events kept per session; later ones are dropped and the last kept event says so. */
  public static final int EVENTS_PER_SESSION_MAX = 256;
  /** How long a session stays readable: Cassandra's default tracetype_query_ttl (one day). */
  public static final long TTL_SECONDS = 86_400;
  public static final int DEFAULT_SESSIONS_MAX = 1_000;

  /** One step of a traced request. {@code elapsedMicros} counts from the start of the session. */
  public record Event(UUID eventId, String activity, int elapsedMicros, String thread) {
    public Event {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(activity, "activity");
    }
  }

  /** A finished tracing session (one traced request) with its events in the order they happened. */
  public record Session(
      UUID sessionId,
      String command,
      InetAddress client,
      int durationMicros,
      Map<String, String> parameters,
      String request,
      Instant startedAt,
      List<Event> events) {
    public Session {
      Objects.requireNonNull(sessionId, "sessionId");
      Objects.requireNonNull(startedAt, "startedAt");
      parameters = Map.copyOf(parameters);
      events = List.copyOf(events);
      if (events.size() > EVENTS_PER_SESSION_MAX) {
        throw new IllegalArgumentException(
            events.size() + " trace events, expected at most " + EVENTS_PER_SESSION_MAX);
      }
    }
  }

  private final int sessionsMax;
  private final Clock clock;
  /** Insertion (= completion) order, so the eldest entry is the one to drop. */
  private final LinkedHashMap<UUID, Session> sessions = new LinkedHashMap<>();

  public TraceStore(int sessionsMax, Clock clock) {
    if (sessionsMax < 1) {
      throw new IllegalArgumentException("sessionsMax is " + sessionsMax + ", expected at least 1");
    }
    this.sessionsMax = sessionsMax;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public int sessionsMax() {
    return sessionsMax;
  }

  public synchronized void record(Session session) {
    sessions.remove(session.sessionId());
    sessions.put(session.sessionId(), session);
    Iterator<Session> eldest = sessions.values().iterator();
    while (sessions.size() > sessionsMax) {
      eldest.next();
      eldest.remove();
    }
  }

  /** The sessions still readable, oldest first. */
  public synchronized List<Session> sessions() {
    Instant oldest = Instant.ofEpochSecond(clock.nowInSeconds() - TTL_SECONDS);
    sessions.values().removeIf(s -> s.startedAt().isBefore(oldest));
    return new ArrayList<>(sessions.values());
  }

  public synchronized int size() {
    return sessions.size();
  }
}
