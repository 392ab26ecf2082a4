package io.meridian.storage;

import io.meridian.common.Invariants;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the ring (Long.MIN_VALUE, Long.MAX_VALUE] into n ranges of equal width (the last one takes
 * the remainder) and routes tokens to them. Widths are computed in unsigned offset space.
 */
public final class TabletRanges {
  private TabletRanges() {}

  public static long width(int n) {
    return Long.divideUnsigned(-1L, n); // (2^64 - 1) / n, unsigned
  }

  public static List<TokenRange> split(int n) {
    Invariants.check(n >= 1, "tablet count %d >= 1", n);
    long w = width(n);
    List<TokenRange> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long start = Long.MIN_VALUE + w * i;
      long end = i == n - 1 ? Long.MAX_VALUE : Long.MIN_VALUE + w * (i + 1);
      out.add(new TokenRange(start, end));
    }
    return out;
  }

  /** Index of the range owning {@code token} (which is never Long.MIN_VALUE). */
  public static int indexOf(long token, int n) {
    long offsetMinusOne = token - Long.MIN_VALUE - 1; // unsigned, in [0, 2^64 - 2]
    long i = Long.divideUnsigned(offsetMinusOne, width(n));
    return (int) Math.min(i, n - 1);
  }
}
