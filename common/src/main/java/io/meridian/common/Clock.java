package io.meridian.common;

/**
 * Time as the database sees it. Core logic takes a Clock instead of calling System directly, so
 * tests and simulations can drive time.
 */
public interface Clock {
  /** Wall-clock microseconds since the epoch: the default write timestamp of a mutation. */
  long currentTimeMicros();

  /** Monotonic nanoseconds for measuring intervals. */
  long nanoTime();

  /** Wall-clock seconds since the epoch, as used for TTL expiry and tombstone deletion times. */
  default int nowInSeconds() {
    return (int) (currentTimeMicros() / 1_000_000L);
  }

  Clock SYSTEM = new SystemClock();
}
