package io.meridian.chaos.fault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Nodes in network namespaces, so that the links between them can be cut. Node i runs in namespace
 * {@code <prefix>-i} with address 10.213.S.(i+1)/24 on one end of a veth pair; the other end is a port
 * of a bridge in the root namespace, which holds 10.213.S.254 so that clients in the root namespace
 * reach every node. (On loopback every connection comes from 127.0.0.1 whatever the node, so per-node
 * filtering cannot work there; inside a namespace a node's packets carry its own address.)
 *
 * <p>A partition is a set of tc filters: the root-namespace end of node i's veth carries everything
 * that goes <em>to</em> node i, and a u32 filter on its source address sends packets from a node on
 * the other side to a class whose queue holds nothing ({@code bfifo limit 0}), so they are dropped,
 * silently, as on a broken network: TCP retransmits and times out, nothing is reset. Only
 * node-to-node traffic is cut; the bridge's address, used by clients, is never filtered (as in
 * Jepsen: clients can still reach a partitioned node). Healing deletes the filters.
 *
 * <p>Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN for {@code ip netns}) and iproute2's {@code ip} and
 * {@code tc}; {@link #setUp} says so clearly when they are missing. Names are fixed by the prefix, so
 * one run per prefix per machine; set-up first removes what a crashed run left behind.
 */
public final class NamespaceNetwork implements NodeNetwork, NetworkFaults, AutoCloseable {
    /** Default names and subnet of a chaos run. */
    public static final String DEFAULT_PREFIX = "meridian-chaos";
    public static final int DEFAULT_SUBNET = 0;

    private static final String FILTER_PRIO = "1";
    private static final String DROP_CLASS = "1:2";

    private final int nodes;
    private final String prefix;
    private final String shortPrefix;
    private final int subnet;
    private final Shell shell;
    /** Nodes whose inbound link has drop filters now. */
    private final Set<Integer> filtered = new TreeSet<>();
    private boolean up;

    /**
     * @param nodes       how many nodes (1..250)
     * @param prefix      namespace names are {@code prefix-i}
     * @param shortPrefix interface names ({@code shortPrefix-br}, {@code shortPrefix-hI}, {@code shortPrefix-nI}),
     *                    at most 6 characters so that they stay within Linux's 15
     * @param subnet      the third byte of 10.213.S.0/24
     */
    public NamespaceNetwork(int nodes, String prefix, String shortPrefix, int subnet, Shell shell) {
        if (nodes < 1 || nodes > 250) {
            throw new IllegalArgumentException("nodes must be in 1..250");
        }
        if (shortPrefix.isEmpty() || shortPrefix.length() > 6) {
            throw new IllegalArgumentException("interface prefix must have 1 to 6 characters: " + shortPrefix);
        }
        if (subnet < 0 || subnet > 255) {
            throw new IllegalArgumentException("subnet byte out of range: " + subnet);
        }
        this.nodes = nodes;
        this.prefix = prefix;
        this.shortPrefix = shortPrefix;
        this.subnet = subnet;
        this.shell = shell;
    }

    public static NamespaceNetwork standard(int nodes) {
        return new NamespaceNetwork(nodes, DEFAULT_PREFIX, "mchaos", DEFAULT_SUBNET, Shell.PROCESSES);
    }

    public String namespace(int node) {
        return prefix + "-" + node;
    }

    public String bridge() {
        return shortPrefix + "-br";
    }

    /** The root-namespace end of node i's veth: what goes out of it goes to node i. */
    public String hostLink(int node) {
        return shortPrefix + "-h" + node;
    }

    /** The node's end, inside its namespace. */
    public String nodeLink(int node) {
        return shortPrefix + "-n" + node;
    }

    @Override
    public String host(int node) {
        check(node);
        return "10.213." + subnet + "." + (node + 1);
    }

    /** The address of the root namespace on the bridge, the one clients connect from. */
    public String clientAddress() {
        return "10.213." + subnet + ".254";
    }

    @Override
    public List<String> launchPrefix(int node) {
        check(node);
        return List.of("ip", "netns", "exec", namespace(node));
    }

    /** The commands that build the namespaces, links and bridge, in order. */
    public List<List<String>> setUpCommands() {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("ip", "link", "add", bridge(), "type", "bridge"));
        out.add(List.of("ip", "addr", "add", clientAddress() + "/24", "dev", bridge()));
        out.add(List.of("ip", "link", "set", bridge(), "up"));
        for (int i = 0; i < nodes; i++) {
            String ns = namespace(i);
            out.add(List.of("ip", "netns", "add", ns));
            out.add(List.of("ip", "link", "add", hostLink(i), "type", "veth", "peer", "name", nodeLink(i)));
            out.add(List.of("ip", "link", "set", nodeLink(i), "netns", ns));
            out.add(List.of("ip", "link", "set", hostLink(i), "master", bridge()));
            out.add(List.of("ip", "link", "set", hostLink(i), "up"));
            out.add(List.of("ip", "-n", ns, "addr", "add", host(i) + "/24", "dev", nodeLink(i)));
            out.add(List.of("ip", "-n", ns, "link", "set", nodeLink(i), "up"));
            // A node talks to itself over its own address, which goes through the namespace's loopback.
            out.add(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            // Unclassified packets pass untouched (htb's default 0); class 1:2 drops all it gets.
            out.add(List.of("tc", "qdisc", "add", "dev", hostLink(i), "root", "handle", "1:", "htb"));
            out.add(List.of("tc", "class", "add", "dev", hostLink(i), "parent", "1:", "classid", DROP_CLASS,
                "htb", "rate", "1mbit"));
            out.add(List.of("tc", "qdisc", "add", "dev", hostLink(i), "parent", DROP_CLASS, "handle", "2:",
                "bfifo", "limit", "0"));
        }
        return out;
    }

    /** The commands that remove everything {@link #setUpCommands} made; each may fail if already gone. */
    public List<List<String>> tearDownCommands() {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            // Deleting the namespace deletes the node's end of the veth, and with it the pair.
            out.add(List.of("ip", "netns", "delete", namespace(i)));
            out.add(List.of("ip", "link", "delete", hostLink(i)));
        }
        out.add(List.of("ip", "link", "delete", bridge()));
        return out;
    }

    /** The commands that cut every link between {@code side} and the other nodes, both ways. */
    public List<List<String>> splitCommands(Set<Integer> side) {
        List<List<String>> out = new ArrayList<>();
        for (int a : new TreeSet<>(side)) {
            check(a);
            for (int b = 0; b < nodes; b++) {
                if (!side.contains(b)) {
                    out.add(dropFrom(b, a));
                    out.add(dropFrom(a, b));
                }
            }
        }
        return out;
    }

    /** Drops what {@code from} sends to {@code to}. */
    private List<String> dropFrom(int from, int to) {
        return List.of("tc", "filter", "add", "dev", hostLink(to), "parent", "1:", "protocol", "ip", "prio",
            FILTER_PRIO, "u32", "match", "ip", "src", host(from) + "/32", "flowid", DROP_CLASS);
    }

    private List<String> clearFilters(int node) {
        return List.of("tc", "filter", "delete", "dev", hostLink(node), "parent", "1:", "prio", FILTER_PRIO);
    }

    /**
     * Builds the network, after removing what a crashed run may have left under the same names.
     *
     * @throws NetworkSetupException when not permitted or a tool is missing; nothing is left behind then
     */
    public synchronized void setUp() throws NetworkSetupException, InterruptedException {
        tearDownQuietly();
        for (List<String> command : setUpCommands()) {
            try {
                shell.run(command);
            } catch (IOException e) {
                tearDownQuietly();
                throw new NetworkSetupException("network partitions run each node in its own network namespace, "
                    + "which needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2 (ip, tc) with veth, bridge, "
                    + "htb, bfifo and u32 support; " + e.getMessage(), e);
            }
        }
        up = true;
    }

    @Override
    public void isolate(int node) {
        split(Set.of(node));
    }

    /** Cuts every link between the nodes in {@code side} and the rest, both ways; clients still reach all. */
    public synchronized void split(Set<Integer> side) {
        if (!up) {
            throw new IllegalStateException("network not set up");
        }
        for (List<String> command : splitCommands(side)) {
            try {
                shell.run(command);
            } catch (IOException e) {
                throw new IllegalStateException("cannot cut a link: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while cutting links", e);
            }
            filtered.add(nodeOfDevice(command.get(4)));
        }
    }

    @Override
    public synchronized void healAll() {
        for (int node : List.copyOf(filtered)) {
            try {
                shell.run(clearFilters(node));
            } catch (IOException e) {
                throw new IllegalStateException("cannot heal the links to node " + node + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while healing", e);
            }
            filtered.remove(node);
        }
    }

    /** Nodes that have drop filters on their inbound link now. */
    public synchronized Set<Integer> cutNodes() {
        return Set.copyOf(filtered);
    }

    /** Removes the namespaces, links and bridge (nodes still running inside should be stopped first). */
    @Override
    public synchronized void close() {
        tearDownQuietly();
        up = false;
        filtered.clear();
    }

    private void tearDownQuietly() {
        // Clean up even when the run is being interrupted: namespaces outlive the JVM.
        boolean interrupted = Thread.interrupted();
        for (List<String> command : tearDownCommands()) {
            try {
                shell.run(command);
            } catch (IOException e) {
                // Already gone, or never made.
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private int nodeOfDevice(String device) {
        return Integer.parseInt(device.substring(hostLink(0).length() - 1));
    }

    private void check(int node) {
        if (node < 0 || node >= nodes) {
            throw new IllegalArgumentException("no node " + node + " in a network of " + nodes);
        }
    }

    /** The network could not be built: usually not root, or a tool or kernel feature missing. */
    public static final class NetworkSetupException extends Exception {
        public NetworkSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
