package io.meridian.replication;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * A replicated log entry failed its checksum or structural checks. The replica must not skip it:
 * applying later entries without it would diverge from the other replicas, so the state machine
 * stops applying once it sees one.
 */
public final class LogEntryCorruptionException extends MeridianException {
  public LogEntryCorruptionException(String message) {
    super(CqlErrorCode.SERVER_ERROR, "corrupt replicated log entry: " + message);
  }

  public LogEntryCorruptionException(String message, Throwable cause) {
    super(CqlErrorCode.SERVER_ERROR, "corrupt replicated log entry: " + message, cause);
  }
}
