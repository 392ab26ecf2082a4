package io.meridian.storage.rocks;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/** A stored record failed its checksum or structural checks. Names the key, never the value. */
public final class StorageCorruptionException extends MeridianException {
  private final byte[] key;

  public StorageCorruptionException(String what, byte[] key) {
    super(CqlErrorCode.SERVER_ERROR, "corrupt stored record (" + what + ") at " + KeyCodec.describe(key));
    this.key = key.clone();
  }

  /** The key of the corrupt record (data or partition column family, or table metadata). */
  byte[] key() {
    return key.clone();
  }
}
