package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.meridian.protocol.wire.ByteBufPrimitives;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A blocking socket speaking frames by hand, for inputs a real driver never sends. */
final class RawClient implements AutoCloseable {
  static final ByteBufPrimitives PRIMITIVES =
      new ByteBufPrimitives(new UnpooledByteBufAllocator(false));
  static final FrameCodec<ByteBuf> CODEC = FrameCodec.defaultClient(PRIMITIVES, Compressor.none());
  static final SegmentCodec<ByteBuf> SEGMENTS = new SegmentCodec<>(PRIMITIVES, Compressor.none());

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static byte[] encode(int version, int stream, Message request) {
    ByteBuf buf = CODEC.encode(Frame.forRequest(version, stream, false, Map.of(), request));
    try {
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  void send(int version, int stream, Message request) throws IOException {
    sendRaw(encode(version, stream, request));
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one legacy-framed (9-byte header) response frame. */
  Frame read() throws IOException {
    byte[] header = new byte[9];
    in.readFully(header);
    int length =
        ((header[5] & 0xFF) << 24)
            | ((header[6] & 0xFF) << 16)
            | ((header[7] & 0xFF) << 8)
            | (header[8] & 0xFF);
    byte[] frame = new byte[9 + length];
    System.arraycopy(header, 0, frame, 0, 9);
    in.readFully(frame, 9, length);
    return decode(frame);
  }

  private static Frame decode(byte[] frame) {
    ByteBuf buf = Unpooled.wrappedBuffer(frame);
    try {
      return CODEC.decode(buf);
    } finally {
      buf.release();
    }
  }

  /** Wraps one encoded frame into one self-contained uncompressed v5 segment. */
  static byte[] segment(byte[] payload) {
    List<Object> parts = new ArrayList<>();
    SEGMENTS.encode(new Segment<>(Unpooled.wrappedBuffer(payload), true), parts);
    ByteBuf all = Unpooled.buffer();
    for (Object part : parts) {
      ByteBuf b = (ByteBuf) part;
      all.writeBytes(b);
      b.release();
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    all.release();
    return bytes;
  }

  /** Reads one uncompressed self-contained segment holding exactly one frame. */
  Frame readSegmentFrame() throws Exception {
    byte[] header = new byte[6];
    in.readFully(header);
    ByteBuf headerBuf = Unpooled.wrappedBuffer(header);
    SegmentCodec.Header h;
    try {
      h = SEGMENTS.decodeHeader(headerBuf);
    } finally {
      headerBuf.release();
    }
    byte[] rest = new byte[h.payloadLength + 4];
    in.readFully(rest);
    Segment<ByteBuf> segment = SEGMENTS.decode(h, Unpooled.wrappedBuffer(rest));
    try {
      byte[] frame = new byte[segment.payload.readableBytes()];
      segment.payload.readBytes(frame);
      return decode(frame);
    } finally {
      segment.payload.release();
    }
  }

  /** Reads raw bytes (for v1/v2 replies). */
  byte[] readRaw(int count) throws IOException {
    byte[] bytes = new byte[count];
    in.readFully(bytes);
    return bytes;
  }

  /** True if the server closed the connection (EOF or reset) within the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      InputStream stream = in;
      while (true) {
        if (stream.read() < 0) {
          return true;
        }
      }
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("reset");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
