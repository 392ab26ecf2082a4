package io.meridian.chaos.run;

import io.meridian.chaos.fault.NamespaceNetwork;
import io.meridian.chaos.fault.NetworkFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessClusterLauncherTest {

    private static ProcessClusterLauncher.Config config(Path home, Path work, int nodes, int basePort) {
        return new ProcessClusterLauncher.Config(home, work, nodes, basePort, "-Xmx64m", Duration.ofSeconds(20),
            node -> node == 2 ? List.of("--extra", "x") : List.of());
    }

    @Test
    void commandLineListsEveryNodesRaftAddressAsSeedAndGivesEachItsAddressPortsAndDataDir() {
        ProcessClusterLauncher l = new ProcessClusterLauncher(
            config(Path.of("/opt/meridian"), Path.of("/tmp/run"), 3, 19042), NetworkFaults.UNSUPPORTED);
        assertEquals(List.of("/opt/meridian/bin/meridian", "--listen", "127.0.0.2", "--port", "19043",
                "--data-dir", "/tmp/run/node-1/data", "--seeds", "127.0.0.1:20042,127.0.0.2:20043,127.0.0.3:20044",
                "--raft-port", "20043"),
            l.commandLine(1));
        assertEquals(List.of("--extra", "x"), l.commandLine(2).subList(11, 13));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 19042), new InetSocketAddress("127.0.0.2", 19043),
            new InetSocketAddress("127.0.0.3", 19044)), l.contactPoints());
        assertFalse(l.supportsPartition());
        ProcessClusterLauncher single = new ProcessClusterLauncher(
            config(Path.of("/opt/meridian"), Path.of("/tmp/run"), 1, 19042), NetworkFaults.UNSUPPORTED);
        assertEquals(List.of("/opt/meridian/bin/meridian", "--listen", "127.0.0.1", "--port", "19042",
            "--data-dir", "/tmp/run/node-0/data"), single.commandLine(0));
        assertThrows(UnsupportedOperationException.class, () -> l.partition(0));
    }

    @Test
    void inNamespacesEachNodeStartsThroughIpNetnsExecOnItsOwnAddressAndSeedsUseThoseAddresses() {
        NamespaceNetwork network = new NamespaceNetwork(3, "meridian-chaos", "mchaos", 0, command -> "");
        ProcessClusterLauncher l = new ProcessClusterLauncher(
            config(Path.of("/opt/meridian"), Path.of("/tmp/run"), 3, 19042), network, network);
        assertEquals(List.of("ip", "netns", "exec", "meridian-chaos-2", "/opt/meridian/bin/meridian",
                "--listen", "10.213.0.3", "--port", "19044", "--data-dir", "/tmp/run/node-2/data",
                "--seeds", "10.213.0.1:20042,10.213.0.2:20043,10.213.0.3:20044", "--raft-port", "20044",
                "--extra", "x"),
            l.commandLine(2));
        assertEquals(new InetSocketAddress("10.213.0.1", 19042), l.contactPoints().get(0));
        assertTrue(l.supportsPartition());
    }

    /** A bin/meridian that runs {@link FakeNodeMain} from the test classpath. */
    static Path fakeHome(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("home/bin"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path script = bin.resolve("meridian");
        Files.writeString(script, "#!/usr/bin/env bash\nexec '" + java + "' $MERIDIAN_JAVA_OPTS -cp '"
            + System.getProperty("java.class.path") + "' " + FakeNodeMain.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("home");
    }

    /**
     * A base port whose ports are free for {@code nodes} nodes: node i's client port (base + i) and
     * Raft port (base + 1000 + i), each on 127.0.0.(i + 1), as {@link ProcessClusterLauncher} gives them.
     * Below the kernel's ephemeral range, for the reason {@code RaftPorts} gives.
     */
    private static int freePortBlock(int nodes) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000);
            if (allFree(base, nodes)) {
                return base;
            }
        }
        throw new IOException("no block of free ports found for " + nodes + " nodes");
    }

    private static boolean allFree(int base, int nodes) {
        for (int i = 0; i < nodes; i++) {
            String host = "127.0.0." + (i + 1);
            for (int port : new int[] {base + i, base + 1000 + i}) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(host, port));
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void startsKillsPausesAndRestartsNodeProcessesOnTheirOwnData(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        int port = freePortBlock(2);
        try (ProcessClusterLauncher l = new ProcessClusterLauncher(config(fakeHome(dir), work, 2, port),
                NetworkFaults.UNSUPPORTED)) {
            l.start(0);
            l.start(1);
            assertTrue(l.isRunning(0) && l.isRunning(1));
            assertThrows(IllegalStateException.class, () -> l.start(0));

            l.pause(1);
            l.resume(1);
            l.kill(1);
            assertFalse(l.isRunning(1));
            l.start(1);
            assertTrue(l.isRunning(1));

            List<String> starts = Files.readAllLines(work.resolve("node-1/data/args.txt"));
            assertEquals(2, starts.size(), "node 1 restarted on the same data directory");
            assertTrue(starts.get(0).contains("--listen 127.0.0.2 --port " + (port + 1)), starts.get(0));
            assertTrue(Files.size(work.resolve("node-0/node.log")) >= 0);
        }
    }

    @Test
    void aNodeThatExitsWhileStartingIsReportedWithItsLog(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/bin")).getParent();
        Path script = home.resolve("bin/meridian");
        Files.writeString(script, "#!/usr/bin/env bash\necho 'no such flag: --seeds' >&2\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ProcessClusterLauncher l = new ProcessClusterLauncher(config(home, dir.resolve("w"), 1, freePortBlock(1)),
                NetworkFaults.UNSUPPORTED)) {
            IOException e = assertThrows(IOException.class, () -> l.start(0));
            assertTrue(e.getMessage().contains("exited with 3"), e.getMessage());
            assertTrue(Files.readString(dir.resolve("w/node-0/node.log")).contains("no such flag"));
        }
    }
}
