package io.meridian.it.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A bare TCP client speaking just enough of the v4 native protocol (uncompressed, legacy framing)
 * to send well-formed or deliberately broken frames and read the answers.
 */
final class RawConnection implements AutoCloseable {
  static final int V4 = 4;
  static final int OP_ERROR = 0x00;
  static final int OP_STARTUP = 0x01;
  static final int OP_READY = 0x02;
  static final int OP_QUERY = 0x07;
  static final int OP_RESULT = 0x08;
  static final int OP_EXECUTE = 0x0A;
  static final int PROTOCOL_ERROR = 0x000A;
  static final int UNPREPARED = 0x2500;
  private static final int CONSISTENCY_ONE = 0x0001;

  /** One response frame: header fields and the raw body. */
  record Response(int version, int streamId, int opcode, byte[] body) {
    int errorCode() {
      return ByteBuffer.wrap(body).getInt(0);
    }

    String errorMessage() {
      ByteBuffer b = ByteBuffer.wrap(body);
      b.position(4);
      return readString(b);
    }

    @Override
    public String toString() {
      return "Response(v" + version + ", stream " + streamId + ", opcode 0x" + Integer.toHexString(opcode)
          + (opcode == OP_ERROR ? ", error 0x" + Integer.toHexString(errorCode()) + " " + errorMessage() : "") + ")";
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  RawConnection(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 5_000);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
  }

  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends a v4 request frame with the given header fields and body. */
  void sendFrame(int streamId, int opcode, byte[] body) throws IOException {
    sendBytes(frame(V4, 0, streamId, opcode, body.length, body));
  }

  static byte[] frame(int version, int flags, int streamId, int opcode, int announcedLength, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(9 + body.length);
    b.put((byte) version).put((byte) flags).putShort((short) streamId).put((byte) opcode).putInt(announcedLength);
    b.put(body);
    return b.array();
  }

  static byte[] startupBody() {
    return stringMap(Map.of("CQL_VERSION", "3.0.0"));
  }

  static byte[] queryBody(String cql) {
    byte[] text = cql.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + text.length + 2 + 1);
    b.putInt(text.length).put(text).putShort((short) CONSISTENCY_ONE).put((byte) 0);
    return b.array();
  }

  /** EXECUTE (v4) of a prepared statement id without bound values. */
  static byte[] executeBody(byte[] statementId) {
    ByteBuffer b = ByteBuffer.allocate(2 + statementId.length + 2 + 1);
    b.putShort((short) statementId.length).put(statementId).putShort((short) CONSISTENCY_ONE).put((byte) 0);
    return b.array();
  }

  static byte[] stringMap(Map<String, String> map) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0);
    bytes.write(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(bytes, e.getKey());
      writeString(bytes, e.getValue());
    }
    return bytes.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream bytes, String s) {
    byte[] text = s.getBytes(StandardCharsets.UTF_8);
    bytes.write(text.length >> 8);
    bytes.write(text.length & 0xFF);
    bytes.write(text, 0, text.length);
  }

  private static String readString(ByteBuffer b) {
    int length = b.getShort() & 0xFFFF;
    byte[] text = new byte[length];
    b.get(text);
    return new String(text, StandardCharsets.UTF_8);
  }

  /** Sends STARTUP and expects READY. */
  void startup() throws IOException {
    sendFrame(0, OP_STARTUP, startupBody());
    Response r = read();
    if (r.opcode() != OP_READY) {
      throw new IOException("expected READY to STARTUP, got " + r);
    }
  }

  /** Reads one response frame (v3+ header). */
  Response read() throws IOException {
    int first = in.readUnsignedByte();
    in.readUnsignedByte(); // flags
    int stream = in.readShort();
    int opcode = in.readUnsignedByte();
    int length = in.readInt();
    if (length < 0 || length > 64 * 1024 * 1024) {
      throw new IOException("implausible response body length " + length);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    if ((first & 0x80) == 0) {
      throw new IOException("response without the direction bit: 0x" + Integer.toHexString(first));
    }
    return new Response(first & 0x7F, stream, opcode, body);
  }

  /** True if the server closed the connection (EOF or reset) within the socket timeout. */
  boolean closedByServer() throws IOException {
    InputStream raw = socket.getInputStream();
    try {
      while (true) {
        if (raw.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (EOFException e) {
      return true;
    } catch (IOException e) {
      // Connection reset: the server closed while our unread bytes were still in its buffer.
      return e.getMessage() != null && e.getMessage().toLowerCase().contains("reset");
    }
  }

  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
