package io.meridian.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultProtocolVersion;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.AlreadyExistsException;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server as the real DataStax Java driver sees it: negotiation, compression, errors. */
class CqlServerDriverTest {
  private static final TestHandler HANDLER = new TestHandler();
  private static CqlServer server;

  @BeforeAll
  static void start() {
    server =
        CqlServer.start(
            ServerOptions.defaults(InetAddress.getLoopbackAddress(), 0).withEventLoopThreads(2),
            HANDLER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ProtocolVersion versionOf(CqlSession session) {
    return session.getContext().getProtocolVersion();
  }

  private static String echo(CqlSession session, String text) {
    Row row = session.execute("echo " + text).one();
    return row.getString("v");
  }

  // Without a forced version the driver proposes v5 first and must stay there.
  @Test
  void negotiatesV5ByDefault() {
    try (CqlSession session = DriverSessions.open(server)) {
      assertEquals(DefaultProtocolVersion.V5, versionOf(session));
      assertEquals("hello", echo(session, "hello"));
    }
  }

  @Test
  void forcedV4() {
    try (CqlSession session =
        DriverSessions.open(
            server, c -> c.withString(DefaultDriverOption.PROTOCOL_VERSION, "V4"))) {
      assertEquals(DefaultProtocolVersion.V4, versionOf(session));
      assertEquals("v4 works", echo(session, "v4 works"));
    }
  }

  @Test
  void lz4OnV4() {
    try (CqlSession session =
        DriverSessions.open(
            server,
            c ->
                c.withString(DefaultDriverOption.PROTOCOL_VERSION, "V4")
                    .withString(DefaultDriverOption.PROTOCOL_COMPRESSION, "lz4"))) {
      assertEquals(DefaultProtocolVersion.V4, versionOf(session));
      assertEquals("compressed", echo(session, "compressed"));
      assertBigResult(session, 300_000, false);
      assertBigResult(session, 300_000, true);
    }
  }

  @Test
  void lz4OnV5() {
    try (CqlSession session =
        DriverSessions.open(
            server, c -> c.withString(DefaultDriverOption.PROTOCOL_COMPRESSION, "lz4"))) {
      assertEquals(DefaultProtocolVersion.V5, versionOf(session));
      assertEquals("compressed", echo(session, "compressed"));
      // A large request too: the driver splits it into several compressed segments.
      String longText = "x".repeat(400_000);
      assertEquals(longText, echo(session, longText));
      assertBigResult(session, 1_000_000, false);
      assertBigResult(session, 1_000_000, true);
    }
  }

  // > 128 KiB payloads span several v5 segments in both directions.
  @Test
  void largeResultsSpanSegmentsOnV5() {
    try (CqlSession session = DriverSessions.open(server)) {
      assertEquals(DefaultProtocolVersion.V5, versionOf(session));
      assertBigResult(session, 131_071 - 50, true);
      assertBigResult(session, 131_072 * 3, true);
      assertBigResult(session, 2_000_000, false);
      String longText = "y".repeat(300_000);
      assertEquals(longText, echo(session, longText));
    }
  }

  private static void assertBigResult(CqlSession session, int bytes, boolean random) {
    ResultSet rs = session.execute("big " + bytes + (random ? " random" : ""));
    ByteBuffer blob = rs.one().getByteBuffer("b");
    byte[] expected = new byte[bytes];
    if (random) {
      new Random(42).nextBytes(expected);
    } else {
      for (int i = 0; i < bytes; i++) {
        expected[i] = (byte) ('a' + i % 7);
      }
    }
    byte[] actual = new byte[blob.remaining()];
    blob.get(actual);
    assertArrayEquals(expected, actual);
  }

  // Many requests in flight on one connection; responses come back out of order.
  @Test
  void manyConcurrentRequestsOnOneConnection() throws Exception {
    try (CqlSession session = DriverSessions.open(server)) {
      int count = 500;
      List<CompletionStage<AsyncResultSet>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        // Later requests finish sooner, so completions interleave.
        pending.add(session.executeAsync("delay " + (count - i) % 50 + " id" + i));
      }
      for (int i = 0; i < count; i++) {
        AsyncResultSet rs = pending.get(i).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals("id" + i, rs.one().getString("v"));
      }
      assertTrue(HANDLER.maxConcurrent.get() > 10, "max concurrent " + HANDLER.maxConcurrent);
    }
  }

  @Test
  void warningsAndCustomPayloadReachTheDriver() {
    try (CqlSession session = DriverSessions.open(server)) {
      ByteBuffer value = ByteBuffer.wrap("v1".getBytes(StandardCharsets.UTF_8));
      ResultSet rs =
          session.execute(SimpleStatement.newInstance("warn").setCustomPayload(Map.of("k", value)));
      assertEquals(
          List.of("first warning", "second warning"), rs.getExecutionInfo().getWarnings());
      assertEquals(value, rs.getExecutionInfo().getIncomingPayload().get("k"));
    }
  }

  // Every error kind reaches the driver as its own exception type, sync throw or async failure.
  @Test
  void errorCodesMapToDriverExceptions() {
    try (CqlSession session = DriverSessions.open(server)) {
      for (String how : List.of("fail", "throw")) {
        assertThrows(SyntaxError.class, () -> session.execute(how + " syntax"));
        assertThrows(InvalidQueryException.class, () -> session.execute(how + " invalid"));
        AlreadyExistsException exists =
            assertThrows(AlreadyExistsException.class, () -> session.execute(how + " exists"));
        assertTrue(exists.getMessage().contains("ks.t"), exists.getMessage());
        assertThrows(UnauthorizedException.class, () -> session.execute(how + " unauthorized"));
        assertThrows(
            InvalidConfigurationInQueryException.class, () -> session.execute(how + " config"));
        UnavailableException unavailable =
            assertThrows(UnavailableException.class, () -> session.execute(how + " unavailable"));
        assertEquals(2, unavailable.getRequired());
        assertEquals(1, unavailable.getAlive());
        ReadTimeoutException read =
            assertThrows(ReadTimeoutException.class, () -> session.execute(how + " readtimeout"));
        assertEquals(2, read.getBlockFor());
        assertEquals(1, read.getReceived());
        WriteTimeoutException write =
            assertThrows(
                WriteTimeoutException.class, () -> session.execute(how + " writetimeout"));
        assertEquals(2, write.getBlockFor());
        assertThrows(OverloadedException.class, () -> session.execute(how + " overloaded"));
        ServerError bug = assertThrows(ServerError.class, () -> session.execute(how + " npe"));
        assertTrue(bug.getMessage().contains("Internal error"), bug.getMessage());
        assertTrue(bug.getMessage().contains("IllegalStateException"), bug.getMessage());
        ServerError bare =
            assertThrows(ServerError.class, () -> session.execute(how + " bare-unavailable"));
        assertTrue(bare.getMessage().contains("UNAVAILABLE"), bare.getMessage());
        assertThrows(ServerError.class, () -> session.execute(how + " server"));
      }
      // The connection survives all of it.
      assertEquals("still here", echo(session, "still here"));
    }
  }

  @Test
  void schemaChangeEventsReachDriverConnections() throws Exception {
    try (CqlSession session = DriverSessions.open(server)) {
      assertTrue(server.connectionCount() >= 2, "control + pool connections");
      // Smoke: publishing to driver connections (which REGISTERed) does not disturb them.
      server.publish(
          new com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent(
              "CREATED", "KEYSPACE", "ks", null, List.of()));
      assertEquals("after event", echo(session, "after event"));
    }
  }

  static void assertCause(Class<?> type, Throwable t) {
    assertInstanceOf(type, t);
  }
}
