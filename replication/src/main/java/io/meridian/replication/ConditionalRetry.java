package io.meridian.replication;

/**
 * Bounds of the read-decide-propose loop of a conditional write on a replicated tablet: at most
 * {@code attemptsMax} attempts and {@code timeoutMs} in all, sleeping a random time in
 * [0, min(backoffMaxMs, backoffBaseMs * 2^attempt)] between attempts (jitter spreads contenders
 * apart so one of them wins the next round).
 */
public record ConditionalRetry(int attemptsMax, long backoffBaseMs, long backoffMaxMs, long timeoutMs) {
  /** Generous enough for tens of clients hammering one partition; the timeout is the real bound. */
  public static final ConditionalRetry DEFAULT = new ConditionalRetry(1_000, 1, 50, 10_000);

  public ConditionalRetry {
    if (attemptsMax < 1 || backoffBaseMs < 0 || backoffMaxMs < backoffBaseMs || timeoutMs < 1) {
      throw new IllegalArgumentException("bad conditional retry bounds: attemptsMax=" + attemptsMax + " backoffBaseMs="
          + backoffBaseMs + " backoffMaxMs=" + backoffMaxMs + " timeoutMs=" + timeoutMs);
    }
  }

  long backoffMs(int attempt, double random) {
    long cap = Math.min(backoffMaxMs, backoffBaseMs << Math.min(attempt, 20));
    return (long) (random * (cap + 1));
  }
}
