package io.meridian.protocol.wire;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentBuilder;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns outgoing {@link Frame}s into bytes, in the connection's current framing.
 *
 * <p>Legacy framing encodes each frame as it is written (LZ4-compressing the body once v3/v4
 * compression is on). Segment framing (v5 after the STARTUP exchange) collects the frames written
 * since the last flush and packs them on flush: small frames share self-contained segments, a
 * frame larger than one segment payload (128 KiB - 1) is cut into consecutive dedicated segments.
 * A flush consolidator sits in front of this handler, so one flush usually covers many responses.
 *
 * <p>A response whose message cannot be encoded is replaced by the ERROR the supplied translator
 * makes of the failure, on the same stream, so the client is never left waiting.
 */
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrameEncoder.class);

  private final ByteBufPrimitives primitives;
  private final FrameCodec<ByteBuf> plainCodec;
  private final Lz4Compression lz4;
  private final Function<Throwable, Message> errorTranslator;
  private FrameCodec<ByteBuf> legacyCodec;
  private SegmentCodec<ByteBuf> segmentCodec;
  private Segmenter segmenter;
  private ChannelHandlerContext ownContext;

  public FrameEncoder(
      ByteBufPrimitives primitives,
      Lz4Compression lz4,
      Function<Throwable, Message> errorTranslator) {
    this.primitives = primitives;
    this.plainCodec = FrameCodecs.plain(primitives);
    this.lz4 = lz4;
    this.errorTranslator = errorTranslator;
    this.legacyCodec = plainCodec;
  }

  /** v3/v4: compress every frame written from now on. */
  public void enableFrameCompression() {
    legacyCodec = FrameCodecs.create(primitives, lz4);
  }

  /** v5: every frame written from now on goes into segments, LZ4-compressed if asked. */
  public void switchToSegments(boolean compressed) {
    if (segmenter == null) {
      segmentCodec = FrameCodecs.segments(primitives, compressed ? lz4 : null);
      segmenter = new Segmenter(ownContext);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ownContext = ctx;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof Frame frame)) {
      ctx.write(msg, promise);
      return;
    }
    if (segmenter == null) {
      ByteBuf encoded;
      try {
        encoded = legacyCodec.encode(frame);
      } catch (RuntimeException e) {
        Frame replacement = replacementFor(frame, e);
        if (replacement == null) {
          promise.setFailure(e);
          return;
        }
        encoded = legacyCodec.encode(replacement);
      }
      ctx.write(encoded, promise);
    } else {
      try {
        segmenter.addFrame(frame, promise);
      } catch (RuntimeException e) {
        Frame replacement = replacementFor(frame, e);
        if (replacement == null) {
          promise.setFailure(e);
          return;
        }
        segmenter.addFrame(replacement, promise);
      }
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (segmenter != null) {
      try {
        segmenter.flush();
      } catch (RuntimeException e) {
        // Sizes were checked when each frame was added; failing now means frames were lost.
        LOG.error("Closing connection {}: segment encoding failed", ctx.channel(), e);
        ctx.close();
        return;
      }
    }
    ctx.flush();
  }

  /** The ERROR frame to send instead of an unencodable response, or null if it was one. */
  private Frame replacementFor(Frame frame, RuntimeException failure) {
    if (!frame.message.isResponse
        || frame.message instanceof com.datastax.oss.protocol.internal.response.Error) {
      LOG.error("Cannot encode {}", frame.message, failure);
      return null;
    }
    Message error =
        errorTranslator.apply(
            new IllegalStateException(
                "response " + frame.message.getClass().getSimpleName() + " is not encodable in v"
                    + frame.protocolVersion,
                failure));
    return Frame.forResponse(
        frame.protocolVersion, frame.streamId, null, Frame.NO_PAYLOAD, List.of(), error);
  }

  /** Packs frames into segments; each segment's write completes the promises of its frames. */
  private final class Segmenter extends SegmentBuilder<ByteBuf, ChannelPromise> {
    private final ChannelHandlerContext ctx;

    Segmenter(ChannelHandlerContext ctx) {
      super(primitives, plainCodec);
      this.ctx = ctx;
    }

    @Override
    protected ChannelPromise mergeStates(List<ChannelPromise> framePromises) {
      if (framePromises.size() == 1) {
        return framePromises.get(0);
      }
      List<ChannelPromise> targets = new ArrayList<>(framePromises);
      ChannelPromise merged = ctx.newPromise();
      merged.addListener(
          done -> {
            for (ChannelPromise target : targets) {
              if (done.isSuccess()) {
                target.trySuccess();
              } else {
                target.tryFailure(done.cause());
              }
            }
          });
      return merged;
    }

    @Override
    protected List<ChannelPromise> splitState(ChannelPromise framePromise, int sliceCount) {
      PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
      List<ChannelPromise> slices = new ArrayList<>(sliceCount);
      for (int i = 0; i < sliceCount; i++) {
        ChannelPromise slice = ctx.newPromise();
        combiner.add(slice);
        slices.add(slice);
      }
      combiner.finish(framePromise);
      return slices;
    }

    @Override
    protected void processSegment(Segment<ByteBuf> segment, ChannelPromise promise) {
      List<Object> parts = new ArrayList<>(3);
      segmentCodec.encode(segment, parts);
      CompositeByteBuf bytes = primitives.allocator().compositeBuffer(parts.size());
      for (Object part : parts) {
        bytes.addComponent(true, (ByteBuf) part);
      }
      ctx.write(bytes, promise);
    }
  }
}
