package io.meridian.chaos.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import io.meridian.testsupport.RaftPorts;

/** Echoes every byte back, one thread per connection. */
final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;

    EchoServer() throws IOException {
        // Below the ephemeral range: once closed, a connection to an ephemeral port can, rarely,
        // be given that same port as its source and connect to itself, which looks like an echo.
        server = new ServerSocket(RaftPorts.free(InetAddress.getLoopbackAddress()), 50,
                InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (server.isClosed()) {
                    // Accepted in the window between close() and the accept call's end.
                    s.close();
                    return;
                }
                Thread t = new Thread(() -> echo(s), "echo");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        // The JDK closes a listening socket for good only once a blocked accept() has returned, and
        // until then the kernel still completes connections to it: wait for that, or a connection
        // made right after close() may be accepted and echoed.
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
