package io.meridian.query;

import io.meridian.common.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timestamps for writes the server orders itself (lightweight transactions): strictly increasing
 * on this node even if the wall clock steps back, so a transaction decided later always carries
 * a larger timestamp than one decided earlier and wins last-write-wins against it.
 */
final class WriteTimestamps {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  WriteTimestamps(Clock clock) {
    this.clock = clock;
  }

  long next() {
    long now = clock.currentTimeMicros();
    return last.updateAndGet(prev -> Math.max(now, prev + 1));
  }
}
