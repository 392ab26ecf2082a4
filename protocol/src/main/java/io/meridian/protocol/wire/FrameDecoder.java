package io.meridian.protocol.wire;

import com.datastax.oss.protocol.internal.CrcMismatchException;
import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.ProtocolConstants.FrameFlag;
import com.datastax.oss.protocol.internal.ProtocolConstants.Opcode;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import com.datastax.oss.protocol.internal.util.Crc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns client bytes into {@link Frame}s or {@link InboundError}s.
 *
 * <p>Two framings, switched once per connection:
 *
 * <ul>
 *   <li><b>Legacy</b> (v3/v4 always, v5 until the STARTUP exchange ends): back-to-back frames,
 *       each a 9-byte header and a body; v3/v4 bodies may be LZ4-compressed once negotiated.
 *   <li><b>Segments</b> (v5 after READY/AUTHENTICATE): checksummed segments, each a little-endian
 *       header (17-bit payload length, [17-bit uncompressed length when compressed], self-contained
 *       bit) with a CRC24, then the payload and its CRC32. A self-contained payload holds whole
 *       frames; otherwise consecutive payloads are the parts of one large frame.
 * </ul>
 *
 * <p>Limits are checked on the header, before any body is buffered: a body longer than {@code
 * frameBytesMax} is refused. Legacy mode emits at most one frame per {@code decode} call so that a
 * framing switch made while handling STARTUP applies to the very next byte. After a fatal error
 * the decoder discards all further input.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private static final int HEADER_BYTES = FrameCodec.V3_ENCODED_HEADER_SIZE;
  private static final int HEADER_BYTES_V1_V2 = 8;
  private static final int LENGTH_OFFSET = 5;

  private enum Mode {
    LEGACY,
    SEGMENTS,
    FAILED
  }

  private final int frameBytesMax;
  private final ByteBufPrimitives primitives;
  private final FrameCodec<ByteBuf> frameCodec;
  private final Lz4Compression lz4;

  private Mode mode = Mode.LEGACY;
  private int version = -1;
  private boolean frameCompression;
  private SegmentCodec<ByteBuf> segmentCodec;
  private boolean segmentCompression;
  private SegmentCodec.Header segmentHeader;
  private CompositeByteBuf largeFrame;
  private int largeFrameBytes = -1;

  public FrameDecoder(int frameBytesMax, ByteBufPrimitives primitives, Lz4Compression lz4) {
    this.frameBytesMax = frameBytesMax;
    this.primitives = primitives;
    this.frameCodec = FrameCodecs.plain(primitives);
    this.lz4 = lz4;
  }

  /** v3/v4: from now on frames may carry the compression flag (LZ4 bodies). */
  public void enableFrameCompression() {
    frameCompression = true;
  }

  /** v5: from the next byte on, input is segments, LZ4-compressed if {@code compressed}. */
  public void switchToSegments(boolean compressed) {
    if (mode == Mode.LEGACY) {
      mode = Mode.SEGMENTS;
      segmentCompression = compressed;
      segmentCodec = FrameCodecs.segments(primitives, compressed ? lz4 : null);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      switch (mode) {
        case LEGACY -> decodeLegacy(in, out);
        case SEGMENTS -> decodeSegment(ctx, in, out);
        case FAILED -> in.skipBytes(in.readableBytes());
      }
    } catch (FatalInput e) {
      mode = Mode.FAILED;
      in.skipBytes(in.readableBytes());
      releaseLargeFrame();
      out.add(new InboundError.Fatal(e.version, e.streamId, e.getMessage()));
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releaseLargeFrame();
  }

  // ---- legacy framing ----

  private void decodeLegacy(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    int first = in.getUnsignedByte(start);
    int frameVersion = first & 0x7F;
    if (!ProtocolVersions.isSupported(frameVersion)) {
      // Answer on the client's stream id if the bytes are there; v1/v2 use a 1-byte stream id.
      int stream;
      if (frameVersion <= 2) {
        stream = readable >= 3 ? in.getByte(start + 2) : 0;
      } else {
        stream = readable >= 4 ? in.getShort(start + 2) : 0;
      }
      int replyVersion =
          version > 0
              ? version
              : (frameVersion >= 1 && frameVersion <= 2
                  ? frameVersion
                  : ProtocolVersions.REFUSAL_VERSION);
      throw new FatalInput(replyVersion, stream, ProtocolVersions.unsupportedMessage(frameVersion));
    }
    if (readable < HEADER_BYTES) {
      return;
    }
    int bodyBytes = checkHeader(in, start, true);
    if (readable < HEADER_BYTES + bodyBytes) {
      return;
    }
    ByteBuf frame = in.readRetainedSlice(HEADER_BYTES + bodyBytes);
    out.add(decodeFrame(frame));
  }

  /**
   * Validates the 9-byte header at {@code index} and returns the body length. Locks the
   * connection's version on the first valid header.
   */
  private int checkHeader(ByteBuf buf, int index, boolean legacy) {
    int first = buf.getUnsignedByte(index);
    int frameVersion = first & 0x7F;
    int flags = buf.getUnsignedByte(index + 1);
    int stream = buf.getShort(index + 2);
    int opcode = buf.getUnsignedByte(index + 4);
    int bodyBytes = buf.getInt(index + LENGTH_OFFSET);
    int replyVersion = version > 0 ? version : ProtocolVersions.REFUSAL_VERSION;
    if ((first & 0x80) != 0) {
      throw new FatalInput(
          replyVersion,
          stream,
          String.format(
              "Frame header byte 0x%02x has the response direction bit set, expected a request",
              first));
    }
    if (!ProtocolVersions.isSupported(frameVersion)) {
      throw new FatalInput(replyVersion, stream, ProtocolVersions.unsupportedMessage(frameVersion));
    }
    if (version > 0 && frameVersion != version) {
      throw new FatalInput(
          replyVersion,
          stream,
          "Frame of protocol v"
              + frameVersion
              + " on a connection that negotiated v"
              + version);
    }
    if (!isRequestOpcode(opcode)) {
      throw new FatalInput(
          frameVersion,
          stream,
          String.format(
              "Unknown request opcode 0x%02x, expected one of STARTUP, OPTIONS, QUERY, PREPARE,"
                  + " EXECUTE, REGISTER, BATCH, AUTH_RESPONSE",
              opcode));
    }
    if (bodyBytes < 0 || bodyBytes > frameBytesMax) {
      throw new FatalInput(
          frameVersion,
          stream,
          "Request frame body of "
              + bodyBytes
              + " bytes, expected 0.."
              + frameBytesMax
              + " (frameBytesMax)");
    }
    // Inside v5 segments the flag is meaningless (drivers set it when segment compression is on,
    // the frame body itself is never compressed): decodeFrame ignores it there.
    if (legacy && (flags & FrameFlag.COMPRESSED) != 0 && !frameCompression) {
      throw new FatalInput(
          frameVersion, stream, "Compressed frame, but no compression was negotiated in STARTUP");
    }
    version = frameVersion;
    return bodyBytes;
  }

  private static boolean isRequestOpcode(int opcode) {
    return switch (opcode) {
      case Opcode.STARTUP, Opcode.OPTIONS, Opcode.QUERY, Opcode.PREPARE, Opcode.EXECUTE,
          Opcode.REGISTER, Opcode.BATCH, Opcode.AUTH_RESPONSE -> true;
      default -> false;
    };
  }

  /** Decodes one whole frame (header and body) and releases it. */
  private Object decodeFrame(ByteBuf frame) {
    int start = frame.readerIndex();
    int frameVersion = frame.getUnsignedByte(start) & 0x7F;
    int stream = frame.getShort(start + 2);
    int opcode = frame.getUnsignedByte(start + 4);
    ByteBuf source = frame;
    try {
      int flags = frame.getUnsignedByte(start + 1);
      if ((flags & FrameFlag.COMPRESSED) != 0) {
        if (mode == Mode.LEGACY) {
          source = decompressFrame(frame);
        } else {
          frame.setByte(start + 1, flags & ~FrameFlag.COMPRESSED);
        }
      }
      return frameCodec.decode(source);
    } catch (RuntimeException e) {
      return new InboundError.Undecodable(
          frameVersion,
          stream,
          String.format("Malformed request body (opcode 0x%02x): %s", opcode, e.getMessage()));
    } finally {
      frame.release();
      if (source != frame) {
        source.release();
      }
    }
  }

  /** A new buffer holding the header (compression flag cleared) and the decompressed body. */
  private ByteBuf decompressFrame(ByteBuf frame) {
    int start = frame.readerIndex();
    ByteBuf body = frame.slice(start + HEADER_BYTES, frame.readableBytes() - HEADER_BYTES);
    ByteBuf plainBody = lz4.decompress(body);
    ByteBuf header = primitives.allocate(HEADER_BYTES);
    header.writeBytes(frame, start, HEADER_BYTES);
    header.setByte(1, header.getByte(1) & ~FrameFlag.COMPRESSED);
    header.setInt(LENGTH_OFFSET, plainBody.readableBytes());
    return primitives.concat(header, plainBody);
  }

  // ---- segment framing ----

  private void decodeSegment(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (segmentHeader == null) {
      if (in.readableBytes() < segmentCodec.headerLength() + SegmentCodec.CRC24_LENGTH) {
        return;
      }
      try {
        segmentHeader = segmentCodec.decodeHeader(in);
      } catch (CrcMismatchException e) {
        throw new FatalInput(version, 0, "Corrupt segment header: " + e.getMessage());
      }
    }
    SegmentCodec.Header header = segmentHeader;
    if (in.readableBytes() < header.payloadLength + SegmentCodec.CRC32_LENGTH) {
      return;
    }
    segmentHeader = null;
    ByteBuf payload = in.readRetainedSlice(header.payloadLength);
    int expectedCrc = in.readIntLE();
    int actualCrc = Crc.computeCrc32(payload, primitives);
    if (actualCrc != expectedCrc) {
      payload.release();
      throw new FatalInput(
          version,
          0,
          String.format(
              "Corrupt segment payload: CRC32 %08x, expected %08x", actualCrc, expectedCrc));
    }
    if (segmentCompression && header.uncompressedPayloadLength > 0) {
      try {
        payload = decompressSegment(payload, header.uncompressedPayloadLength);
      } catch (IllegalArgumentException e) {
        throw new FatalInput(version, 0, "Corrupt compressed segment: " + e.getMessage());
      }
    }
    if (header.isSelfContained) {
      readSelfContained(payload, out);
    } else {
      readLargeFramePart(ctx, payload, out);
    }
  }

  private ByteBuf decompressSegment(ByteBuf compressed, int uncompressedLength) {
    try {
      if (uncompressedLength > Segment.MAX_PAYLOAD_LENGTH) {
        throw new IllegalArgumentException(
            "uncompressed length "
                + uncompressedLength
                + ", expected at most "
                + Segment.MAX_PAYLOAD_LENGTH);
      }
      return lz4.decompressWithoutLength(compressed, uncompressedLength);
    } finally {
      compressed.release();
    }
  }

  private void readSelfContained(ByteBuf payload, List<Object> out) {
    try {
      if (largeFrame != null) {
        throw new FatalInput(
            version,
            0,
            "Self-contained segment while a multi-segment frame is incomplete ("
                + largeFrame.readableBytes()
                + " of "
                + largeFrameBytes
                + " bytes received)");
      }
      while (payload.isReadable()) {
        int index = payload.readerIndex();
        if (payload.readableBytes() < HEADER_BYTES) {
          throw new FatalInput(
              version,
              0,
              "Self-contained segment ends inside a frame header: "
                  + payload.readableBytes()
                  + " bytes left, expected "
                  + HEADER_BYTES);
        }
        int bodyBytes = checkHeader(payload, index, false);
        if (payload.readableBytes() < HEADER_BYTES + bodyBytes) {
          throw new FatalInput(
              version,
              payload.getShort(index + 2),
              "Self-contained segment ends inside a frame: the frame needs "
                  + (HEADER_BYTES + bodyBytes)
                  + " bytes, "
                  + payload.readableBytes()
                  + " remain");
        }
        out.add(decodeFrame(payload.readRetainedSlice(HEADER_BYTES + bodyBytes)));
      }
    } finally {
      payload.release();
    }
  }

  private void readLargeFramePart(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) {
    if (largeFrame == null) {
      int partsMax = frameBytesMax / Segment.MAX_PAYLOAD_LENGTH + 2;
      largeFrame = ctx.alloc().compositeBuffer(Math.min(partsMax, 1024));
    }
    largeFrame.addComponent(true, payload);
    if (largeFrameBytes < 0 && largeFrame.readableBytes() >= HEADER_BYTES) {
      largeFrameBytes = HEADER_BYTES + checkHeader(largeFrame, largeFrame.readerIndex(), false);
    }
    if (largeFrameBytes < 0) {
      return;
    }
    int received = largeFrame.readableBytes();
    if (received > largeFrameBytes) {
      throw new FatalInput(
          version,
          largeFrame.getShort(largeFrame.readerIndex() + 2),
          "Multi-segment frame overran its header: "
              + received
              + " bytes received, the header announced "
              + largeFrameBytes);
    }
    if (received == largeFrameBytes) {
      ByteBuf complete = largeFrame;
      largeFrame = null;
      largeFrameBytes = -1;
      out.add(decodeFrame(complete));
    }
  }

  private void releaseLargeFrame() {
    if (largeFrame != null) {
      largeFrame.release();
      largeFrame = null;
      largeFrameBytes = -1;
    }
  }

  /** Internal signal: the stream is broken; carries where to answer. */
  private static final class FatalInput extends RuntimeException {
    final int version;
    final int streamId;

    FatalInput(int version, int streamId, String message) {
      super(message, null, false, false);
      this.version = version;
      this.streamId = streamId;
    }
  }
}
