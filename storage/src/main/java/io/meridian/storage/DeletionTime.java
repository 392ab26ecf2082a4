package io.meridian.storage;

/** A deletion: everything written at or before {@code markedForDeleteAtMicros} is shadowed. */
public record DeletionTime(long markedForDeleteAtMicros, int localDeletionTime) {
  public static final DeletionTime LIVE = new DeletionTime(Long.MIN_VALUE, Integer.MAX_VALUE);

  public boolean isLive() {
    return markedForDeleteAtMicros == Long.MIN_VALUE;
  }

  public boolean deletes(long timestampMicros) {
    return timestampMicros <= markedForDeleteAtMicros;
  }

  public DeletionTime supersede(DeletionTime other) {
    return other.markedForDeleteAtMicros > markedForDeleteAtMicros ? other : this;
  }
}
