package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.EventType;
import com.datastax.oss.protocol.internal.ProtocolConstants.Opcode;
import com.datastax.oss.protocol.internal.request.AuthResponse;
import com.datastax.oss.protocol.internal.request.Register;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.AuthChallenge;
import com.datastax.oss.protocol.internal.response.AuthSuccess;
import com.datastax.oss.protocol.internal.response.Authenticate;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Event;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.Supported;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.protocol.wire.FrameDecoder;
import io.meridian.protocol.wire.FrameEncoder;
import io.meridian.protocol.wire.InboundError;
import io.meridian.protocol.wire.Lz4Compression;
import io.meridian.protocol.wire.ProtocolVersions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its handshake state machine, its session state and its in-flight
 * requests. Everything here runs on the connection's event loop except the getters of {@link
 * ClientSession} and {@link #sendEvent}, which hop onto it.
 *
 * <pre>
 *   NEW --STARTUP--> READY                      (no authenticator)
 *   NEW --STARTUP--> AUTHENTICATING --AUTH_RESPONSE...--> READY
 *   any --fatal framing error--> CLOSING        (ERROR sent, then closed)
 * </pre>
 */
final class Connection extends ChannelInboundHandlerAdapter implements ClientSession {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private enum State {
    NEW,
    AUTHENTICATING,
    READY,
    CLOSING
  }

  private static final int EVENT_TOPOLOGY = 1;
  private static final int EVENT_STATUS = 2;
  private static final int EVENT_SCHEMA = 4;

  private final CqlServer server;
  private final FrameDecoder decoder;
  private final FrameEncoder encoder;
  private final int inFlightMax;

  private ChannelHandlerContext ctx;
  private Channel channel;
  private State state = State.NEW;
  private boolean counted;
  private int inFlight;
  private Authenticator.Negotiator negotiator;

  private volatile int version = -1;
  private volatile int registeredEvents;
  private volatile String keyspace;
  private volatile Map<String, String> startupOptions = Map.of();
  private volatile String user;

  Connection(CqlServer server, FrameDecoder decoder, FrameEncoder encoder, int inFlightMax) {
    this.server = server;
    this.decoder = decoder;
    this.encoder = encoder;
    this.inFlightMax = inFlightMax;
  }

  // ---- ClientSession ----

  @Override
  public int protocolVersion() {
    return version;
  }

  @Override
  public String keyspace() {
    return keyspace;
  }

  @Override
  public void setKeyspace(String keyspace) {
    this.keyspace = keyspace;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  @Override
  public Map<String, String> startupOptions() {
    return startupOptions;
  }

  @Override
  public String authenticatedUser() {
    return user;
  }

  // ---- lifecycle ----

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.channel = ctx.channel();
    int open = server.connectionOpened(this);
    counted = true;
    if (open > server.options().connectionsMax()) {
      LOG.warn(
          "Refusing connection from {}: {} open connections, connectionsMax is {}",
          channel.remoteAddress(),
          open,
          server.options().connectionsMax());
      state = State.CLOSING;
      ctx.close();
      return;
    }
    LOG.debug("Connection opened from {} ({} open)", channel.remoteAddress(), open);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSING;
    if (counted) {
      counted = false;
      int open = server.connectionClosed(this);
      LOG.debug(
          "Connection closed from {} ({} requests in flight, {} open)",
          channel.remoteAddress(),
          inFlight,
          open);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Stop reading requests while responses pile up in the outbound buffer.
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("Connection from {} failed: {}", channel.remoteAddress(), cause.toString());
    } else {
      LOG.warn("Closing connection from {} after an unexpected error", channel.remoteAddress(),
          cause);
    }
    state = State.CLOSING;
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Frame frame) {
      if (state != State.CLOSING) {
        dispatch(frame);
      }
    } else if (msg instanceof InboundError.Fatal fatal) {
      fail(fatal);
    } else if (msg instanceof InboundError.Undecodable bad) {
      if (state != State.CLOSING) {
        LOG.debug("Undecodable request from {}: {}", channel.remoteAddress(), bad.message());
        reply(bad.protocolVersion(), bad.streamId(), ErrorResponses.protocolError(bad.message()));
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---- dispatch ----

  private void dispatch(Frame frame) {
    if (version < 0) {
      version = frame.protocolVersion;
    }
    switch (frame.message.opcode) {
      case Opcode.OPTIONS -> reply(frame, new Supported(server.supportedOptions()));
      case Opcode.STARTUP -> onStartup(frame);
      case Opcode.AUTH_RESPONSE -> onAuthResponse(frame);
      case Opcode.REGISTER -> onRegister(frame);
      case Opcode.QUERY, Opcode.PREPARE, Opcode.EXECUTE, Opcode.BATCH -> onRequest(frame);
      default -> reply(
          frame,
          ErrorResponses.protocolError("Unexpected request opcode " + frame.message.opcode));
    }
  }

  private void onStartup(Frame frame) {
    if (state != State.NEW) {
      reply(frame, ErrorResponses.protocolError("Unexpected STARTUP: the connection is already "
          + (state == State.READY ? "ready" : "authenticating")));
      return;
    }
    Map<String, String> options = ((Startup) frame.message).options;
    String cqlVersion = options.get(Startup.CQL_VERSION_KEY);
    if (cqlVersion != null && !cqlVersion.startsWith("3.")) {
      reply(frame, ErrorResponses.protocolError(
          "Unsupported CQL_VERSION " + cqlVersion + ", expected 3.x (server speaks "
              + CqlServer.CQL_VERSION + ")"));
      return;
    }
    String compression = options.get(Startup.COMPRESSION_KEY);
    boolean lz4 = false;
    if (compression != null && !compression.isEmpty()) {
      if (!compression.toLowerCase(Locale.ROOT).equals(Lz4Compression.ALGORITHM)) {
        reply(frame, ErrorResponses.protocolError(
            "Unknown compression algorithm: " + compression + "; supported: ["
                + Lz4Compression.ALGORITHM + "]"));
        return;
      }
      lz4 = true;
    }
    startupOptions = Map.copyOf(options);
    Authenticator authenticator = server.authenticator();
    if (authenticator == null) {
      state = State.READY;
      reply(frame, new Ready());
    } else {
      negotiator = authenticator.newNegotiator(this);
      state = State.AUTHENTICATING;
      reply(frame, new Authenticate(authenticator.className()));
    }
    // The answer to STARTUP is the last message in the old format: switch only now.
    if (frame.protocolVersion >= ProtocolConstants.Version.V5) {
      decoder.switchToSegments(lz4);
      encoder.switchToSegments(lz4);
    } else if (lz4) {
      decoder.enableFrameCompression();
      encoder.enableFrameCompression();
    }
    LOG.debug("STARTUP from {}: protocol v{}, compression {}, options {}",
        channel.remoteAddress(), frame.protocolVersion, lz4 ? "lz4" : "none", options);
  }

  private void onAuthResponse(Frame frame) {
    if (state != State.AUTHENTICATING) {
      reply(frame, ErrorResponses.protocolError(
          "Unexpected AUTH_RESPONSE: " + (state == State.NEW ? "expected STARTUP first"
              : "the connection is already authenticated")));
      return;
    }
    ByteBuffer token = ((AuthResponse) frame.message).token;
    byte[] bytes = new byte[token == null ? 0 : token.remaining()];
    if (token != null) {
      token.duplicate().get(bytes);
    }
    CompletionStage<Authenticator.Step> step;
    try {
      step = negotiator.evaluateResponse(bytes);
    } catch (RuntimeException e) {
      step = CompletableFuture.failedFuture(e);
    }
    onLoop(step, (result, failure) -> {
      if (state == State.CLOSING) {
        return;
      }
      if (failure != null || result == null) {
        Message error = authError(failure);
        reply(frame, error);
        return;
      }
      ByteBuffer out = result.token() == null ? null : ByteBuffer.wrap(result.token());
      if (result.complete()) {
        user = result.user();
        negotiator = null;
        state = State.READY;
        reply(frame, new AuthSuccess(out));
      } else {
        reply(frame, new AuthChallenge(out));
      }
    });
  }

  private static Message authError(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof MeridianException e && e.code() == CqlErrorCode.AUTH_ERROR) {
      return new Error(ProtocolConstants.ErrorCode.AUTH_ERROR, e.getMessage());
    }
    if (cause != null) {
      LOG.debug("Authentication failed", cause);
    }
    return new Error(ProtocolConstants.ErrorCode.AUTH_ERROR, "Failed to authenticate");
  }

  private void onRegister(Frame frame) {
    if (state != State.READY) {
      reply(frame, notReady("REGISTER"));
      return;
    }
    int mask = 0;
    for (String type : ((Register) frame.message).eventTypes) {
      int bit = eventBit(type);
      if (bit == 0) {
        reply(frame, ErrorResponses.protocolError("Unknown event type " + type
            + ", expected TOPOLOGY_CHANGE, STATUS_CHANGE or SCHEMA_CHANGE"));
        return;
      }
      mask |= bit;
    }
    registeredEvents |= mask;
    reply(frame, new Ready());
  }

  private static int eventBit(String type) {
    return switch (type) {
      case EventType.TOPOLOGY_CHANGE -> EVENT_TOPOLOGY;
      case EventType.STATUS_CHANGE -> EVENT_STATUS;
      case EventType.SCHEMA_CHANGE -> EVENT_SCHEMA;
      default -> 0;
    };
  }

  private Error notReady(String what) {
    return ErrorResponses.protocolError("Unexpected " + what + " before the connection is ready: "
        + (state == State.NEW ? "expected STARTUP" : "expected AUTH_RESPONSE"));
  }

  private void onRequest(Frame frame) {
    if (state != State.READY) {
      reply(frame, notReady(opcodeName(frame.message.opcode)));
      return;
    }
    if (inFlight >= inFlightMax) {
      reply(frame, ErrorResponses.overloaded("Too many requests in flight on this connection: "
          + inFlight + ", the limit is " + inFlightMax));
      return;
    }
    inFlight++;
    Request request =
        new Request(frame.streamId, frame.message, frame.customPayload, frame.tracing);
    CompletionStage<Response> stage;
    try {
      stage = server.handler().handleRequest(this, request);
      if (stage == null) {
        throw new IllegalStateException("CqlRequestHandler returned a null stage, expected one");
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    onLoop(stage, (response, failure) -> {
      inFlight--;
      if (state == State.CLOSING) {
        return;
      }
      if (failure == null && response == null) {
        failure = new IllegalStateException("CqlRequestHandler completed with null, expected a"
            + " Response");
      }
      if (failure != null) {
        reply(frame, ErrorResponses.toError(failure));
      } else {
        boolean extras = frame.protocolVersion >= ProtocolConstants.Version.V4;
        write(Frame.forResponse(
            frame.protocolVersion,
            frame.streamId,
            response.tracingId(),
            extras ? response.customPayload() : Frame.NO_PAYLOAD,
            extras ? response.warnings() : List.of(),
            response.message()));
      }
    });
  }

  private static String opcodeName(int opcode) {
    return switch (opcode) {
      case Opcode.QUERY -> "QUERY";
      case Opcode.PREPARE -> "PREPARE";
      case Opcode.EXECUTE -> "EXECUTE";
      case Opcode.BATCH -> "BATCH";
      default -> "opcode " + opcode;
    };
  }

  // ---- events ----

  /** Called from any thread; sends the event if this connection registered for its type. */
  void sendEvent(Event event) {
    int bit = eventBit(event.type);
    if ((registeredEvents & bit) == 0 || channel == null) {
      return;
    }
    runOnLoop(() -> {
      if (state != State.READY || !channel.isActive()) {
        return;
      }
      if (!channel.isWritable()) {
        // Bounded: a client that does not read its responses does not get events queued either.
        LOG.debug("Dropping {} for {}: outbound buffer full", event.type, channel.remoteAddress());
        return;
      }
      write(Frame.forResponse(version, -1, null, Frame.NO_PAYLOAD, List.of(), event));
    });
  }

  // ---- output ----

  private void reply(Frame request, Message message) {
    reply(request.protocolVersion, request.streamId, message);
  }

  private void reply(int protocolVersion, int streamId, Message message) {
    write(Frame.forResponse(protocolVersion, streamId, null, Frame.NO_PAYLOAD, List.of(), message));
  }

  private void write(Frame frame) {
    ctx.writeAndFlush(frame);
  }

  /** Answers a broken byte stream with PROTOCOL_ERROR, then closes this connection only. */
  private void fail(InboundError.Fatal fatal) {
    if (state == State.CLOSING) {
      return;
    }
    state = State.CLOSING;
    LOG.debug("Closing connection from {} after a protocol error: {}",
        channel.remoteAddress(), fatal.message());
    int replyVersion = fatal.protocolVersion();
    if (replyVersion < ProtocolVersions.MIN) {
      ctx.writeAndFlush(legacyV1V2Error(replyVersion, fatal.streamId(), fatal.message()))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    Frame frame = Frame.forResponse(replyVersion, fatal.streamId(), null, Frame.NO_PAYLOAD,
        List.of(), ErrorResponses.protocolError(fatal.message()));
    ctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
  }

  /** An ERROR frame in the v1/v2 layout (8-byte header, 1-byte stream id). */
  private ByteBuf legacyV1V2Error(int frameVersion, int streamId, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    int bodyBytes = 4 + 2 + text.length;
    ByteBuf buf = ctx.alloc().buffer(8 + bodyBytes);
    buf.writeByte(0x80 | frameVersion);
    buf.writeByte(0);
    buf.writeByte(streamId);
    buf.writeByte(Opcode.ERROR);
    buf.writeInt(bodyBytes);
    buf.writeInt(ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
    buf.writeShort(text.length);
    buf.writeBytes(text);
    return buf;
  }

  /** Closes the channel from any thread (server shutdown). */
  void closeChannel() {
    if (channel != null) {
      channel.close();
    }
  }

  // ---- threading ----

  private interface Completion<T> {
    void accept(T value, Throwable failure);
  }

  /** Runs {@code then} on this connection's event loop once {@code stage} completes. */
  private <T> void onLoop(CompletionStage<T> stage, Completion<T> then) {
    stage.whenComplete((value, failure) -> runOnLoop(() -> then.accept(value, failure)));
  }

  private void runOnLoop(Runnable task) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("Event loop of {} is shut down; dropping a response", channel.remoteAddress());
    }
  }
}
