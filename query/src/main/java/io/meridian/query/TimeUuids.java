package io.meridian.query;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Version-1 UUIDs for now(): unique per node, ordered by the time they were made. */
final class TimeUuids {
  /** 100-ns intervals between the UUID epoch (1582-10-15) and the Unix epoch. */
  private static final long UUID_EPOCH_OFFSET_100NS = 0x01B21DD213814000L;
  private static final long CLOCK_SEQ_AND_NODE = makeClockSeqAndNode();
  private static final AtomicLong LAST_100NS = new AtomicLong();

  private TimeUuids() {}

  static UUID next(long nowMicros) {
    long candidate = nowMicros * 10 + UUID_EPOCH_OFFSET_100NS;
    // Strictly increasing even when the clock does not advance between calls.
    long ts = LAST_100NS.updateAndGet(last -> Math.max(last + 1, candidate));
    long msb = (ts << 32) | ((ts & 0xFFFF00000000L) >>> 16) | 0x1000L | ((ts >>> 48) & 0x0FFFL);
    return new UUID(msb, CLOCK_SEQ_AND_NODE);
  }

  private static long makeClockSeqAndNode() {
    SecureRandom random = new SecureRandom();
    long clockSeq = random.nextInt(0x3FFF);
    long node = random.nextLong() & 0xFFFFFFFFFFFFL | 0x010000000000L; // multicast bit: not a real MAC
    return 0x8000000000000000L | (clockSeq << 48) | node;
  }
}
