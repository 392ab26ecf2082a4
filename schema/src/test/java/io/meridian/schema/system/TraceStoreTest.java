package io.meridian.schema.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meridian.common.Clock;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TraceStoreTest {
  private final AtomicLong nowMicros = new AtomicLong(1_700_000_000_000_000L);
  private final Clock clock = new Clock() {
    @Override
    public long currentTimeMicros() {
      return nowMicros.get();
    }

    @Override
    public long nanoTime() {
      return nowMicros.get() * 1000;
    }
  };

  private TraceStore.Session session(int n, Instant startedAt, int events) {
    List<TraceStore.Event> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      list.add(new TraceStore.Event(new UUID(n, i), "step " + i, i * 10, "meridian-query-1"));
    }
    return new TraceStore.Session(new UUID(0, n), "QUERY", InetAddress.getLoopbackAddress(), 42,
        Map.of("query", "SELECT " + n), "Execute CQL3 query", startedAt, list);
  }

  private Instant now() {
    return Instant.ofEpochSecond(clock.nowInSeconds());
  }

  @Test
  void keepsAtMostTheCeilingDroppingTheOldest() {
    TraceStore store = new TraceStore(3, clock);
    for (int i = 1; i <= 5; i++) {
      store.record(session(i, now(), 1));
    }
    assertEquals(List.of(new UUID(0, 3), new UUID(0, 4), new UUID(0, 5)),
        store.sessions().stream().map(TraceStore.Session::sessionId).toList());
  }

  @Test
  void sessionsExpireAfterTheTraceTtl() {
    TraceStore store = new TraceStore(10, clock);
    store.record(session(1, now(), 1));
    nowMicros.addAndGet(3_600_000_000L);
    store.record(session(2, now(), 1));
    nowMicros.addAndGet((TraceStore.TTL_SECONDS - 1800) * 1_000_000L);
    assertEquals(List.of(new UUID(0, 2)), store.sessions().stream().map(TraceStore.Session::sessionId).toList());
    assertEquals(1, store.size());
  }

  @Test
  void tooManyEventsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> session(1, now(), TraceStore.EVENTS_PER_SESSION_MAX + 1));
    assertThrows(IllegalArgumentException.class, () -> new TraceStore(0, clock));
  }

  @Test
  void traceTablesShowRecordedSessionsWithCassandrasColumns() {
    TraceStore store = new TraceStore(10, clock);
    SystemTables system = new SystemTables(() -> SystemTablesTest.NODE, store);
    VirtualTable sessions = system.table("system_traces", "sessions").orElseThrow();
    VirtualTable events = system.table("system_traces", "events").orElseThrow();
    assertEquals(List.of("session_id", "client", "command", "coordinator", "coordinator_port", "duration",
        "parameters", "request", "started_at"), sessions.columns().stream().map(SystemColumn::name).toList());
    assertEquals(List.of("session_id", "event_id", "activity", "source", "source_elapsed", "source_port", "thread"),
        events.columns().stream().map(SystemColumn::name).toList());
    assertEquals("map<text, text>", sessions.columns().get(6).type().cqlName());
    assertEquals("timeuuid", events.columns().get(1).type().cqlName());
    assertEquals(Collections.emptyList(), sessions.rows(null));

    store.record(session(7, now(), 2));
    List<Object> row = sessions.rows(null).get(0);
    assertEquals(new UUID(0, 7), row.get(0));
    assertEquals(SystemTablesTest.NODE.broadcastAddress(), row.get(3));
    assertEquals(42, row.get(5));
    assertEquals(Map.of("query", "SELECT 7"), row.get(6));
    assertEquals(List.of("step 0", "step 1"), events.rows(null).stream().map(r -> r.get(2)).toList());
    assertEquals(10, events.rows(null).get(1).get(4));
  }
}
