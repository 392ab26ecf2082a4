package io.meridian.chaos.check;

import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.OpKind;
import io.meridian.chaos.history.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Histories from a simulated linearizable register must pass; the same histories with one anomaly
 * injected must fail. Seeds are fixed so a failure can be replayed from the message.
 */
class RandomizedLinearizabilityTest {
    private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(10), 2_000_000);

    @Test
    void simulatedLinearizableHistoriesPass() {
        for (long s = 1; s <= 200; s++) {
            long seed = s;
            int processes = 2 + (int) (seed % 8);
            List<Op> ops = SimulatedRegister.generate(seed, "k", processes, 30, 0.05);
            LinearizabilityResult r = checker.check(new History(ops));
            assertEquals(Verdict.VALID, r.verdict(), () -> "seed " + seed + ": " + r.summary());
        }
    }

    @Test
    void severalThousandOpsWithTenProcessesCheckInSeconds() {
        List<Op> ops = new ArrayList<>();
        ops.addAll(SimulatedRegister.generate(42, "a", 10, 400, 0.02));
        ops.addAll(SimulatedRegister.generate(43, "b", 5, 600, 0.02).stream()
            .map(o -> o.withId(o.id() + 100_000)).toList());
        long start = System.nanoTime();
        LinearizabilityResult r = checker.check(new History(ops));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.VALID, r.verdict(), r::summary);
        assertEquals(2, r.keys().size());
        assertTrue(millis < 5_000, "took " + millis + " ms");
    }

    @Test
    void staleReadInALongHistoryWithManyUnknownOpsIsCaughtInSeconds() {
        List<Op> ops = new ArrayList<>(SimulatedRegister.generate(7, "k", 8, 400, 0.10));
        long start = System.nanoTime();
        LinearizabilityResult valid = checker.check(new History(ops));
        assertEquals(Verdict.VALID, valid.verdict(), valid::summary);
        assertTrue(injectStaleRead(ops));
        LinearizabilityResult invalid = checker.check(new History(ops));
        assertEquals(Verdict.INVALID, invalid.verdict(), invalid::summary);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5_000, "took " + millis + " ms");
        assertTrue(invalid.summary().contains("cannot be placed"), invalid.summary());
    }

    @Test
    void readOfANeverWrittenValueIsCaught() {
        for (long seed = 1; seed <= 60; seed++) {
            List<Op> ops = new ArrayList<>(SimulatedRegister.generate(seed, "k", 5, 30, 0.05));
            SplittableRandom random = new SplittableRandom(seed);
            int i = pick(ops, random, o -> o.kind() == OpKind.READ && o.outcome() == Outcome.OK);
            Op read = ops.get(i);
            ops.set(i, Op.read(read.id(), read.process(), "k", 1_000_000L, read.invokeNanos(), read.completeNanos(),
                Outcome.OK));
            assertInvalid(seed, ops);
        }
    }

    @Test
    void staleReadIsCaught() {
        int injected = 0;
        for (long seed = 1; seed <= 100; seed++) {
            List<Op> ops = new ArrayList<>(SimulatedRegister.generate(seed, "k", 4, 40, 0.05));
            if (injectStaleRead(ops)) {
                injected++;
                assertInvalid(seed, ops);
            }
        }
        assertTrue(injected > 50, "stale reads injected in only " + injected + " histories");
    }

    @Test
    void twoOverlappingCasFromTheSameValueBothAppliedIsCaught() {
        for (long seed = 1; seed <= 60; seed++) {
            List<Op> ops = new ArrayList<>(SimulatedRegister.generate(seed, "k", 4, 40, 0.05));
            long end = ops.stream().mapToLong(Op::completeNanos).max().orElseThrow();
            // After the random history: a fresh value, then two concurrent cas from it that both claim success.
            ops.add(Op.write(900_000, 0, "k", 5_000_000, end + 1, end + 2, Outcome.OK));
            ops.add(Op.cas(900_001, 0, "k", 5_000_000L, 5_000_001, end + 3, end + 9, Outcome.OK));
            ops.add(Op.cas(900_002, 1, "k", 5_000_000L, 5_000_002, end + 4, end + 8, Outcome.OK));
            assertInvalid(seed, ops);
        }
    }

    /** Replaces an ok read with the value of a write that was overwritten before the read began. */
    private static boolean injectStaleRead(List<Op> ops) {
        List<Op> writes = ops.stream()
            .filter(o -> o.outcome() == Outcome.OK && (o.kind() == OpKind.WRITE || o.kind() == OpKind.CAS))
            .toList();
        for (int r = ops.size() - 1; r >= 0; r--) {
            Op read = ops.get(r);
            if (read.kind() != OpKind.READ || read.outcome() != Outcome.OK) {
                continue;
            }
            for (Op newer : writes) {
                if (newer.completeNanos() >= read.invokeNanos()) {
                    continue;
                }
                for (Op older : writes) {
                    if (older.completeNanos() < newer.invokeNanos() && !older.value().equals(read.value())) {
                        ops.set(r, Op.read(read.id(), read.process(), "k", older.value(), read.invokeNanos(),
                            read.completeNanos(), Outcome.OK));
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void assertInvalid(long seed, List<Op> ops) {
        LinearizabilityResult r = checker.check(new History(ops));
        if (r.verdict() != Verdict.INVALID) {
            fail("seed " + seed + ": anomaly not caught, verdict " + r.verdict() + " " + r.summary());
        }
    }

    private static int pick(List<Op> ops, SplittableRandom random, java.util.function.Predicate<Op> p) {
        int i = pickOrNegative(ops, random, p);
        if (i < 0) {
            throw new AssertionError("no op to corrupt");
        }
        return i;
    }

    private static int pickOrNegative(List<Op> ops, SplittableRandom random, java.util.function.Predicate<Op> p) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (p.test(ops.get(i))) {
                candidates.add(i);
            }
        }
        return candidates.isEmpty() ? -1 : candidates.get(random.nextInt(candidates.size()));
    }
}
