package io.meridian.storage;

/** When an acknowledged write is made durable. */
public enum CommitPolicy {
  /** The WAL is fsynced before the apply future completes: no acknowledged write is lost. */
  SYNC,
  /**
   * The apply future completes once the write is in the WAL buffer; the WAL is fsynced every
   * {@link StorageConfig#periodicSyncMs()}. A process kill may lose up to that window.
   */
  PERIODIC
}
