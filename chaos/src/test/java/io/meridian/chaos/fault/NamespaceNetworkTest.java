package io.meridian.chaos.fault;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands a NamespaceNetwork runs, recorded instead of run (no root needed). */
class NamespaceNetworkTest {

    /** Records every command; fails the ones that start with {@code failing}, if set. */
    private static final class RecordingShell implements Shell {
        final List<String> commands = new ArrayList<>();
        String failing;

        @Override
        public String run(List<String> command) throws IOException {
            String line = String.join(" ", command);
            commands.add(line);
            if (failing != null && line.startsWith(failing)) {
                throw new CommandFailedException(command, 2, "Operation not permitted");
            }
            return "";
        }
    }

    private static NamespaceNetwork network(int nodes, RecordingShell shell) {
        return new NamespaceNetwork(nodes, "mc", "mct", 7, shell);
    }

    @Test
    void nodesGetAddressesOnTheSubnetAndRunInTheirNamespace() {
        NamespaceNetwork n = network(3, new RecordingShell());
        assertEquals("10.213.7.1", n.host(0));
        assertEquals("10.213.7.3", n.host(2));
        assertEquals("10.213.7.254", n.clientAddress());
        assertEquals(List.of("ip", "netns", "exec", "mc-1"), n.launchPrefix(1));
        assertThrows(IllegalArgumentException.class, () -> n.host(3));
        assertThrows(IllegalArgumentException.class, () -> new NamespaceNetwork(3, "mc", "toolong", 0, new RecordingShell()));
        assertThrows(IllegalArgumentException.class, () -> new NamespaceNetwork(251, "mc", "m", 0, new RecordingShell()));
    }

    @Test
    void setUpRemovesLeftoversThenBuildsBridgeNamespacesVethsAndDropClass() throws Exception {
        RecordingShell shell = new RecordingShell();
        NamespaceNetwork n = network(2, shell);
        n.setUp();
        assertEquals(List.of(
            // leftovers of a crashed run, errors ignored
            "ip netns delete mc-0", "ip link delete mct-h0", "ip netns delete mc-1", "ip link delete mct-h1",
            "ip link delete mct-br",
            "ip link add mct-br type bridge",
            "ip addr add 10.213.7.254/24 dev mct-br",
            "ip link set mct-br up",
            "ip netns add mc-0",
            "ip link add mct-h0 type veth peer name mct-n0",
            "ip link set mct-n0 netns mc-0",
            "ip link set mct-h0 master mct-br",
            "ip link set mct-h0 up",
            "ip -n mc-0 addr add 10.213.7.1/24 dev mct-n0",
            "ip -n mc-0 link set mct-n0 up",
            "ip -n mc-0 link set lo up",
            "tc qdisc add dev mct-h0 root handle 1: htb",
            "tc class add dev mct-h0 parent 1: classid 1:2 htb rate 1mbit",
            "tc qdisc add dev mct-h0 parent 1:2 handle 2: bfifo limit 0"),
            shell.commands.subList(0, 19));
        assertEquals("tc qdisc add dev mct-h1 parent 1:2 handle 2: bfifo limit 0", shell.commands.get(shell.commands.size() - 1));
        assertEquals(5 + 3 + 2 * 11, shell.commands.size());
    }

    @Test
    void isolatingANodeDropsWhatItSendsAndWhatItIsSentButNotClientTraffic() throws Exception {
        RecordingShell shell = new RecordingShell();
        NamespaceNetwork n = network(3, shell);
        n.setUp();
        shell.commands.clear();
        n.isolate(1);
        String filter = "tc filter add dev %s parent 1: protocol ip prio 1 u32 match ip src %s/32 flowid 1:2";
        assertEquals(List.of(
            String.format(filter, "mct-h1", "10.213.7.1"), String.format(filter, "mct-h0", "10.213.7.2"),
            String.format(filter, "mct-h1", "10.213.7.3"), String.format(filter, "mct-h2", "10.213.7.2")),
            shell.commands);
        assertTrue(shell.commands.stream().noneMatch(c -> c.contains("10.213.7.254")), "clients are never cut");
        assertEquals(Set.of(0, 1, 2), n.cutNodes());

        shell.commands.clear();
        n.healAll();
        assertEquals(List.of("tc filter delete dev mct-h0 parent 1: prio 1", "tc filter delete dev mct-h1 parent 1: prio 1",
            "tc filter delete dev mct-h2 parent 1: prio 1"), shell.commands);
        assertEquals(Set.of(), n.cutNodes());
        shell.commands.clear();
        n.healAll();
        assertEquals(List.of(), shell.commands, "nothing to heal");
    }

    @Test
    void splitCutsOnlyLinksAcrossTheTwoSides() {
        NamespaceNetwork n = network(4, new RecordingShell());
        List<String> cut = n.splitCommands(Set.of(0, 1)).stream()
            .map(c -> c.get(4) + "<-" + c.get(15)).toList();
        // 0 and 1 keep talking, so do 2 and 3; every link across is cut both ways.
        assertEquals(List.of(
            "mct-h0<-10.213.7.3/32", "mct-h2<-10.213.7.1/32", "mct-h0<-10.213.7.4/32", "mct-h3<-10.213.7.1/32",
            "mct-h1<-10.213.7.3/32", "mct-h2<-10.213.7.2/32", "mct-h1<-10.213.7.4/32", "mct-h3<-10.213.7.2/32"), cut);
    }

    @Test
    void aSetUpThatIsNotPermittedSaysWhyAndLeavesNothingBehind() {
        RecordingShell shell = new RecordingShell();
        shell.failing = "ip netns add";
        NamespaceNetwork n = network(2, shell);
        NamespaceNetwork.NetworkSetupException e = assertThrows(NamespaceNetwork.NetworkSetupException.class, n::setUp);
        assertTrue(e.getMessage().contains("needs root"), e.getMessage());
        assertTrue(e.getMessage().contains("`ip netns add mc-0` failed (exit 2): Operation not permitted"), e.getMessage());
        // torn down again after the failure
        assertEquals(List.of("ip netns delete mc-0", "ip link delete mct-h0", "ip netns delete mc-1",
            "ip link delete mct-h1", "ip link delete mct-br"), shell.commands.subList(shell.commands.size() - 5,
            shell.commands.size()));
        assertThrows(IllegalStateException.class, () -> n.isolate(0), "no partitions without a network");
    }

    @Test
    void closeTearsDownEvenWhenInterrupted() {
        RecordingShell shell = new RecordingShell();
        NamespaceNetwork n = network(1, shell);
        Thread.currentThread().interrupt();
        try {
            n.close();
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of("ip netns delete mc-0", "ip link delete mct-h0", "ip link delete mct-br"), shell.commands);
    }
}
