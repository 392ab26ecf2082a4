package io.meridian.storage.rocks;

import io.meridian.common.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand. */
final class ManualClock implements Clock {
  private final AtomicLong micros;

  ManualClock(long seconds) {
    this.micros = new AtomicLong(seconds * 1_000_000L);
  }

  void setSeconds(long seconds) {
    micros.set(seconds * 1_000_000L);
  }

  void advanceSeconds(long seconds) {
    micros.addAndGet(seconds * 1_000_000L);
  }

  @Override
  public long currentTimeMicros() {
    return micros.get();
  }

  @Override
  public long nanoTime() {
    return micros.get() * 1000L;
  }
}
