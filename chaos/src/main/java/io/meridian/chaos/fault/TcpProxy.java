package io.meridian.chaos.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder standing between a client and a target, which a test can break:
 * <ul>
 *   <li>{@link #partition()}: cut every open connection and close new ones at once, so peers see
 *       resets and refused connections: a fast, visible partition;</li>
 *   <li>{@link #blackhole()}: keep connections open but deliver nothing until healed, as when
 *       packets are dropped while TCP keeps retransmitting: peers see silence and their own
 *       timeouts, and on heal the held bytes arrive, in order;</li>
 *   <li>{@link #delay(Duration)}: forward every chunk after a fixed delay;</li>
 *   <li>{@link #heal()}: forward normally again (connections cut by a partition stay cut).</li>
 * </ul>
 * Plain blocking sockets with two pump threads per connection: proxies carry test traffic, and
 * simple is worth more here than fast.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final long HOLD_POLL_MILLIS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private enum Mode { FORWARD, PARTITIONED, BLACKHOLE }

    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger linkIds = new AtomicInteger();
    private volatile Mode mode = Mode.FORWARD;
    private volatile long delayMillis;
    private volatile boolean closed;
    private ServerSocket server;
    private Thread acceptor;

    public TcpProxy(InetSocketAddress listen, InetSocketAddress target) {
        this.listen = listen;
        this.target = target;
    }

    /** Binds and starts accepting; returns the address actually bound (port 0 picks a free port). */
    public synchronized InetSocketAddress start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen);
        acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return address();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public InetSocketAddress target() {
        return target;
    }

    public void partition() {
        mode = Mode.PARTITIONED;
        for (Link link : links) {
            link.cut();
        }
    }

    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    public void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay");
        }
        delayMillis = delay.toMillis();
    }

    public void heal() {
        delayMillis = 0;
        mode = Mode.FORWARD;
    }

    public boolean isPartitioned() {
        return mode != Mode.FORWARD;
    }

    /** Connections currently open through the proxy. */
    public int openConnections() {
        return links.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link link : links) {
            link.cut();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            // closed: accepted after close(), which the JDK allows until the blocked accept returns.
            if (mode == Mode.PARTITIONED || closed) {
                abort(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                if (upstream.getLocalSocketAddress().equals(upstream.getRemoteSocketAddress())) {
                    // Linux can "connect" a socket to itself when the target port is free and in the
                    // ephemeral range (TCP simultaneous open): the target is down, not answering.
                    throw new java.net.ConnectException("connected to itself: " + target + " is not listening");
                }
            } catch (IOException e) {
                // The target is down: the client sees the same thing it would see without us.
                abort(client);
                closeQuietly(upstream);
                continue;
            }
            Link link = new Link(linkIds.incrementAndGet(), client, upstream);
            links.add(link);
            link.start();
        }
    }

    /** Closes with a reset rather than a clean FIN, as a dropped link would look. */
    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** One proxied connection: client-to-target and target-to-client pumps. */
    private final class Link {
        private final int id;
        private final Socket client;
        private final Socket upstream;

        Link(int id, Socket client, Socket upstream) {
            this.id = id;
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            startPump(client, upstream, "up");
            startPump(upstream, client, "down");
        }

        private void startPump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> pump(from, to), "tcp-proxy-" + id + "-" + direction);
            t.setDaemon(true);
            t.start();
        }

        private void pump(Socket from, Socket to) {
            byte[] buf = new byte[CHUNK_BYTES];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    // Hold the chunk, and by back-pressure the sender, until the link heals or is cut.
                    while (mode == Mode.BLACKHOLE && !closed) {
                        Thread.sleep(HOLD_POLL_MILLIS);
                    }
                    if (mode == Mode.PARTITIONED || closed) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the link is gone either way
            } finally {
                cut();
            }
        }

        void cut() {
            if (links.remove(this)) {
                abort(client);
                abort(upstream);
            }
        }
    }
}
