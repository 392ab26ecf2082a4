package io.meridian.cluster;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.common.ReplicaTimeout;

/**
 * A logged batch across tablets that was not confirmed in time. The write type tells the driver
 * how far it got, as Cassandra's does: {@code BATCH_LOG} when the batch log entry itself was not
 * confirmed (nothing may have been applied; the batch may still be applied later if the entry did
 * land), {@code BATCH} when the entry is in the log but a part was not confirmed (every part will
 * be applied, by the replayer if not by this coordinator).
 */
final class BatchWriteTimeout extends MeridianException implements ReplicaTimeout {
  private final String writeType;

  private BatchWriteTimeout(String writeType, String message, Throwable cause) {
    super(CqlErrorCode.WRITE_TIMEOUT, message, cause);
    this.writeType = writeType;
  }

  static BatchWriteTimeout logWrite(Throwable cause) {
    return new BatchWriteTimeout("BATCH_LOG", "Writing the batch log entry was not confirmed: " + cause, cause);
  }

  static BatchWriteTimeout part(Throwable cause) {
    return new BatchWriteTimeout("BATCH", "The batch is logged but a part of it was not confirmed (it will be "
        + "applied by the batch log replay): " + cause, cause);
  }

  @Override
  public boolean isWrite() {
    return true;
  }

  @Override
  public String protocolWriteType() {
    return writeType;
  }
}
