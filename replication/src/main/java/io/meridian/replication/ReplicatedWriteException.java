package io.meridian.replication;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * A replicated write whose outcome is unknown or that could not be completed in time: it was
 * handed to the Raft group but no commit was confirmed (no leader within the retry budget, or the
 * group stopped answering), or a conditional write kept losing to concurrent writers until its
 * retry budget ran out. It carries WRITE_TIMEOUT, never a "failed" error, and a {@link #writeType()}
 * for the protocol's write timeout: {@code SIMPLE} for one mutation, {@code BATCH} for several
 * applied atomically, {@code CAS} for a conditional write (the query layer reports {@code COUNTER}
 * instead for counter updates, which also go through conditional writes).
 */
public final class ReplicatedWriteException extends MeridianException implements io.meridian.common.ReplicaTimeout {
  /** The native protocol's write types that a replicated tablet can time out with. */
  public enum WriteType { SIMPLE, BATCH, CAS }

  private final WriteType writeType;

  public ReplicatedWriteException(String message, Throwable cause) {
    this(WriteType.SIMPLE, message, cause);
  }

  public ReplicatedWriteException(WriteType writeType, String message, Throwable cause) {
    super(CqlErrorCode.WRITE_TIMEOUT, message, cause);
    this.writeType = writeType;
  }

  public WriteType writeType() {
    return writeType;
  }

  @Override
  public boolean isWrite() {
    return true;
  }

  @Override
  public String protocolWriteType() {
    return writeType.name();
  }
}
