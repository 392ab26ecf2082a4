package io.meridian.chaos.check;

import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.OpKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.meridian.chaos.history.Outcome.FAIL;
import static io.meridian.chaos.history.Outcome.INFO;
import static io.meridian.chaos.history.Outcome.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LostWriteCheckerTest {
    private final LostWriteChecker checker = new LostWriteChecker();

    @Test
    void allAcknowledgedPresentAndUnknownEitherWayIsValid() {
        LostWriteChecker.Result r = checker.check(History.of(
            Op.insert(0, 0, "s", 1, 0, 1, OK),
            Op.insert(1, 1, "s", 2, 0, 1, OK),
            Op.insert(2, 2, "s", 3, 0, 1, INFO),
            Op.insert(3, 2, "s", 4, 2, 3, INFO),
            Op.insert(4, 2, "s", 5, 4, 5, FAIL),
            Op.readSet(5, 0, "s", List.of(1L, 2L, 3L), 10, 11, OK)));
        assertEquals(Verdict.VALID, r.verdict(), r::summary);
        LostWriteChecker.SetResult s = r.sets().get(0);
        assertEquals(2, s.acknowledged());
        assertEquals(1, s.unknownPresent());
        assertEquals(1, s.unknownAbsent());
    }

    @Test
    void acknowledgedInsertMissingFromTheFinalReadIsLost() {
        LostWriteChecker.Result r = checker.check(History.of(
            Op.insert(0, 0, "s", 1, 0, 1, OK),
            Op.insert(1, 1, "s", 2, 0, 1, OK),
            Op.readSet(2, 0, "s", List.of(2L), 10, 11, OK)));
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(List.of(1L), r.sets().get(0).lost());
        assertTrue(r.summary().contains("lost"), r.summary());
    }

    @Test
    void aReadAtOneThroughOneNodeMissingAnAcknowledgedInsertIsALoss() {
        Op quorumRead = Op.readSet(2, 0, "s", List.of(1L, 2L), 10, 11, OK);
        Op oneViaA = new Op(3, 0, OpKind.READ_SET_ONE, "s", null, null, List.of(1L, 2L), 12, 13, OK,
            "final read at ONE via /127.0.0.1:9042");
        Op oneViaB = new Op(4, 0, OpKind.READ_SET_ONE, "s", null, null, List.of(2L), 14, 15, OK,
            "final read at ONE via /127.0.0.2:9042");
        Op failedViaC = new Op(5, 0, OpKind.READ_SET_ONE, "s", null, null, null, 16, 17, FAIL,
            "final read at ONE via /127.0.0.3:9042");
        Op insert1 = Op.insert(0, 0, "s", 1, 0, 1, OK);
        Op insert2 = Op.insert(1, 1, "s", 2, 0, 1, OK);

        assertEquals(Verdict.VALID, checker.check(History.of(insert1, insert2, quorumRead, oneViaA, failedViaC)).verdict(),
            "every replica read holds both inserts; a failed read judges nothing");
        LostWriteChecker.Result r = checker.check(History.of(insert1, insert2, quorumRead, oneViaA, oneViaB));
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(r.summary().contains("via /127.0.0.2:9042: 1 lost"), r.summary());
        assertEquals(List.of(), r.sets().get(0).lost(), "the quorum read itself lost nothing");
    }

    @Test
    void phantomsFailedInsertsAndDuplicatesAreReported() {
        LostWriteChecker.Result r = checker.check(History.of(
            Op.insert(0, 0, "s", 1, 0, 1, OK),
            Op.insert(1, 0, "s", 2, 2, 3, FAIL),
            Op.readSet(2, 0, "s", List.of(1L, 1L, 2L, 9L), 10, 11, OK)));
        LostWriteChecker.SetResult s = r.sets().get(0);
        assertEquals(Verdict.INVALID, s.verdict());
        assertEquals(List.of(9L), s.unexpected());
        assertEquals(List.of(2L), s.failedButPresent());
        assertEquals(List.of(1L), s.duplicated());
        assertEquals(List.of(), s.lost());
    }

    @Test
    void theLatestSuccessfulFinalReadCountsAndWithoutOneTheSetIsUnknown() {
        LostWriteChecker.Result r = checker.check(History.of(
            Op.insert(0, 0, "s", 1, 0, 1, OK),
            Op.readSet(1, 0, "s", List.of(), 2, 3, OK),
            Op.readSet(2, 0, "s", List.of(), 20, 30, FAIL),
            Op.readSet(3, 0, "s", List.of(1L), 10, 11, OK),
            Op.insert(4, 0, "t", 7, 0, 1, OK)));
        assertEquals(Verdict.VALID, r.sets().get(0).verdict(), r::summary);
        assertEquals(Verdict.UNKNOWN, r.sets().get(1).verdict());
        assertEquals(Verdict.UNKNOWN, r.verdict());
    }

    @Test
    void insertingTheSameValueTwiceIsAWorkloadBug() {
        assertThrows(IllegalArgumentException.class, () -> checker.check(History.of(
            Op.insert(0, 0, "s", 1, 0, 1, OK),
            Op.insert(1, 1, "s", 1, 0, 1, OK))));
    }
}
