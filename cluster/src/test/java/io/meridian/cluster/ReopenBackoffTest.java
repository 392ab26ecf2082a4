package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;

class ReopenBackoffTest {
  private final RaftGroupId a = RaftGroupId.randomId();
  private final RaftGroupId b = RaftGroupId.randomId();

  @Test
  void theFirstReopeningIsAtOnceAndLaterOnesWaitTwiceAsLongEachTimeUpToTheMaximum() {
    ReopenBackoff backoff = new ReopenBackoff();
    long now = 1_000_000;
    assertEquals(0, backoff.waitMillis(a, now));
    assertEquals(1, backoff.reopened(a, now));
    // Shut down again at once: the next opening waits the first wait, counted from the last one.
    assertEquals(2_000, backoff.waitMillis(a, now));
    assertEquals(500, backoff.waitMillis(a, now + 1_500));
    assertEquals(0, backoff.waitMillis(a, now + 2_000));
    now += 2_000;
    assertEquals(2, backoff.reopened(a, now));
    assertEquals(4_000, backoff.waitMillis(a, now));
    long expected = 4_000;
    for (int times = 3; times <= 10; times++) {
      now += expected;
      assertEquals(0, backoff.waitMillis(a, now));
      assertEquals(times, backoff.reopened(a, now));
      expected = Math.min(2 * expected, ReopenBackoff.MAX_WAIT_MILLIS);
      assertEquals(expected, backoff.waitMillis(a, now), "wait after reopening " + times);
    }
    assertEquals(ReopenBackoff.MAX_WAIT_MILLIS, expected);
  }

  @Test
  void groupsAreCountedApartAndADivisionThatStayedUpStartsAfresh() {
    ReopenBackoff backoff = new ReopenBackoff();
    long now = 5_000;
    backoff.reopened(a, now);
    backoff.reopened(a, now + 2_000);
    assertEquals(0, backoff.waitMillis(b, now + 2_000), "another group is not held back");
    assertEquals(1, backoff.reopened(b, now + 2_000));
    long later = now + 2_000 + ReopenBackoff.FORGET_AFTER_MILLIS;
    assertEquals(0, backoff.waitMillis(a, later));
    assertEquals(1, backoff.reopened(a, later), "counted from one again");
    assertEquals(ReopenBackoff.FIRST_WAIT_MILLIS, backoff.waitMillis(a, later));
    backoff.forget(a);
    assertEquals(0, backoff.waitMillis(a, later), "a group placed here again starts afresh");
  }

  @Test
  void waitsDoNotOverflowHoweverOftenADivisionIsReopened() {
    assertEquals(ReopenBackoff.FIRST_WAIT_MILLIS, ReopenBackoff.waitAfter(1));
    assertEquals(ReopenBackoff.MAX_WAIT_MILLIS, ReopenBackoff.waitAfter(40));
    assertEquals(ReopenBackoff.MAX_WAIT_MILLIS, ReopenBackoff.waitAfter(Integer.MAX_VALUE));
  }
}
