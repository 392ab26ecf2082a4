package io.meridian.storage;

/**
 * A slice of one partition: clustering keys k with start <= k < end (unsigned byte order; empty
 * start = from the beginning, null end = to the end), optionally in reverse, at most
 * {@code limitRows} rows. Static row excluded unless {@code includeStatic}.
 */
public record ReadRange(byte[] start, byte[] end, boolean reversed, int limitRows, boolean includeStatic) {
  public static ReadRange all() {
    return new ReadRange(new byte[0], null, false, Integer.MAX_VALUE, true);
  }
}
