package io.meridian.replication;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * A read request, read result or state machine reply failed its checksum or structural checks.
 * Unlike a corrupt log entry it stops nothing: the one request that carried it fails.
 */
public final class CorruptMessageException extends MeridianException {
  public CorruptMessageException(String message) {
    super(CqlErrorCode.SERVER_ERROR, "corrupt replication message: " + message);
  }

  public CorruptMessageException(String message, Throwable cause) {
    super(CqlErrorCode.SERVER_ERROR, "corrupt replication message: " + message, cause);
  }
}
