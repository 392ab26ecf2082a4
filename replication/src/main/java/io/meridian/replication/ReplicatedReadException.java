package io.meridian.replication;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * A read through a tablet's Raft group that got no answer: no leader (or read index) within the
 * client's retry budget, the asked replica is down, or it refused the read. Nothing was changed,
 * so it carries READ_TIMEOUT; the query layer fills in the protocol's consistency fields.
 */
public final class ReplicatedReadException extends MeridianException implements io.meridian.common.ReplicaTimeout {
  public ReplicatedReadException(String message, Throwable cause) {
    super(CqlErrorCode.READ_TIMEOUT, message, cause);
  }

  @Override
  public boolean isWrite() {
    return false;
  }

  @Override
  public String protocolWriteType() {
    return null;
  }
}
