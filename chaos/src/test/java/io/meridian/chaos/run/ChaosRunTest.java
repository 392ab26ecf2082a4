package io.meridian.chaos.run;

import io.meridian.chaos.check.Verdict;
import io.meridian.chaos.history.HistoryFile;
import io.meridian.chaos.history.OpKind;
import io.meridian.chaos.history.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole run, workload to verdict, against the in-memory {@link SimulatedSystem}. */
class ChaosRunTest {

    private static ChaosOptions options(Path work, List<FaultKind> nemesis) {
        return new ChaosOptions(Path.of("."), work, 3, 19042, "", List.of(), 4, 2, 2, Duration.ofMillis(700),
            nemesis, Duration.ofMillis(20), Duration.ofMillis(40), Duration.ZERO, 11, false, RegisterReads.SERIAL, Duration.ofSeconds(10),
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(1), null);
    }

    private static RunReport run(SimulatedSystem system, ChaosOptions options, ByteArrayOutputStream text)
        throws Exception {
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        return new ChaosRun(system, system, options, System::nanoTime, out).execute();
    }

    @Test
    void aCorrectSystemUnderEveryFaultIsValidAndTheHistoryIsKept(@TempDir Path dir) throws Exception {
        SimulatedSystem system = new SimulatedSystem(3, SimulatedSystem.Bug.NONE, 3);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        RunReport report = run(system, options(dir, List.of(FaultKind.KILL, FaultKind.PAUSE, FaultKind.PARTITION)),
            text);
        assertEquals(Verdict.VALID, report.verdict(), text::toString);
        assertEquals(RunReport.EXIT_VALID, report.exitCode());
        assertTrue(report.faults().size() >= 5, text::toString);
        // The faults really produced unknown outcomes, and the checkers had enough to chew on.
        assertTrue(report.history().count(Outcome.INFO) > 0, text::toString);
        assertTrue(report.history().ops().size() > 500, text::toString);
        // A cas that did not apply also counts as a read of the value it reported.
        assertTrue(report.history().ops().stream().anyMatch(o -> o.kind() == OpKind.READ
            && o.note().startsWith("current value reported by a cas")), text::toString);
        assertEquals(report.history(), HistoryFile.read(dir.resolve("history.txt")));
        String summary = text.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("linearizability: VALID") && summary.contains("lost writes: VALID"), summary);
        assertTrue(summary.contains("verdict: VALID"), summary);

        // The stored history can be checked again on its own.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        ChaosOptions recheck = ChaosOptions.parse("--check", dir.resolve("history.txt").toString());
        assertEquals(0, ChaosRun.checkStored(recheck, new PrintStream(again, true, StandardCharsets.UTF_8)));
    }

    @Test
    void acknowledgedInsertsLostOnKillAreFoundAndExitNonZero(@TempDir Path dir) throws Exception {
        SimulatedSystem system = new SimulatedSystem(3, SimulatedSystem.Bug.LOSE_LAST_INSERT_ON_KILL, 5);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        RunReport report = run(system, options(dir, List.of(FaultKind.KILL)), text);
        assertEquals(Verdict.INVALID, report.lostWrites().verdict(), text::toString);
        assertEquals(RunReport.EXIT_ANOMALY, report.exitCode());
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("lost (acknowledged, not read)"), text::toString);
    }

    @Test
    void staleReadsDuringAPauseAreFound(@TempDir Path dir) throws Exception {
        SimulatedSystem system = new SimulatedSystem(3, SimulatedSystem.Bug.STALE_READS_WHILE_PAUSED, 7);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        RunReport report = run(system, options(dir, List.of(FaultKind.PAUSE)), text);
        assertEquals(Verdict.INVALID, report.linearizability().verdict(), text::toString);
        assertEquals(RunReport.EXIT_ANOMALY, report.exitCode());
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("cannot be placed"), text::toString);
    }
}
