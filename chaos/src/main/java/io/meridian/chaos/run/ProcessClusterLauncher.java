package io.meridian.chaos.run;

import io.meridian.chaos.fault.NetworkFaults;
import io.meridian.chaos.fault.NodeNetwork;
import io.meridian.chaos.fault.NodeProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs an N-node cluster on one machine as {@code bin/meridian} processes, node i listening on
 * 127.0.0.(i+1) (or wherever a {@link NodeNetwork} puts it, a network namespace say) at port
 * {@code basePort + i}, each with its own data directory and log under
 * {@code workDir/node-i}, and every node given the full list of nodes as seeds (a single node gets
 * no {@code --seeds}).
 *
 * <p>Partitions need the inter-node links to pass through something that can cut them: pass a
 * {@link NetworkFaults} (a {@code NamespaceNetwork}, which is also the {@link NodeNetwork}); without
 * one, {@link #partition} is refused.
 */
public final class ProcessClusterLauncher implements ClusterLauncher {
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /**
     * @param meridianHome the directory holding {@code bin/meridian}
     * @param workDir      where node data directories and logs go
     * @param nodes        cluster size
     * @param basePort     CQL port of node 0; node i uses {@code basePort + i}
     * @param javaOpts     MERIDIAN_JAVA_OPTS for every node (heap size, say)
     * @param startTimeout how long a node may take to accept CQL connections
     * @param extraArgs    more arguments for node i (inter-node addresses, say); may return an empty list
     */
    public record Config(Path meridianHome, Path workDir, int nodes, int basePort, String javaOpts,
                         Duration startTimeout, IntFunction<List<String>> extraArgs) {
        public Config {
            if (nodes < 1 || nodes > 250) {
                throw new IllegalArgumentException("nodes must be in 1..250 (one loopback address each)");
            }
            if (basePort < 1 || basePort + nodes > 65535) {
                throw new IllegalArgumentException("ports out of range");
            }
        }
    }

    private final Config config;
    private final NodeNetwork placement;
    private final NetworkFaults network;
    private final NodeProcess[] processes;

    /** Nodes on loopback. */
    public ProcessClusterLauncher(Config config, NetworkFaults network) {
        this(config, NodeNetwork.LOOPBACK, network);
    }

    public ProcessClusterLauncher(Config config, NodeNetwork placement, NetworkFaults network) {
        this.config = config;
        this.placement = placement;
        this.network = network;
        this.processes = new NodeProcess[config.nodes()];
    }

    public InetSocketAddress address(int node) {
        return new InetSocketAddress(placement.host(node), config.basePort() + node);
    }

    /** The node's inter-node (Raft) port: 1000 above its CQL port. */
    public int raftPort(int node) {
        return config.basePort() + 1000 + node;
    }

    public Path nodeDir(int node) {
        return config.workDir().resolve("node-" + node);
    }

    /** The command that starts node {@code node}. */
    public List<String> commandLine(int node) {
        // Seeds are Raft addresses; node 0, the first, founds the cluster.
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < config.nodes(); i++) {
            seeds.add(address(i).getHostString() + ":" + raftPort(i));
        }
        // The prefix (ip netns exec NS) execs the script, which execs java: the pid we signal is the JVM's.
        List<String> cmd = new ArrayList<>(placement.launchPrefix(node));
        cmd.addAll(List.of(
            config.meridianHome().resolve("bin/meridian").toString(),
            "--listen", address(node).getHostString(),
            "--port", Integer.toString(address(node).getPort()),
            "--data-dir", nodeDir(node).resolve("data").toString()));
        // A single node has nobody to find; leaving the flag out also lets today's server run it.
        if (config.nodes() > 1) {
            cmd.addAll(List.of("--seeds", String.join(",", seeds), "--raft-port", Integer.toString(raftPort(node))));
        }
        cmd.addAll(config.extraArgs().apply(node));
        return cmd;
    }

    @Override
    public int size() {
        return config.nodes();
    }

    @Override
    public synchronized void start(int node) throws IOException, InterruptedException {
        if (processes[node] != null && processes[node].isAlive()) {
            throw new IllegalStateException("node " + node + " is already running");
        }
        Files.createDirectories(nodeDir(node).resolve("data"));
        processes[node] = NodeProcess.start(commandLine(node), config.meridianHome(),
            nodeDir(node).resolve("node.log"), Map.of("MERIDIAN_JAVA_OPTS", config.javaOpts()));
        awaitListening(node);
    }

    private void awaitListening(int node) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(address(node), 500);
                return;
            } catch (IOException e) {
                if (!processes[node].isAlive()) {
                    throw new IOException("node " + node + " exited with " + processes[node].exitValue()
                        + " while starting; see " + nodeDir(node).resolve("node.log"));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("node " + node + " not listening on " + address(node) + " after "
                        + config.startTimeout().toSeconds() + " s; see " + nodeDir(node).resolve("node.log"));
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public synchronized void kill(int node) throws IOException, InterruptedException {
        running(node).kill9(KILL_WAIT);
    }

    @Override
    public synchronized void pause(int node) throws IOException, InterruptedException {
        running(node).pause();
    }

    @Override
    public synchronized void resume(int node) throws IOException, InterruptedException {
        running(node).resume();
    }

    @Override
    public void partition(int node) {
        network.isolate(node);
    }

    @Override
    public void heal() {
        network.healAll();
    }

    @Override
    public boolean supportsPartition() {
        return network != NetworkFaults.UNSUPPORTED;
    }

    @Override
    public boolean supportsProcessFaults() {
        return true;
    }

    /** The process id of a running node (the JVM's: every launcher in between execs). */
    public synchronized long pid(int node) {
        return running(node).pid();
    }

    public synchronized boolean isRunning(int node) {
        return processes[node] != null && processes[node].isAlive();
    }

    @Override
    public List<InetSocketAddress> contactPoints() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < config.nodes(); i++) {
            out.add(address(i));
        }
        return out;
    }

    /** SIGTERM each node (resuming it first if paused), SIGKILL the ones that do not stop. */
    @Override
    public synchronized void close() {
        for (NodeProcess p : processes) {
            if (p == null || !p.isAlive()) {
                continue;
            }
            try {
                p.resume();
                if (!p.terminate(STOP_WAIT)) {
                    p.close();
                }
            } catch (IOException e) {
                p.close();
            } catch (InterruptedException e) {
                p.close();
                Thread.currentThread().interrupt();
            }
        }
    }

    private NodeProcess running(int node) {
        NodeProcess p = processes[node];
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("node " + node + " is not running");
        }
        return p;
    }
}
