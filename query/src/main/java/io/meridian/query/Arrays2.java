package io.meridian.query;

/** Byte-array helpers the JDK lacks in the form we need. */
final class Arrays2 {
  private Arrays2() {}

  /** Unsigned lexicographic order; null sorts last (an open upper bound). */
  static int compareUnsigned(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return a == b ? 0 : (a == null ? 1 : -1);
    }
    return java.util.Arrays.compareUnsigned(a, b);
  }
}
