package io.meridian.common;

import java.time.Instant;

/** The real clock; microsecond resolution where the platform gives it. */
final class SystemClock implements Clock {
  @Override
  public long currentTimeMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
