package io.meridian.chaos.run;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NemesisTest {

    @Test
    void injectsOneFaultAtATimeAndRecoversEachBeforeTheNext() throws Exception {
        SimulatedSystem cluster = new SimulatedSystem(3, SimulatedSystem.Bug.NONE, 1);
        Nemesis nemesis = new Nemesis(cluster, List.of(FaultKind.KILL, FaultKind.PAUSE, FaultKind.PARTITION),
            Duration.ofMillis(5), Duration.ofMillis(5), 42, System::nanoTime);
        Thread t = new Thread(nemesis);
        t.start();
        Thread.sleep(300);
        nemesis.stop();
        t.join(5000);
        assertFalse(t.isAlive());
        assertFalse(cluster.anyFaulty(), "a fault was left in place");
        assertFalse(nemesis.failed());

        List<FaultEvent> events = nemesis.events();
        assertTrue(events.size() >= 5, "only " + events.size() + " faults");
        assertEquals(3, events.stream().map(FaultEvent::kind).distinct().count());
        // Every injection is followed by its own recovery in the cluster's log.
        List<String> log = cluster.log();
        assertEquals(2 * events.size(), log.size());
        for (int i = 0; i < events.size(); i++) {
            FaultEvent e = events.get(i);
            String recovery = switch (e.kind()) {
                case KILL -> "start " + e.node();
                case PAUSE -> "resume " + e.node();
                case PARTITION -> "heal";
            };
            assertEquals(e.kind().name().toLowerCase() + " " + e.node(), log.get(2 * i));
            assertEquals(recovery, log.get(2 * i + 1));
            assertTrue(e.endNanos() - e.startNanos() >= Duration.ofMillis(5).toNanos());
        }
    }

    @Test
    void aFailedRecoveryStopsTheNemesisAndIsReported() throws Exception {
        SimulatedSystem cluster = new SimulatedSystem(3, SimulatedSystem.Bug.NONE, 1) {
            @Override
            public synchronized void start(int node) {
                throw new IllegalStateException("node " + node + " did not come back");
            }
        };
        Nemesis nemesis = new Nemesis(cluster, List.of(FaultKind.KILL), Duration.ofMillis(1), Duration.ofMillis(1),
            1, System::nanoTime);
        Thread t = new Thread(nemesis);
        t.start();
        t.join(5000);
        assertFalse(t.isAlive(), "the nemesis went on after a failed recovery");
        assertTrue(nemesis.failed());
        assertEquals(1, nemesis.events().size());
        assertTrue(nemesis.events().get(0).error().contains("did not come back"));
    }

    @Test
    void faultsTheClusterCannotTakeAreRefusedUpFront() {
        StaticCluster cluster = new StaticCluster(List.of());
        assertThrows(IllegalArgumentException.class, () -> new Nemesis(cluster, List.of(FaultKind.PARTITION),
            Duration.ZERO, Duration.ZERO, 1, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new Nemesis(cluster, List.of(FaultKind.KILL),
            Duration.ZERO, Duration.ZERO, 1, System::nanoTime));
    }
}
