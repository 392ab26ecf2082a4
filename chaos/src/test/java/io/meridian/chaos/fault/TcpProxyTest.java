package io.meridian.chaos.fault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpProxyTest {
    private EchoServer echo;
    private TcpProxy proxy;
    private InetSocketAddress proxyAddress;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        // A second loopback address, as a node of a local cluster would listen on.
        proxy = new TcpProxy(new InetSocketAddress("127.0.0.2", 0), echo.address());
        proxyAddress = proxy.start();
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(proxyAddress, 2000);
        s.setSoTimeout(2000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }

    /** True if the connection is dead: end of stream or reset. */
    private static boolean isCut(Socket s) {
        try {
            s.getOutputStream().write(1);
            InputStream in = s.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The reset may arrive during the handshake or on first use; either way nothing gets through. */
    private boolean newConnectionFails() {
        try (Socket s = connect()) {
            return isCut(s);
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket s = connect()) {
            assertEquals("hello", roundTrip(s, "hello"));
            assertEquals("again", roundTrip(s, "again"));
            assertEquals(1, proxy.openConnections());
        }
    }

    @Test
    void partitionCutsOpenConnectionsAndRefusesNewOnesUntilHealed() throws Exception {
        Socket before = connect();
        assertEquals("x", roundTrip(before, "x"));
        proxy.partition();
        assertTrue(isCut(before), "open connection survived the partition");
        assertEquals(0, proxy.openConnections());
        assertTrue(newConnectionFails(), "new connection served while partitioned");
        proxy.heal();
        try (Socket after = connect()) {
            assertEquals("back", roundTrip(after, "back"));
        }
        before.close();
    }

    @Test
    void delayHoldsEveryChunk() throws IOException {
        try (Socket s = connect()) {
            proxy.delay(Duration.ofMillis(150));
            long start = System.nanoTime();
            assertEquals("slow", roundTrip(s, "slow"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            // One delay each way.
            assertTrue(millis >= 300, "round trip took " + millis + " ms");
            proxy.heal();
            start = System.nanoTime();
            assertEquals("fast", roundTrip(s, "fast"));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 150);
        }
    }

    @Test
    void blackholeDeliversNothingThenReleasesHeldBytesInOrderOnHeal() throws IOException {
        try (Socket s = connect()) {
            assertEquals("a", roundTrip(s, "a"));
            proxy.blackhole();
            s.setSoTimeout(300);
            s.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            assertEquals(1, proxy.openConnections());
            proxy.heal();
            s.setSoTimeout(2000);
            assertEquals("held", new String(s.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
        }
    }

    @Test
    void targetDownLooksLikeAClosedConnection() throws Exception {
        echo.close();
        assertTrue(newConnectionFails());
    }
}
