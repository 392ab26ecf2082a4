package io.meridian.schema.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TraceCodecTest {
  private static TraceStore.Session session(int n, int events, String query) throws Exception {
    List<TraceStore.Event> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      list.add(new TraceStore.Event(new UUID(n, i), "step " + i + " é", i * 10, i % 2 == 0 ? "meridian-query-1" : null));
    }
    Map<String, String> parameters = new HashMap<>();
    parameters.put("query", query);
    parameters.put("consistency_level", "ONE");
    return new TraceStore.Session(new UUID(7, n), "QUERY",
        n % 2 == 0 ? InetAddress.getByName("127.0.0.5") : InetAddress.getByName("::1"), 42 + n, parameters,
        n % 3 == 0 ? null : "Execute CQL3 query", Instant.ofEpochSecond(1_700_000_000L + n, 123_456_000L), list);
  }

  @Test
  void sessionsRoundTripWithEveryFieldInTheirOrder() throws Exception {
    List<TraceStore.Session> sessions = List.of(session(1, 3, "SELECT 1"), session(2, 0, "SELECT 2"),
        session(3, TraceStore.EVENTS_PER_SESSION_MAX, "x".repeat(70_000)));
    assertEquals(sessions, TraceCodec.decode(TraceCodec.encode(sessions, 1 << 20)));
    assertEquals(List.of(), TraceCodec.decode(TraceCodec.encode(List.of(), 1 << 20)));
  }

  @Test
  void overTheByteLimitTheNewestSessionsAreKept() throws Exception {
    List<TraceStore.Session> sessions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sessions.add(session(i, 20, "SELECT " + i));
    }
    byte[] all = TraceCodec.encode(sessions, Integer.MAX_VALUE);
    byte[] capped = TraceCodec.encode(sessions, all.length / 2);
    assertTrue(capped.length <= all.length / 2, capped.length + " bytes");
    List<TraceStore.Session> kept = TraceCodec.decode(capped);
    assertTrue(kept.size() > 10 && kept.size() < 50, kept.size() + " sessions");
    assertEquals(sessions.subList(50 - kept.size(), 50), kept);
  }

  @Test
  void damagedBytesAreRefused() throws Exception {
    byte[] bytes = TraceCodec.encode(List.of(session(1, 3, "SELECT 1")), 1 << 20);
    assertThrows(IllegalArgumentException.class, () -> TraceCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)));
    byte[] otherFormat = bytes.clone();
    otherFormat[0] = 9;
    assertThrows(IllegalArgumentException.class, () -> TraceCodec.decode(otherFormat));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IllegalArgumentException.class, () -> TraceCodec.decode(longer));
  }
}
