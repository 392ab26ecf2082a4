package io.meridian.storage.rocks;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/** A stored record failed its checksum or structural checks. Names the key, never the value. */
public final class StorageCorruptionException extends MeridianException {
  public StorageCorruptionException(String what, byte[] key) {
    super(CqlErrorCode.SERVER_ERROR, "corrupt stored record (" + what + ") at " + KeyCodec.describe(key));
  }
}
