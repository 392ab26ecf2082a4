package io.meridian.chaos.fault;

import java.util.List;

/** Where the nodes of a cluster live on the network: the address of each, and how to start a process there. */
public interface NodeNetwork {
    /** The address node {@code node} listens on (CQL and Raft) and clients connect to. */
    String host(int node);

    /** Words put before the node's command, to run it in its place (a network namespace, say); often empty. */
    List<String> launchPrefix(int node);

    /** Every node on the machine's own network, node i on 127.0.0.(i+1): nothing can be cut between them. */
    NodeNetwork LOOPBACK = new NodeNetwork() {
        @Override
        public String host(int node) {
            return "127.0.0." + (node + 1);
        }

        @Override
        public List<String> launchPrefix(int node) {
            return List.of();
        }
    };
}
