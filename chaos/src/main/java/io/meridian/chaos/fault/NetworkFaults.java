package io.meridian.chaos.fault;

/** Partitions between the nodes of a cluster, indexed from 0. */
public interface NetworkFaults {
    /** Cuts every link between {@code node} and the other nodes, both ways. */
    void isolate(int node);

    /** Restores every link. */
    void healAll();

    /** Used when the cluster offers no way to cut links: every call fails, and says why. */
    NetworkFaults UNSUPPORTED = new NetworkFaults() {
        @Override
        public void isolate(int node) {
            throw new UnsupportedOperationException("this cluster has no partitionable links; see docs/reliability.md");
        }

        @Override
        public void healAll() {
            // nothing was cut
        }
    };
}
