package io.meridian.storage;

/**
 * Index terms t with {@code prefix + low <= t <= prefix + high} (each bound inclusive or not; a
 * null bound is open, so the range then runs to the end of the prefix). One term: low = high, both
 * inclusive.
 */
public record TermRange(byte[] prefix, byte[] low, boolean lowInclusive, byte[] high, boolean highInclusive) {
  public static TermRange exactly(byte[] prefix, byte[] value) {
    return new TermRange(prefix, value, true, value, true);
  }
}
