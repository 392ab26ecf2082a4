package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.meridian.it.TestNode;
import io.meridian.it.protocol.RawConnection.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broken input on one connection is answered with PROTOCOL_ERROR where the protocol allows an
 * answer, closes only that connection, and leaves the node serving everyone else: a driver session
 * opened before keeps working and new sessions still connect.
 */
class BadInputIT {
  private static TestNode node;
  private static CqlSession before;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
    before = node.session();
    before.execute("CREATE KEYSPACE bad WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    before.execute("CREATE TABLE bad.kv (k int PRIMARY KEY, v text)");
    before.execute("INSERT INTO bad.kv (k, v) VALUES (1, 'one')");
  }

  @AfterAll
  static void stopNode() {
    try {
      if (before != null) {
        before.close();
      }
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  /** After every case: the old session and a brand-new one both still read and write. */
  @AfterEach
  void nodeStillServesOthers() {
    assertEquals("one", before.execute("SELECT v FROM bad.kv WHERE k = 1").one().getString("v"));
    try (CqlSession fresh = node.session()) {
      fresh.execute("INSERT INTO bad.kv (k, v) VALUES (2, 'two')");
      assertEquals("two", fresh.execute("SELECT v FROM bad.kv WHERE k = 2").one().getString("v"));
    }
    assertEquals("two", before.execute("SELECT v FROM bad.kv WHERE k = 2").one().getString("v"));
  }

  @Test
  void garbageBytesGetProtocolErrorAndClose() throws IOException {
    try (RawConnection raw = new RawConnection(node.address())) {
      raw.sendBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Response r = raw.read();
      assertEquals(RawConnection.OP_ERROR, r.opcode(), r.toString());
      assertEquals(RawConnection.PROTOCOL_ERROR, r.errorCode(), r.toString());
      // 'G' is read as protocol version 71: drivers recognise this text and downgrade.
      assertTrue(r.errorMessage().contains("Invalid or unsupported protocol version"), r.toString());
      assertTrue(raw.closedByServer(), "server must close the connection after garbage");
    }
  }

  @Test
  void oversizeBodyLengthIsRefusedBeforeTheBodyArrives() throws IOException {
    // 2 GiB: 0x80000000, negative as a signed int, and the largest positive length.
    for (int announced : new int[] {0x80000000, 0x7FFFFFFF}) {
      try (RawConnection raw = new RawConnection(node.address())) {
        raw.sendBytes(RawConnection.frame(RawConnection.V4, 0, 7, RawConnection.OP_STARTUP, announced, new byte[0]));
        Response r = raw.read();
        assertEquals(RawConnection.OP_ERROR, r.opcode(), r.toString());
        assertEquals(RawConnection.PROTOCOL_ERROR, r.errorCode(), r.toString());
        assertEquals(7, r.streamId(), "answer on the client's stream id");
        assertEquals(RawConnection.V4, r.version(), r.toString());
        assertTrue(r.errorMessage().contains("frameBytesMax"), r.toString());
        assertTrue(raw.closedByServer(), "server must close after an oversize frame");
      }
    }
  }

  @Test
  void oversizeQueryAfterStartupIsRefused() throws IOException {
    try (RawConnection raw = new RawConnection(node.address())) {
      raw.startup();
      raw.sendBytes(RawConnection.frame(RawConnection.V4, 0, 9, RawConnection.OP_QUERY, 0x7FFFFFFF, new byte[100]));
      Response r = raw.read();
      assertEquals(RawConnection.PROTOCOL_ERROR, r.errorCode(), r.toString());
      assertEquals(9, r.streamId());
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void unknownOpcodeAfterStartupGetsProtocolErrorAndClose() throws IOException {
    try (RawConnection raw = new RawConnection(node.address())) {
      raw.startup();
      raw.sendFrame(3, 0x55, new byte[] {1, 2, 3});
      Response r = raw.read();
      assertEquals(RawConnection.OP_ERROR, r.opcode(), r.toString());
      assertEquals(RawConnection.PROTOCOL_ERROR, r.errorCode(), r.toString());
      assertEquals(3, r.streamId());
      assertTrue(r.errorMessage().contains("opcode"), r.toString());
      assertTrue(raw.closedByServer(), "server must close after an unknown opcode");
    }
  }

  @Test
  void responseOpcodeSentAsRequestIsRefused() throws IOException {
    try (RawConnection raw = new RawConnection(node.address())) {
      raw.startup();
      raw.sendFrame(4, RawConnection.OP_RESULT, new byte[] {0, 0, 0, 1});
      Response r = raw.read();
      assertEquals(RawConnection.PROTOCOL_ERROR, r.errorCode(), r.toString());
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void truncatedFrameThenCloseIsDroppedSilently() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(node.address(), 5_000);
      socket.setSoTimeout(10_000);
      byte[] startup = RawConnection.startupBody();
      byte[] frame = RawConnection.frame(RawConnection.V4, 0, 1, RawConnection.OP_STARTUP, startup.length, startup);
      // Header and half of the body, then end of stream: nothing to answer, just close.
      socket.getOutputStream().write(frame, 0, 9 + startup.length / 2);
      socket.getOutputStream().flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      assertEquals(-1, in.read(), "server must close without answering a frame that never completed");
    }
  }

  @Test
  void truncatedHeaderThenAbruptCloseLeavesNodeHealthy() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(node.address(), 5_000);
      socket.getOutputStream().write(new byte[] {RawConnection.V4, 0, 0});
      socket.getOutputStream().flush();
      socket.setSoLinger(true, 0); // RST instead of FIN
    }
  }

  @Test
  void requestBeforeStartupGetsProtocolErrorAndConnectionStaysUsable() throws IOException {
    try (RawConnection raw = new RawConnection(node.address())) {
      raw.sendFrame(5, RawConnection.OP_QUERY, RawConnection.queryBody("SELECT v FROM bad.kv WHERE k = 1"));
      Response r = raw.read();
      assertEquals(RawConnection.OP_ERROR, r.opcode(), r.toString());
      assertEquals(RawConnection.PROTOCOL_ERROR, r.errorCode(), r.toString());
      assertEquals(5, r.streamId());
      assertTrue(r.errorMessage().contains("STARTUP"), r.toString());
      // The frame itself was well formed, so the connection may continue with a proper handshake.
      raw.startup();
      raw.sendFrame(6, RawConnection.OP_QUERY, RawConnection.queryBody("SELECT v FROM bad.kv WHERE k = 1"));
      Response result = raw.read();
      assertEquals(RawConnection.OP_RESULT, result.opcode(), result.toString());
      assertEquals(6, result.streamId());
      assertTrue(new String(result.body(), StandardCharsets.UTF_8).contains("one"), "result holds the row");
    }
  }

  @Test
  void compressedFrameWithoutNegotiatedCompressionIsRefused() throws IOException {
    try (RawConnection raw = new RawConnection(node.address())) {
      raw.startup();
      byte[] body = RawConnection.queryBody("SELECT v FROM bad.kv WHERE k = 1");
      raw.sendBytes(RawConnection.frame(RawConnection.V4, 0x01, 8, RawConnection.OP_QUERY, body.length, body));
      Response r = raw.read();
      assertEquals(RawConnection.PROTOCOL_ERROR, r.errorCode(), r.toString());
      assertTrue(raw.closedByServer());
    }
  }
}
