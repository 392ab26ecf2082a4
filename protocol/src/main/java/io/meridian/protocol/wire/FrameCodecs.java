package io.meridian.protocol.wire;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.ProtocolV3ServerCodecs;
import com.datastax.oss.protocol.internal.ProtocolV4ServerCodecs;
import com.datastax.oss.protocol.internal.ProtocolV5ServerCodecs;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.netty.buffer.ByteBuf;

/** Server-side codec instances for the versions we speak (decode requests, encode responses). */
final class FrameCodecs {
  private FrameCodecs() {}

  static FrameCodec<ByteBuf> plain(ByteBufPrimitives primitives) {
    return create(primitives, Compressor.none());
  }

  static FrameCodec<ByteBuf> create(ByteBufPrimitives primitives, Compressor<ByteBuf> compressor) {
    return new FrameCodec<>(
        primitives,
        compressor,
        new ProtocolV3ServerCodecs(),
        new ProtocolV4ServerCodecs(),
        new ProtocolV5ServerCodecs());
  }

  /** @param lz4 null for uncompressed segments */
  static SegmentCodec<ByteBuf> segments(ByteBufPrimitives primitives, Lz4Compression lz4) {
    return new SegmentCodec<>(primitives, lz4 == null ? Compressor.none() : lz4);
  }
}
