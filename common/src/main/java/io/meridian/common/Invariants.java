package io.meridian.common;

/**
 * Always-on checks (Java assert is off by default). A broken invariant means suspect state: the
 * caller fails fast rather than serving from it.
 */
public final class Invariants {
  private Invariants() {}

  public static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("Invariant violated: " + what);
    }
  }

  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException("Invariant violated: " + String.format(format, args));
    }
  }
}
