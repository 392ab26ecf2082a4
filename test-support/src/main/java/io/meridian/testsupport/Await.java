package io.meridian.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling waits for tests that watch a cluster converge. */
public final class Await {
  private static final long POLL_MS = 20;

  private Await() {}

  /**
   * Returns once {@code condition} holds, checking every few milliseconds; fails the test with
   * "timed out waiting until {@code what}" after {@code timeout}.
   */
  public static void until(BooleanSupplier condition, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
