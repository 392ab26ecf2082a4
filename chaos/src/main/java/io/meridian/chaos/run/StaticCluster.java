package io.meridian.chaos.run;

import java.net.InetSocketAddress;
import java.util.List;

/** A cluster started by someone else: clients can connect, but no fault can be injected. */
public final class StaticCluster implements ClusterLauncher {
    private final List<InetSocketAddress> contactPoints;

    public StaticCluster(List<InetSocketAddress> contactPoints) {
        this.contactPoints = List.copyOf(contactPoints);
    }

    @Override
    public int size() {
        return contactPoints.size();
    }

    @Override
    public void start(int node) {
        // already running
    }

    @Override
    public void kill(int node) {
        throw unsupported();
    }

    @Override
    public void pause(int node) {
        throw unsupported();
    }

    @Override
    public void resume(int node) {
        throw unsupported();
    }

    @Override
    public void partition(int node) {
        throw unsupported();
    }

    @Override
    public void heal() {
        // nothing was cut
    }

    @Override
    public boolean supportsPartition() {
        return false;
    }

    @Override
    public boolean supportsProcessFaults() {
        return false;
    }

    @Override
    public List<InetSocketAddress> contactPoints() {
        return contactPoints;
    }

    @Override
    public void close() {
        // not ours to stop
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("a cluster given by --contact-points cannot be faulted");
    }
}
