package io.meridian.storage;

/**
 * One stored cell. {@code path} is empty for a simple column and names the element of a
 * collection cell (issue 4). A tombstone has {@code value == null}. {@code localDeletionTime} is
 * the second (since epoch) at which a TTL'd cell expires, or at which a tombstone was written;
 * {@link #NO_DELETION_TIME} for live cells without TTL.
 */
public record Cell(String column, byte[] path, byte[] value, long timestampMicros, int ttlSeconds, int localDeletionTime) {
  public static final int NO_DELETION_TIME = Integer.MAX_VALUE;
  public static final byte[] NO_PATH = new byte[0];

  public static Cell live(String column, byte[] value, long timestampMicros) {
    return new Cell(column, NO_PATH, value, timestampMicros, 0, NO_DELETION_TIME);
  }

  public static Cell expiring(String column, byte[] value, long timestampMicros, int ttlSeconds, int nowSeconds) {
    return new Cell(column, NO_PATH, value, timestampMicros, ttlSeconds, nowSeconds + ttlSeconds);
  }

  public static Cell tombstone(String column, long timestampMicros, int nowSeconds) {
    return new Cell(column, NO_PATH, null, timestampMicros, 0, nowSeconds);
  }

  public boolean isTombstone() {
    return value == null;
  }

  /** Live at {@code nowSeconds}: not a tombstone and, if it has a TTL, not yet expired. */
  public boolean isLive(int nowSeconds) {
    return value != null && (ttlSeconds == 0 || localDeletionTime > nowSeconds);
  }
}
