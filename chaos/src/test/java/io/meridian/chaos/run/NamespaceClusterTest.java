package io.meridian.chaos.run;

import io.meridian.chaos.fault.NamespaceNetwork;
import io.meridian.chaos.fault.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Two stand-in nodes in real network namespaces: reachable from the root namespace, cut from each
 * other by a partition and joined again by healing, killable and pausable, and nothing left after.
 * Needs root; skipped with the reason otherwise.
 */
class NamespaceClusterTest {
    private static final int PORT = 19042;

    @Test
    void nodesInNamespacesCanBePartitionedHealedKilledAndPausedAndAreCleanedUp(@TempDir Path dir) throws Exception {
        NamespaceNetwork network = new NamespaceNetwork(2, "meridian-chaos-test", "mcht", 213, Shell.PROCESSES);
        try {
            network.setUp();
        } catch (NamespaceNetwork.NetworkSetupException e) {
            abort("network namespaces not permitted here, skipping: " + e.getMessage());
        }
        ProcessClusterLauncher.Config config = new ProcessClusterLauncher.Config(
            ProcessClusterLauncherTest.fakeHome(dir), dir.resolve("work"), 2, PORT, "-Xmx64m", Duration.ofSeconds(30),
            node -> List.of());
        try (network; ProcessClusterLauncher cluster = new ProcessClusterLauncher(config, network, network)) {
            cluster.start(0);
            cluster.start(1);
            assertEquals(List.of("ip", "netns", "exec", "meridian-chaos-test-0"), cluster.commandLine(0).subList(0, 4));
            // ip netns exec and the script both exec: the pid signalled is the JVM, inside the namespace.
            for (int i = 0; i < 2; i++) {
                String command = ProcessHandle.of(cluster.pid(i)).orElseThrow().info().command().orElse("");
                assertTrue(command.endsWith("java"), command);
                assertEquals(network.namespace(i), Shell.PROCESSES.run(
                    List.of("ip", "netns", "identify", Long.toString(cluster.pid(i)))).strip());
            }
            assertTrue(nodeReaches(network, 1, 0), "node 1 reaches node 0 before the partition");

            cluster.partition(0);
            assertFalse(nodeReaches(network, 1, 0), "node 1 cut from node 0");
            assertFalse(nodeReaches(network, 0, 1), "node 0 cut from node 1");
            assertTrue(clientReaches(cluster.address(0)), "the client still reaches the isolated node");
            assertTrue(clientReaches(cluster.address(1)), "and the other one");

            cluster.heal();
            assertTrue(nodeReaches(network, 1, 0), "healed");
            assertTrue(nodeReaches(network, 0, 1), "healed");

            cluster.pause(1);
            cluster.resume(1);
            cluster.kill(0);
            assertFalse(cluster.isRunning(0));
            cluster.start(0);
            assertTrue(clientReaches(cluster.address(0)), "restarted in its namespace");
        }
        String namespaces = Shell.PROCESSES.run(List.of("ip", "netns", "list"));
        assertFalse(namespaces.contains("meridian-chaos-test"), namespaces);
        assertThrows(Shell.CommandFailedException.class,
            () -> Shell.PROCESSES.run(List.of("ip", "link", "show", network.bridge())), "bridge removed");
    }

    /** Whether a TCP connection from inside {@code from}'s namespace to node {@code to} opens within 2 s. */
    private static boolean nodeReaches(NamespaceNetwork network, int from, int to) throws Exception {
        List<String> command = List.of("ip", "netns", "exec", network.namespace(from), "timeout", "2", "bash", "-c",
            "exec 3<>/dev/tcp/" + network.host(to) + "/" + (PORT + to));
        try {
            Shell.PROCESSES.run(command);
            return true;
        } catch (Shell.CommandFailedException e) {
            return false;
        }
    }

    private static boolean clientReaches(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
