package io.meridian.chaos.check;

import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.meridian.chaos.history.Outcome.FAIL;
import static io.meridian.chaos.history.Outcome.INFO;
import static io.meridian.chaos.history.Outcome.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made histories whose verdict can be worked out on paper. Times are in arbitrary ticks. */
class LinearizabilityCheckerTest {
    private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(5), 1_000_000);

    private LinearizabilityResult check(Op... ops) {
        return checker.check(History.of(ops));
    }

    private void assertValid(Op... ops) {
        LinearizabilityResult r = check(ops);
        assertEquals(Verdict.VALID, r.verdict(), r::summary);
    }

    private String assertInvalid(Op... ops) {
        LinearizabilityResult r = check(ops);
        assertEquals(Verdict.INVALID, r.verdict(), r::summary);
        return r.summary();
    }

    @Test
    void emptyHistoryAndReadOfAbsentRegisterAreLinearizable() {
        assertValid();
        assertValid(Op.read(0, 0, "k", null, 0, 1, OK));
    }

    @Test
    void sequentialWritesAndReads() {
        assertValid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.read(1, 1, "k", 1L, 2, 3, OK),
            Op.cas(2, 0, "k", 1L, 2, 4, 5, OK),
            Op.read(3, 1, "k", 2L, 6, 7, OK));
    }

    @Test
    void concurrentReadMaySeeEitherSideOfAnOverlappingWrite() {
        // The write of 2 overlaps both reads, which overlap each other: the later-invoked read may
        // still be ordered first and miss the write that the earlier one saw.
        assertValid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.write(1, 0, "k", 2, 10, 20, OK),
            Op.read(2, 1, "k", 2L, 11, 15, OK),
            Op.read(3, 2, "k", 1L, 13, 19, OK));
    }

    @Test
    void theReadThatSeesTheWriteMayCompleteBeforeTheOneThatDoesNotStart() {
        // Read 3 sees 1 while read 2 already saw 2 and finished before read 3 began: not allowed.
        String why = assertInvalid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.write(1, 0, "k", 2, 10, 20, OK),
            Op.read(2, 1, "k", 2L, 11, 12, OK),
            Op.read(3, 2, "k", 1L, 13, 14, OK));
        assertTrue(why.contains("#3 p2 read=1"), why);
    }

    @Test
    void staleReadAfterAcknowledgedWriteIsNotLinearizable() {
        String why = assertInvalid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.write(1, 0, "k", 2, 2, 3, OK),
            Op.read(2, 1, "k", 1L, 4, 5, OK));
        assertTrue(why.contains("key 'k'") && why.contains("holds 2"), why);
    }

    @Test
    void casSuccessesAndFailuresInterleaved() {
        assertValid(
            Op.write(0, 0, "k", 0, 0, 1, OK),
            // Two concurrent cas from 0: one applies, the other answers not-applied (a fail, no effect).
            Op.cas(1, 1, "k", 0L, 10, 2, 6, OK),
            Op.cas(2, 2, "k", 0L, 20, 3, 5, FAIL),
            Op.cas(3, 2, "k", 10L, 21, 7, 8, OK),
            Op.read(4, 1, "k", 21L, 9, 10, OK),
            Op.cas(5, 0, "k", 10L, 30, 11, 12, FAIL),
            Op.read(6, 0, "k", 21L, 13, 14, OK));
    }

    @Test
    void twoCasFromTheSameExpectedValueCannotBothApply() {
        String why = assertInvalid(
            Op.write(0, 0, "k", 0, 0, 1, OK),
            Op.cas(1, 1, "k", 0L, 10, 2, 6, OK),
            Op.cas(2, 2, "k", 0L, 20, 3, 5, OK));
        assertTrue(why.contains("cas(0->"), why);
    }

    @Test
    void casOnAnAbsentRegister() {
        assertValid(Op.cas(0, 0, "k", null, 1, 0, 1, OK), Op.read(1, 0, "k", 1L, 2, 3, OK));
        assertInvalid(Op.write(0, 0, "k", 5, 0, 1, OK), Op.cas(1, 0, "k", null, 1, 2, 3, OK));
    }

    @Test
    void readOfAValueNeverWrittenIsNotLinearizable() {
        String why = assertInvalid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.read(1, 1, "k", 77L, 2, 3, OK));
        assertTrue(why.contains("read=77"), why);
    }

    @Test
    void unknownWriteThatTookEffectLaterIsLinearizable() {
        // The client gave up at 3, yet the write landed and was read at 10.
        assertValid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.write(1, 1, "k", 2, 2, 3, INFO),
            Op.read(2, 0, "k", 1L, 4, 5, OK),
            Op.read(3, 0, "k", 2L, 10, 11, OK));
    }

    @Test
    void unknownWriteThatNeverTookEffectIsLinearizable() {
        assertValid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.write(1, 1, "k", 2, 2, 3, INFO),
            Op.read(2, 0, "k", 1L, 10, 11, OK));
    }

    @Test
    void unknownCasThatTookEffectMustHaveFoundItsExpectedValue() {
        assertValid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.cas(1, 1, "k", 1L, 2, 2, 3, INFO),
            Op.read(2, 0, "k", 2L, 10, 11, OK));
        // The cas expected 5, which the register never held: its value 2 cannot appear.
        assertInvalid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.cas(1, 1, "k", 5L, 2, 2, 3, INFO),
            Op.read(2, 0, "k", 2L, 10, 11, OK));
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItWasInvoked() {
        assertInvalid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.read(1, 0, "k", 2L, 2, 3, OK),
            Op.write(2, 1, "k", 2, 4, 5, INFO));
    }

    @Test
    void unknownWriteOnceOverwrittenCannotReappear() {
        assertInvalid(
            Op.write(0, 1, "k", 2, 0, 1, INFO),
            Op.read(1, 0, "k", 2L, 2, 3, OK),
            Op.write(2, 0, "k", 3, 4, 5, OK),
            Op.read(3, 0, "k", 2L, 6, 7, OK));
    }

    @Test
    void failedWritesAndUnknownReadsConstrainNothing() {
        assertValid(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.write(1, 1, "k", 2, 2, 3, FAIL),
            Op.read(2, 2, "k", 99L, 2, 3, INFO),
            Op.read(3, 0, "k", 1L, 4, 5, OK));
    }

    @Test
    void keysAreIndependentRegistersAndTheBadOneIsNamed() {
        LinearizabilityResult r = check(
            Op.write(0, 0, "a", 1, 0, 1, OK),
            Op.write(1, 0, "b", 1, 0, 1, OK),
            Op.read(2, 1, "a", 1L, 2, 3, OK),
            Op.read(3, 1, "b", null, 2, 3, OK));
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Verdict.VALID, r.keys().get(0).verdict());
        assertEquals(Verdict.INVALID, r.keys().get(1).verdict());
        assertTrue(r.keys().get(1).explanation().contains("key 'b'"));
        // A read of a missing register sees "absent" on a key that was never written.
        assertValid(Op.write(0, 0, "a", 1, 0, 1, OK), Op.read(1, 0, "b", null, 2, 3, OK));
    }

    @Test
    void exhaustedBudgetIsReportedUnknownNotValid() {
        LinearizabilityChecker tiny = new LinearizabilityChecker(Duration.ofSeconds(5), 2);
        LinearizabilityResult r = tiny.check(History.of(
            Op.write(0, 0, "k", 1, 0, 1, OK),
            Op.write(1, 0, "k", 2, 2, 3, OK),
            Op.read(2, 1, "k", 2L, 4, 5, OK),
            Op.read(3, 1, "k", 2L, 6, 7, OK)));
        assertEquals(Verdict.UNKNOWN, r.verdict(), r::summary);
        assertTrue(r.summary().contains("configurations"), r.summary());
    }

    @Test
    void touchingIntervalsCountAsConcurrent() {
        // The read is invoked at the very tick the write completes; either order is accepted.
        assertValid(Op.write(0, 0, "k", 1, 0, 5, OK), Op.read(1, 1, "k", null, 5, 6, OK));
    }

    @Test
    void outcomeSemanticsMatchTheEnum() {
        assertEquals(3, Outcome.values().length);
    }
}
