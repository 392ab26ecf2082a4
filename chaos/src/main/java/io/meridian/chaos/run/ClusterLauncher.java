package io.meridian.chaos.run;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a chaos run plugs into a cluster: start the nodes, break them in the ways the nemesis
 * needs, and say where clients connect. Nodes are numbered from 0.
 */
public interface ClusterLauncher extends AutoCloseable {

    int size();

    /** Starts node {@code node} (again, after a kill, on the same data) and waits until it listens. */
    void start(int node) throws Exception;

    /** kill -9: no shutdown, no flush. */
    void kill(int node) throws Exception;

    /** SIGSTOP: the node freezes with its connections open. */
    void pause(int node) throws Exception;

    /** SIGCONT. */
    void resume(int node) throws Exception;

    /** Cuts node {@code node} off from the other nodes (clients may still reach it). */
    void partition(int node) throws Exception;

    /** Restores every cut link. */
    void heal() throws Exception;

    /** Whether {@link #partition} can work here. */
    boolean supportsPartition();

    /** Whether the processes are ours to kill and pause. */
    boolean supportsProcessFaults();

    /** Where drivers connect. */
    List<InetSocketAddress> contactPoints();

    /** Stops every node this launcher started. */
    @Override
    void close();
}
