package io.meridian.replication;

import io.meridian.storage.PartitionKey;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-tablet conflict versions for optimistic conditional writes: {@link #BUCKETS} buckets, a
 * partition's bucket derived from its key, and per bucket the log index of the last entry that
 * wrote a partition in it (0: none since the tablet began).
 *
 * <p>A conditional write reads its partition together with the bucket's version, decides, and
 * proposes a guarded entry "apply only if the bucket's version is still this one". The state
 * machine judges the guard against the versions as of the entries before it in the log, so every
 * replica gives the same verdict. Two keys sharing a bucket only cost a needless retry.
 *
 * <p>Instances are thread-safe per slot (readers see a slot's latest value); the state machine
 * keeps one written in log order and one written when entries become visible.
 */
public final class ConflictVersions {
  /** Fixed for the life of a tablet: clients and replicas must agree on a key's bucket. */
  public static final int BUCKETS = 4096;

  private final AtomicLongArray versions = new AtomicLongArray(BUCKETS);

  /** The bucket of a partition: a mix of its Murmur3 token and its serialized bytes. */
  public static int bucketOf(PartitionKey key) {
    long h = key.token() * 0x9E3779B97F4A7C15L + Arrays.hashCode(key.serialized());
    h ^= h >>> 29;
    return (int) Math.floorMod(h, (long) BUCKETS);
  }

  public long get(int bucket) {
    return versions.get(bucket);
  }

  public void set(int bucket, long logIndex) {
    versions.set(bucket, logIndex);
  }

  public long[] toArray() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = versions.get(i);
    }
    return copy;
  }

  public void restore(long[] from) {
    if (from.length != BUCKETS) {
      throw new IllegalArgumentException("expected " + BUCKETS + " bucket versions, got " + from.length);
    }
    for (int i = 0; i < BUCKETS; i++) {
      versions.set(i, from[i]);
    }
  }
}
