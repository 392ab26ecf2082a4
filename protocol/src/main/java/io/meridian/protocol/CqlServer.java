package io.meridian.protocol;

import com.datastax.oss.protocol.internal.response.Event;
import io.meridian.protocol.wire.ByteBufPrimitives;
import io.meridian.protocol.wire.FrameDecoder;
import io.meridian.protocol.wire.FrameEncoder;
import io.meridian.protocol.wire.Lz4Compression;
import io.meridian.protocol.wire.ProtocolVersions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CQL native protocol server (v3, v4, v5) on Netty NIO.
 *
 * <p>Per connection the pipeline is: {@link FrameDecoder} (bytes to frames, limits, v5 segments)
 * → {@link FrameEncoder} (frames to bytes) → a flush consolidator → {@link Connection} (handshake,
 * dispatch to the {@link CqlRequestHandler}, in-flight bound, events). Requests of one connection
 * run concurrently and are answered as they complete; flushes are batched per read burst.
 *
 * <p>As {@link ServerEvents} it pushes EVENT messages to every ready connection that REGISTERed for
 * the event's type.
 */
public final class CqlServer implements ServerEvents, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CqlServer.class);

  /** The CQL language version announced in SUPPORTED. */
  public static final String CQL_VERSION = "3.4.7";

  private static final int FLUSHES_CONSOLIDATED_MAX = 256;
  private static final int WRITE_BUFFER_LOW_BYTES = 512 * 1024;
  private static final int WRITE_BUFFER_HIGH_BYTES = 2 * 1024 * 1024;
  private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

  private final ServerOptions options;
  private final CqlRequestHandler handler;
  private final Authenticator authenticator;
  private final Map<String, List<String>> supportedOptions;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private final EventLoopGroup acceptGroup;
  private final EventLoopGroup ioGroup;
  private final Channel serverChannel;
  private volatile boolean closed;

  private CqlServer(
      ServerOptions options, CqlRequestHandler handler, Authenticator authenticator) {
    this.options = options;
    this.handler = handler;
    this.authenticator = authenticator;
    this.supportedOptions =
        Map.of(
            "CQL_VERSION", List.of(CQL_VERSION),
            "COMPRESSION", List.of(Lz4Compression.ALGORITHM),
            "PROTOCOL_VERSIONS", ProtocolVersions.NAMES);
    this.acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("meridian-cql-accept"));
    this.ioGroup =
        new NioEventLoopGroup(
            options.eventLoopThreads(), new DefaultThreadFactory("meridian-cql-io"));
    ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    ByteBufPrimitives primitives = new ByteBufPrimitives(allocator);
    Lz4Compression lz4 = new Lz4Compression(allocator, options.frameBytesMax());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptGroup, ioGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.ALLOCATOR, allocator)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    FrameDecoder decoder =
                        new FrameDecoder(options.frameBytesMax(), primitives, lz4);
                    FrameEncoder encoder =
                        new FrameEncoder(primitives, lz4, ErrorResponses::toError);
                    ch.pipeline()
                        .addLast("frame-decoder", decoder)
                        .addLast("frame-encoder", encoder)
                        .addLast(
                            "flush-consolidation",
                            new FlushConsolidationHandler(FLUSHES_CONSOLIDATED_MAX, true))
                        .addLast(
                            "connection",
                            new Connection(
                                CqlServer.this,
                                decoder,
                                encoder,
                                options.inFlightRequestsPerConnectionMax()));
                  }
                });
    Channel bound;
    InetSocketAddress address = new InetSocketAddress(options.listenAddress(), options.port());
    try {
      bound = bootstrap.bind(address).syncUninterruptibly().channel();
    } catch (Exception e) {
      // syncUninterruptibly rethrows the bind failure as is: usually a checked BindException, so
      // catching RuntimeException only would leave the event loops (non-daemon threads) running.
      shutdownGroups();
      throw new IllegalStateException(
          "Cannot listen for CQL clients on " + address.getAddress().getHostAddress() + ":"
              + options.port() + ": " + e.getMessage(),
          e);
    }
    this.serverChannel = bound;
  }

  /** Binds and starts serving; connections are answered READY to STARTUP (no authentication). */
  public static CqlServer start(ServerOptions options, CqlRequestHandler handler) {
    return start(options, handler, null);
  }

  /**
   * Binds and starts serving.
   *
   * @param authenticator the SASL hook, or null to answer STARTUP with READY
   */
  public static CqlServer start(
      ServerOptions options, CqlRequestHandler handler, Authenticator authenticator) {
    if (handler == null) {
      throw new IllegalArgumentException("handler is null, expected a CqlRequestHandler");
    }
    CqlServer server = new CqlServer(options, handler, authenticator);
    LOG.info(
        "CQL server listening on {} (protocol v{}..v{}, frameBytesMax={}, connectionsMax={},"
            + " inFlightRequestsPerConnectionMax={}, eventLoopThreads={}, authenticator={})",
        server.serverChannel.localAddress(),
        ProtocolVersions.MIN,
        ProtocolVersions.MAX,
        options.frameBytesMax(),
        options.connectionsMax(),
        options.inFlightRequestsPerConnectionMax(),
        options.eventLoopThreads(),
        authenticator == null ? "none" : authenticator.className());
    return server;
  }

  public int boundPort() {
    return boundAddress().getPort();
  }

  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Client connections currently open. */
  public int connectionCount() {
    return connectionCount.get();
  }

  public ServerOptions options() {
    return options;
  }

  @Override
  public void publish(Event event) {
    for (Connection connection : connections) {
      connection.sendEvent(event);
    }
  }

  /**
   * Stops accepting, closes every connection (requests still in flight get no answer; drivers
   * retry them elsewhere) and stops the event loops, waiting at most a few seconds.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    serverChannel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    for (Connection connection : connections) {
      connection.closeChannel();
    }
    shutdownGroups();
    LOG.info("CQL server on {} closed", serverChannel.localAddress());
  }

  private void shutdownGroups() {
    Future<?> accept = acceptGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    Future<?> io = ioGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    accept.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    io.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
  }

  // ---- for Connection ----

  CqlRequestHandler handler() {
    return handler;
  }

  Authenticator authenticator() {
    return authenticator;
  }

  Map<String, List<String>> supportedOptions() {
    return supportedOptions;
  }

  int connectionOpened(Connection connection) {
    connections.add(connection);
    return connectionCount.incrementAndGet();
  }

  int connectionClosed(Connection connection) {
    connections.remove(connection);
    return connectionCount.decrementAndGet();
  }
}
