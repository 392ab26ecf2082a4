package io.meridian.chaos.fault;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProxyNetworkFaultsTest {

    @Test
    void isolatingANodeCutsEveryLinkItIsAnEndOfAndHealRestoresAll() throws IOException {
        try (ProxyNetworkFaults faults = new ProxyNetworkFaults()) {
            InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", 1);
            for (int from = 0; from < 3; from++) {
                for (int to = 0; to < 3; to++) {
                    if (from != to) {
                        TcpProxy p = new TcpProxy(new InetSocketAddress("127.0.0.1", 0), nowhere);
                        p.start();
                        faults.register(from, to, p);
                    }
                }
            }
            faults.isolate(1);
            assertEquals(List.of("0->1", "1->0", "1->2", "2->1"), faults.partitionedLinks());
            faults.healAll();
            assertEquals(List.of(), faults.partitionedLinks());
            assertThrows(IllegalArgumentException.class, () -> faults.register(0, 1, faults.link(0, 1)));
        }
    }

    @Test
    void withoutLinksPartitionsAreRefusedLoudly() {
        assertThrows(UnsupportedOperationException.class, () -> NetworkFaults.UNSUPPORTED.isolate(0));
    }
}
