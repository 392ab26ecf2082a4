package io.meridian.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Options;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.Register;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Event;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.Supported;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import com.datastax.oss.protocol.internal.response.event.StatusChangeEvent;
import com.datastax.oss.protocol.internal.response.result.Rows;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inputs no driver sends: bad bytes must close only the offending connection, while a real
 * driver session on another connection keeps working.
 */
class RawProtocolTest {
  private static final int V4 = ProtocolConstants.Version.V4;
  private static final int V5 = ProtocolConstants.Version.V5;
  private static final int FRAME_BYTES_MAX = 1024 * 1024;
  private static CqlServer server;
  private static CqlSession bystander;

  @BeforeAll
  static void start() {
    server =
        CqlServer.start(
            ServerOptions.defaults(InetAddress.getLoopbackAddress(), 0)
                .withEventLoopThreads(2)
                .withFrameBytesMax(FRAME_BYTES_MAX)
                .withInFlightRequestsPerConnectionMax(4),
            new TestHandler());
    bystander = DriverSessions.open(server);
  }

  @AfterAll
  static void stop() {
    bystander.close();
    server.close();
  }

  @AfterEach
  void bystanderStillWorks() {
    assertEquals("alive", bystander.execute("echo alive").one().getString("v"));
  }

  private static Error expectError(Frame frame, int code) {
    Error error = assertInstanceOf(Error.class, frame.message, () -> "got " + frame.message);
    assertEquals(code, error.code, error.message);
    return error;
  }

  private static RawClient readyV4(boolean register) throws Exception {
    RawClient client = new RawClient(server.boundPort());
    client.send(V4, 0, new Startup());
    assertInstanceOf(Ready.class, client.read().message);
    if (register) {
      client.send(V4, 1, new Register(List.of(ProtocolConstants.EventType.SCHEMA_CHANGE)));
      assertInstanceOf(Ready.class, client.read().message);
    }
    return client;
  }

  @Test
  void optionsAnswersSupported() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.send(V4, 3, Options.INSTANCE);
      Frame frame = client.read();
      assertEquals(3, frame.streamId);
      Supported supported = assertInstanceOf(Supported.class, frame.message);
      assertEquals(List.of("lz4"), supported.options.get("COMPRESSION"));
      assertEquals(List.of("3/v3", "4/v4", "5/v5"), supported.options.get("PROTOCOL_VERSIONS"));
      assertEquals(List.of("3.4.7"), supported.options.get("CQL_VERSION"));
    }
  }

  // A v6 (beta) proposal gets the refusal text drivers look for, in a v4 frame, then a close.
  @Test
  void unsupportedNewerVersionIsRefused() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.sendRaw(new byte[] {0x06, 0x10, 0x00, 0x09, 0x05, 0, 0, 0, 0});
      Frame frame = client.read();
      assertEquals(V4, frame.protocolVersion);
      assertEquals(9, frame.streamId);
      Error error = expectError(frame, ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(
          error.message.startsWith("Invalid or unsupported protocol version (6)"), error.message);
      assertTrue(client.closedByServer());
    }
  }

  // A v2 proposal is answered in the v1/v2 layout (8-byte header, 1-byte stream id).
  @Test
  void unsupportedOlderVersionIsRefusedInItsOwnLayout() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.sendRaw(new byte[] {0x02, 0x00, 0x07, 0x05, 0, 0, 0, 0});
      byte[] header = client.readRaw(8);
      assertEquals((byte) 0x82, header[0]);
      assertEquals(7, header[2]);
      assertEquals(ProtocolConstants.Opcode.ERROR, header[3]);
      int length = ByteBuffer.wrap(header, 4, 4).getInt();
      ByteBuffer body = ByteBuffer.wrap(client.readRaw(length));
      assertEquals(ProtocolConstants.ErrorCode.PROTOCOL_ERROR, body.getInt());
      byte[] text = new byte[body.getShort()];
      body.get(text);
      assertTrue(
          new String(text, StandardCharsets.UTF_8)
              .startsWith("Invalid or unsupported protocol version (2)"));
      assertTrue(client.closedByServer());
    }
  }

  @Test
  void garbageClosesOnlyThatConnection() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      expectError(client.read(), ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(client.closedByServer());
    }
  }

  @Test
  void responseDirectionBitIsRejected() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.sendRaw(new byte[] {(byte) 0x84, 0, 0, 1, 0x05, 0, 0, 0, 0});
      Error error = expectError(client.read(), ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(error.message.contains("direction"), error.message);
      assertTrue(client.closedByServer());
    }
  }

  @Test
  void unknownOpcodeIsRejected() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.sendRaw(new byte[] {0x04, 0, 0, 1, 0x42, 0, 0, 0, 0});
      Error error = expectError(client.read(), ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(error.message.contains("0x42"), error.message);
      assertTrue(client.closedByServer());
    }
  }

  // The length is refused from the header alone: the body is never sent nor awaited.
  @Test
  void oversizeFrameIsRefusedWithoutItsBody() throws Exception {
    try (RawClient client = readyV4(false)) {
      int length = FRAME_BYTES_MAX + 1;
      client.sendRaw(
          new byte[] {
            0x04, 0, 0, 5, ProtocolConstants.Opcode.QUERY,
            (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
          });
      Frame frame = client.read();
      assertEquals(5, frame.streamId);
      Error error = expectError(frame, ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(error.message.contains(String.valueOf(length)), error.message);
      assertTrue(client.closedByServer());
    }
  }

  // Intact frame, broken body: only that stream fails; the connection keeps serving.
  @Test
  void undecodableBodyFailsOnlyThatStream() throws Exception {
    try (RawClient client = readyV4(false)) {
      // QUERY body: a [long string] claiming 1000 bytes, with only 3 present.
      byte[] body = {0, 0, 0x03, (byte) 0xE8, 'a', 'b', 'c'};
      byte[] frame = new byte[9 + body.length];
      frame[0] = 0x04;
      frame[3] = 11;
      frame[4] = ProtocolConstants.Opcode.QUERY;
      frame[8] = (byte) body.length;
      System.arraycopy(body, 0, frame, 9, body.length);
      client.sendRaw(frame);
      Frame reply = client.read();
      assertEquals(11, reply.streamId);
      expectError(reply, ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      client.send(V4, 12, new Query("echo fine"));
      Frame ok = client.read();
      assertEquals(12, ok.streamId);
      assertInstanceOf(Rows.class, ok.message);
    }
  }

  @Test
  void queryBeforeStartupIsAProtocolError() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.send(V4, 2, new Query("echo early"));
      expectError(client.read(), ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      client.send(V4, 3, new Startup());
      assertInstanceOf(Ready.class, client.read().message);
      client.send(V4, 4, new Query("echo now"));
      assertInstanceOf(Rows.class, client.read().message);
    }
  }

  @Test
  void snappyIsRefused() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.send(V4, 0, new Startup(Map.of("CQL_VERSION", "3.0.0", "COMPRESSION", "snappy")));
      Error error = expectError(client.read(), ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(error.message.contains("snappy"), error.message);
    }
  }

  @Test
  void eventsGoOnlyToRegisteredTypes() throws Exception {
    try (RawClient registered = readyV4(true);
        RawClient silent = readyV4(false)) {
      server.publish(
          new StatusChangeEvent(
              ProtocolConstants.StatusChangeType.DOWN, new InetSocketAddress("10.0.0.1", 9042)));
      server.publish(
          new SchemaChangeEvent(
              ProtocolConstants.SchemaChangeType.CREATED,
              ProtocolConstants.SchemaChangeTarget.KEYSPACE,
              "ks",
              null,
              List.of()));
      Frame frame = registered.read();
      assertEquals(-1, frame.streamId);
      SchemaChangeEvent event = assertInstanceOf(SchemaChangeEvent.class, frame.message);
      assertEquals("ks", event.keyspace);
      // The unregistered connection only sees its own answer.
      silent.send(V4, 7, new Query("echo quiet"));
      Frame answer = silent.read();
      assertEquals(7, answer.streamId);
      assertInstanceOf(Rows.class, answer.message);
      assertFalse(answer.message instanceof Event);
    }
  }

  @Test
  void inFlightLimitAnswersOverloaded() throws Exception {
    try (RawClient client = readyV4(false)) {
      for (int stream = 10; stream < 14; stream++) {
        client.send(V4, stream, new Query("park"));
      }
      client.send(V4, 14, new Query("park"));
      Frame frame = client.read();
      assertEquals(14, frame.streamId);
      expectError(frame, ProtocolConstants.ErrorCode.OVERLOADED);
    }
  }

  // v5 after READY speaks CRC-checked segments; a corrupted payload CRC closes the connection.
  @Test
  void badSegmentCrcClosesTheConnection() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.send(V5, 0, new Startup());
      assertInstanceOf(Ready.class, client.read().message);
      client.sendRaw(RawClient.segment(RawClient.encode(V5, 1, new Query("echo seg"))));
      Frame ok = client.readSegmentFrame();
      assertEquals(1, ok.streamId);
      assertInstanceOf(Rows.class, ok.message);

      byte[] corrupt = RawClient.segment(RawClient.encode(V5, 2, new Query("echo bad")));
      corrupt[corrupt.length - 1] ^= 0x5A;
      client.sendRaw(corrupt);
      Error error = expectError(client.readSegmentFrame(), ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(error.message.contains("CRC"), error.message);
      assertTrue(client.closedByServer());
    }
  }

  @Test
  void badSegmentHeaderCrcClosesTheConnection() throws Exception {
    try (RawClient client = new RawClient(server.boundPort())) {
      client.send(V5, 0, new Startup());
      assertInstanceOf(Ready.class, client.read().message);
      byte[] corrupt = RawClient.segment(RawClient.encode(V5, 2, new Query("echo bad")));
      corrupt[4] ^= 0x01;
      client.sendRaw(corrupt);
      Error error = expectError(client.readSegmentFrame(), ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
      assertTrue(error.message.contains("header"), error.message);
      assertTrue(client.closedByServer());
    }
  }
}
