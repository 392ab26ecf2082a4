package io.meridian.chaos.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Partitions made of {@link TcpProxy} links: node {@code from} reaches node {@code to} only through
 * the proxy registered for that ordered pair. Isolating a node partitions every link it is an end of.
 */
public final class ProxyNetworkFaults implements NetworkFaults, AutoCloseable {
    private record Pair(int from, int to) {
    }

    private final Map<Pair, TcpProxy> links = new LinkedHashMap<>();

    public synchronized void register(int from, int to, TcpProxy proxy) {
        if (from == to) {
            throw new IllegalArgumentException("a node does not link to itself");
        }
        if (links.putIfAbsent(new Pair(from, to), proxy) != null) {
            throw new IllegalArgumentException("link " + from + "->" + to + " already registered");
        }
    }

    public synchronized TcpProxy link(int from, int to) {
        return links.get(new Pair(from, to));
    }

    @Override
    public synchronized void isolate(int node) {
        links.forEach((pair, proxy) -> {
            if (pair.from() == node || pair.to() == node) {
                proxy.partition();
            }
        });
    }

    @Override
    public synchronized void healAll() {
        links.values().forEach(TcpProxy::heal);
    }

    /** Links currently partitioned, as "from->to". */
    public synchronized List<String> partitionedLinks() {
        List<String> out = new ArrayList<>();
        links.forEach((pair, proxy) -> {
            if (proxy.isPartitioned()) {
                out.add(pair.from() + "->" + pair.to());
            }
        });
        return out;
    }

    @Override
    public synchronized void close() {
        links.values().forEach(TcpProxy::close);
    }
}
