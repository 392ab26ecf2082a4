package io.meridian.replication;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * A replicated write whose outcome is unknown: it was handed to the Raft group but no commit
 * was confirmed (no leader within the retry budget, or the group stopped answering). It may or
 * may not have been applied, so it carries WRITE_TIMEOUT, never a "failed" error. When this is
 * wired into the server, the query layer turns it into the protocol's write timeout with its
 * consistency and acknowledgement fields.
 */
public final class ReplicatedWriteException extends MeridianException {
  public ReplicatedWriteException(String message, Throwable cause) {
    super(CqlErrorCode.WRITE_TIMEOUT, message, cause);
  }
}
