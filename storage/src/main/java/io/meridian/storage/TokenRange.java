package io.meridian.storage;

/**
 * Tokens t with start < t <= end, Cassandra's convention for token ranges. The full ring is
 * (Long.MIN_VALUE, Long.MAX_VALUE]; Long.MIN_VALUE is never a token of a key.
 */
public record TokenRange(long start, long end) {
  public static final TokenRange FULL = new TokenRange(Long.MIN_VALUE, Long.MAX_VALUE);

  public boolean contains(long token) {
    return token > start && token <= end;
  }
}
