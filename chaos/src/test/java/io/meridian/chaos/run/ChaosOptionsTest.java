package io.meridian.chaos.run;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChaosOptionsTest {

    @Test
    void defaults() {
        ChaosOptions o = ChaosOptions.parse();
        assertEquals(3, o.nodes());
        assertEquals(6, o.clients());
        assertEquals(List.of(FaultKind.KILL, FaultKind.PAUSE), o.nemesis());
        assertEquals(Duration.ofSeconds(60), o.duration());
        assertFalse(o.plainWrites());
        assertEquals(RegisterReads.SERIAL, o.registerReads());
        assertEquals(Duration.ofMillis(100), o.errorBackoff());
        assertEquals(List.of("r0", "r1", "r2"), o.workload().registers());
        assertEquals(List.of("s0", "s1"), o.workload().sets());
    }

    @Test
    void everyOption() {
        ChaosOptions o = ChaosOptions.parse("--meridian-home", "/opt/m", "--work-dir", "/tmp/w", "--nodes", "5",
            "--base-port", "20000", "--clients", "10", "--registers", "2", "--sets", "0", "--duration-s", "30",
            "--nemesis", "kill,partition", "--quiet-s", "1", "--hold-s", "2", "--settle-s", "0", "--seed", "7",
            "--plain-writes", "--register-reads", "mixed", "--check-budget-s", "9", "--request-timeout-s", "3", "--start-timeout-s", "20", "--error-backoff-ms", "0");
        assertEquals(Path.of("/opt/m"), o.meridianHome());
        assertEquals(Path.of("/tmp/w"), o.workDir());
        assertEquals(5, o.nodes());
        assertEquals(20000, o.basePort());
        assertEquals(List.of(FaultKind.KILL, FaultKind.PARTITION), o.nemesis());
        assertEquals(Duration.ofSeconds(2), o.hold());
        assertEquals(Duration.ZERO, o.errorBackoff());
        assertEquals(7, o.seed());
        assertTrue(o.plainWrites());
        assertEquals(RegisterReads.MIXED, o.registerReads());
        assertEquals(0, o.workload().insertWeight());
        assertEquals(List.of(), o.workload().sets());
    }

    @Test
    void mixedRegisterReadsAlternateBetweenSerialAndQuorum() {
        assertEquals(List.of(com.datastax.oss.driver.api.core.ConsistencyLevel.SERIAL,
                com.datastax.oss.driver.api.core.ConsistencyLevel.QUORUM,
                com.datastax.oss.driver.api.core.ConsistencyLevel.SERIAL),
            List.of(RegisterReads.MIXED.levelOf(0), RegisterReads.MIXED.levelOf(1), RegisterReads.MIXED.levelOf(2)));
        assertEquals(com.datastax.oss.driver.api.core.ConsistencyLevel.QUORUM, RegisterReads.QUORUM.levelOf(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ChaosOptions.parse("--register-reads", "one"));
        assertTrue(e.getMessage().contains("serial, quorum or mixed"));
    }

    @Test
    void aClusterStartedElsewhereCannotBeFaulted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ChaosOptions.parse("--contact-points", "127.0.0.1:9042"));
        assertTrue(e.getMessage().contains("--nemesis none"));
        ChaosOptions o = ChaosOptions.parse("--contact-points", "127.0.0.1:9042,127.0.0.2:9043", "--nemesis", "none");
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 9042), new InetSocketAddress("127.0.0.2", 9043)),
            o.contactPoints());
    }

    @Test
    void badUsageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--nodes"));
        assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--nodes", "0"));
        assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--nemesis", "flood"));
        assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--registers", "0", "--sets", "0"));
    }
}
